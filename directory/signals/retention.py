"""How long signals are kept, and what happens to those nobody takes up or follows up.

- Closing a signal (handed over, closed with an outcome, "could not reach", or closed as
  idle) erases the signaller's email address and phone number at once (`lifecycle`): they
  serve only while it is open.
- An open signal (new, taken up or contacted) with no step for `SIGNAL_IDLE_DAYS` (default
  180) is closed as idle: a step in its history made by nobody, the signaller's contact
  erased, and whoever has it (the info point that took it up; for a new one the info points
  it was sent to, and the coordinators when it went to nobody or was escalated) told once.
  `IDLE_NOTICE_DAYS` (14) before that, at `SIGNAL_IDLE_DAYS - 14` days without a step, they
  are reminded once that it will be closed; it is never closed sooner than 14 days after
  that reminder (a signal found idle too long already is reminded first). A step in between
  starts the count again, reminder included.
- A closed signal is deleted with its history `SIGNAL_KEEP_DAYS` (default 90) after it was
  closed. A referral it became lives on under the referrals' own retention; the access log
  keeps only ids, so it stays.
- A new signal nobody has taken up `SIGNAL_ESCALATE_DAYS` (default 14) after it came in is
  escalated to the coordinators, once: they are told, and see it beside the signals no
  info point takes.
`flask signals purge` (reminds, closes the idle ones, deletes) and `flask signals escalate`
apply them; run both daily.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from directory import clock
from directory.models import Signal, SignalEvent, SignalRoute, SignalStatus
from directory.signals import lifecycle, notifications, states

# How long before closing an idle signal whoever has it is reminded.
IDLE_NOTICE_DAYS = 14


@dataclass(frozen=True)
class Purged:
    """What one `flask signals purge` did."""

    reminded: int  # told their signal will be closed as idle
    closed_idle: int
    deleted: int


def purge_all(session: Session) -> Purged:
    """The daily retention: remind about signals soon idle, close the idle ones, delete
    those closed long enough ago."""
    reminded = remind_idle(session)
    closed = close_idle(session)
    return Purged(reminded=reminded, closed_idle=closed, deleted=purge(session))


def purge(session: Session) -> int:
    """Delete the signals closed longer ago than `SIGNAL_KEEP_DAYS`; returns how many."""
    before = clock.utc_now() - timedelta(days=current_app.config["SIGNAL_KEEP_DAYS"])
    ids = list(
        session.scalars(
            select(Signal.id).where(Signal.status.in_(states.CLOSED), Signal.closed_at < before)
        )
    )
    erase(session, ids)
    return len(ids)


def erase(session: Session, signal_ids: list[uuid.UUID]) -> None:
    if not signal_ids:
        return
    for table in (SignalEvent, SignalRoute):
        session.execute(delete(table).where(table.signal_id.in_(signal_ids)))
    session.execute(delete(Signal).where(Signal.id.in_(signal_ids)))
    session.expire_all()


def _days_since(moment: datetime, now: datetime) -> int:
    return (now - clock.as_utc(moment)).days


def closes_idle_on(signal: Signal) -> date | None:
    """The day (in Brussels) from which an open signal whose holders were reminded since its
    last step is closed as idle; None for any other signal."""
    if states.is_closed(signal.status) or signal.idle_reminded_at is None:
        return None
    reminded, last_step = clock.as_utc(signal.idle_reminded_at), clock.as_utc(signal.updated_at)
    if reminded < last_step:
        return None
    idle_days = current_app.config["SIGNAL_IDLE_DAYS"]
    closes = max(last_step + timedelta(days=idle_days), reminded + timedelta(days=IDLE_NOTICE_DAYS))
    return closes.astimezone(clock.BRUSSELS).date()


def remind_idle(session: Session) -> int:
    """Tell whoever has it, once, about each open signal with no step for
    `SIGNAL_IDLE_DAYS - IDLE_NOTICE_DAYS`; returns how many signals."""
    now = clock.utc_now()
    idle_days = current_app.config["SIGNAL_IDLE_DAYS"]
    before = now - timedelta(days=idle_days - IDLE_NOTICE_DAYS)
    soon_idle = session.scalars(
        select(Signal)
        .where(
            Signal.status.in_(states.OPEN),
            Signal.updated_at <= before,
            # A reminder counts for the quiet since the last step only.
            or_(Signal.idle_reminded_at.is_(None), Signal.idle_reminded_at < Signal.updated_at),
        )
        .order_by(Signal.created_at)
    ).all()
    for signal in soon_idle:
        signal.idle_reminded_at = now
        notifications.idle_soon(
            session, signal, _days_since(signal.updated_at, now), IDLE_NOTICE_DAYS
        )
    session.flush()
    return len(soon_idle)


def close_idle(session: Session) -> int:
    """Close as idle each open signal with no step for `SIGNAL_IDLE_DAYS` whose holders
    were reminded at least `IDLE_NOTICE_DAYS` ago, erase the signaller's contact and tell
    whoever had it; returns how many."""
    now = clock.utc_now()
    idle_days = current_app.config["SIGNAL_IDLE_DAYS"]
    last_step_before = now - timedelta(days=idle_days)
    idle = session.scalars(
        select(Signal)
        .where(
            Signal.status.in_(states.OPEN),
            Signal.updated_at <= last_step_before,
            Signal.idle_reminded_at >= Signal.updated_at,
            Signal.idle_reminded_at <= now - timedelta(days=IDLE_NOTICE_DAYS),
        )
        .order_by(Signal.created_at)
    ).all()
    closed = 0
    for signal in idle:
        quiet = _days_since(signal.updated_at, now)
        if lifecycle.close_idle(session, signal, last_step_before) is not None:
            notifications.closed_idle(session, signal, quiet)
            closed += 1
    session.flush()
    return closed


def escalate(session: Session) -> int:
    """Tell the coordinators once about each signal nobody took up within
    `SIGNAL_ESCALATE_DAYS`; returns how many."""
    now = clock.utc_now()
    before = now - timedelta(days=current_app.config["SIGNAL_ESCALATE_DAYS"])
    waiting = session.scalars(
        select(Signal).where(
            Signal.status == SignalStatus.NEW,
            Signal.escalated_at.is_(None),
            Signal.created_at < before,
        )
    ).all()
    for signal in waiting:
        signal.escalated_at = now
        notifications.escalated(session, signal)
    session.flush()
    return len(waiting)
