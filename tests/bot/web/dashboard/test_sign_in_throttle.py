"""Failed sign-ins are throttled per client address and per account from one address, so that
whoever knows an officer's email cannot lock the officer out."""

from __future__ import annotations

import asyncio
import ipaddress
from datetime import timedelta

import httpx
from hypothesis import given
from hypothesis import strategies as st
from starlette.requests import Request

from bot.clock import FrozenClock
from bot.services import build_services
from bot.web.dashboard.web import client_address
from storage import audit
from tests.bot.web.dashboard.conftest import (
    PASSWORD,
    Dash,
    client_at,
    dashboard_app,
    dashboard_settings,
    open_bare_dash,
    sign_in,
)
from tests.bot.web.dashboard.seed import EVENT_START
from tests.live import LiveServer

ADMIN = "admin@council.example"
ATTACKER = "203.0.113.9"
OFFICE = "198.51.100.20"
WRONG = "not the password at all"
FROM_HERE = "Too many sign-in attempts from here. Wait 15 minutes and try again."


def test_an_attacker_who_knows_the_email_cannot_lock_the_officer_out(bare_dash: Dash) -> None:
    admin_id = bare_dash.officer(ADMIN, "admin")
    attacker = client_at(bare_dash, ATTACKER)
    for _ in range(12):
        assert sign_in(attacker, ADMIN, WRONG).status_code == 401
    assert sign_in(attacker, ADMIN).status_code == 401  # locked, for the attacker's address
    office = client_at(bare_dash, OFFICE)
    assert sign_in(office, ADMIN).status_code == 303
    assert office.get("/dashboard/officers").status_code == 200
    with bare_dash.services.session_factory() as s:
        locks = audit.recent(s, action="login_locked")
    # Locked once, from the attacker's address: tries during the lock do not extend it.
    assert [e.actor for e in locks] == [f"officer:{admin_id}"]


def test_an_officer_who_mistypes_is_locked_out_only_where_they_mistyped(bare_dash: Dash) -> None:
    bare_dash.officer(ADMIN, "admin")
    desk = client_at(bare_dash, OFFICE)
    for _ in range(5):
        assert sign_in(desk, ADMIN, WRONG).status_code == 401
    locked = sign_in(desk, ADMIN)
    assert locked.status_code == 401
    assert "After 5 wrong tries an account is locked here for 15 minutes." in locked.text
    bare_dash.clock.advance(timedelta(minutes=14))
    assert sign_in(desk, ADMIN).status_code == 401
    bare_dash.clock.advance(timedelta(minutes=1))
    assert sign_in(desk, ADMIN).status_code == 303


def test_one_address_trying_many_accounts_is_throttled_with_a_clear_page(bare_dash: Dash) -> None:
    bare_dash.officer(ADMIN, "admin")
    attacker = client_at(bare_dash, ATTACKER)
    for i in range(19):
        email = ADMIN if i % 4 == 0 else f"guess{i}@council.example"
        assert sign_in(attacker, email, WRONG).status_code == 401, i
    twentieth = sign_in(attacker, "guess20@council.example", WRONG)
    assert twentieth.status_code == 429
    assert FROM_HERE in twentieth.text
    assert twentieth.headers["retry-after"] == "900"
    assert "default-src 'none'" in twentieth.headers["content-security-policy"]
    right = sign_in(attacker, ADMIN)  # even the right password: no guess is checked from here
    assert right.status_code == 429
    bare_dash.clock.advance(timedelta(minutes=10))
    assert "Wait 5 minutes" in sign_in(attacker, ADMIN).text
    assert sign_in(client_at(bare_dash, OFFICE), ADMIN).status_code == 303
    bare_dash.clock.advance(timedelta(minutes=5))
    assert sign_in(attacker, ADMIN).status_code == 303


def test_a_success_does_not_reset_the_addresss_count(bare_dash: Dash) -> None:
    bare_dash.officer("insider@council.example", "viewer")
    insider = client_at(bare_dash, ATTACKER)
    for i in range(19):
        assert sign_in(insider, f"guess{i}@council.example", WRONG).status_code == 401
        if i % 3 == 0:
            assert sign_in(insider, "insider@council.example").status_code == 303
            insider.cookies.clear()
    assert sign_in(insider, "guess@council.example", WRONG).status_code == 429


def test_an_ipv6_client_is_counted_by_its_64(bare_dash: Dash) -> None:
    bare_dash.officer(ADMIN, "admin")
    for i in range(20):
        hopping = client_at(bare_dash, f"2001:db8:1:2::{i + 1:x}")
        sign_in(hopping, f"guess{i}@council.example", WRONG)
    assert sign_in(client_at(bare_dash, "2001:db8:1:2::ffff"), ADMIN).status_code == 429
    assert sign_in(client_at(bare_dash, "2001:db8:1:3::1"), ADMIN).status_code == 303


def test_forwarded_addresses_count_only_from_a_trusted_proxy(database_url: str) -> None:
    # No TRUSTED_PROXIES: X-Forwarded-For is the attacker's to write, so it is not believed.
    services = build_services(
        dashboard_settings(database_url), clock=FrozenClock(EVENT_START), senders={}
    )
    try:
        with LiveServer(dashboard_app(services)) as server:
            for i in range(20):
                with httpx.Client(
                    base_url=server.base_url, headers={"X-Forwarded-For": f"192.0.2.{i}"}
                ) as client:
                    sign_in(client, f"guess{i}@council.example", WRONG)
            with httpx.Client(
                base_url=server.base_url, headers={"X-Forwarded-For": "192.0.2.200"}
            ) as client:
                assert sign_in(client, "guess@council.example", PASSWORD).status_code == 429
    finally:
        asyncio.run(services.aclose())
        services.close()


def _request(host: str, forwarded: str | None = None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request({"type": "http", "client": (host, 5000), "headers": headers})


@given(st.ip_addresses(v=6), st.integers(min_value=0, max_value=2**64 - 1))
def test_every_address_in_one_ipv6_64_is_one_client(address: object, low: int) -> None:
    assert isinstance(address, ipaddress.IPv6Address)
    if address.ipv4_mapped is not None:
        return
    neighbour = ipaddress.IPv6Address((int(address) >> 64 << 64) | low)
    assert client_address(_request(str(address))) == client_address(_request(str(neighbour)))
    assert client_address(_request(str(address))).endswith("/64")


@given(st.ip_addresses(v=4))
def test_an_ipv4_client_is_its_own_address(address: object) -> None:
    assert client_address(_request(str(address))) == str(address)
    assert client_address(_request(f"::ffff:{address}")) == str(address)


def test_guesses_from_many_addresses_close_the_account_to_strange_browsers_only(
    database_url: str,
) -> None:
    with open_bare_dash(database_url, login_unrecognised_attempts=12) as dash:
        _botnet_locks_out_strangers_only(dash)


def _botnet_locks_out_strangers_only(bare_dash: Dash) -> None:
    admin_id = bare_dash.officer(ADMIN, "admin")
    laptop = client_at(bare_dash, OFFICE)
    signed = sign_in(laptop, ADMIN)
    assert signed.status_code == 303
    assert "sendvoice_device=" in signed.headers["set-cookie"]
    assert "path=/dashboard/login" in signed.headers["set-cookie"].lower()
    for i in range(12):  # a botnet: one guess from each of twelve addresses
        assert sign_in(client_at(bare_dash, f"203.0.113.{i + 1}"), ADMIN, WRONG).status_code == 401
    new_browser = client_at(bare_dash, "192.0.2.77")
    assert sign_in(new_browser, ADMIN).status_code == 401  # the right password, a strange browser
    forged = client_at(bare_dash, "192.0.2.78")
    forged.cookies.set("sendvoice_device", "1.forged.signature", path="/dashboard/login")
    assert sign_in(forged, ADMIN).status_code == 401
    laptop.headers["X-Forwarded-For"] = "192.0.2.99"  # the officer's own laptop, in a cafe
    laptop.cookies.delete("sendvoice_dashboard")
    assert sign_in(laptop, ADMIN).status_code == 303
    assert laptop.get("/dashboard/officers").status_code == 200
    with bare_dash.services.session_factory() as s:
        locks = audit.recent(s, action="login_locked_unrecognised")
    assert [e.actor for e in locks] == [f"officer:{admin_id}"]
    bare_dash.clock.advance(timedelta(minutes=15))
    assert sign_in(new_browser, ADMIN).status_code == 303
