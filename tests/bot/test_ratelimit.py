from __future__ import annotations

import pytest

from bot.ratelimit import TokenBucket


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
