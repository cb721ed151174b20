"""Who may see a referral, and the log of everyone who did.

A referral is seen by the sending info point (any of its workers: they follow up as a team)
and by the receiving organisation (its members, or a guest holding the single-use link sent
to an organisation without accounts, for that one referral). Coordinators see anonymous
counts only. Every view and change is written to `ReferralAccess`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.orm import Session

from directory import clock
from directory.models import (
    Account,
    AccountSession,
    Membership,
    Referral,
    ReferralAccess,
    Role,
)
from directory.referrals.states import Side


@dataclass(frozen=True)
class Actor:
    """Whoever is acting on referrals in this request."""

    account: Account | None
    session_id: uuid.UUID | None
    # Info points a worker sends for; organisations a member receives for.
    sends_for: frozenset[uuid.UUID] = frozenset()
    receives_for: frozenset[uuid.UUID] = frozenset()
    guest_referral_id: uuid.UUID | None = None  # a single-use link's one referral

    @property
    def account_id(self) -> uuid.UUID | None:
        return self.account.id if self.account else None


def actor_for(account: Account | None, account_session: AccountSession | None) -> Actor | None:
    session_id = account_session.id if account_session else None
    if account is not None and account.is_active:
        organizations = account.organization_ids
        if account.role is Role.INFO_POINT_WORKER:
            return Actor(account, session_id, sends_for=organizations)
        if account.role is Role.ORGANIZATION_MEMBER:
            return Actor(account, session_id, receives_for=organizations)
        return None  # coordinators see counts, never a referral
    if account_session is not None and account_session.referral_id is not None:
        return Actor(None, session_id, guest_referral_id=account_session.referral_id)
    return None


def side_of(actor: Actor | None, referral: Referral) -> Side | None:
    """The side `actor` is on for `referral`, or None when they may not see it."""
    if actor is None:
        return None
    if referral.sender_organization_id in actor.sends_for:
        return Side.SENDER
    if referral.receiving_organization_id in actor.receives_for:
        return Side.RECEIVER
    if actor.guest_referral_id is not None and actor.guest_referral_id == referral.id:
        return Side.RECEIVER
    return None


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause for the referrals `actor` may see."""
    clauses = []
    if actor.sends_for:
        clauses.append(Referral.sender_organization_id.in_(actor.sends_for))
    if actor.receives_for:
        clauses.append(Referral.receiving_organization_id.in_(actor.receives_for))
    if actor.guest_referral_id is not None:
        clauses.append(Referral.id == actor.guest_referral_id)
    return or_(*clauses) if clauses else false()


def log(session: Session, actor: Actor, referrals: Iterable[Referral], action: str) -> None:
    """Record that `actor` did `action` (view, list, create, status:accepted, note, export,
    erase, ...) on each referral."""
    now = clock.utc_now()
    session.add_all(
        ReferralAccess(
            referral_id=referral.id,
            account_id=actor.account_id,
            session_id=actor.session_id,
            action=action,
            created_at=now,
        )
        for referral in referrals
    )


def accounts_for(session: Session, organization_id: uuid.UUID, role: Role) -> list[Account]:
    """The active accounts acting for an organisation in a role (the workers of an info
    point, the members who receive for an organisation)."""
    return list(
        session.scalars(
            select(Account)
            .join(Membership)
            .where(
                Membership.organization_id == organization_id,
                Account.role == role,
                Account.is_active.is_(True),
                Account.password_hash.is_not(None),
            )
            .order_by(Account.email)
        )
    )
