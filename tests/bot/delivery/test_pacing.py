from __future__ import annotations

import asyncio
import time

import pytest

from bot.delivery.pacing import SlidingWindow, TokenBucket


class Monotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_sends_within_the_rate_wait_and_over_it_are_delayed_by_segments() -> None:
    clock = Monotonic()
    bucket = TokenBucket(rate=1.0, monotonic=clock)
    assert bucket.delay_for(1) == 0.0
    # A 3-segment SMS counts three times against one message a second.
    assert bucket.delay_for(3) == pytest.approx(3.0)
    clock.now += 3.0
    assert bucket.delay_for(1) == pytest.approx(1.0)


def test_idle_time_refills_only_up_to_the_burst() -> None:
    clock = Monotonic()
    bucket = TokenBucket(rate=10.0, burst=10.0, monotonic=clock)
    clock.now += 60
    delays = [bucket.delay_for(1) for _ in range(11)]
    assert delays[:10] == [0.0] * 10
    assert delays[10] == pytest.approx(0.1)


def test_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        TokenBucket(rate=0)


def test_a_provider_wide_limit_can_start_with_a_single_send() -> None:
    clock = Monotonic()
    bucket = TokenBucket(rate=50.0, monotonic=clock, start_full=False)
    assert bucket.delay_for(1) == 0.0
    assert bucket.delay_for(1) == pytest.approx(0.02)  # then one every 1/50 s, not 50 at once


def test_a_sliding_window_paces_just_under_the_rate_without_saving_up_a_burst() -> None:
    clock = Monotonic()
    window = SlidingWindow(per_second=50.0, headroom=0.98, monotonic=clock)
    assert window.delay_for(1) == 0.0
    window.take(1).answered()
    assert window.delay_for(1) == pytest.approx(1 / 49)
    clock.now += 60  # idle: still one at a time afterwards, not a second's worth at once
    window.take(1).answered()
    assert window.delay_for(1) == pytest.approx(0.5 / 49)  # at most half an interval made up


def test_a_late_send_keeps_the_schedule_so_lateness_does_not_lower_the_rate() -> None:
    clock = Monotonic()
    window = SlidingWindow(per_second=10.0, headroom=1.0, monotonic=clock)
    window.take(1).answered()
    clock.now += 0.13  # due at 0.1, started late by 0.03
    window.take(1).answered()
    assert window.delay_for(1) == pytest.approx(0.07)  # next due at 0.2 as planned


def test_a_send_counts_until_a_window_after_its_answer() -> None:
    clock = Monotonic()
    window = SlidingWindow(per_second=2.0, headroom=1.0, monotonic=clock)
    first = window.take(1)
    clock.now += 0.5
    second = window.take(1)
    clock.now += 0.5
    # The provider may have counted either at any moment until it answered: unanswered, the
    # window cannot tell when room comes.
    assert window.delay_for(1) is None
    clock.now += 0.2
    first.answered()
    assert window.delay_for(1) == pytest.approx(1.0)
    clock.now += 0.4
    second.answered()
    assert window.delay_for(1) == pytest.approx(0.6)
    clock.now += 0.6
    assert window.delay_for(1) == 0.0


def test_a_message_of_several_segments_counts_each() -> None:
    clock = Monotonic()
    window = SlidingWindow(per_second=3.0, headroom=1.0, monotonic=clock)
    window.take(3).answered()
    assert window.delay_for(1) == pytest.approx(1.0)
    clock.now += 1.0
    # Larger than the whole window: it goes alone rather than never.
    assert window.delay_for(5) == 0.0


def test_a_refusal_for_rate_pauses_the_window() -> None:
    clock = Monotonic()
    window = SlidingWindow(per_second=50.0, monotonic=clock)
    window.take(1).answered()
    window.pause(1.0)
    assert window.delay_for(1) == pytest.approx(1.0)


def test_a_send_never_answered_stops_counting_in_the_end() -> None:
    clock = Monotonic()
    window = SlidingWindow(per_second=1.0, headroom=1.0, monotonic=clock)
    window.take(1)  # its event loop went away mid-send
    clock.now += SlidingWindow.STALE_SECONDS + 1.0
    assert window.delay_for(1) == 0.0


def test_window_needs_a_positive_rate() -> None:
    with pytest.raises(ValueError, match="positive"):
        SlidingWindow(per_second=0)


def test_held_sends_never_exceed_the_window_and_go_in_order() -> None:
    window = SlidingWindow(per_second=100.0, window=0.1)  # 10 in any 0.1 s
    starts: list[tuple[int, float]] = []

    async def one(i: int) -> None:
        async with window.hold() as held:
            starts.append((i, time.monotonic()))
            await asyncio.sleep(0.002 * (i % 5))  # answers come back in a different order
            held.answered()

    async def many(first: int) -> None:
        await asyncio.gather(*(one(i) for i in range(first, first + 30)))

    # Two event loops in turn, as two asyncio.run calls sharing a sender do.
    asyncio.run(many(0))
    asyncio.run(many(30))
    assert [i for i, _ in starts] == list(range(60))
    times = [t for _, t in starts]
    assert all(
        sum(1 for u in times if t <= u < t + window.window) <= window.capacity for t in times
    )
