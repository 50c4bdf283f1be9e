"""The identifier cipher: its keys (DATA_ENCRYPTION_KEY, or the demo's own key file) and rotation."""

from __future__ import annotations

import os
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.conversation.context import PERSONAL_KEYS
from storage import audit, sealed
from storage.conversations import SEALED, seal_with
from storage.crypto import EncryptionKeyError, IdentifierCipher, generate_key
from storage.models import ChannelIdentity, Contact, Conversation
from storage.sealed import sealed_columns
from storage.tables import metadata


def demo_cipher(settings: Settings) -> IdentifierCipher:
    """The configured keys; failing that, a key kept beside the demo's own SQLite file."""
    return IdentifierCipher(demo_keys(settings))


def demo_keys(settings: Settings) -> list[str]:
    keys = settings.encryption_keys()
    if keys:
        return keys
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise EncryptionKeyError(
            "set DATA_ENCRYPTION_KEY: the demo makes a key of its own only for an SQLite file"
        )
    path = Path(url.database + ".key")
    if not path.exists():
        _write_private(path, generate_key() + "\n")
    return [path.read_text(encoding="utf-8").strip()]


def _write_private(path: Path, content: str) -> None:
    """Write a new file that only its owner can read, from the first byte, and all at once: the key
    is written beside it and linked into place, so two processes starting together agree on one key
    and neither reads a half-written file."""
    spare = path.with_name(f"{path.name}.{secrets.token_hex(8)}.new")
    fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.link(spare, path)
    except FileExistsError:
        pass  # another process made the key first: use theirs
    finally:
        spare.unlink(missing_ok=True)


def _personal_in(state: dict[str, Any]) -> bool:
    return any(k in PERSONAL_KEYS for k in state.get("context") or {})


def rotate(session: Session, cipher: IdentifierCipher, *, actor: str, now: datetime) -> int:
    """Re-encrypt and re-hash every identifier, reseal every conversation's answers, and re-encrypt
    every encrypted column (messages, answers, flags, export records: storage.sealed) under the
    first configured key. Conversations stored in clear by earlier versions are sealed, their
    copy of the name dropped."""
    rows = 0
    for identity in session.scalars(select(ChannelIdentity)):
        address = cipher.decrypt(identity.address_enc)
        identity.address_enc = cipher.encrypt(address)
        identity.address_hash = cipher.lookup(address)
        rows += 1
    for contact in session.scalars(select(Contact).where(Contact.display_name_enc.is_not(None))):
        assert contact.display_name_enc is not None
        contact.display_name_enc = cipher.rotate(contact.display_name_enc)
        rows += 1
    for conversation in session.scalars(select(Conversation)):
        state = conversation.state or {}
        if SEALED in state:
            conversation.state = {**state, SEALED: cipher.rotate(state[SEALED])}
            rows += 1
        elif state.get("values") or _personal_in(state):
            # Stored by a version that kept answers, and a name, in clear.
            context = {
                k: v for k, v in (state.get("context") or {}).items() if k not in PERSONAL_KEYS
            }
            conversation.state = seal_with(cipher, {**state, "context": context})
            rows += 1
    session.flush()
    for table, column in sealed_columns(metadata):
        rows += sealed.rotate(session.connection(), table, column, cipher)
    audit.record(session, actor=actor, action="rotate_key", now=now, detail={"rows": rows})
    return rows
