# The fault suite reuses the channel suites' worlds: the real app, with the fake providers.
from tests.bot.channels.sms.conftest import fake_twilio, sms  # noqa: F401
from tests.bot.channels.telegram.conftest import fake_telegram, tg  # noqa: F401
