"""Settings: environment, then `.env`, then defaults. Every key is listed in `.env.example`."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from storage.db import DEFAULT_URL


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = DEFAULT_URL
    # Fernet keys that encrypt phone numbers, Telegram ids and names in the database; the first
    # encrypts, all decrypt (comma-separated, newest first, to rotate). Required outside the demo.
    data_encryption_key: SecretStr = SecretStr("")
    log_level: str = "INFO"
    # Extra folders or files of flows, comma-separated, loaded beside the bundled library.
    flow_paths: str = ""

    council_name: str = "Your council"
    service_name: str = "SEND team"
    contact_details: str = "call 01234 567890 or email send@example.gov.uk"
    # The same in Welsh, for people who read Welsh; each falls back to the English when empty.
    council_name_cy: str = ""
    service_name_cy: str = ""
    contact_details_cy: str = ""
    default_language: str = "en"
    default_timezone: str = "Europe/London"
    # The start keyword the "what is this number?" reply suggests to someone who texts out of the blue.
    fallback_keyword: str = "FEEDBACK"

    # Shown once, before any question, the first time someone contacts us on any channel: who is
    # asking, why, and where the full notice is. By SMS "Reply STOP to opt out." follows it. Short,
    # so the first text with a question fits two SMS segments; PRIVACY sends the full notice.
    privacy_notice: str = (
        "{council_name} {service_name} asks for your views to improve services. "
        "Reply PRIVACY to see how we use them."
    )
    privacy_notice_cy: str = (
        "{service_name} {council_name}: gofyn eich barn i wella gwasanaethau. Atebwch "
        "PREIFATRWYDD am y manylion."
    )
    # The same by chat (Telegram), where there is no phone number and /stop stops.
    privacy_notice_chat: str = (
        "{council_name} {service_name} asks young people and families what they think, to make "
        "things better. Send PRIVACY to see how we use your answers, or /stop to stop."
    )
    privacy_notice_chat_cy: str = (
        "{service_name} {council_name}: rydyn ni'n gofyn i bobl ifanc a theuluoedd beth maen "
        "nhw'n ei feddwl, i wneud pethau'n well. Anfona PREIFATRWYDD i weld sut rydyn ni'n "
        "defnyddio dy atebion, neu /stop i stopio."
    )
    # The council's full privacy notice on the web, linked from the PRIVACY reply.
    privacy_notice_url: str = ""
    # What one SMS segment costs (in pounds), for `sendvoice flows cost`.
    sms_price_per_segment: float = Field(default=0.04, ge=0)

    # Twilio (SMS). PUBLIC_BASE_URL is the address Twilio calls, used to check webhook signatures.
    public_base_url: str = "http://127.0.0.1:8000"
    twilio_account_sid: str = ""
    twilio_auth_token: SecretStr = SecretStr("")
    twilio_from_number: str = ""
    twilio_messaging_service_sid: str = ""
    twilio_api_base_url: str = "https://api.twilio.com"
    twilio_timeout_seconds: float = Field(default=15.0, gt=0)
    sms_max_per_second: float = Field(default=1.0, gt=0)
    sms_default_region: str = "GB"

    # WhatsApp through the same Twilio account: a WhatsApp-enabled number, or a Messaging Service
    # with a WhatsApp sender (TWILIO_WHATSAPP_MESSAGING_SERVICE_SID; it wins when both are set).
    twilio_whatsapp_from: str = ""
    twilio_whatsapp_messaging_service_sid: str = ""
    whatsapp_max_per_second: float = Field(default=20.0, gt=0)
    # Approved templates for follow-ups and reminders outside the 24-hour window, per flow and
    # language: JSON {"post_event": {"en": {"followup": "HX...", "reminder": "HX..."}}}.
    whatsapp_templates: str = ""
    # In-session buttons: content SIDs for 1-3 quick replies and 4-10 list-picker items,
    # "1=HX...,2=HX...,3=HX...,10=HX..." (see README: connecting WhatsApp).
    whatsapp_button_content: str = ""
    # What one WhatsApp message costs (in pounds), for the report's cost per channel.
    whatsapp_price_per_message: float = Field(default=0.03, ge=0)

    # Telegram (chat, for young people).
    telegram_bot_token: SecretStr = SecretStr("")
    telegram_webhook_secret: SecretStr = SecretStr("")
    telegram_api_base_url: str = "https://api.telegram.org"
    telegram_bot_username: str = ""  # for deep links and QR posters; asked of Telegram when empty
    telegram_max_per_second: float = Field(default=30.0, gt=0)
    telegram_max_per_chat_per_second: float = Field(default=1.0, gt=0)
    # Telegram's terms in the UK are 16+; younger people are pointed to the council's other ways.
    telegram_min_age: int = Field(default=16, ge=0)
    under_age_message: str = (
        "Thank you for wanting to share your views. This chat is for people aged 16 and over. "
        "You can still tell us what you think: ask a teacher or a parent to help you contact "
        "{council_name} {service_name}, {contact_details}."
    )

    # Follow-ups after events.
    quiet_hours_start: str = "20:00"  # in each person's time zone
    quiet_hours_end: str = "09:00"
    frequency_cap: int = Field(default=2, ge=1)  # new requests per person ...
    frequency_cap_days: int = Field(default=7, ge=1)  # ... per this many days
    scheduler_interval_seconds: int = Field(default=30, ge=1)
    followup_batch_size: int = Field(default=200, ge=1)

    # Safeguarding: what a person is told when they disclose harm, and who is alerted.
    safeguarding_reply: str = (
        "Thank you for telling us. A person will read your message. We can't promise to keep it "
        "secret if you or someone else is at risk. You can talk to Childline any time, free, on "
        "0800 1111, or text SHOUT to 85258. If you are in danger now, call 999."
    )
    safeguarding_reply_cy: str = (
        "Diolch am ddweud wrthym. Bydd person yn darllen dy neges. Allwn ni ddim addo cadw'r peth "
        "yn gyfrinach os wyt ti neu rywun arall mewn perygl. Gelli di siarad gyda Childline unrhyw "
        "bryd, am ddim, ar 0800 1111, neu anfon SHOUT i 85258. Os wyt ti mewn perygl nawr, ffonia 999."
    )
    # The model's calibrated score at which a message is flagged, and at which it is sent for review;
    # unset, the thresholds chosen when the model was trained (see the README's safeguarding section).
    safeguarding_threshold: float | None = Field(default=None, ge=0, le=1)
    safeguarding_review_threshold: float | None = Field(default=None, ge=0, le=1)
    safeguarding_email_to: str = ""  # the designated safeguarding lead(s), comma-separated
    # Email is not a secure channel: by default the alert links to the dashboard, without the words.
    safeguarding_email_include_text: bool = False
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_starttls: bool = True
    smtp_from: str = "sendvoice@localhost"
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    alert_poll_seconds: float = Field(default=10.0, gt=0)
    # The lead's mobile number(s), comma-separated: each flag is also sent by SMS through the outbox,
    # so one route being down does not silence an alert. The SMS names no one and quotes nothing.
    safeguarding_sms_to: str = ""
    # A flag nobody has acknowledged is alerted again (email and SMS) this often.
    safeguarding_realert_minutes: int = Field(default=60, ge=1)
    # No free text goes unread: every free-text answer must be read by a person within this time,
    # or the lead is reminded; young people's words come first in the "to read" list.
    read_within_hours: int = Field(default=72, ge=1)
    read_young_people_first: bool = True

    # Privacy.
    retention_days: int = Field(default=730, ge=1)
    lawful_basis: str = (
        "public_task"  # recorded per contact: public_task, consent, legitimate_interests
    )

    # The officers' dashboard at /dashboard; without a secret it answers 503.
    session_secret: SecretStr = SecretStr("")
    login_lockout_attempts: int = Field(default=5, ge=1)  # per account, from one client address
    login_lockout_minutes: int = Field(default=15, ge=1)
    login_client_attempts: int = Field(default=20, ge=1)  # per client address, any account
    # per account, from browsers it never signed in with, however many addresses they use
    login_unrecognised_attempts: int = Field(default=50, ge=1)
    dashboard_session_idle_minutes: int = Field(default=60, ge=1)
    dashboard_session_max_hours: int = Field(default=12, ge=1)
    # Addresses or networks of the reverse proxies whose X-Forwarded-For is believed (comma-
    # separated, e.g. 127.0.0.1,10.0.0.0/8); empty believes no one and uses the connecting address.
    trusted_proxies: str = ""
    small_group_threshold: int = Field(default=5, ge=2)
    # The largest file a dashboard upload accepts; every other request body is kept small.
    max_upload_mb: int = Field(default=10, ge=1)

    outbox_batch_size: int = Field(default=100, ge=1)
    outbox_max_attempts: int = Field(default=8, ge=1)
    # Renewed every third of itself while a worker holds the message, so it only has to outlast a
    # renewal; short, so a dead worker's messages come back within seconds.
    outbox_lease_seconds: int = Field(default=15, ge=5)

    def encryption_keys(self) -> list[str]:
        return [
            k.strip() for k in self.data_encryption_key.get_secret_value().split(",") if k.strip()
        ]

    @property
    def twilio_configured(self) -> bool:
        sender = self.twilio_from_number or self.twilio_messaging_service_sid
        return bool(
            self.twilio_account_sid and self.twilio_auth_token.get_secret_value() and sender
        )

    @property
    def whatsapp_configured(self) -> bool:
        sender = self.twilio_whatsapp_from or self.twilio_whatsapp_messaging_service_sid
        return bool(
            self.twilio_account_sid and self.twilio_auth_token.get_secret_value() and sender
        )

    @property
    def telegram_configured(self) -> bool:
        return bool(self.telegram_bot_token.get_secret_value())

    def names_in(self, language: str) -> dict[str, str]:
        """The council, the service and how to reach them, in `language` where given."""
        welsh = language == "cy"
        return {
            "council_name": (welsh and self.council_name_cy) or self.council_name,
            "service_name": (welsh and self.service_name_cy) or self.service_name,
            "contact_details": (welsh and self.contact_details_cy) or self.contact_details,
        }

    def safeguarding_reply_in(self, language: str) -> str:
        return self.safeguarding_reply_cy if language == "cy" else self.safeguarding_reply

    def safeguarding_sms_numbers(self) -> list[str]:
        return [n.strip() for n in self.safeguarding_sms_to.split(",") if n.strip()]

    def public_url(self, path: str) -> str:
        return self.public_base_url.rstrip("/") + path

    def trusted_proxy_list(self) -> list[str]:
        return [p.strip() for p in self.trusted_proxies.split(",") if p.strip()]

    def flow_path_list(self) -> list[str]:
        return [p.strip() for p in self.flow_paths.split(",") if p.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
