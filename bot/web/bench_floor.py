"""A bare webhook for benchmarks: read the form, insert one row, commit, answer empty TwiML.

It is the floor under the real inbound path (same server, HTTP stack, thread pool and connection
pool, none of the work), so `bench/inbound.py` can say how much of the cost is ours. Mount it only
when BENCH_FLOOR_ENDPOINT=true: it stores rows nobody reads and checks no signature.
"""

from __future__ import annotations

import asyncio
import threading

from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, insert
from starlette.requests import Request
from starlette.responses import Response

from bot.channels.sms.webhooks import twiml
from bot.services import Services
from storage.types import UTCDateTime

PATH = "/bench/floor"

# Not in the migrations: the table exists only where the endpoint is mounted, made on first use.
_metadata = MetaData()
FLOOR = Table(
    "bench_floor",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("provider_id", String(64), nullable=False),
    Column("received_at", UTCDateTime(), nullable=False),
)
_created: set[str] = set()
_lock = threading.Lock()


def ensure_table(engine: Engine) -> None:
    key = engine.url.render_as_string(hide_password=True)
    with _lock:
        if key not in _created:
            _metadata.create_all(engine, checkfirst=True)
            _created.add(key)


async def floor(request: Request) -> Response:
    services: Services = request.app.state.services
    form = await request.form()
    sid = form.get("MessageSid")
    provider_id = sid[:64] if isinstance(sid, str) else ""
    now = services.clock()

    def write() -> None:
        ensure_table(services.engine)
        with services.session_factory.begin() as session:
            session.execute(insert(FLOOR).values(provider_id=provider_id, received_at=now))

    await asyncio.to_thread(write)
    return twiml()
