"""A reply queued by one process goes out at once from the process that delivers, not at its next
poll: the web processes of `serve --workers N` wake it (NOTIFY on PostgreSQL, a local socket on
SQLite). The outbox here polls once an hour, so only the wake can make it send."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from bot.clock import FrozenClock
from bot.config import Settings
from bot.delivery import wakeup
from bot.delivery.outbox import Outbox
from bot.services import build_services
from tests.bot.delivery.test_outbox import ScriptedSender, queue

AN_HOUR = 3600.0


@pytest.fixture
def socket_path() -> Iterator[str]:
    """As `serve --workers N` on SQLite sets it up before starting the web processes."""
    with wakeup.wake_socket() as path:
        yield path


async def _until(condition: asyncio.Event) -> None:
    await asyncio.wait_for(condition.wait(), timeout=30)


async def test_another_process_wakes_the_outbox(
    settings: Settings, clock: FrozenClock, socket_path: str
) -> None:
    services = build_services(settings, clock=clock, senders={})
    sender = ScriptedSender([])
    outbox = Outbox(services.session_factory, {"sms": sender}, settings, clock=clock)
    sent = asyncio.Event()
    original = sender.send

    async def send(message):  # type: ignore[no-untyped-def]
        result = await original(message)
        sent.set()
        return result

    sender.send = send  # type: ignore[method-assign]
    listening = asyncio.Event()
    stop = asyncio.Event()

    def wake(kind: str) -> None:
        if kind == "alerts":
            listening.set()
        else:
            outbox.wake()

    loops = [
        asyncio.create_task(outbox.run(stop, poll_seconds=AN_HOUR)),
        asyncio.create_task(wakeup.listen(services.engine, wake, stop)),
    ]
    # A web process's side: its own engine and sender, as after `serve --workers N` spawned it.
    web = build_services(settings, clock=clock, senders={})
    forward = wakeup.sender_for(web.engine)
    assert forward is not None
    try:
        # The listener is up once a wake gets through (LISTEN and bind take a moment).
        while not listening.is_set():
            forward("alerts")
            await asyncio.wait([asyncio.create_task(listening.wait())], timeout=0.2)
        queue(web.session_factory, clock, "Thanks. How useful was it?")
        web.outbox.forward = forward
        web.outbox.wake()  # what the webhook does after its commit
        await _until(sent)
        assert [m.body for m in sender.sent] == ["Thanks. How useful was it?"]
    finally:
        stop.set()
        outbox.wake()
        await asyncio.gather(*loops)
        forward.close()
        web.close()
        services.close()


async def test_a_web_process_on_sqlite_without_a_serving_process_has_nothing_to_wake(
    db_engine: Engine,
) -> None:
    if db_engine.dialect.name == "postgresql":
        pytest.skip("PostgreSQL always notifies: whoever listens, if anyone, hears it")
    assert wakeup.sender_for(db_engine) is None


async def test_waking_from_a_webhook_thread_reaches_the_delivery_loop(
    settings: Settings, clock: FrozenClock
) -> None:
    """The outbox's loop may run on another thread (delivery beside the web): a wake from a
    thread that is not its own still gets through."""
    services = build_services(settings, clock=clock, senders={})
    sender = ScriptedSender([])
    outbox = Outbox(services.session_factory, {"sms": sender}, settings, clock=clock)
    stop = asyncio.Event()
    task = asyncio.create_task(outbox.run(stop, poll_seconds=AN_HOUR))
    try:
        # Its first pass (which finds nothing) is over, and it waits for a wake or an hour.
        while (outbox._loop is None or outbox._passes) and not task.done():
            await asyncio.sleep(0.01)
        queue(services.session_factory, clock)
        woken = threading.Thread(target=outbox.wake)
        woken.start()
        woken.join()
        for _ in range(3000):
            if sender.sent:
                break
            await asyncio.sleep(0.01)
        assert len(sender.sent) == 1
    finally:
        stop.set()
        outbox.wake()
        await task
        services.close()
