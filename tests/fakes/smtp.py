"""A local SMTP server (aiosmtpd) that keeps what it receives, and can be stopped to fake an outage."""

from __future__ import annotations

import time
from email import message_from_bytes
from email.message import Message
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller

from tests.serve import free_port


class _Keep:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted"


class FakeSmtp:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self._handler = _Keep()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[Message]:
        return list(self._handler.messages)

    def start(self) -> None:
        self._controller = Controller(self._handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Message]:
        deadline = time.monotonic() + timeout
        while len(self._handler.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self._handler.messages)} of {count} emails arrived")
            time.sleep(0.02)
        return self.messages

    def __enter__(self) -> FakeSmtp:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
