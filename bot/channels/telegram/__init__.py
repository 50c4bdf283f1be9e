"""Telegram through python-telegram-bot: webhook or polling in, the Bot API out."""

import os

# ptb 22 warns on every RetryAfter unless told to use timedeltas now (the coming default).
os.environ.setdefault("PTB_TIMEDELTA", "true")

CHANNEL = "telegram"
