"""The real twilio client against the fake: what our SMS channel will see from Twilio."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
import requests
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from tests.fakes.twilio import Failure, FakeTwilio, inbound_sms_form, sign

TWILIO_API = "https://api.twilio.com"
PARENT = "+447700900123"
SENDER = "+447700900001"
SERVICE = "MG" + "a" * 32
Received = list[tuple[str, dict[str, str], dict[str, str]]]


class LocalHttpClient(TwilioHttpClient):  # type: ignore[misc]
    def __init__(self, base_url: str, timeout: float = 2.0) -> None:
        super().__init__(timeout=timeout)
        self.base_url = base_url

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        return super().request(method, url.replace(TWILIO_API, self.base_url, 1), *args, **kwargs)


@contextmanager
def twilio_client(
    fake: FakeTwilio, *, timeout: float = 2.0, token: str | None = None, **options: Any
) -> Iterator[Any]:
    http = LocalHttpClient(fake.base_url, timeout=timeout)
    try:
        yield Client(fake.account_sid, token or fake.auth_token, http_client=http, **options)
    finally:
        http.session.close()


@pytest.fixture
def fake() -> Iterator[FakeTwilio]:
    with FakeTwilio() as running:
        yield running


@pytest.fixture
def client(fake: FakeTwilio) -> Iterator[Any]:
    with twilio_client(fake) as twilio:
        yield twilio


def send(
    client: Any, to: str = PARENT, body: str = "Hello from the SEND team", **extra: Any
) -> Any:
    return client.messages.create(to=to, from_=SENDER, body=body, **extra)


@contextmanager
def callback_inbox() -> Iterator[tuple[str, Received]]:
    received: Received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers["Content-Length"])).decode()
            form = dict(parse_qsl(raw, keep_blank_values=True))
            received.append((self.path, form, dict(self.headers.items())))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_create_is_accepted_in_twilios_shape_and_recorded(fake: FakeTwilio, client: Any) -> None:
    created = send(client, status_callback="http://127.0.0.1:9/status")

    [sent] = fake.messages
    assert created.sid == sent.sid
    assert sent.sid.startswith("SM")
    assert len(sent.sid) == 34
    assert (sent.to, sent.from_, sent.messaging_service_sid) == (PARENT, SENDER, None)
    assert sent.body == "Hello from the SEND team"
    assert sent.status_callback == "http://127.0.0.1:9/status"
    assert created.status == "queued"
    assert created.direction == "outbound-api"
    raw = json.loads(client.http_client._test_only_last_response.text)
    assert raw["num_segments"] == "1"
    assert raw["error_code"] is None
    assert raw["price"] is None
    assert raw["api_version"] == "2010-04-01"
    assert raw["uri"] == f"/2010-04-01/Accounts/{fake.account_sid}/Messages/{sent.sid}.json"
    assert parsedate_to_datetime(raw["date_created"]).utcoffset() is not None
    [request] = fake.requests
    assert request.method == "POST"
    assert request.status == 201
    assert request.form["To"] == PARENT


def test_each_create_gets_its_own_sid(fake: FakeTwilio, client: Any) -> None:
    sids = {send(client).sid for _ in range(5)}

    assert len(sids) == 5
    assert [m.sid for m in fake.messages] == [m.sid for m in fake.wait_for(5)]


def test_messaging_service_sends_are_accepted_without_a_sender(
    fake: FakeTwilio, client: Any
) -> None:
    created = client.messages.create(to=PARENT, messaging_service_sid=SERVICE, body="Hi")

    [sent] = fake.messages
    assert (sent.from_, sent.messaging_service_sid) == (None, SERVICE)
    assert created.status == "accepted"


@pytest.mark.parametrize(
    ("body", "segments"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("ŵ" * 70, 1),  # Welsh: not in GSM-7, so the 70-character UCS-2 limit applies
        ("ŵ" * 71, 2),
    ],
)
def test_segments_are_counted_like_a_phone(client: Any, body: str, segments: int) -> None:
    assert send(client, body=body).num_segments == str(segments)


@pytest.mark.parametrize(
    ("failure", "status", "code"),
    [
        (Failure.server_error(), 500, 20500),
        (Failure.too_many_requests(), 429, 20429),
        (Failure.unsubscribed(), 400, 21610),
        (Failure.invalid_number(), 400, 21211),
        (Failure.landline(), 400, 21614),
    ],
    ids=lambda value: getattr(value, "kind", str(value)),
)
def test_each_failure_raises_twilios_error_once(
    fake: FakeTwilio, client: Any, failure: Failure, status: int, code: int
) -> None:
    fake.fail_next(failure)

    with pytest.raises(TwilioRestException) as raised:
        send(client)

    assert (raised.value.status, raised.value.code) == (status, code)
    assert fake.messages == []
    send(client)
    assert len(fake.messages) == 1


def test_queued_failures_apply_in_order(fake: FakeTwilio, client: Any) -> None:
    fake.fail_next(Failure.server_error(), Failure.landline())

    codes: list[int | None] = []
    for _ in range(3):
        try:
            send(client)
            codes.append(None)
        except TwilioRestException as exc:
            codes.append(exc.code)

    assert codes == [20500, 21614, None]


def test_slow_answer_within_the_client_timeout_succeeds(fake: FakeTwilio, client: Any) -> None:
    fake.fail_next(Failure.slow(0.3))

    started = time.monotonic()
    send(client)

    assert time.monotonic() - started >= 0.3
    assert len(fake.messages) == 1


def test_slow_answer_past_the_client_timeout_still_sends(fake: FakeTwilio) -> None:
    fake.fail_next(Failure.slow(0.4))

    with twilio_client(fake, timeout=0.1) as impatient, pytest.raises(requests.ReadTimeout):
        send(impatient)

    # Twilio took the message even though we gave up waiting: a blind retry sends it twice.
    assert [m.to for m in fake.wait_for(1, timeout=2)] == [PARENT]


def test_a_hung_request_times_out_and_stop_ends_it(fake: FakeTwilio) -> None:
    fake.fail_next(Failure.timeout())

    with twilio_client(fake, timeout=0.2) as impatient, pytest.raises(requests.ReadTimeout):
        send(impatient)

    assert fake.messages == []
    assert fake.requests[-1].status is None
    started = time.monotonic()
    fake.stop()
    assert time.monotonic() - started < 1


def test_opted_out_number_is_refused_with_21610(fake: FakeTwilio, client: Any) -> None:
    fake.opt_out(PARENT)

    with pytest.raises(TwilioRestException) as raised:
        send(client)
    send(client, to="+447700900456")

    assert (raised.value.status, raised.value.code) == (400, 21610)
    assert [m.to for m in fake.messages] == ["+447700900456"]


def test_wrong_auth_token_is_refused_with_20003(fake: FakeTwilio) -> None:
    with (
        twilio_client(fake, token="not-the-token") as wrong,
        pytest.raises(TwilioRestException) as raised,
    ):
        send(wrong)

    assert (raised.value.status, raised.value.code) == (401, 20003)
    assert fake.messages == []
    assert [r.status for r in fake.requests] == [401]


def test_another_accounts_messages_are_not_found(fake: FakeTwilio) -> None:
    with (
        twilio_client(fake, account_sid="AC" + "1" * 32) as other,
        pytest.raises(TwilioRestException) as raised,
    ):
        send(other)

    assert (raised.value.status, raised.value.code) == (404, 20404)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"to": PARENT, "from_": SENDER}, 21602),
        ({"to": PARENT, "body": "Hi"}, 21603),
        ({"to": "07700900123", "from_": SENDER, "body": "Hi"}, 21211),
        ({"to": PARENT, "from_": SENDER, "body": "a" * 1601}, 21617),
    ],
    ids=["no-body", "no-sender", "not-e164", "too-long"],
)
def test_requests_twilio_would_refuse_are_refused(
    fake: FakeTwilio, client: Any, kwargs: dict[str, str], code: int
) -> None:
    with pytest.raises(TwilioRestException) as raised:
        client.messages.create(**kwargs)

    assert (raised.value.status, raised.value.code) == (400, code)
    assert fake.messages == []


def test_missing_to_and_unknown_paths_get_twilios_error_bodies(fake: FakeTwilio) -> None:
    auth = (fake.account_sid, fake.auth_token)
    base = f"{fake.base_url}/2010-04-01/Accounts/{fake.account_sid}"
    with httpx.Client(auth=auth, trust_env=False) as http:
        no_to = http.post(f"{base}/Messages.json", data={"From": SENDER, "Body": "Hi"})
        unknown = http.get(f"{base}/Calls.json")

    assert no_to.status_code == 400
    assert no_to.json()["code"] == 21604
    assert unknown.json() == {
        "code": 20404,
        "message": f"The requested resource /2010-04-01/Accounts/{fake.account_sid}/Calls.json"
        " was not found",
        "more_info": "https://www.twilio.com/docs/errors/20404",
        "status": 404,
    }


def test_rate_limit_refuses_and_counts_the_excess(fake: FakeTwilio, client: Any) -> None:
    fake.rate_limit = 3

    codes: list[tuple[int, int]] = []
    for _ in range(5):
        try:
            send(client)
        except TwilioRestException as exc:
            codes.append((exc.status, exc.code))

    assert codes == [(429, 20429), (429, 20429)]
    assert fake.over_limit == 2
    assert len(fake.messages) == 3


def test_rate_limit_window_slides(fake: FakeTwilio, client: Any) -> None:
    fake.rate_limit, fake.rate_window = 10, 0.2  # two per 0.2 s

    send(client)
    send(client)
    with pytest.raises(TwilioRestException):
        send(client)
    time.sleep(0.25)
    send(client)

    assert (len(fake.messages), fake.over_limit) == (3, 1)


def outcomes(seed: int) -> tuple[list[int | None], int]:
    with FakeTwilio() as fake, twilio_client(fake) as client:
        fake.fail_rate(0.5, [Failure.server_error(), Failure.unsubscribed()], seed=seed)
        codes: list[int | None] = []
        for _ in range(30):
            try:
                send(client)
                codes.append(None)
            except TwilioRestException as exc:
                codes.append(exc.code)
        return codes, len(fake.messages)


def test_random_failures_repeat_with_the_same_seed() -> None:
    codes, accepted = outcomes(seed=7)

    assert outcomes(seed=7) == (codes, accepted)
    assert {None, 20500, 21610} == set(codes)
    assert accepted == codes.count(None)
    assert outcomes(seed=8)[0] != codes


def test_fetch_shows_the_latest_delivered_status(fake: FakeTwilio, client: Any) -> None:
    with callback_inbox() as (inbox, _):
        sid = send(client, status_callback=f"{inbox}/status").sid
        assert client.messages(sid).fetch().status == "queued"
        fake.deliver_status(sid, "undelivered", error_code="30003")

    fetched = client.messages(sid).fetch()
    assert (fetched.status, fetched.error_code) == ("undelivered", 30003)
    with pytest.raises(TwilioRestException) as raised:
        client.messages("SM" + "f" * 32).fetch()
    assert (raised.value.status, raised.value.code) == (404, 20404)


def test_status_callbacks_are_signed_like_twilio(fake: FakeTwilio, client: Any) -> None:
    with callback_inbox() as (inbox, received):
        url = f"{inbox}/webhooks/twilio/status?attempt=1"
        sid = send(client, status_callback=url).sid
        answered = fake.deliver_status(sid, "delivered")
        fake.deliver_status(sid, "failed", error_code="30006")

    assert answered == 204
    [(path, delivered, headers), (_, failed, failed_headers)] = received
    assert path == "/webhooks/twilio/status?attempt=1"
    assert delivered["MessageSid"] == delivered["SmsSid"] == sid
    assert delivered["MessageStatus"] == delivered["SmsStatus"] == "delivered"
    assert (delivered["From"], delivered["To"]) == (SENDER, PARENT)
    assert delivered["AccountSid"] == fake.account_sid
    assert "ErrorCode" not in delivered
    assert failed["ErrorCode"] == "30006"
    validator = RequestValidator(fake.auth_token)
    assert validator.validate(url, delivered, headers["X-Twilio-Signature"])
    assert validator.validate(url, failed, failed_headers["X-Twilio-Signature"])
    assert not RequestValidator("other").validate(url, delivered, headers["X-Twilio-Signature"])


def test_callbacks_can_be_signed_for_the_public_url(fake: FakeTwilio, client: Any) -> None:
    public = "https://sendvoice.example.org/webhooks/twilio/status"
    sid = send(client, status_callback=public).sid

    with callback_inbox() as (inbox, received):
        fake.deliver_status(sid, "sent", url=f"{inbox}/webhooks/twilio/status", sign_as=public)

    [(_, form, headers)] = received
    assert RequestValidator(fake.auth_token).validate(public, form, headers["X-Twilio-Signature"])


def test_callbacks_never_leave_the_machine(fake: FakeTwilio, client: Any) -> None:
    sid = send(client, status_callback="https://sendvoice.example.org/status").sid

    with pytest.raises(AssertionError, match="loopback"):
        fake.deliver_status(sid, "delivered")
    with pytest.raises(AssertionError, match="loopback"):
        fake.deliver_status(sid, "delivered", url="http://10.0.0.1/status")


async def test_async_callback_reaches_an_app_in_the_same_loop(
    fake: FakeTwilio, client: Any
) -> None:
    verdicts: list[bool] = []

    async def status(request: Request) -> Response:
        form = await request.form()
        params = {k: v for k, v in form.items() if isinstance(v, str)}
        signature = request.headers.get("x-twilio-signature", "")
        verdicts.append(
            RequestValidator(fake.auth_token).validate(str(request.url), params, signature)
        )
        return Response(status_code=204 if verdicts[-1] else 403)

    app = Starlette(routes=[Route("/webhooks/twilio/status", status, methods=["POST"])])
    url = "http://127.0.0.1/webhooks/twilio/status"
    created = await asyncio.to_thread(send, client, status_callback=url)
    [sent] = await fake.wait_for_async(1)

    answered = await fake.deliver_status_async(
        sent.sid, "delivered", transport=httpx.ASGITransport(app=app)
    )

    assert sent.sid == created.sid
    assert (answered, verdicts) == (204, [True])


async def test_wait_for_async_gives_up_at_its_timeout(fake: FakeTwilio) -> None:
    with pytest.raises(TimeoutError):
        await fake.wait_for_async(1, timeout=0.05)


def test_wait_for_gives_up_at_its_timeout(fake: FakeTwilio) -> None:
    with pytest.raises(TimeoutError, match="0 of 1"):
        fake.wait_for(1, timeout=0.05)


def test_reset_forgets_messages_and_behaviours(fake: FakeTwilio, client: Any) -> None:
    send(client)
    fake.opt_out(PARENT)
    fake.fail_next(Failure.server_error())
    fake.rate_limit = 0

    fake.reset()
    send(client)

    assert len(fake.messages) == 1
    assert len(fake.requests) == 1
    assert fake.over_limit == 0


def test_stop_leaves_no_threads_even_with_a_pooled_connection() -> None:
    before = set(threading.enumerate())
    fake = FakeTwilio()
    fake.start()
    with twilio_client(fake) as client:
        send(client)  # the session keeps this connection open for reuse
        fake.stop()

    assert set(threading.enumerate()) == before


def test_inbound_form_is_what_twilio_posts_and_signs() -> None:
    token, url = "secret-token", "https://sendvoice.example.org/webhooks/twilio/sms"
    form = inbound_sms_form(from_=PARENT, to=SENDER, body="Yes please " * 16, num_media=2)
    other = inbound_sms_form(from_=PARENT, to=SENDER, body="STOP")

    assert form["MessageSid"] == form["SmsSid"] == form["SmsMessageSid"]
    assert form["MessageSid"].startswith("SM")
    assert form["MessageSid"] != other["MessageSid"]
    assert (form["From"], form["To"], form["FromCountry"]) == (PARENT, SENDER, "GB")
    assert (form["NumMedia"], form["NumSegments"], other["NumSegments"]) == ("2", "2", "1")
    assert form["MediaUrl1"].startswith("https://")
    assert form["MediaContentType0"] == "image/jpeg"
    assert form["AccountSid"] == "AC" + "0" * 32
    validator = RequestValidator(token)
    assert validator.validate(url, form, sign(token, url, form))
    assert not validator.validate(url, {**form, "Body": "No"}, sign(token, url, form))
    assert not validator.validate(url, form, sign("other-token", url, form))


def test_inbound_form_keeps_a_given_sid() -> None:
    form = inbound_sms_form(from_=PARENT, to=SENDER, body="1", sid="SM" + "2" * 32)

    assert form["MessageSid"] == "SM" + "2" * 32
    assert "MediaUrl0" not in form
