"""Hostile path and query parameters and form fields: every dashboard route answers 400 or 404 (or
its page), never a 5xx, always with the security headers; export file names cannot be forged."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote, unquote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.web.dashboard.web import CSRF_FIELD
from tests.bot.web.dashboard.conftest import Dash, post_form, token_from

ADMIN = "admin@council.example"
FILTER_PAGES = ["/", "/responses", "/coding", "/themes", "/report", "/exports", "/exports/download"]
BAD_FILTERS = [
    {"event": "99999999999999999999"},
    {"event": "2147483648"},
    {"event": "²"},
    {"event": "١"},  # an Arabic-Indic one: isdigit() is true, and int() reads it
    {"until": "9999-12-31"},
    {"since": "0001-01-01"},
    {"flow": "\x00"},
    {"area": "north\x00"},
    {"role": "parent\x1b[2J"},
]
HOSTILE = [
    "99999999999999999999",
    "2147483648",
    "9" * 5000,
    "-1",
    "0",
    "²",
    "١٢",
    "𝟙",
    "9999-12-31",
    "0001-01-01",
    "\x00",
    "x\x00y",
    'x"; filename="payload.html',
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "",
]
# Every name a dashboard page or form reads, and a few it does not.
NAMES = [
    *("event", "flow", "since", "until", "role", "area", "language", "channel", "status"),
    *("page", "step", "uncoded", "action", "layout", "format", "next", "sent", "update"),
    *("theme", "what", "owner", "date", "name", "description", "summary", "back", "reason"),
    *("email", "password", "areas", "active", "junk"),
    *("answer", "op", "select", "officer", "current_password", "new_password", "confirm"),
    *("title", "kind", "start", "end", "location", "delay", "reminder_1", "reminder_2"),
    *("expires",),
]


@pytest.fixture
def admin(dash: Dash) -> Iterator[httpx.Client]:
    dash.officer(ADMIN, "admin")
    with dash.login(ADMIN) as client:
        yield client


def secured(response: httpx.Response) -> httpx.Response:
    assert response.headers.get("x-content-type-options") == "nosniff", response.request.url
    assert "content-security-policy" in response.headers, response.request.url
    return response


@pytest.mark.parametrize("path", FILTER_PAGES)
def test_filters_out_of_range_or_unreadable_are_refused_with_400(
    admin: httpx.Client, path: str
) -> None:
    for params in BAD_FILTERS:
        response = secured(admin.get("/dashboard" + path, params=params))
        assert response.status_code == 400, (path, params, response.status_code)


def test_page_numbers_that_are_not_plain_numbers_show_the_first_page(admin: httpx.Client) -> None:
    for page in ("²", "99999999999999999999", "9" * 5000, "-3", "x"):
        for path in ("/responses", "/coding"):
            response = secured(admin.get("/dashboard" + path, params={"page": page}))
            assert response.status_code == 200, (path, page)


@pytest.mark.parametrize(
    "path",
    [
        "/responses/2147483648",
        "/responses/99999999999999999999",
        "/responses/" + "9" * 5000,
        "/events/2147483648/you-said",
        "/events/2147483648",
        "/events/2147483648/edit",
        "/events/2147483648/poster",
        "/events/2147483648/poster.pdf",
    ],
)
def test_ids_out_of_range_are_not_found(admin: httpx.Client, path: str) -> None:
    assert secured(admin.get("/dashboard" + path)).status_code == 404


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("/safeguarding/2147483648/ack", {}),
        ("/officers/99999999999999999999/active", {"active": "0"}),
        ("/actions/2147483648/status", {"status": "done"}),
        ("/coding/answers/2147483648", {"theme": "1"}),
        ("/events/2147483648/you-said", {"summary": "We did it."}),
        ("/events/2147483648/pause", {}),
        ("/events/2147483648/cancel", {"confirm": "yes"}),
    ],
)
def test_posts_to_ids_out_of_range_are_not_found(
    admin: httpx.Client, action: str, data: dict[str, str]
) -> None:
    response = post_form(admin, "/dashboard/", "/dashboard" + action, data)
    assert secured(response).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {"theme": "99999999999999999999", "what": "x"},
        {"theme": "²", "what": "x"},
        {"theme": "1", "what": "Ramps\x00", "date": "9999-12-31"},
    ],
)
def test_action_forms_with_bad_fields_are_refused_not_500(
    admin: httpx.Client, data: dict[str, str]
) -> None:
    response = post_form(admin, "/dashboard/actions", "/dashboard/actions", data)
    assert secured(response).status_code in (303, 400)


def test_control_characters_in_form_text_are_dropped(admin: httpx.Client, dash: Dash) -> None:
    data = {"flow": "post_event", "name": "Trans\x00port", "description": "Bus\x07es"}
    response = post_form(admin, "/dashboard/coding", "/dashboard/coding/themes", data)
    assert response.status_code == 303
    assert "Transport" in admin.get("/dashboard/coding", params={"flow": "post_event"}).text
    tagged = [("theme", "²"), ("theme", "99999999999999999999")]
    response = post_form(admin, "/dashboard/coding", "/dashboard/coding/answers/1", tagged)
    assert secured(response).status_code in (303, 400, 404)


def _filename(disposition: str) -> tuple[str, str]:
    match = re.fullmatch(
        r"attachment; filename=\"([A-Za-z0-9._-]+)\"; filename\*=UTF-8''([A-Za-z0-9%._~-]+)",
        disposition,
    )
    assert match, disposition
    return match.group(1), unquote(match.group(2))


@pytest.mark.parametrize("flow", ['x"; filename="payload.html', "Llŷr ✓", "a;b,c\\d", "x'y%41"])
def test_export_file_names_are_encoded_and_cannot_be_forged(admin: httpx.Client, flow: str) -> None:
    response = admin.get("/dashboard/exports/download", params={"flow": flow, "format": "csv"})
    assert response.status_code == 200
    fallback, name = _filename(response.headers["content-disposition"])
    assert name.startswith("sendvoice-wide-" + flow)
    assert name.endswith(".csv")
    assert fallback.startswith("sendvoice-wide-")
    assert fallback.endswith(".csv")


@pytest.mark.parametrize("flow", ["\x00", "x\r\nSet-Cookie: a=b"])
def test_an_export_with_control_characters_in_the_flow_is_refused_not_dropped(
    admin: httpx.Client, flow: str
) -> None:
    response = admin.get("/dashboard/exports/download", params={"flow": flow})
    assert secured(response).status_code == 400
    assert "a=b" not in response.headers.get("set-cookie", "")


def every_route(routes: list[BaseRoute], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path template) for every route of the app, mounts followed."""
    for route in routes:
        if isinstance(route, Mount) and isinstance(route.app, StaticFiles):
            yield "GET", prefix + route.path + "/{path}"
        elif isinstance(route, Mount):
            yield from every_route(route.routes, prefix + route.path)
        elif isinstance(route, Route):
            for method in sorted((route.methods or {"GET"}) - {"HEAD"}):
                yield method, prefix + route.path


PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


def _routes(dash: Dash) -> list[tuple[str, str]]:
    app = dash.server.server.config.app
    # Signing out would end the session the other examples need; it takes no parameters.
    return [r for r in every_route(app.routes) if r != ("POST", "/dashboard/logout")]


VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20), st.integers().map(str))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_no_route_gives_a_5xx_whatever_its_parameters(
    dash: Dash, admin: httpx.Client, data: st.DataObject
) -> None:
    method, template = data.draw(st.sampled_from(_routes(dash)), label="route")
    path = PARAM.sub(lambda m: quote(data.draw(VALUES, label=m.group(1)), safe=""), template)
    fields = data.draw(st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=5), label="fields")
    if method == "GET":
        response = admin.get(path, params=fields)
    else:
        token = token_from(admin.get("/dashboard/").text)
        response = admin.request(method, path, params=fields, data={**fields, CSRF_FIELD: token})
    assert response.status_code < 500, (method, path, fields, response.text[:200])
    secured(response)
