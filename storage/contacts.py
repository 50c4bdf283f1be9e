from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from storage import dialect, messages
from storage.crypto import cipher_of
from storage.models import ROLES, ChannelIdentity, Contact


def find_by_address(
    session: Session, channel: str, address: str, *, lock: bool = False
) -> tuple[Contact, ChannelIdentity] | None:
    """The contact and identity behind an address; with `lock`, the contact is row-locked as
    `lock()` would, in the same round trip (every inbound message needs both)."""
    row = session.execute(
        _by_address(lock),
        {"channel": channel, "hashes": cipher_of(session).lookups(address)},
    ).one_or_none()
    if row is None:
        return None
    return row[0], row[1]


@cache
def _by_address(lock: bool) -> Select[Contact, ChannelIdentity]:
    # Built once: every inbound message asks this.
    query = (
        select(Contact, ChannelIdentity)
        .join(ChannelIdentity, ChannelIdentity.contact_id == Contact.id)
        .where(
            ChannelIdentity.channel == bindparam("channel"),
            ChannelIdentity.address_hash.in_(bindparam("hashes", expanding=True)),
        )
    )
    if lock:
        query = query.with_for_update(key_share=True, of=Contact).execution_options(
            populate_existing=True
        )
    return query


def find_or_create(
    session: Session,
    channel: str,
    address: str,
    now: datetime,
    *,
    role: str | None = None,
    language: str | None = None,
    lock: bool = False,
    source: str | None = None,
) -> tuple[Contact, ChannelIdentity, bool]:
    """The contact behind an address, creating both on first contact.

    `role` and `language` only apply to a new contact; an existing one keeps its own. With
    `lock`, the contact is row-locked until the transaction ends (a new one is ours already:
    nobody else can see it before we commit).
    """
    if role is not None and role not in ROLES:
        raise ValueError(f"unknown contact role {role!r}; expected one of {sorted(ROLES)}")
    found = find_by_address(session, channel, address, lock=lock)
    if found is not None:
        return found[0], found[1], False
    cipher = cipher_of(session)

    contact = Contact(
        role=role or "unknown",
        preferred_language=language or "en",
        preferred_channel=channel,
        created_at=now,
        updated_at=now,
    )
    session.add(contact)
    session.flush()
    # Two first messages from the same new number can arrive together. ON CONFLICT makes the
    # loser wait for the winner's commit and then step aside instead of raising.
    identity = session.scalars(
        dialect.insert(session, ChannelIdentity)
        .values(
            contact_id=contact.id,
            channel=channel,
            address_hash=cipher.lookup(address),
            address_enc=cipher.encrypt(address),
            created_at=now,
            # Writing to us first is consent to be answered there.
            opted_in_at=now,
            opt_in_source=source or f"{channel}_first_message",
        )
        .on_conflict_do_nothing(index_elements=["channel", "address_hash"])
        .returning(ChannelIdentity)
    ).one_or_none()
    if identity is None:
        session.delete(contact)
        session.flush()
        found = find_by_address(session, channel, address, lock=lock)
        if found is None:  # the conflicting row is committed, so this cannot happen
            raise RuntimeError(f"{channel} identity vanished after a conflict")
        return found[0], found[1], False
    return contact, identity, True


def link_identity(
    session: Session,
    contact: Contact,
    channel: str,
    address: str,
    now: datetime,
    *,
    source: str | None = None,
) -> ChannelIdentity:
    """Reach an existing contact on another channel too (a Telegram chat beside their number)."""
    cipher = cipher_of(session)
    identity = ChannelIdentity(
        contact_id=contact.id,
        channel=channel,
        address_hash=cipher.lookup(address),
        address_enc=cipher.encrypt(address),
        created_at=now,
        opted_in_at=now,
        opt_in_source=source or "linked",
    )
    session.add(identity)
    session.flush()
    return identity


def lock(session: Session, contact_id: int) -> Contact:
    """The contact, row-locked until the transaction ends (on SQLite the database lock taken
    by BEGIN IMMEDIATE already serialises writers).

    FOR NO KEY UPDATE, not FOR UPDATE: inserting a message that references the contact takes
    FOR KEY SHARE on it, and two turns for one person each doing that and then FOR UPDATE
    would deadlock. NO KEY UPDATE still serialises the turns.
    """
    return session.scalars(
        select(Contact)
        .where(Contact.id == contact_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    ).one()


def identity_for(session: Session, contact_id: int, channel: str) -> ChannelIdentity | None:
    return session.scalars(
        select(ChannelIdentity)
        .where(ChannelIdentity.contact_id == contact_id, ChannelIdentity.channel == channel)
        .order_by(ChannelIdentity.id)
        .limit(1)
    ).first()


def opt_out(session: Session, contact: Contact, channel: str, now: datetime) -> None:
    """Opted out on every channel; what was waiting to be sent to them is cancelled."""
    if contact.opted_out_at is None:
        contact.opted_out_at = now
    contact.opt_out_channel = channel
    contact.updated_at = now
    session.flush()
    messages.cancel_queued_for_contact(session, contact.id, "opted_out", now)


def opt_in(session: Session, contact: Contact, now: datetime) -> None:
    contact.opted_out_at = None
    contact.opt_out_channel = None
    contact.updated_at = now
    session.flush()
