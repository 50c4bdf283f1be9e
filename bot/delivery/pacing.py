"""Rate limits: token buckets (at most `rate` units a second, bursts up to `burst`), and a sliding
window for providers that refuse anything over their limit in any one-second span."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable


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


class Held:
    """One send counted against a `SlidingWindow` until a window after its answer came back."""

    __slots__ = ("end", "monotonic", "started", "units")

    def __init__(self, units: float, started: float, monotonic: Callable[[], float]) -> None:
        self.units = units
        self.started = started
        self.monotonic = monotonic
        self.end: float | None = None

    def answered(self) -> None:
        """Call as soon as the provider's answer is in (from any thread): the window frees sooner."""
        if self.end is None:
            self.end = self.monotonic()


class SlidingWindow:
    """At most `per_second` units in any one second, as a provider counting what reaches it sees it.

    Pacing alone is not enough: a request reaches the provider some unknown time after we start
    it, so two paced sends can arrive closer together than they left. Between starting a send and
    hearing its answer we cannot tell when it was counted, so it counts for us from the start until
    a full window after the answer; then no jitter can put more than the limit in one window.

    Sends are also spread evenly, at `headroom` of the rate, with no burst: bunched up, each
    window's sends would wait for the previous window's to age out, round trips included, and the
    rate would fall short by that much. Evenly spread, a send's window has aged out before its
    turn comes round again unless the round trip outlasts the headroom (20 ms at 50 a second).
    """

    # A send whose end we never heard of (its event loop went away mid-send) stops counting then.
    STALE_SECONDS = 120.0

    def __init__(
        self,
        per_second: float,
        window: float = 1.0,
        *,
        headroom: float = 0.98,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_second <= 0 or window <= 0:
            raise ValueError("rate and window must be positive")
        if not 0 < headroom <= 1:
            raise ValueError("headroom is a fraction of the rate")
        self.window = window
        self.capacity = max(per_second * window, 1.0)
        self.interval = 1.0 / (per_second * headroom)
        self.monotonic = monotonic
        self._next = monotonic()
        self._held: list[Held] = []
        # Bound to one event loop each; made again when another loop (another asyncio.run) uses it.
        self._loop: asyncio.AbstractEventLoop | None = None
        self._turn = asyncio.Lock()
        self._ended = asyncio.Event()

    def _primitives(self) -> tuple[asyncio.Lock, asyncio.Event]:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            self._loop, self._turn, self._ended = loop, asyncio.Lock(), asyncio.Event()
        return self._turn, self._ended

    def _forget(self, now: float) -> None:
        self._held = [
            h
            for h in self._held
            if (h.end if h.end is not None else h.started + self.STALE_SECONDS) + self.window > now
        ]

    def delay_for(self, units: float) -> float | None:
        """Seconds until `units` may start (0: now); None until a send in flight is answered."""
        now = self.monotonic()
        self._forget(now)
        if now < self._next:
            return self._next - now
        if not self._held or sum(h.units for h in self._held) + units <= self.capacity:
            return 0.0
        ends = [h.end for h in self._held if h.end is not None]
        return min(ends) + self.window - now if ends else None

    def take(self, units: float) -> Held:
        """Count a send starting now; only once `delay_for` has said 0."""
        now = self.monotonic()
        held = Held(units, now, self.monotonic)
        self._held.append(held)
        # A send a little late (timer jitter) keeps the schedule, so lateness does not add up to a
        # lower rate; idle time is not saved up into a burst.
        self._next = max(self._next, now - self.interval / 2) + units * self.interval
        return held

    def pause(self, seconds: float) -> None:
        """The provider refused for rate all the same (another client on the account): hold off."""
        self._next = max(self._next, self.monotonic() + seconds)

    @contextlib.asynccontextmanager
    async def hold(self, units: float = 1.0) -> AsyncIterator[Held]:
        """Wait for room, then count the send made inside until its answer is in, plus a window."""
        turn, ended = self._primitives()
        async with turn:  # in order of arrival: a waiting send is not overtaken
            while (delay := self.delay_for(units)) != 0.0:
                if delay is not None:
                    await asyncio.sleep(delay)
                    continue
                ended.clear()
                oldest = min(h.started for h in self._held)
                stale_in = oldest + self.STALE_SECONDS - self.monotonic()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(ended.wait(), max(stale_in, 0.0))
            held = self.take(units)
        try:
            yield held
        except asyncio.CancelledError:
            # Abandoned, not answered: the send may still be under way in a thread, and counts
            # until that says it is answered (or it goes stale).
            raise
        except BaseException:
            held.answered()
            raise
        else:
            held.answered()
        finally:
            ended.set()
