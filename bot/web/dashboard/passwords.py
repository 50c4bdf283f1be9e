"""Officer passwords: argon2id hashes (argon2-cffi's defaults, RFC 9106's low-memory profile)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
# An admin's reset gives a temporary password that works until then, once, to choose a new one.
TEMPORARY_LIFETIME = timedelta(hours=72)
# No 0/O, 1/l/I: it is read out over the phone or copied by hand.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_hasher = PasswordHasher()


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise ValueError(f"a password needs at least {MIN_LENGTH} characters")
    if password.strip() != password or not password.strip():
        raise ValueError("a password cannot start or end with spaces")


def temporary() -> str:
    """A temporary password: four groups of four (about 79 bits), easy to read out."""
    groups = ("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))
    return "-".join(groups)


def hash_password(password: str) -> str:
    check_strength(password)
    return _hasher.hash(password)


def verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("no officer has this password, it only spends time")


def waste_time(password: str) -> None:
    """As long as a real check, so a login attempt for an unknown email takes no less time."""
    verify(_dummy_hash(), password)
