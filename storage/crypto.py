"""Field-level encryption for identifiers (phone numbers, Telegram ids, names) and keyed lookups.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, random IV), so the same number gives a
different ciphertext each time and cannot be searched; a keyed hash (HMAC-SHA256 under a key derived
from the encryption key) finds a row without decrypting anything. Several keys may be configured: the
first encrypts and hashes, all of them decrypt and look up, so keys can be rotated without downtime
(`sendvoice privacy rotate-key` rewrites every row under the first key).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage.errors import StorageError

SESSION_KEY = "identifier_cipher"


class EncryptionKeyError(StorageError):
    """An encryption key is missing, malformed, or cannot read what is stored."""


def generate_key() -> str:
    return Fernet.generate_key().decode()


def _lookup_key(key: str) -> bytes:
    raw = base64.urlsafe_b64decode(key.encode())
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"sendvoice lookup").derive(
        raw
    )


class IdentifierCipher:
    def __init__(self, keys: Sequence[str]) -> None:
        keys = [k.strip() for k in keys if k.strip()]
        if not keys:
            raise EncryptionKeyError("no encryption key configured (DATA_ENCRYPTION_KEY)")
        try:
            self._fernet = MultiFernet([Fernet(k.encode()) for k in keys])
            self._lookup_keys = [_lookup_key(k) for k in keys]
        except (ValueError, TypeError) as exc:
            raise EncryptionKeyError(
                "DATA_ENCRYPTION_KEY must be one or more Fernet keys (32 url-safe base64 bytes), "
                "comma-separated; make one with `sendvoice privacy new-key`"
            ) from exc

    def encrypt(self, value: str) -> str:
        return self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise EncryptionKeyError("stored data cannot be read with the configured keys") from exc

    def rotate(self, token: str) -> str:
        return self._fernet.rotate(token.encode()).decode()

    def lookup(self, value: str) -> str:
        """The hash rows are stored under (first key)."""
        return hmac.new(self._lookup_keys[0], value.encode(), hashlib.sha256).hexdigest()

    def lookups(self, value: str) -> list[str]:
        """The hash under every configured key: rows not yet rotated are still found."""
        return [hmac.new(k, value.encode(), hashlib.sha256).hexdigest() for k in self._lookup_keys]


def cipher_of(session: Any) -> IdentifierCipher:
    cipher = session.info.get(SESSION_KEY) if session is not None else None
    if cipher is None:
        raise EncryptionKeyError(
            "this database session has no encryption key; identifiers cannot be read"
        )
    return cipher  # type: ignore[no-any-return]
