"""Token buckets: at most `rate` units per second, with bursts up to `burst`."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class TokenBucket:
    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        *,
        start_full: bool = True,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = max(burst if burst is not None else rate, 1.0)
        # A provider that counts per second refuses a full burst sent at start-up followed at once
        # by the next second's share: such limits start with one send, not a second's worth.
        self.tokens = self.burst if start_full else 1.0
        self.monotonic = monotonic
        self.updated = monotonic()

    def _refill(self) -> None:
        now = self.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def delay_for(self, units: float) -> float:
        """Seconds to wait before `units` may go; takes them (possibly into debt) when it answers."""
        self._refill()
        self.tokens -= units
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate

    async def acquire(self, units: float = 1.0) -> None:
        delay = self.delay_for(units)
        if delay > 0:
            await asyncio.sleep(delay)
