"""Who may see a signal, and the log of everyone who did.

A new signal is seen by the workers of the info points it was sent to; once one of them
takes it up, only that info point's workers see it (they follow up as a team, as with
referrals). Coordinators see the new signals no info point has: those sent to nobody (no
info point covers the place) and those nobody took up in time (escalated). Organisation
members never see a signal. Every view, list and change is written to `SignalAccess`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, false, select
from sqlalchemy.orm import Session

from directory import clock
from directory.models import (
    Account,
    AccountSession,
    Role,
    Signal,
    SignalAccess,
    SignalRoute,
    SignalStatus,
)
from directory.referrals.access import accounts_for
from directory.signals.states import Actor


@dataclass(frozen=True)
class Reader:
    """Whoever is acting on signals in this request."""

    account: Account
    session_id: uuid.UUID | None
    info_points: frozenset[uuid.UUID] = frozenset()  # a worker's info points
    coordinator: bool = False


def reader_for(account: Account | None, account_session: AccountSession | None) -> Reader | None:
    if account is None or not account.is_active:
        return None
    session_id = account_session.id if account_session else None
    if account.role is Role.INFO_POINT_WORKER:
        return Reader(account, session_id, info_points=account.organization_ids)
    if account.role is Role.COORDINATOR:
        return Reader(account, session_id, coordinator=True)
    return None  # organisation members receive referrals, never signals


def _sent_to(organization_ids: Iterable[uuid.UUID]) -> ColumnElement[bool]:
    return exists().where(
        SignalRoute.signal_id == Signal.id, SignalRoute.organization_id.in_(organization_ids)
    )


def _sent_to_nobody() -> ColumnElement[bool]:
    return ~exists().where(SignalRoute.signal_id == Signal.id)


def visible_to(reader: Reader) -> ColumnElement[bool]:
    """A WHERE clause for the signals `reader` may see."""
    if reader.coordinator:
        return (Signal.status == SignalStatus.NEW) & (
            _sent_to_nobody() | Signal.escalated_at.is_not(None)
        )
    if reader.info_points:
        return (
            (Signal.status == SignalStatus.NEW) & _sent_to(reader.info_points)
        ) | Signal.taken_by_organization_id.in_(reader.info_points)
    return false()


def actor_of(reader: Reader | None, signal: Signal) -> Actor | None:
    """How `reader` acts on `signal`, or None when they may not see it (the same rule as
    `visible_to`, for a signal already read)."""
    if reader is None:
        return None
    new = signal.status is SignalStatus.NEW
    if reader.coordinator:
        if new and (not signal.routes or signal.escalated_at is not None):
            return Actor.COORDINATOR
        return None
    if signal.taken_by_organization_id in reader.info_points:
        return Actor.INFO_POINT
    if new and any(route.organization_id in reader.info_points for route in signal.routes):
        return Actor.INFO_POINT
    return None


def acting_for(reader: Reader, signal: Signal) -> uuid.UUID | None:
    """The info point `reader` acts for on `signal`: the one that took it up, else the first
    of theirs it was sent to."""
    if signal.taken_by_organization_id in reader.info_points:
        return signal.taken_by_organization_id
    sent_to = sorted(
        (route.organization_id for route in signal.routes),
        key=str,
    )
    return next((org for org in sent_to if org in reader.info_points), None)


def log(session: Session, reader: Reader, signals: Iterable[Signal], action: str) -> None:
    """Record that `reader` did `action` (view, list, status:taken_up, forward, handover...)
    on each signal."""
    now = clock.utc_now()
    session.add_all(
        SignalAccess(
            signal_id=signal.id,
            account_id=reader.account.id,
            session_id=reader.session_id,
            action=action,
            created_at=now,
        )
        for signal in signals
    )


def log_job(session: Session, signals: Iterable[Signal], action: str) -> None:
    """Record a change a daily job made (`flask signals purge` closing an idle signal): by
    nobody, so with no account and no session."""
    now = clock.utc_now()
    session.add_all(
        SignalAccess(
            signal_id=signal.id, account_id=None, session_id=None, action=action, created_at=now
        )
        for signal in signals
    )


def holders(session: Session, signal: Signal) -> list[Account]:
    """Who has `signal` in their inbox, to be told about it: the workers of the info point
    that took it up; for a new one, those of the info points it was sent to, and the
    coordinators when it was sent to nobody or escalated. The coordinators when that leaves
    nobody (the info point has no active worker left)."""
    if signal.taken_by_organization_id is not None:
        organization_ids = [signal.taken_by_organization_id]
    else:
        organization_ids = sorted((route.organization_id for route in signal.routes), key=str)
    accounts = [
        account
        for organization_id in organization_ids
        for account in info_point_workers(session, organization_id)
    ]
    unheld = signal.taken_by_organization_id is None and (
        not signal.routes or signal.escalated_at is not None
    )
    if unheld or not accounts:
        accounts += coordinators(session)
    return list({account.id: account for account in accounts}.values())


def info_point_workers(session: Session, organization_id: uuid.UUID) -> list[Account]:
    """The active workers of an info point (who are told of a signal sent to it)."""
    return accounts_for(session, organization_id, Role.INFO_POINT_WORKER)


def coordinators(session: Session) -> list[Account]:
    """The active coordinators, who have the signals no info point has."""
    return list(
        session.scalars(
            select(Account)
            .where(
                Account.role == Role.COORDINATOR,
                Account.is_active.is_(True),
                Account.password_hash.is_not(None),
            )
            .order_by(Account.email)
        )
    )


def can_set_places(account: Account | None, organization_id: uuid.UUID) -> bool:
    """Who says which places an organisation takes signals for: its info-point workers, and
    coordinators for every organisation."""
    if account is None or not account.is_active:
        return False
    if account.role is Role.COORDINATOR:
        return True
    return account.role is Role.INFO_POINT_WORKER and organization_id in account.organization_ids
