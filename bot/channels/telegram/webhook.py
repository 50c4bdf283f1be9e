"""Telegram's webhook: the secret token header, then the same handling as polling."""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bot.channels.telegram.inbound import handle_update
from bot.services import Services

log = logging.getLogger(__name__)

# Telegram's update ids are 64-bit; anything else is not from Telegram.
_MAX_UPDATE_ID = 2**63


async def telegram_update(request: Request) -> Response:
    services: Services = request.app.state.services
    secret = services.settings.telegram_webhook_secret.get_secret_value()
    given = request.headers.get("x-telegram-bot-api-secret-token", "")
    # Constant-time, and never open: without a configured secret every request is refused.
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return PlainTextResponse("Forbidden", status_code=403)
    data = _update(await request.body())
    if data is None:
        # Acknowledged and dropped: Telegram redelivers anything else for ever, and a body that
        # is not an update will not become one.
        log.info("telegram update ignored: unreadable")
        return Response(status_code=200)
    await handle_update(services, data)
    return Response(status_code=200)


def _update(body: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested beyond reason
        return None
    if not isinstance(data, dict):
        return None
    update_id = data.get("update_id")
    if not isinstance(update_id, int) or not 0 <= update_id < _MAX_UPDATE_ID:
        return None
    return data
