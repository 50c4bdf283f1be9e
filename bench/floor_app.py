"""The real app plus the floor route, served as `sendvoice serve` serves it.

`python -m uvicorn bench.floor_app:create --factory` is `sendvoice serve` (one process): the real
services and app, plus the floor route. `python -m bench.floor_app --port P --workers N` is
`sendvoice serve --workers N`: N web processes (`create_worker`), delivery in the serving one.
Either way the full path and the floor are measured in the same server.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/floor_app.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse

from starlette.applications import Starlette
from starlette.routing import Route

from bot.config import get_settings
from bot.logs import configure_logging
from bot.services import build_services
from bot.web import worker_app
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
    return _with_floor(create_app(build_services(settings)))


def create_worker() -> Starlette:
    return _with_floor(worker_app.create())


def _with_floor(app: Starlette) -> Starlette:
    if not any(getattr(route, "path", None) == PATH for route in app.router.routes):
        app.router.routes.append(Route(PATH, floor, methods=["POST"]))
    return app


def main() -> None:
    from bot.cli.db import open_services
    from bot.web.serving import serve_many

    parser = argparse.ArgumentParser(description="`sendvoice serve --workers N` plus the floor")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, required=True)
    args = parser.parse_args()
    settings = get_settings()
    configure_logging(settings.log_level)
    services = open_services(settings)
    try:
        serve_many(
            services,
            "127.0.0.1",
            args.port,
            workers=args.workers,
            run_scheduler=False,
            web_app="bench.floor_app:create_worker",
        )
    finally:
        services.close()


if __name__ == "__main__":
    main()
