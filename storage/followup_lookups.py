"""What the follow-up runner needs to know about each person before it sends a request.

Two ways to find out, with the same answers. `RowLookups` asks the database for one person at a
time. `BatchLookups` asks once for a whole claimed batch (a county consultation claims 100,000 rows;
thirteen round trips a row was most of the time spent), then answers from memory. A person the
runner has already acted on in this batch (two events' requests due together, say) is looked up
afresh, so what it reads always includes what it just wrote.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import contacts as contacts_repo
from storage import conversations as conversations_repo
from storage import followups as followups_repo
from storage import safeguarding as flags_repo
from storage.models import (
    ChannelIdentity,
    Contact,
    Conversation,
    Event,
    FollowUp,
    SafeguardingFlag,
)


class RowLookups:
    """One person at a time, straight from the database."""

    def __init__(self, session: Session, cap_since: datetime) -> None:
        self.session = session
        self.cap_since = cap_since

    def contact(self, contact_id: int) -> Contact:
        """The contact, row-locked until the transaction ends."""
        return contacts_repo.lock(self.session, contact_id)

    def event(self, event_id: int) -> Event | None:
        return self.session.get(Event, event_id)

    def conversation_for(self, contact_id: int, event_id: int) -> Conversation | None:
        """The latest conversation this person had about this event."""
        return self.session.scalars(
            select(Conversation)
            .where(Conversation.contact_id == contact_id, Conversation.event_id == event_id)
            .order_by(Conversation.id.desc())
        ).first()

    def active(self, contact_id: int) -> Conversation | None:
        return conversations_repo.active_for(self.session, contact_id)

    def flagged(self, contact_id: int) -> bool:
        """Whether a safeguarding flag about this person awaits review."""
        return flags_repo.unacknowledged_for(self.session, contact_id)

    def identity(self, contact_id: int, channel: str) -> ChannelIdentity | None:
        return contacts_repo.identity_for(self.session, contact_id, channel)

    def requests_sent(self, contact_id: int) -> list[datetime]:
        """When new requests were sent to this person since `cap_since`, oldest first."""
        return followups_repo.requests_sent(self.session, [contact_id], self.cap_since).get(
            contact_id, []
        )

    def touched(self, contact_id: int) -> None:
        """The runner acted on this person; nothing is cached here, so nothing to forget."""


class BatchLookups(RowLookups):
    """Everyone in a claimed batch in one query per table; people already acted on read afresh."""

    def __init__(self, session: Session, cap_since: datetime, rows: Sequence[FollowUp]) -> None:
        super().__init__(session, cap_since)
        self._touched: set[int] = set()
        contact_ids = sorted({row.contact_id for row in rows})
        event_ids = sorted({row.event_id for row in rows})
        # Locked in id order, as every batch locks them, so two schedulers cannot deadlock.
        self._contacts = {
            c.id: c
            for c in session.scalars(
                select(Contact)
                .where(Contact.id.in_(contact_ids))
                .order_by(Contact.id)
                .with_for_update(key_share=True)
                .execution_options(populate_existing=True)
            )
        }
        self._events = {
            e.id: e for e in session.scalars(select(Event).where(Event.id.in_(event_ids)))
        }
        self._by_event: dict[tuple[int, int], Conversation] = {}
        self._active: dict[int, Conversation] = {}
        for conversation in session.scalars(
            select(Conversation)
            .where(Conversation.contact_id.in_(contact_ids))
            .where((Conversation.event_id.in_(event_ids)) | (Conversation.status == "active"))
            .order_by(Conversation.id)
        ):
            if conversation.event_id in self._events:
                # Ordered by id, so the latest one for each event is the one kept.
                self._by_event[(conversation.contact_id, conversation.event_id)] = conversation
            if conversation.status == "active":
                self._active[conversation.contact_id] = conversation
        self._flagged = set(
            session.scalars(
                select(SafeguardingFlag.contact_id)
                .where(
                    SafeguardingFlag.contact_id.in_(contact_ids),
                    SafeguardingFlag.acknowledged_at.is_(None),
                    SafeguardingFlag.category != flags_repo.REVIEW,
                )
                .distinct()
            )
        )
        self._identities: dict[int, dict[str, ChannelIdentity]] = defaultdict(dict)
        for identity in session.scalars(
            select(ChannelIdentity)
            .where(ChannelIdentity.contact_id.in_(contact_ids))
            .order_by(ChannelIdentity.id)
        ):
            self._identities[identity.contact_id].setdefault(identity.channel, identity)
        self._sent = followups_repo.requests_sent(session, contact_ids, cap_since)

    def contact(self, contact_id: int) -> Contact:
        found = self._contacts.get(contact_id)
        return found if found is not None else super().contact(contact_id)

    def event(self, event_id: int) -> Event | None:
        return self._events[event_id] if event_id in self._events else super().event(event_id)

    def conversation_for(self, contact_id: int, event_id: int) -> Conversation | None:
        if contact_id in self._touched or event_id not in self._events:
            return super().conversation_for(contact_id, event_id)
        return self._by_event.get((contact_id, event_id))

    def active(self, contact_id: int) -> Conversation | None:
        if contact_id in self._touched:
            return super().active(contact_id)
        return self._active.get(contact_id)

    def flagged(self, contact_id: int) -> bool:
        if contact_id in self._touched:
            return super().flagged(contact_id)
        return contact_id in self._flagged

    def identity(self, contact_id: int, channel: str) -> ChannelIdentity | None:
        if contact_id in self._touched:
            return super().identity(contact_id, channel)
        return self._identities.get(contact_id, {}).get(channel)

    def requests_sent(self, contact_id: int) -> list[datetime]:
        if contact_id in self._touched:
            return super().requests_sent(contact_id)
        return list(self._sent.get(contact_id, ()))

    def touched(self, contact_id: int) -> None:
        self._touched.add(contact_id)
