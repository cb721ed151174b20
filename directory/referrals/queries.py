"""Lists of referrals as each side sees them, the response target, reminders, and the
anonymous counts coordinators see."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from directory import clock
from directory.models import DeclineReason, Referral, ReferralStatus
from directory.referrals import access, notifications, states
from directory.referrals.deadlines import is_overdue, response_due

LIST_LIMIT = 200


@dataclass(frozen=True)
class Row:
    referral: Referral
    side: states.Side
    due: datetime
    overdue: bool


def _rows(session: Session, actor: access.Actor, where, now: datetime) -> list[Row]:
    referrals = session.scalars(
        select(Referral)
        .where(access.visible_to(actor), where)
        .options(
            selectinload(Referral.receiving_organization),
            selectinload(Referral.sender_organization),
        )
        .order_by(Referral.created_at.desc())
        .limit(LIST_LIMIT)
    ).all()
    rows = []
    for referral in referrals:
        due = response_due(referral.created_at)
        overdue = is_overdue(referral.status, referral.created_at, now)
        rows.append(Row(referral, access.side_of(actor, referral), due, overdue))
    return rows


def sent(session: Session, actor: access.Actor, open_only: bool = False) -> list[Row]:
    where = Referral.sender_organization_id.in_(actor.sends_for)
    if open_only:
        where = where & Referral.status.not_in(states.CLOSED)
    return _rows(session, actor, where, clock.utc_now())


def received(session: Session, actor: access.Actor, open_only: bool = False) -> list[Row]:
    where = Referral.receiving_organization_id.in_(actor.receives_for)
    if actor.guest_referral_id is not None:
        where = where | (Referral.id == actor.guest_referral_id)
    if open_only:
        where = where & Referral.status.not_in(states.CLOSED)
    return _rows(session, actor, where, clock.utc_now())


def open_sent_count(session: Session, organization_ids) -> int:
    """Referrals sent for these info points that have no outcome yet (a count: nothing about
    any client is read, so it is not a look that the access log records)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Referral)
            .where(
                Referral.sender_organization_id.in_(organization_ids),
                Referral.status.not_in(states.CLOSED),
            )
        )
        or 0
    )


def unacknowledged_count(session: Session, organization_ids) -> int:
    """Referrals received by these organisations that nobody acknowledged yet."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Referral)
            .where(
                Referral.receiving_organization_id.in_(organization_ids),
                Referral.status.in_(states.UNACKNOWLEDGED),
            )
        )
        or 0
    )


@dataclass(frozen=True)
class InboxCounts:
    new: int  # not yet acknowledged
    unanswered: int  # neither accepted nor declined
    overdue: int  # past the response target without acknowledgement


def inbox_counts(rows: list[Row]) -> InboxCounts:
    return InboxCounts(
        new=sum(row.referral.status in states.UNACKNOWLEDGED for row in rows),
        unanswered=sum(row.referral.status in states.UNANSWERED for row in rows),
        overdue=sum(row.overdue for row in rows),
    )


def remind(session: Session) -> int:
    """Remind once about each referral past its response target without acknowledgement.
    Returns how many were reminded."""
    now = clock.utc_now()
    candidates = session.scalars(
        select(Referral).where(
            Referral.status.in_(states.UNACKNOWLEDGED), Referral.reminded_at.is_(None)
        )
    ).all()
    reminded = 0
    for referral in candidates:
        if is_overdue(referral.status, referral.created_at, now):
            referral.reminded_at = now
            notifications.no_answer_yet(session, referral)
            reminded += 1
    session.flush()
    return reminded


@dataclass(frozen=True)
class Overview:
    """Anonymous counts for coordinators: no client, no single referral."""

    total: int
    by_status: dict[ReferralStatus, int]
    by_need: Counter[str]
    by_decline_reason: dict[DeclineReason, int]


def overview(session: Session) -> Overview:
    by_status = dict(
        session.execute(select(Referral.status, func.count()).group_by(Referral.status)).all()
    )
    by_need: Counter[str] = Counter()
    for terms in session.scalars(select(Referral.need_terms)):
        by_need.update(terms or [])
    return Overview(
        total=sum(by_status.values()),
        by_status=by_status,
        by_need=by_need,
        by_decline_reason=dict(
            session.execute(
                select(Referral.decline_reason, func.count())
                .where(Referral.decline_reason.is_not(None))
                .group_by(Referral.decline_reason)
            ).all()
        ),
    )
