"""The report's cost per channel, in words and pounds, at the prices in the settings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.config import Settings
from bot.followups.holds import CHANNEL_NAMES
from storage.costs import ChannelCost


def _pounds(amount: float) -> str:
    return f"£{amount:,.2f}"


def channel_costs(settings: Settings, counted: Sequence[ChannelCost]) -> dict[str, Any]:
    rows, total = [], 0.0
    for each in counted:
        if each.channel == "sms":
            cost = each.segments * settings.sms_price_per_segment
            unit = f"{each.segments} SMS segment{'s' if each.segments != 1 else ''}"
        elif each.channel == "whatsapp":
            cost = each.messages * settings.whatsapp_price_per_message
            unit = f"{each.messages} WhatsApp message{'s' if each.messages != 1 else ''}"
        else:
            cost, unit = 0.0, "free"
        total += cost
        rows.append(
            {
                "channel": each.channel,
                "name": CHANNEL_NAMES.get(each.channel, each.channel),
                "messages": each.messages,
                "unit": unit,
                "cost": _pounds(cost),
                "amount": cost,
            }
        )
    prices = (
        f"{_pounds(settings.sms_price_per_segment)} an SMS segment, "
        f"{_pounds(settings.whatsapp_price_per_message)} a WhatsApp message, Telegram free"
    )
    return {"rows": rows, "total": _pounds(total), "prices": prices}
