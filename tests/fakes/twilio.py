"""A Twilio Messages API on 127.0.0.1 that speaks the real wire format, for the real twilio client."""

from __future__ import annotations

import asyncio
import random
import re
import threading
import time
from collections import deque
from collections.abc import Sequence
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

import httpx

from tests.fakes.twilio_http import (
    Handler,
    LocalServer,
    RecordedRequest,
    Reply,
    basic_auth_matches,
    error_reply,
    read_request,
    send_reply,
)
from tests.fakes.twilio_webhooks import (
    Callback,
    inbound_sms_form,
    require_loopback,
    sign,
    signed_status_callback,
)
from tests.fakes.twilio_whatsapp import (
    Content,
    WhatsAppState,
    bare,
    inbound_whatsapp_form,
)
from tests.fakes.twilio_wire import (
    API_VERSION,
    BODY_TOO_LONG,
    DEFAULT_ACCOUNT_SID,
    DEFAULT_AUTH_TOKEN,
    E164,
    MAX_BODY,
    MISSING_BODY,
    MISSING_FROM,
    MISSING_TO,
    TOO_MANY_REQUESTS,
    UNAUTHORIZED,
    UNSUBSCRIBED,
    Failure,
    FailureKind,
    SentMessage,
    TwilioError,
    invalid_number,
    message_resource,
    new_sid,
    not_found,
    num_segments,
)

__all__ = [
    "DEFAULT_ACCOUNT_SID",
    "DEFAULT_AUTH_TOKEN",
    "Callback",
    "Failure",
    "FailureKind",
    "FakeTwilio",
    "RecordedRequest",
    "SentMessage",
    "TwilioError",
    "inbound_sms_form",
    "inbound_whatsapp_form",
    "require_loopback",
    "sign",
]

_MESSAGES = re.compile(rf"/{API_VERSION}/Accounts/(?P<account>[^/]+)/Messages\.json")
_MESSAGE = re.compile(rf"/{API_VERSION}/Accounts/(?P<account>[^/]+)/Messages/(?P<sid>[^/]+)\.json")
_HANG_SECONDS = 30.0


class FakeTwilio:
    def __init__(
        self, account_sid: str = DEFAULT_ACCOUNT_SID, auth_token: str = DEFAULT_AUTH_TOKEN
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self._cond = threading.Condition()
        self._stopping = threading.Event()
        self._server: LocalServer | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""
        self.reset()

    # lifecycle

    def start(self) -> None:
        if self._server is not None:
            raise RuntimeError("the fake Twilio is already running")
        self._stopping.clear()
        self._server = LocalServer(self._serve)
        port = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="fake-twilio",
        )
        self._thread.start()

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self._stopping.set()
        server.shutdown()
        server.disconnect_all()
        server.server_close()
        thread.join()
        self._server = self._thread = None

    def __enter__(self) -> FakeTwilio:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # behaviour

    def reset(self) -> None:
        with self._cond:
            self._messages: list[SentMessage] = []
            self._by_sid: dict[str, SentMessage] = {}
            self._status: dict[str, tuple[str, float, int | None]] = {}
            self._requests: list[RecordedRequest] = []
            self._failures: deque[Failure] = deque()
            self._random: tuple[random.Random, float, tuple[Failure, ...]] | None = None
            self._opted_out: set[str] = set()
            self.whatsapp = WhatsAppState()
            self._admitted: deque[float] = deque()
            self.rate_limit: float | None = None
            self.rate_window = 1.0
            self.over_limit = 0

    def fail_next(self, *failures: Failure) -> None:
        with self._cond:
            self._failures.extend(failures)

    def fail_rate(self, fraction: float, kinds: Sequence[Failure], seed: int = 0) -> None:
        if not 0.0 <= fraction <= 1.0:
            raise ValueError("fraction must be between 0 and 1")
        if fraction and not kinds:
            raise ValueError("name at least one kind of failure")
        with self._cond:
            self._random = (random.Random(seed), fraction, tuple(kinds)) if fraction else None

    # WhatsApp

    def whatsapp_message(self, *, from_: str, to: str, body: str, **kw: str) -> dict[str, str]:
        """A person's WhatsApp message (its form, to sign and post): it opens their window."""
        with self._cond:
            self.whatsapp.last_inbound[bare(from_)] = time.time()
        return inbound_whatsapp_form(from_=from_, to=to, body=body, **kw)

    def close_window(self, number: str) -> None:
        with self._cond:
            self.whatsapp.last_inbound.pop(bare(number), None)

    def not_on_whatsapp(self, number: str) -> None:
        with self._cond:
            self.whatsapp.not_on_whatsapp.add(bare(number))

    def add_content(
        self, sid: str, kind: str = "twilio/quick-reply", *, approved: bool = False
    ) -> None:
        with self._cond:
            self.whatsapp.contents[sid] = Content(sid, kind, approved)

    def opt_out(self, number: str) -> None:
        with self._cond:
            self._opted_out.add(number)

    @property
    def messages(self) -> list[SentMessage]:
        with self._cond:
            return list(self._messages)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._cond:
            return list(self._requests)

    def status_of(self, sid: str) -> str:
        with self._cond:
            return self._status[sid][0]

    def wait_for(self, count: int, timeout: float = 5.0) -> list[SentMessage]:
        with self._cond:
            if not self._cond.wait_for(lambda: len(self._messages) >= count, timeout):
                raise TimeoutError(f"{len(self._messages)} of {count} messages after {timeout}s")
            return list(self._messages)

    async def wait_for_async(self, count: int, timeout: float = 5.0) -> list[SentMessage]:
        deadline = time.monotonic() + timeout
        while len(messages := self.messages) < count:
            if time.monotonic() >= deadline:
                raise TimeoutError(f"{len(messages)} of {count} messages after {timeout}s")
            await asyncio.sleep(0.005)
        return messages

    # status callbacks

    def status_callback(
        self,
        sid: str,
        status: str,
        *,
        error_code: str | None = None,
        url: str | None = None,
        sign_as: str | None = None,
    ) -> Callback:
        """The signed callback Twilio would POST; also what a later fetch of the message shows."""
        with self._cond:
            message = self._by_sid[sid]
            target = url or message.status_callback
            if target is None:
                raise ValueError(f"message {sid} has no StatusCallback; pass url=")
            callback = signed_status_callback(
                message,
                status=status,
                account_sid=self.account_sid,
                auth_token=self.auth_token,
                url=target,
                sign_as=sign_as,
                error_code=error_code,
            )
            code = int(error_code) if error_code and error_code.isdigit() else None
            self._status[sid] = (status, time.time(), code)
            return callback

    def deliver_status(
        self,
        sid: str,
        status: str,
        *,
        error_code: str | None = None,
        url: str | None = None,
        sign_as: str | None = None,
    ) -> int:
        callback = self.status_callback(
            sid, status, error_code=error_code, url=url, sign_as=sign_as
        )
        with httpx.Client(timeout=5.0, trust_env=False) as client:
            response = client.post(callback.url, data=callback.form, headers=callback.headers)
        return response.status_code

    async def deliver_status_async(
        self,
        sid: str,
        status: str,
        *,
        error_code: str | None = None,
        url: str | None = None,
        sign_as: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> int:
        """As deliver_status, without blocking an event loop that may be serving the app itself."""
        callback = self.status_callback(
            sid, status, error_code=error_code, url=url, sign_as=sign_as
        )
        async with httpx.AsyncClient(timeout=5.0, trust_env=False, transport=transport) as client:
            response = await client.post(callback.url, data=callback.form, headers=callback.headers)
        return response.status_code

    # the HTTP side

    def _serve(self, handler: Handler) -> None:
        request, fields = read_request(handler)
        with self._cond:
            self._requests.append(request)
        reply = self._route(handler, request, fields)
        if reply is None:
            handler.close_connection = True
            return
        with self._cond:
            request.status = reply.status
        send_reply(handler, reply)

    def _route(
        self, handler: Handler, request: RecordedRequest, fields: dict[str, list[str]]
    ) -> Reply | None:
        path = urlsplit(request.path).path
        authorization = handler.headers.get("Authorization")
        if not basic_auth_matches(authorization, self.account_sid, self.auth_token):
            return error_reply(UNAUTHORIZED, detail="Your AccountSid or AuthToken was incorrect.")
        posted = _MESSAGES.fullmatch(path) if request.method == "POST" else None
        if posted and posted["account"] == self.account_sid:
            return self._create(request.form, fields)
        listed = _MESSAGES.fullmatch(path) if request.method == "GET" else None
        if listed and listed["account"] == self.account_sid:
            return self._list(request)
        fetched = _MESSAGE.fullmatch(path) if request.method == "GET" else None
        if fetched and fetched["account"] == self.account_sid:
            with self._cond:
                if (message := self._by_sid.get(fetched["sid"])) is not None:
                    status, updated_at, code = self._status[message.sid]
                    return Reply(
                        200,
                        message_resource(
                            message,
                            self.account_sid,
                            status=status,
                            updated_at=updated_at,
                            error_code=code,
                        ),
                    )
        return error_reply(not_found(path))

    def _list(self, request: RecordedRequest) -> Reply:
        """Messages.json list, newest first, filtered by To / From like Twilio's (one page)."""
        query = parse_qs(urlsplit(request.path).query)
        to = query.get("To", [None])[0]
        from_ = query.get("From", [None])[0]
        size = int(query.get("PageSize", ["50"])[0])
        with self._cond:
            found = [
                m
                for m in reversed(self._messages)
                if (to is None or m.to == to) and (from_ is None or m.from_ == from_)
            ][:size]
            resources = [
                message_resource(
                    m,
                    self.account_sid,
                    status=self._status[m.sid][0],
                    updated_at=self._status[m.sid][1],
                    error_code=self._status[m.sid][2],
                )
                for m in found
            ]
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages.json"
        return Reply(
            200,
            {
                "messages": resources,
                "page": 0,
                "page_size": size,
                "first_page_uri": uri,
                "next_page_uri": None,
                "previous_page_uri": None,
                "uri": uri,
                "start": 0,
                "end": max(len(resources) - 1, 0),
            },
        )

    def _next_failure(self) -> Failure | None:
        with self._cond:
            if self._failures:
                return self._failures.popleft()
            if self._random is not None:
                rng, fraction, kinds = self._random
                if rng.random() < fraction:
                    return rng.choice(kinds)
            return None

    def _create(self, form: dict[str, str], fields: dict[str, list[str]]) -> Reply | None:
        to = form.get("To", "")
        failure = self._next_failure()
        if failure is not None:
            if failure.kind is FailureKind.TIMEOUT:
                self._stopping.wait(_HANG_SECONDS)
                return None
            if (error := failure.error(to)) is not None:
                return error_reply(error)
        with self._cond:
            if self._over_rate_limit():
                self.over_limit += 1
                return error_reply(TOO_MANY_REQUESTS)
            if (refusal := self._refusal(form, fields)) is not None:
                return error_reply(refusal)
            message = SentMessage(
                sid=new_sid("SM"),
                to=to,
                from_=form.get("From") or None,
                messaging_service_sid=form.get("MessagingServiceSid") or None,
                body=form.get("Body", ""),
                status_callback=form.get("StatusCallback") or None,
                num_segments=num_segments(form.get("Body", "")),
                received_at=time.time(),
                media_urls=tuple(fields.get("MediaUrl", ())),
                form=form,
            )
            # Through a messaging service Twilio has not yet picked a sender, so it only "accepts".
            status = "queued" if message.from_ else "accepted"
            self._messages.append(message)
            self._by_sid[message.sid] = message
            self._status[message.sid] = (status, message.received_at, None)
            self._cond.notify_all()
        # A slow answer: the message is accepted at once, and only the reply is late (as when
        # Twilio is slow or the network drops the response), so a client that gives up has in
        # fact sent it.
        slow = failure is not None and failure.kind is FailureKind.SLOW
        if slow and failure is not None and self._stopping.wait(failure.delay):
            return None
        return Reply(
            201,
            message_resource(
                message, self.account_sid, status=status, updated_at=message.received_at
            ),
        )

    def _over_rate_limit(self) -> bool:
        if self.rate_limit is None:
            return False
        now = time.monotonic()
        while self._admitted and self._admitted[0] <= now - self.rate_window:
            self._admitted.popleft()
        # rate_limit is per second; a test may shorten the window to see it slide quickly.
        if len(self._admitted) >= self.rate_limit * self.rate_window:
            return True
        self._admitted.append(now)
        return False

    def _refusal(self, form: dict[str, str], fields: dict[str, list[str]]) -> TwilioError | None:
        to, body = form.get("To", ""), form.get("Body", "")
        if not to:
            return MISSING_TO
        if not (form.get("From") or form.get("MessagingServiceSid")):
            return MISSING_FROM
        if not (body or fields.get("MediaUrl") or form.get("ContentSid")):
            return MISSING_BODY
        if len(body) > MAX_BODY:
            return BODY_TOO_LONG
        if not E164.fullmatch(bare(to)):
            return invalid_number(to)
        if bare(to) in self._opted_out:
            return UNSUBSCRIBED
        return self.whatsapp.refusal(form)
