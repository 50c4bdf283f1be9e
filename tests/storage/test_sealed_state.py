"""A conversation's answers are stored sealed and read back exactly, whatever they are."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.orm import Session

from storage import conversations
from storage.models import ChannelIdentity, Contact

NOW = datetime(2026, 3, 14, 18, 0, tzinfo=UTC)

# What the engine keeps per step: typed values (None when skipped), free text among them.
# Every word a person typed starts with a mark nothing else in a state holds, so any copy of their
# words left in clear would show.
MARK = "\u00a7"
WORDS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=80,
).map(lambda s: MARK + s)
VALUES = st.dictionaries(
    st.from_regex(r"[a-z][a-z_]{0,15}", fullmatch=True),
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-1000, 1000),
        WORDS,
        st.lists(st.sampled_from(["talks", "chat", "leaflets"]), max_size=3),
    ),
    min_size=1,
    max_size=6,
)


def state(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "v": 1,
        "flow_id": "post_event",
        "flow_version": 1,
        "language": "en",
        "context": {"event_name": "the workshop"},
        "status": "active",
        "step": "rating",
        "seq": 3,
        "reprompts": 0,
        "values": values,
        "specials": dict.fromkeys(values),
        "path": list(values),
        "expires_at": None,
    }


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=VALUES, later=VALUES)
def test_answers_are_sealed_at_rest_and_read_back_exactly(
    session: Session,
    parent: tuple[Contact, ChannelIdentity],
    values: dict[str, Any],
    later: dict[str, Any],
) -> None:
    contact, _ = parent
    with session.begin_nested():
        conversation = conversations.create(
            session,
            contact_id=contact.id,
            flow_id="post_event",
            flow_version=1,
            language="en",
            channel="sms",
            state=state(values),
            status="active",
            now=NOW,
            wake_at=None,
        )
        assert conversations.state_of(session, conversation) == state(values)
        conversations.update(
            session, conversation, state=state(later), status="active", now=NOW, wake_at=None
        )
        session.expire_all()
        assert conversations.state_of(session, conversation) == state(later)
        raw = session.execute(
            text("SELECT state FROM conversations WHERE id = :id"), {"id": conversation.id}
        ).scalar_one()
        stored = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False)
        assert MARK not in stored
        assert "\\u00a7" not in stored
        session.delete(conversation)
        session.flush()
