"""`sendvoice whatsapp ...`: the Content API bodies for buttons, a check of the template settings,
and an event's wa.me link."""

from __future__ import annotations

import json
import sys

import click

from bot.channels.whatsapp.content import (
    ContentConfigError,
    button_definitions,
    parse_buttons,
    parse_templates,
)
from bot.config import get_settings


@click.group("whatsapp")
def whatsapp_group() -> None:
    """WhatsApp through Twilio: templates and buttons (see README: Connect WhatsApp)."""


@whatsapp_group.command("buttons")
def buttons() -> None:
    """Print the Content API bodies for 1 to 10 buttons, to create once (POST /v1/Content)."""
    click.echo(json.dumps(button_definitions(), indent=2))


@whatsapp_group.command("check")
def check() -> None:
    """Read WHATSAPP_TEMPLATES and WHATSAPP_BUTTON_CONTENT and say what they hold."""
    settings = get_settings()
    try:
        templates = parse_templates(settings.whatsapp_templates)
        counts = parse_buttons(settings.whatsapp_button_content)
    except ContentConfigError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    if not settings.whatsapp_configured:
        click.echo("WhatsApp is not connected: set TWILIO_WHATSAPP_FROM (see README).")
    for (flow, language, kind), template in sorted(templates.items()):
        names = ", ".join(template.variables) or "no variables"
        click.echo(f"template {flow} {language} {kind}: {template.sid} ({names})")
    shown = ", ".join(str(n) for n in sorted(counts)) or "none (questions go as numbered text)"
    click.echo(f"button contents for: {shown}")
