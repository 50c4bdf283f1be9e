"""The SMS budget: every text a flow can send, with long real-world names, in as few segments as it can."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.conversation.replies import service_texts
from flows.library import load_library
from flows.lint.budget import LONG_NAMES, by_sms, sendable
from flows.lint.checks import lint
from flows.lint.paths import all_paths, default_path
from flows.loader.flowfile import load_flow_text

LIBRARY = load_library()
SMS_FLOWS = [f for f in LIBRARY if by_sms(f)]
SERVICE = service_texts(Settings(_env_file=None))  # type: ignore[call-arg]

WELSH_HEAD = (
    "format: 1\nid: t\nversion: 1\ntitle: T\naudience: parent\nlanguages: [en, cy]\n"
    'help: {en: "About {event_name}.", cy: "Am y digwyddiad a gynhaliwyd yn y neuadd â chi."}\n'
    "steps:\n"
)


def test_long_names_are_as_long_as_promised() -> None:
    for names in LONG_NAMES.values():
        assert len(names["council_name"]) >= 40
        assert len(names["event_name"]) >= 49
        assert len(names["first_name"]) >= 12


@pytest.mark.parametrize("flow", SMS_FLOWS, ids=lambda f: f.id)
def test_every_bundled_sms_flow_meets_the_budget_with_long_names(flow) -> None:
    sent = list(sendable(flow, SERVICE))
    kinds = {s.kind for s in sent}
    assert {"first message", "question", "help", "next", "reply"} <= kinds
    assert {s.names for s in sent} == {"default names", "long names"}
    over = [
        f"{s.kind} {s.step_id} {s.field} {s.language} {s.names}: {s.segments}"
        for s in sent
        if s.over
    ]
    assert over == []
    assert all(s.encoding == "GSM-7" for s in sent)


@pytest.mark.parametrize("flow", SMS_FLOWS, ids=lambda f: f.id)
def test_the_first_message_carries_the_notice_unless_only_returning_people_get_it(flow) -> None:
    first = [s for s in sendable(flow, SERVICE) if s.kind == "first message"]
    with_notice = [s for s in first if "PRIVACY" in s.text or "PREIFATRWYDD" in s.text]
    assert bool(with_notice) is not flow.returning_only
    assert all(s.segments <= 2 for s in first)


def test_bundled_library_validates_without_sms_warnings() -> None:
    for flow in LIBRARY:
        found = [w for w in lint(flow, SERVICE) if "segments" in w.message or "GSM" in w.message]
        assert found == [], found


def test_a_question_that_fits_with_short_names_but_not_long_ones_is_flagged() -> None:
    text = "How was {event_name}? " + "Tell us what you thought of it. " * 4
    f = load_flow_text(
        f"format: 1\nid: t\nversion: 1\ntitle: T\naudience: parent\nlanguages: [en]\n"
        f'steps:\n  - {{id: q, type: text, ask: "{text}"}}\n',
        "t.yaml",
    )
    found = [str(w) for w in lint(f)]
    flagged = [w for w in found if "long names" in w and "question needs 2 SMS segments" in w]
    assert flagged
    assert flagged[0].startswith("t.yaml:")
    assert "steps[0] (q).ask.en" in flagged[0]
    assert not [w for w in found if "default names" in w and "question needs" in w]


def test_flow_wide_welsh_help_in_ucs2_and_a_mutated_name_are_flagged() -> None:
    f = load_flow_text(
        WELSH_HEAD
        + '  - {id: q, type: text, ask: {en: "Did you go to {event_name}?", '
        + 'cy: "Aethoch chi i {event_name}?"}}\n',
        "t.yaml",
    )
    found = [str(w) for w in lint(f)]
    assert any("help.cy" in w and "'â'" in w for w in found)
    assert any("HELP" in w and "UCS-2" in w and "(q)" in w for w in found)
    assert any("ask.cy" in w and "after 'i'" in w for w in found)


def test_paths_through_post_event() -> None:
    flow = LIBRARY.get("post_event")
    paths = all_paths(flow)
    assert ["intro", "attended", "what_stopped", "thanks"] in paths
    typical = default_path(flow)
    assert typical[:3] == ["intro", "attended", "rating"]
    assert typical[-1] == "thanks"
    assert "main_problem" not in typical
