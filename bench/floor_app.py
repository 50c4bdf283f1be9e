"""`python -m uvicorn bench.floor_app:create --factory`: the real app, plus the floor route.

Until the app mounts `bot.web.bench_floor` itself (behind BENCH_FLOOR_ENDPOINT=true), this runs
the same services and routes as `sendvoice serve`, so the full path and the floor are measured in
one server process.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Route

from bot.config import get_settings
from bot.logs import configure_logging
from bot.services import build_services
from bot.web.app import create_app
from bot.web.bench_floor import PATH, floor
from storage.db import make_engine
from storage.migrate import check_schema


def create() -> Starlette:
    settings = get_settings()
    configure_logging(settings.log_level)
    engine = make_engine(settings.database_url)
    try:
        check_schema(engine)
    finally:
        engine.dispose()
    app = create_app(build_services(settings))
    if not any(getattr(route, "path", None) == PATH for route in app.router.routes):
        app.router.routes.append(Route(PATH, floor, methods=["POST"]))
    return app
