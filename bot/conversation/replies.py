"""What the service itself says outside any flow: opt-out, opt-in, help, the fallback, pictures."""

from __future__ import annotations

from bot.config import Settings

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
            "{contact_details}. Reply STOP to stop messages."
        ),
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
            "Dyma {service_name} {council_name}, yn holi teuluoedd am wasanaethau. Am help, "
            "{contact_details}. Atebwch STOP i atal negeseuon."
        ),
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
        "reminder": "Nodyn atgoffa: hoffem glywed o hyd beth oeddech chi'n ei feddwl am {event_name}.",
        "language_question": "Pa iaith hoffet ti?",
        "language_set": "Iawn, byddaf yn ysgrifennu yn Gymraeg.",
        "language_unavailable": "Sori, dim ond yn Saesneg mae'r cwestiynau hyn.",
    },
}


def reply(settings: Settings, language: str, key: str, **extra: str) -> str:
    table = _TEXTS.get(language, _TEXTS["en"])
    values = {
        "council_name": settings.council_name,
        "service_name": settings.service_name,
        "contact_details": settings.contact_details,
        **extra,
    }
    return " ".join(table[key].format(**values).split())


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


def privacy_notice(settings: Settings, language: str) -> str:
    template = settings.privacy_notice_cy if language == "cy" else settings.privacy_notice
    text = template.format(
        council_name=settings.council_name,
        service_name=settings.service_name,
        retention=retention_words(settings.retention_days, language),
    )
    return " ".join(text.split())
