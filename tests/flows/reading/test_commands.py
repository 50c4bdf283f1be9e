from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.reading.commands import Command, parse_command, parse_special
from flows.reading.spelling import key
from flows.reading.vocabulary import COMMANDS, SPECIALS
from flows.schema import Special


@pytest.mark.parametrize(
    ("typed", "command"),
    [
        ("help", Command.HELP),
        ("HELP", Command.HELP),
        ("info", Command.HELP),
        ("?", Command.HELP),
        ("??", Command.HELP),
        ("help me", Command.HELP),
        ("hlep", Command.HELP),
        ("/help", Command.HELP),
        ("cymorth", Command.HELP),
        ("repeat", Command.REPEAT),
        ("again", Command.REPEAT),
        ("Pardon?", Command.REPEAT),
        ("repaet", Command.REPEAT),
        ("ailadrodd", Command.REPEAT),
        ("eto", Command.REPEAT),
        ("back", Command.BACK),
        ("go back", Command.BACK),
        ("previous", Command.BACK),
        ("undo", Command.BACK),
        ("yn ôl", Command.BACK),
        ("yn ol", Command.BACK),
        ("nôl", Command.BACK),
        ("/back", Command.BACK),
        ("stop", Command.STOP),
        ("STOP", Command.STOP),
        ("Stop.", Command.STOP),
        ("stoppp", Command.STOP),
        ("stopall", Command.STOP),
        ("stop all", Command.STOP),
        ("unsubscribe", Command.STOP),
        ("cancel", Command.STOP),
        ("end", Command.STOP),
        ("quit", Command.STOP),
        ("stopio", Command.STOP),
        ("/stop", Command.STOP),
        ("/stop@sendvoice_bot", Command.STOP),
        ("restart", Command.RESTART),
        ("start again", Command.RESTART),
        ("Start over!", Command.RESTART),
        ("dechrau eto", Command.RESTART),
        ("ailddechrau", Command.RESTART),
        ("/restart", Command.RESTART),
    ],
)
def test_commands(typed: str, command: Command) -> None:
    assert parse_command(typed, "en") is command


@pytest.mark.parametrize("language", ["en", "cy"])
def test_english_and_welsh_commands_work_in_either_conversation(language: str) -> None:
    assert parse_command("stop", language) is Command.STOP
    assert parse_command("stopio", language) is Command.STOP
    assert parse_command("start again", language) is Command.RESTART
    assert parse_command("dechrau eto", language) is Command.RESTART


@pytest.mark.parametrize(
    "typed",
    [
        "please stop sending me these surveys they are not helpful",
        "I need help with my son's EHCP",  # a real answer, not a command
        "back pain",
        "the end of term",
        "rest",  # a word away from "reset", but restarting must be asked for
        "stip",  # and opting out is never guessed
        "cancer",
        "yes",
        "3",
        "",
        "   ",
        "skip",
    ],
)
def test_answers_that_only_contain_or_resemble_a_command_are_not_commands(typed: str) -> None:
    assert parse_command(typed, "en") is None


@pytest.mark.parametrize(
    ("typed", "special"),
    [
        ("skip", Special.SKIP),
        ("Skip!", Special.SKIP),
        ("skp", Special.SKIP),
        ("pass", Special.SKIP),
        ("next", Special.SKIP),
        ("/skip", Special.SKIP),
        ("sgip", Special.SKIP),
        ("sgipio", Special.SKIP),
        ("nesaf", Special.SKIP),
        ("don't know", Special.DONT_KNOW),
        ("Don’t know", Special.DONT_KNOW),
        ("dont know", Special.DONT_KNOW),
        ("DONT KNOW", Special.DONT_KNOW),
        ("dunno", Special.DONT_KNOW),
        ("not sure", Special.DONT_KNOW),
        ("dk", Special.DONT_KNOW),
        ("idk", Special.DONT_KNOW),
        ("no idea", Special.DONT_KNOW),
        ("dont no", Special.DONT_KNOW),
        ("i dont knoe", Special.DONT_KNOW),
        ("dont_know", Special.DONT_KNOW),  # what a Telegram button sends
        ("ddim yn gwybod", Special.DONT_KNOW),
        ("dim syniad", Special.DONT_KNOW),
        ("wn i ddim", Special.DONT_KNOW),
        ("prefer not to say", Special.PREFER_NOT_TO_SAY),
        ("perfer not to say", Special.PREFER_NOT_TO_SAY),
        ("rather not say", Special.PREFER_NOT_TO_SAY),
        ("pnts", Special.PREFER_NOT_TO_SAY),
        ("no comment", Special.PREFER_NOT_TO_SAY),
        ("prefer_not_to_say", Special.PREFER_NOT_TO_SAY),
        ("gwell gennyf beidio", Special.PREFER_NOT_TO_SAY),
        ("gwell peidio dweud", Special.PREFER_NOT_TO_SAY),
    ],
)
def test_specials(typed: str, special: Special) -> None:
    assert parse_special(typed, "en") is special
    assert parse_special(typed, "cy") is special


@pytest.mark.parametrize(
    "typed",
    [
        "i do know",  # two letters from "i dont know", and the opposite meaning
        "I don't know if the room was big enough",
        "next time make it longer",
        "no",
        "yes",
        "",
        "skipping stones",
    ],
)
def test_answers_that_only_resemble_a_special_are_not_specials(typed: str) -> None:
    assert parse_special(typed, "en") is None


def test_no_phrase_means_two_different_commands() -> None:
    seen: dict[str, str] = {}
    for by_name in COMMANDS.values():
        for name, phrases in by_name.items():
            for phrase in phrases:
                assert seen.setdefault(key(phrase), name) == name, phrase


def test_no_phrase_is_both_a_command_and_a_special() -> None:
    commands = {key(p) for by_name in COMMANDS.values() for ps in by_name.values() for p in ps}
    specials = {key(p) for by_name in SPECIALS.values() for ps in by_name.values() for p in ps}
    assert not commands & specials


def test_every_listed_phrase_is_recognised() -> None:
    for by_name in COMMANDS.values():
        for name, phrases in by_name.items():
            for phrase in phrases:
                assert parse_command(phrase, "en") is Command(name), phrase
    for by_name in SPECIALS.values():
        for name, phrases in by_name.items():
            for phrase in phrases:
                assert parse_special(phrase, "en") is Special(name), phrase


@settings(max_examples=200, database=None, deadline=None)
@given(st.text(), st.sampled_from(["en", "cy"]))
def test_any_text_parses_without_error(typed: str, language: str) -> None:
    assert parse_command(typed, language) in (None, *Command)
    assert parse_special(typed, language) in (None, *Special)
