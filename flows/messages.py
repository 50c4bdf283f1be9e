"""What the engine itself says, per language. Flow files say everything else."""

from __future__ import annotations

from flows.schema import Special, StepType

SUPPORTED_LANGUAGES = ("en", "cy")

_CATALOGUE: dict[str, dict[str, str]] = {
    "en": {
        "sorry": "Sorry, I didn't understand that.",
        "reply_choice": "Please reply with a number from 1 to {n}",
        "reply_scale": "Please reply with a number from {lo} to {hi}",
        "reply_yes_no": "Please reply YES or NO",
        "reply_multi": "Please reply with the numbers of all that apply, for example 1,3",
        "reply_number": "Please reply with a number",
        "reply_number_range": "Please reply with a number from {lo} to {hi}",
        "reply_date": "Please reply with a date, for example 25/12/2025",
        "reply_text": "Please type your answer",
        "too_many": "Please choose no more than {n}",
        "too_few": "Please choose at least {n}",
        "choose_one": "Please choose one answer.",
        "needs_answer": "This question needs an answer.",
        "why_number": "Sorry, I can't tell if that number means yes or no.",
        "why_acknowledged": "Thanks, but I can't tell if that means yes or no.",
        "why_emoji": "Sorry, I can't tell which number that emoji means.",
        "why_exclusive": '"{label}" can\'t go with other answers.',
        "or_skip": ", or SKIP",
        "or_dont_know": ", or DON'T KNOW",
        "or_prefer_not_to_say": ", or RATHER NOT SAY",
        "moving_on": "Let's move on to the next question.",
        "first_question": "This is the first question.",
        "old_button": "That button was for an earlier question. Here is the current one.",
        # Said after the step's or the flow's help; short, so a HELP reply fits two SMS segments.
        "help": "Reply REPEAT to see the question, BACK to change an answer, or STOP to stop.",
        "help_contact": "To talk to someone: {contact_details}.",
        "restarting": "OK, let's start again.",
        "done": "Thank you. Your answers have been saved.",
    },
    "cy": {
        "sorry": "Mae'n ddrwg gen i, doeddwn i ddim yn deall hynny.",
        "reply_choice": "Atebwch gyda rhif o 1 i {n}",
        "reply_scale": "Atebwch gyda rhif o {lo} i {hi}",
        "reply_yes_no": "Atebwch IE neu NA",
        "reply_multi": "Atebwch gyda rhifau pob un sy'n berthnasol, er enghraifft 1,3",
        "reply_number": "Atebwch gyda rhif",
        "reply_number_range": "Atebwch gyda rhif o {lo} i {hi}",
        "reply_date": "Atebwch gyda dyddiad, er enghraifft 25/12/2025",
        "reply_text": "Teipiwch eich ateb",
        "too_many": "Dewiswch ddim mwy na {n}",
        "too_few": "Dewiswch o leiaf {n}",
        "choose_one": "Dewiswch un ateb.",
        "needs_answer": "Mae angen ateb i'r cwestiwn hwn.",
        "why_number": "Mae'n ddrwg gen i, alla i ddim dweud ai ie neu na yw'r rhif yna.",
        "why_acknowledged": "Diolch, ond alla i ddim dweud ai ie neu na yw hynny.",
        "why_emoji": "Mae'n ddrwg gen i, alla i ddim dweud pa rif yw'r emoji yna.",
        "why_exclusive": 'Does dim modd dewis "{label}" gydag atebion eraill.',
        "or_skip": ", neu SGIP",
        "or_dont_know": ", neu DDIM YN GWYBOD",
        "or_prefer_not_to_say": ", neu GWELL PEIDIO",
        "moving_on": "Gadewch i ni symud ymlaen i'r cwestiwn nesaf.",
        "first_question": "Dyma'r cwestiwn cyntaf.",
        "old_button": "Roedd y botwm hwnnw ar gyfer cwestiwn cynharach. Dyma'r un presennol.",
        "help": "Atebwch AILADRODD i weld y cwestiwn, YN OL i newid ateb, neu STOP i stopio.",
        "help_contact": "I siarad gyda rhywun: {contact_details}.",
        "restarting": "Iawn, gadewch i ni ddechrau eto.",
        "done": "Diolch. Mae eich atebion wedi'u cadw.",
    },
}

# Used when the context lacks a standard variable, so "Hi {first_name}," still reads well.
VARIABLE_DEFAULTS: dict[str, dict[str, str]] = {
    "en": {
        "first_name": "there",
        "event_name": "the event",
        "event_date": "recently",
        "council_name": "the council",
        "service_name": "the SEND team",
        "contact_details": "please contact the council",
    },
    "cy": {
        "first_name": "",
        "event_name": "y digwyddiad",
        "event_date": "yn ddiweddar",
        "council_name": "y cyngor",
        "service_name": "y tim AAA",
        "contact_details": "cysylltwch a'r cyngor",
    },
}


def template(language: str, key: str) -> str:
    """The text unfilled, for `flows.texts.fill` with a conversation's variables."""
    table = _CATALOGUE.get(language, _CATALOGUE["en"])
    return table.get(key, _CATALOGUE["en"][key])


def say(language: str, key: str, **values: object) -> str:
    return template(language, key).format(**values)


def reply_instruction(
    language: str,
    step_type: StepType,
    *,
    n_options: int = 0,
    lo: float | None = None,
    hi: float | None = None,
    specials: frozenset[Special] = frozenset(),
) -> str:
    """One sentence saying what would fit, e.g. 'Please reply with a number from 1 to 5, or SKIP.'"""
    if step_type is StepType.CHOICE:
        text = say(language, "reply_choice", n=n_options)
    elif step_type is StepType.SCALE:
        text = say(language, "reply_scale", lo=_num(lo), hi=_num(hi))
    elif step_type is StepType.YES_NO:
        text = say(language, "reply_yes_no")
    elif step_type is StepType.MULTI_CHOICE:
        text = say(language, "reply_multi")
    elif step_type is StepType.NUMBER:
        if lo is not None and hi is not None:
            text = say(language, "reply_number_range", lo=_num(lo), hi=_num(hi))
        else:
            text = say(language, "reply_number")
    elif step_type is StepType.DATE:
        text = say(language, "reply_date")
    else:
        text = say(language, "reply_text")
    # Every way out the question allows, so nobody has to guess which words are accepted.
    for special in (Special.SKIP, Special.DONT_KNOW, Special.PREFER_NOT_TO_SAY):
        if special in specials:
            text += say(language, f"or_{special.value}")
    return text + "."


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)
