"""The app each web process runs under `sendvoice serve --workers N` (N > 1): webhooks and the
dashboard only; delivery runs in the serving process (bot/web/serving.py)."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import signal
import sys

from starlette.applications import Starlette

from bot.cli.db import open_services
from bot.config import get_settings
from bot.delivery import wakeup
from bot.logs import configure_logging
from bot.web.app import create_app

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1


def create() -> Starlette:
    _exit_with_parent()
    settings = get_settings()
    configure_logging(settings.log_level)
    services = open_services(settings)
    # Delivery runs in the serving process: what this one queues, it tells that one about.
    services.outbox.forward = services.alerts.forward = wakeup.sender_for(services.engine)
    return create_app(services, run_workers=False)


def _exit_with_parent() -> None:
    """If the serving process is killed outright (kill -9, OOM), its web processes must not live
    on: they would take messages that nothing delivers and hold the port against a restart."""
    if not sys.platform.startswith("linux"):
        return  # elsewhere uvicorn's own supervision is all there is
    serving = multiprocessing.parent_process()  # uvicorn spawns its workers with multiprocessing
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        log.warning("could not ask to be stopped with the serving process")
    if serving is not None and os.getppid() != serving.pid:  # it died before we asked
        os.kill(os.getpid(), signal.SIGTERM)
