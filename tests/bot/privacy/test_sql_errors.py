"""A database error never puts what a statement carried (a message's words) into the logs."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from bot.logs import configure_logging
from bot.services import build_services
from bot.web.app import create_app
from storage.db import make_engine
from tests.bot.channels.sms.conftest import sms_settings
from tests.fakes.twilio import FakeTwilio, inbound_sms_form, sign
from tests.live import LiveServer
from tests.serve import free_port, serve

NAME = "Gwenllian Jones"
BODY = f"This is {NAME}, my private words, ring me on 07700 900888"
SECRETS = [NAME, "Gwenllian", "my private words", "07700 900888", "447700900888", "7700900888"]


@pytest.fixture
def refusing_database(database_url: str) -> Iterator[str]:
    """The same database, but every new message is refused by the database itself."""
    engine = create_engine(database_url)
    postgres = engine.dialect.name == "postgresql"
    with engine.begin() as connection:
        if postgres:
            connection.exec_driver_sql(
                "CREATE FUNCTION sv_refuse() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'refused for the test'; END $$ LANGUAGE plpgsql"
            )
            connection.exec_driver_sql(
                "CREATE TRIGGER sv_refuse BEFORE INSERT ON messages "
                "FOR EACH ROW EXECUTE FUNCTION sv_refuse()"
            )
        else:
            connection.exec_driver_sql(
                "CREATE TRIGGER sv_refuse BEFORE INSERT ON messages "
                "BEGIN SELECT RAISE(ABORT, 'refused for the test'); END"
            )
    try:
        yield database_url
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "DROP TRIGGER sv_refuse" + (" ON messages" if postgres else "")
            )
            if postgres:
                connection.exec_driver_sql("DROP FUNCTION sv_refuse()")
        engine.dispose()


@pytest.fixture
def production_logging() -> Iterator[None]:
    root = logging.getLogger()
    saved = root.level, list(root.handlers)
    configure_logging("DEBUG")
    yield
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]


def _post(http: httpx.Client, base: str, public: str, fake: FakeTwilio) -> httpx.Response:
    form = inbound_sms_form(
        from_="07700 900888", to="+447700900000", body=BODY, account_sid=fake.account_sid
    )
    signature = sign(fake.auth_token, public + "/webhooks/twilio/sms", form)
    return http.post(
        base + "/webhooks/twilio/sms", data=form, headers={"X-Twilio-Signature": signature}
    )


def test_a_failed_statement_logs_none_of_its_parameters(
    refusing_database: str, production_logging: None, caplog: pytest.LogCaptureFixture
) -> None:
    """Failed before engines hid parameters: the traceback carried the body."""
    caplog.set_level(logging.DEBUG)
    public = "https://sendvoice.example.gov.uk"
    with FakeTwilio() as twilio:
        services = build_services(sms_settings(refusing_database, twilio, public))
        try:
            with LiveServer(create_app(services)) as server, httpx.Client(timeout=10) as http:
                response = _post(http, server.url(""), public, twilio)
        finally:
            services.close()
    assert response.status_code == 500
    logged = caplog.text
    assert "refused for the test" in logged  # the error itself is logged, for whoever fixes it
    for secret in SECRETS:
        assert secret not in logged


def test_the_server_process_writes_none_of_them_to_its_output(
    refusing_database: str, tmp_path: Path
) -> None:
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    with FakeTwilio() as twilio:
        env = {
            **os.environ,
            "DATABASE_URL": refusing_database,
            "PUBLIC_BASE_URL": public,
            "TWILIO_ACCOUNT_SID": twilio.account_sid,
            "TWILIO_AUTH_TOKEN": twilio.auth_token,
            "TWILIO_FROM_NUMBER": "+447700900000",
            "TWILIO_API_BASE_URL": twilio.base_url,
            "LOG_LEVEL": "DEBUG",
        }
        with serve(env, tmp_path, port=port) as served, httpx.Client(timeout=10) as http:
            assert _post(http, served.base_url, public, twilio).status_code == 500
        output = served.log.read_text()
    assert "refused for the test" in output
    for secret in SECRETS:
        assert secret not in output


@pytest.mark.parametrize(
    "url", ["sqlite:///:memory:", "postgresql+psycopg://nobody@127.0.0.1:9/none"]
)
def test_every_engine_hides_parameters(url: str) -> None:
    engine = make_engine(url)
    try:
        assert engine.hide_parameters
        assert make_url(url).get_backend_name() == engine.dialect.name
    finally:
        engine.dispose()


def test_an_error_raised_from_a_statement_says_its_parameters_are_hidden() -> None:
    engine = make_engine("sqlite:///:memory:")
    try:
        with engine.connect() as connection, pytest.raises(DBAPIError) as caught:
            connection.exec_driver_sql("SELECT no_such_column, ?", (BODY,))
    finally:
        engine.dispose()
    assert BODY not in str(caught.value)
    assert "hidden" in str(caught.value)
