"""The running service's view of its own health, for /healthz and the admins' banner.

Settings cannot change while the process runs, so their checks are made once; the database's are
made again at most every `ttl` seconds, so a load balancer polling /healthz costs a few counts.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Collection
from datetime import timedelta

from sqlalchemy import Engine

from bot.clock import Clock
from bot.config import Settings
from bot.health.check import Check
from bot.health.database import database_checks
from bot.health.settings import cipher_for, settings_checks

TTL_SECONDS = 15.0


class HealthMonitor:
    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        *,
        sendable: Collection[str],
        clock: Clock,
        ttl: float = TTL_SECONDS,
    ) -> None:
        self.engine = engine
        self.sendable = frozenset(sendable)
        self.clock = clock
        self.ttl = ttl
        self.cipher = cipher_for(settings)
        self.static = settings_checks(settings)
        self.read_within = timedelta(hours=settings.read_within_hours)
        self._lock = threading.Lock()
        self._cached: list[Check] | None = None
        self._at = 0.0

    def run(self) -> list[Check]:
        with self._lock:
            if self._cached is None or time.monotonic() - self._at >= self.ttl:
                self._cached = self.static + database_checks(
                    self.engine,
                    self.cipher,
                    sendable=self.sendable,
                    now=self.clock(),
                    read_within=self.read_within,
                )
                self._at = time.monotonic()
            return list(self._cached)

    async def current(self) -> list[Check]:
        return await asyncio.to_thread(self.run)
