"""Whatever an officer types into the preview, or whatever a button sends, the page answers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import Settings
from bot.web.dashboard import preview as sim
from flows.library import load_library
from tests.bot.web.dashboard.conftest import SECRET, Dash
from tests.bot.web.dashboard.flow_preview import HttpPreview

LIBRARY = load_library()
FLOW_IDS = sorted(f.id for f in LIBRARY)
NOW = datetime(2026, 3, 20, 20, 30, tzinfo=UTC)

HOSTILE = [
    "",
    "\x00",
    "a\x00b",
    "x" * 10_000,
    "😊" * 3000,
    "👨‍👩‍👧" * 50,
    "Ŵŷ â ŵ ŷ ôl ddim yn gwybod",
    "STOP",
    "help",
    "BACK",
    "RESTART",
    "1,2,3,4,5,6,7,8,9,99",
    "-1",
    "1e309",
    "{event_name}",
    "{0.__class__}",
    "<script>alert(1)</script>",
    "a:1:1",
    "a:999999999999999999999:1",
    "\r\n\t",
    "\u202e\u200b\ufeff",
]
REPLIES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=80))
BUTTONS = st.one_of(
    st.none(),
    st.sampled_from(["a:1:1", "a:2:skip", "a:0:", "a:-1:1", "a:1:" + "9" * 80, "lang:cy"]),
    st.text(max_size=70),
)
STEPS = st.lists(st.tuples(REPLIES, BUTTONS), min_size=1, max_size=6)


@settings(max_examples=200, deadline=None)
@given(
    flow_id=st.sampled_from(FLOW_IDS),
    channel=st.sampled_from(["sms", "telegram"]),
    welsh=st.booleans(),
    steps=STEPS,
)
def test_the_preview_reads_any_reply_without_failing(
    flow_id: str, channel: str, welsh: bool, steps: list[tuple[str, str | None]]
) -> None:
    flow = LIBRARY.get(flow_id)
    config = Settings(_env_file=None)  # type: ignore[call-arg]
    language = "cy" if welsh and "cy" in flow.languages else flow.default_language
    preview = sim.start(flow, language, channel, config, NOW)  # type: ignore[arg-type]
    for text, button in steps:
        preview = sim.load(sim.dump(preview, SECRET), SECRET, flow)
        preview = sim.answer(preview, flow, LIBRARY, config, NOW, text=text, button=button)
        assert preview.bubbles
    for bubble in preview.bubbles:
        if bubble.side == "out" and channel == "sms":
            assert bubble.segments is not None
            assert bubble.segments <= 4  # what render_sms promises per text


@pytest.fixture
def officer(bare_dash: Dash) -> Iterator[httpx.Client]:
    bare_dash.officer("ann@council.example", "officer")
    with bare_dash.login("ann@council.example") as client:
        yield client


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    flow_id=st.sampled_from(FLOW_IDS),
    channel=st.sampled_from(["sms", "telegram"]),
    steps=STEPS,
)
def test_no_reply_gives_the_preview_page_a_5xx(
    officer: httpx.Client, flow_id: str, channel: str, steps: list[tuple[str, str | None]]
) -> None:
    preview = HttpPreview(officer, flow_id).start("en", channel)
    assert preview.status == 200
    for text, button in steps:
        extra = {"button": button} if button is not None else {}
        preview.send(text, **extra)
        # A very long reply of emoji is more than a form may carry: refused (413), never a crash.
        assert preview.status in (200, 413), preview.html[:300]
        if preview.status != 200:
            break
