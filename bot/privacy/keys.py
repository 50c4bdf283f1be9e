"""The identifier cipher: its keys (DATA_ENCRYPTION_KEY, or the demo's own key file) and rotation."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.config import Settings
from storage import audit
from storage.conversations import SEALED
from storage.crypto import EncryptionKeyError, IdentifierCipher, generate_key
from storage.models import ChannelIdentity, Contact, Conversation


def demo_cipher(settings: Settings) -> IdentifierCipher:
    """The configured keys; failing that, a key kept beside the demo's own SQLite file."""
    keys = settings.encryption_keys()
    if keys:
        return IdentifierCipher(keys)
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise EncryptionKeyError(
            "set DATA_ENCRYPTION_KEY: the demo makes a key of its own only for an SQLite file"
        )
    path = Path(url.database + ".key")
    if not path.exists():
        path.write_text(generate_key() + "\n", encoding="utf-8")
        os.chmod(path, 0o600)
    return IdentifierCipher([path.read_text(encoding="utf-8").strip()])


def rotate(session: Session, cipher: IdentifierCipher, *, actor: str, now: datetime) -> int:
    """Re-encrypt and re-hash every identifier, and reseal every conversation's answers, under the
    first configured key."""
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
        token = (conversation.state or {}).get(SEALED)
        if token is not None:
            conversation.state = {**conversation.state, SEALED: cipher.rotate(token)}
            rows += 1
    session.flush()
    audit.record(session, actor=actor, action="rotate_key", now=now, detail={"rows": rows})
    return rows
