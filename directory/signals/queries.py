"""Signals as the inbox lists them, and the counts in the header and above the list."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from directory.models import Neighbourhood, Organization, Signal, SignalRoute, SignalStatus
from directory.signals import access, states

LIST_LIMIT = 200


def inbox(session: Session, reader: access.Reader, open_only: bool = True) -> list[Signal]:
    where = access.visible_to(reader)
    if open_only:
        where = where & Signal.status.not_in(states.CLOSED)
    return list(
        session.scalars(
            select(Signal)
            .where(where)
            .options(
                selectinload(Signal.routes)
                .selectinload(SignalRoute.organization)
                .selectinload(Organization.texts),
                selectinload(Signal.neighbourhood).selectinload(Neighbourhood.municipality),
                selectinload(Signal.postcode),
                selectinload(Signal.taken_by_account),
            )
            .order_by(Signal.created_at.desc())
            .limit(LIST_LIMIT)
        )
    )


def waiting_count(session: Session, reader: access.Reader) -> int:
    """New signals the reader may take up or forward (a count: nothing about anyone is
    read, so it is not a look the access log records)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Signal)
            .where(access.visible_to(reader), Signal.status == SignalStatus.NEW)
        )
        or 0
    )


@dataclass(frozen=True)
class InboxCounts:
    new: int  # nobody took it up yet
    followed_up: int  # taken up or contacted
    escalated: int  # nobody took it up in time


def inbox_counts(signals: list[Signal]) -> InboxCounts:
    return InboxCounts(
        new=sum(signal.status is SignalStatus.NEW for signal in signals),
        followed_up=sum(
            signal.status in (SignalStatus.TAKEN_UP, SignalStatus.CONTACTED) for signal in signals
        ),
        escalated=sum(
            signal.status is SignalStatus.NEW and signal.escalated_at is not None
            for signal in signals
        ),
    )
