"""A signal's life: received from the public form and sent where `routing` says, taken up,
followed up and closed, forwarded by a coordinator, or handed over as a referral.

The rules are in `states`; this applies them with the referrals' concurrency rule: a step
moves the row only if it is still as this request read it, so of two people taking up the
same signal at once the second is told and nothing changes. Each step records who, when
and a note (`SignalEvent`), is written to the access log, and tells whom it concerns.

Every closing step (closed with an outcome, "could not reach", the hand-over, and the
retention's closing of an idle signal) erases the signaller's email address and phone
number at once: they serve only while the signal is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from directory import clock
from directory.models import (
    Neighbourhood,
    Organization,
    PersonAware,
    Postcode,
    Referral,
    Signal,
    SignalEvent,
    SignalRoute,
    SignalStatus,
)
from directory.signals import access, notifications, routing, states
from directory.signals.states import Actor, Step, TransitionError

MAX_TEXT = 1000
MAX_NOTE = 1000


@dataclass(frozen=True)
class Report:
    """What the public form collects (validated by the form)."""

    submission_key: str
    observations: list[str]
    text: str | None
    neighbourhood: Neighbourhood | None
    postcode: Postcode | None
    person_language: str | None
    person_aware: PersonAware
    signaller_email: str | None
    signaller_phone: str | None
    locale: str


def receive(session: Session, report: Report) -> Signal | None:
    """The signal, stored and sent to its info points (or to nobody: the coordinators), or
    None when this form was received already (a double click, a resubmission)."""
    if session.scalar(select(Signal.id).where(Signal.submission_key == report.submission_key)):
        return None
    now = clock.utc_now()
    signal = Signal(
        submission_key=report.submission_key,
        status=SignalStatus.NEW,
        observations=report.observations,
        text=report.text,
        neighbourhood=report.neighbourhood,
        postcode=report.postcode,
        person_language=report.person_language,
        person_aware=report.person_aware,
        signaller_email=report.signaller_email,
        signaller_phone=report.signaller_phone,
        locale=report.locale,
        created_at=now,
        updated_at=now,
    )
    signal.routes = [
        SignalRoute(organization_id=organization_id, created_at=now)
        for organization_id in routing.info_points_for(
            session, report.neighbourhood, report.postcode
        )
    ]
    signal.events.append(SignalEvent(from_status=None, to_status=SignalStatus.NEW, created_at=now))
    savepoint = session.begin_nested()
    try:
        session.add(signal)
        session.flush()
        savepoint.commit()
    except IntegrityError:
        # The same form, sent twice at once: the other submission won.
        savepoint.rollback()
        return None
    notifications.new_signal(session, signal)
    return signal


def _claim(session: Session, signal: Signal, now: datetime) -> None:
    """Move the row on only if it is still as this request read it (see the module)."""
    claimed = session.execute(
        update(Signal)
        .where(Signal.id == signal.id, Signal.status == signal.status)
        .values(updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise TransitionError("not_allowed")


def _actor(reader: access.Reader, signal: Signal) -> Actor:
    actor = access.actor_of(reader, signal)
    if actor is None:
        raise PermissionError("may not act on this signal")
    return actor


def transition(
    session: Session,
    reader: access.Reader,
    signal: Signal,
    to: SignalStatus,
    *,
    outcome: str | None = None,
    note: str | None = None,
) -> SignalEvent:
    """One step of `states` (a hand-over goes through `hand_over`, which makes the referral)."""
    step = states.step_to(signal.status, to, _actor(reader, signal))
    if step.needs_referral:
        raise TransitionError("not_allowed", "a hand-over makes a referral")
    return _apply(session, reader, signal, step, outcome=outcome, note=note)


def hand_over(
    session: Session, reader: access.Reader, signal: Signal, referral: Referral
) -> SignalEvent:
    """Record that the signal became `referral` (made by the referrals' own code, with the
    person's consent recorded there)."""
    step = states.step_to(signal.status, SignalStatus.HANDED_OVER, _actor(reader, signal))
    return _apply(session, reader, signal, step, referral=referral)


def _apply(
    session: Session,
    reader: access.Reader,
    signal: Signal,
    step: Step,
    *,
    outcome: str | None = None,
    note: str | None = None,
    referral: Referral | None = None,
) -> SignalEvent:
    outcome = (outcome or "").strip()[:MAX_NOTE] or None
    if step.needs_outcome and outcome is None:
        raise TransitionError("needs_outcome")
    taker = access.acting_for(reader, signal) if step.to is SignalStatus.TAKEN_UP else None
    now = clock.utc_now()
    _claim(session, signal, now)
    event = SignalEvent(
        from_status=signal.status,
        to_status=step.to,
        actor_account_id=reader.account.id,
        note=(note or "").strip()[:MAX_NOTE] or None,
        created_at=now,
    )
    signal.events.append(event)
    signal.status = step.to
    signal.updated_at = now
    if taker is not None:
        signal.taken_by_organization_id = taker
        signal.taken_by_account_id = reader.account.id
        signal.taken_up_at = now
    if outcome is not None:
        signal.outcome = outcome
    if referral is not None:
        signal.referral_id = referral.id
    if states.is_closed(step.to):
        _close(signal, now)
    session.flush()
    access.log(session, reader, [signal], f"status:{step.to.value}")
    if taker is not None:
        notifications.taken_up(signal, session.get(Organization, taker))
    return event


def _close(signal: Signal, now: datetime) -> None:
    """A closed signal: nobody needs to reach the signaller any more, so their contact goes."""
    signal.closed_at = now
    signal.signaller_email = None
    signal.signaller_phone = None


def close_idle(session: Session, signal: Signal, last_step_before: datetime) -> SignalEvent | None:
    """Close an open signal with no step since `last_step_before` as idle: the retention's
    step, made by nobody. None when a step came in meanwhile (it wins: the signal stays)."""
    if states.is_closed(signal.status):
        return None
    now = clock.utc_now()
    claimed = session.execute(
        update(Signal)
        .where(
            Signal.id == signal.id,
            Signal.status == signal.status,
            Signal.updated_at <= last_step_before,
        )
        .values(updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return None
    event = SignalEvent(from_status=signal.status, to_status=SignalStatus.IDLE, created_at=now)
    signal.events.append(event)
    signal.status = SignalStatus.IDLE
    signal.updated_at = now
    _close(signal, now)
    session.flush()
    access.log_job(session, [signal], f"status:{SignalStatus.IDLE.value}")
    return event


def forward(
    session: Session,
    reader: access.Reader,
    signal: Signal,
    organization: Organization,
    note: str | None = None,
) -> SignalEvent:
    """A coordinator sends a signal nobody has to one info point (in place of any it was
    sent to before), which is told."""
    if _actor(reader, signal) is not Actor.COORDINATOR:
        raise PermissionError("only coordinators forward signals")
    if signal.status not in states.FORWARDABLE:
        raise TransitionError("not_allowed")
    if organization.id not in {info_point.id for info_point in routing.info_points(session)}:
        raise TransitionError("not_allowed", "not an info point")
    now = clock.utc_now()
    _claim(session, signal, now)
    signal.routes.clear()
    session.flush()
    signal.routes.append(SignalRoute(organization_id=organization.id, created_at=now))
    event = SignalEvent(
        from_status=signal.status,
        to_status=signal.status,
        actor_account_id=reader.account.id,
        forwarded_to_id=organization.id,
        note=(note or "").strip()[:MAX_NOTE] or None,
        created_at=now,
    )
    signal.events.append(event)
    signal.updated_at = now
    session.flush()
    access.log(session, reader, [signal], "forward")
    notifications.forwarded(session, signal, organization)
    return event
