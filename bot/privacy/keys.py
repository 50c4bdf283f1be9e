"""Where the identifier cipher comes from: DATA_ENCRYPTION_KEY, or for the demo a key file of its own."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.config import Settings
from storage.crypto import EncryptionKeyError, IdentifierCipher, generate_key


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
