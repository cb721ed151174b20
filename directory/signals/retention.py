"""How long signals are kept, and what happens to those nobody takes up.

- A closed signal (handed over, closed with an outcome, or "could not reach") is deleted
  with its history `SIGNAL_KEEP_DAYS` (default 90) after it was closed. A referral it became
  lives on under the referrals' own retention; the access log keeps only ids, so it stays.
- A new signal nobody has taken up `SIGNAL_ESCALATE_DAYS` (default 14) after it came in is
  escalated to the coordinators, once: they are told, and see it beside the signals no
  info point takes.
`flask signals purge` and `flask signals escalate` apply them; run both daily.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from directory import clock
from directory.models import Signal, SignalEvent, SignalRoute, SignalStatus
from directory.signals import notifications, states


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
