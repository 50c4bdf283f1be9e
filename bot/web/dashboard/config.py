"""The dashboard's settings, read from Settings (with defaults until every field exists there)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.config import Settings
from storage.login_throttle import Limits
from storage.officer_sessions import Lifetime

MIN_SECRET_LENGTH = 32


@dataclass(frozen=True)
class DashboardConfig:
    session_secret: str
    https_only: bool
    lockout_attempts: int = 5
    lockout: timedelta = timedelta(minutes=15)
    client_attempts: int = 20
    unrecognised_attempts: int = 50
    threshold: int = 5
    session_idle: timedelta = timedelta(minutes=60)
    # Officers sign in for a working day; a copied cookie is worthless after that, however used.
    session_max: timedelta = timedelta(hours=12)

    @property
    def session_max_age_s(self) -> int:
        return int(self.session_max.total_seconds())

    @property
    def lifetime(self) -> Lifetime:
        return Lifetime(idle=self.session_idle, absolute=self.session_max)

    @property
    def limits(self) -> Limits:
        return Limits(
            client_attempts=self.client_attempts,
            account_attempts=self.lockout_attempts,
            unrecognised_attempts=self.unrecognised_attempts,
            window=self.lockout,
            block=self.lockout,
        )

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
            client_attempts=int(getattr(settings, "login_client_attempts", 20)),
            unrecognised_attempts=int(getattr(settings, "login_unrecognised_attempts", 50)),
            threshold=int(getattr(settings, "small_group_threshold", 5)),
            session_idle=timedelta(
                minutes=int(getattr(settings, "dashboard_session_idle_minutes", 60))
            ),
            session_max=timedelta(hours=int(getattr(settings, "dashboard_session_max_hours", 12))),
        )
