"""What the service itself says outside any flow: opt-out, opt-in, help, the fallback, pictures."""

from __future__ import annotations

from bot.config import Settings
from flows.lint.budget import ServiceTexts

_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "opted_out": (
            "You have been unsubscribed and will get no more messages from {council_name} "
            "{service_name}. Reply START to join again."
        ),
        "opted_in": (
            "Welcome back. You will get messages from {council_name} {service_name} again. "
            "Reply STOP at any time to stop."
        ),
        "help": (
            "This is {council_name} {service_name}, asking families about services. For help, "
            "{contact_details}. Reply PRIVACY to see how we use your answers, or STOP to stop "
            "messages."
        ),
        "privacy": (
            "{council_name} {service_name} keeps your answers and contact details for up to "
            "{retention}, {basis}, to improve services. Only council staff see them. To see, "
            "correct or delete them: {contact_details}. You can complain to the ICO."
        ),
        "privacy_link": "Full notice: {url}",
        "public_task": "as part of our public task",
        "consent": "with your consent",
        "legitimate_interests": "in our legitimate interests",
        "fallback": (
            "This number is for {council_name} {service_name} to hear from families. {keywords}"
            "Reply HELP for contact details."
        ),
        "keywords": "To give feedback, reply {keyword}. ",
        "media": "Thank you. We can't read pictures or files here, so please reply in words.",
        "age_question": "Before we start: how old are you?",
        "under_age_again": (
            "This chat is for people aged 16 and over. To share your views, ask an adult to help "
            "you contact {council_name} {service_name}, {contact_details}."
        ),
        "bad_link": (
            "Sorry, that link didn't work. Please scan the code on the poster again, or ask the "
            "person who gave it to you."
        ),
        "welcome_chat": (
            "Hello! This is {council_name} {service_name}. We ask young people what they think, "
            "so we can make things better. Scan the code on a poster to start. Send /help for help "
            "or /stop to stop."
        ),
        "busy": "You are already answering some questions. Let's finish those first.",
        "reminder": "A quick reminder: we would still like to hear what you thought of {event_name}.",
        "language_unavailable_first": "These questions are only in English.",
        "language_question": "Which language would you like?",
        "language_set": "OK, I will write in English.",
        "language_unavailable": "Sorry, these questions are only in English.",
    },
    "cy": {
        "opted_out": (
            "Rydych wedi dad-danysgrifio ac ni fyddwch yn cael rhagor o negeseuon gan {service_name} "
            "{council_name}. Atebwch START i ymuno eto."
        ),
        "opted_in": (
            "Croeso nol. Byddwch yn cael negeseuon gan {service_name} {council_name} eto. Atebwch "
            "STOP unrhyw bryd i stopio."
        ),
        "help": (
            "{service_name} {council_name}: holi teuluoedd am wasanaethau. Am help, "
            "{contact_details}. Atebwch PREIFATRWYDD i weld sut rydym yn defnyddio eich atebion, "
            "neu STOP i atal negeseuon."
        ),
        "privacy": (
            "{service_name} {council_name}: rydym yn cadw eich atebion a'ch manylion am hyd at "
            "{retention}, {basis}, i wella gwasanaethau. Dim ond staff y cyngor sy'n eu gweld. "
            "I'w gweld neu eu dileu: {contact_details}. Gallwch gwyno i'r ICO."
        ),
        "privacy_link": "Yr hysbysiad llawn: {url}",
        "public_task": "fel tasg gyhoeddus",
        "consent": "gyda'ch cydsyniad",
        "legitimate_interests": "er ein buddiannau dilys",
        "fallback": (
            "Mae'r rhif hwn ar gyfer {service_name} {council_name} i glywed gan deuluoedd. "
            "{keywords}Atebwch HELP am fanylion cyswllt."
        ),
        "keywords": "I roi adborth, atebwch {keyword}. ",
        "media": "Diolch. Ni allwn ddarllen lluniau na ffeiliau yma, felly atebwch mewn geiriau.",
        "age_question": "Cyn i ni ddechrau: faint yw dy oed di?",
        "under_age_again": (
            "Mae'r sgwrs hon ar gyfer pobl 16 oed a hŷn. I rannu dy farn, gofyn i oedolyn dy helpu "
            "i gysylltu â {service_name} {council_name}, {contact_details}."
        ),
        "bad_link": (
            "Sori, wnaeth y ddolen ddim gweithio. Sganiwch y cod ar y poster eto, neu gofynnwch i'r "
            "person a'i rhoddodd i chi."
        ),
        "welcome_chat": (
            "Helo! Dyma {service_name} {council_name}. Rydyn ni'n gofyn i bobl ifanc beth maen "
            "nhw'n ei feddwl. Sganiwch y cod ar boster i ddechrau. Anfon /help am help neu /stop i "
            "stopio."
        ),
        "busy": "Rwyt ti eisoes yn ateb rhai cwestiynau. Gad i ni orffen y rheini gyntaf.",
        # The name follows a colon: after "am" Welsh would mutate it ("am Weithdy").
        "reminder": "Nodyn atgoffa am y digwyddiad: {event_name}. Hoffem glywed eich barn o hyd.",
        "language_unavailable_first": "Saesneg yn unig, sori.",
        "language_question": "Pa iaith hoffet ti?",
        "language_set": "Iawn, byddaf yn ysgrifennu yn Gymraeg.",
        "language_unavailable": "Sori, dim ond yn Saesneg mae'r cwestiynau hyn.",
    },
}


def reply(settings: Settings, language: str, key: str, **extra: str) -> str:
    table = _TEXTS.get(language, _TEXTS["en"])
    values = {**settings.names_in(language), **extra}
    return " ".join(table[key].format(**values).split())


def template(language: str, key: str) -> str:
    """A reply unfilled, for checking its length with other names (`flows validate`)."""
    return _TEXTS.get(language, _TEXTS["en"])[key]


def retention_words(days: int, language: str) -> str:
    years, months = days // 365, days // 30
    if language == "cy":
        return (
            f"{years} mlynedd"
            if days % 365 == 0
            else f"{months} mis"
            if days >= 60
            else f"{days} diwrnod"
        )
    if days % 365 == 0:
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{months} months" if days >= 60 else f"{days} days"


def privacy_notice(settings: Settings, language: str, style: str = "sms") -> str:
    """The short notice sent once, before anything else; by SMS "Reply STOP to opt out." follows."""
    welsh = language == "cy"
    if style == "chat":
        template_ = settings.privacy_notice_chat_cy if welsh else settings.privacy_notice_chat
    else:
        template_ = settings.privacy_notice_cy if welsh else settings.privacy_notice
    text = template_.format(
        **settings.names_in(language), retention=retention_words(settings.retention_days, language)
    )
    return " ".join(text.split())


def full_privacy_notice(settings: Settings, language: str) -> str:
    """The reply to PRIVACY: what is kept, for how long, on what basis, and people's rights."""
    basis = _TEXTS.get(language, _TEXTS["en"]).get(settings.lawful_basis, "")
    text = reply(
        settings,
        language,
        "privacy",
        retention=retention_words(settings.retention_days, language),
        basis=basis or reply(settings, language, "public_task"),
    )
    if settings.privacy_notice_url:
        text += " " + reply(settings, language, "privacy_link", url=settings.privacy_notice_url)
    return text


def _partly(template: str, **values: str) -> str:
    """Fill some placeholders and keep the rest ({council_name} ...) for the checker's names."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return " ".join(template.split())


def service_texts(settings: Settings) -> ServiceTexts:
    """What the service sends around a flow by SMS, for `flows validate` and `flows cost`."""
    languages = tuple(_TEXTS)
    retention = {lang: retention_words(settings.retention_days, lang) for lang in languages}
    notice = {"en": settings.privacy_notice, "cy": settings.privacy_notice_cy}

    def privacy(lang: str) -> str:
        table = _TEXTS[lang]
        text = _partly(
            table["privacy"],
            retention=retention[lang],
            basis=table.get(settings.lawful_basis, table["public_task"]),
        )
        if settings.privacy_notice_url:
            text += " " + _partly(table["privacy_link"], url=settings.privacy_notice_url)
        return text

    keyword = settings.fallback_keyword.upper()
    return ServiceTexts(
        names={lang: settings.names_in(lang) for lang in languages},
        notice={lang: _partly(notice[lang], retention=retention[lang]) for lang in languages},
        unavailable={lang: _TEXTS[lang]["language_unavailable_first"] for lang in languages},
        reminder={lang: _TEXTS[lang]["reminder"] for lang in languages},
        replies={
            "HELP": {lang: _TEXTS[lang]["help"] for lang in languages},
            "PRIVACY": {lang: privacy(lang) for lang in languages},
            "STOP": {lang: _TEXTS[lang]["opted_out"] for lang in languages},
            "START": {lang: _TEXTS[lang]["opted_in"] for lang in languages},
            "fallback": {
                lang: _partly(
                    _TEXTS[lang]["fallback"],
                    keywords=_partly(_TEXTS[lang]["keywords"], keyword=keyword) + " ",
                )
                for lang in languages
            },
        },
    )
