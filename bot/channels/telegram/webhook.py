"""Telegram's webhook: the secret token header, then the same handling as polling."""

from __future__ import annotations

import hmac
import json

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bot.channels.telegram.inbound import handle_update
from bot.services import Services


async def telegram_update(request: Request) -> Response:
    services: Services = request.app.state.services
    secret = services.settings.telegram_webhook_secret.get_secret_value()
    given = request.headers.get("x-telegram-bot-api-secret-token", "")
    # Constant-time, and never open: without a configured secret every request is refused.
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return PlainTextResponse("Forbidden", status_code=403)
    try:
        data = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return PlainTextResponse("Bad Request", status_code=400)
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        return PlainTextResponse("Bad Request", status_code=400)
    await handle_update(services, data)
    return Response(status_code=200)
