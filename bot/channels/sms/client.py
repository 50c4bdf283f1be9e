"""A twilio HttpClient that can point the real client at another base URL (a local fake, a gateway)."""

from __future__ import annotations

from typing import Any

from requests.adapters import HTTPAdapter
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response

TWILIO_API = "https://api.twilio.com"


class BaseUrlHttpClient(TwilioHttpClient):  # type: ignore[misc]
    def __init__(
        self, base_url: str = TWILIO_API, *, timeout: float = 15.0, pool_size: int = 10
    ) -> None:
        super().__init__(timeout=timeout, max_retries=0)
        self.base_url = base_url.rstrip("/")
        if self.session is not None:
            # One kept-alive connection per send in flight: a smaller pool opens and drops a
            # connection for each send beyond it. TwilioHttpClient mounts its pool on https only;
            # a plain-http base (a local fake) needs one too.
            adapter = HTTPAdapter(max_retries=0, pool_maxsize=pool_size)
            self.session.mount("https://", adapter)
            self.session.mount("http://", adapter)

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        if self.base_url != TWILIO_API and url.startswith(TWILIO_API):
            url = self.base_url + url[len(TWILIO_API) :]
        return super().request(method, url, *args, **kwargs)
