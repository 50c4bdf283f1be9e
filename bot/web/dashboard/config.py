"""The dashboard's settings, read from Settings (with defaults until every field exists there)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.config import Settings

MIN_SECRET_LENGTH = 32


@dataclass(frozen=True)
class DashboardConfig:
    session_secret: str
    https_only: bool
    lockout_attempts: int = 5
    lockout: timedelta = timedelta(minutes=15)
    threshold: int = 5
    # Officers sign in for a working day; a copied cookie is worthless after that.
    session_max_age_s: int = 8 * 3600

    @property
    def enabled(self) -> bool:
        return bool(self.session_secret)

    @classmethod
    def from_settings(cls, settings: Settings) -> DashboardConfig:
        secret: Any = getattr(settings, "session_secret", "")
        if hasattr(secret, "get_secret_value"):
            secret = secret.get_secret_value()
        secret = str(secret or "")
        if secret and len(secret) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"SESSION_SECRET must be at least {MIN_SECRET_LENGTH} characters; make one with "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
            )
        return cls(
            session_secret=secret,
            https_only=settings.public_base_url.lower().startswith("https://"),
            lockout_attempts=int(getattr(settings, "login_lockout_attempts", 5)),
            lockout=timedelta(minutes=int(getattr(settings, "login_lockout_minutes", 15))),
            threshold=int(getattr(settings, "small_group_threshold", 5)),
        )
