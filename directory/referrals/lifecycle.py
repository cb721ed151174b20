"""Moving a referral along its loop, and notes between the two sides.

The rules are in `states`; this applies them: it checks the actor's side, records the event
(who, when, a note), keeps the referral's dates, wipes the client's details at once when
they withdraw consent, and tells the other side.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from directory import clock
from directory.models import DeclineReason, Referral, ReferralEvent, ReferralStatus
from directory.referrals import access, notifications, retention, states
from directory.referrals.states import Side, TransitionError

MAX_NOTE = 1000


def _organization_of(side: Side, referral: Referral):
    if side is Side.SENDER:
        return referral.sender_organization_id
    return referral.receiving_organization_id


def _claim(session: Session, referral: Referral, now, *, to: ReferralStatus | None = None) -> None:
    """Move the row on only if it is still as this request read it: of two people answering
    at once, the second finds the referral changed and is told so (the database serialises
    the two updates; the second matches no row)."""
    values = {"updated_at": now} if to is None else {"updated_at": now, "status": to}
    claimed = session.execute(
        update(Referral)
        .where(
            Referral.id == referral.id,
            Referral.status == referral.status,
            Referral.anonymised_at.is_(None),
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise TransitionError("not_allowed")


def transition(
    session: Session,
    actor: access.Actor,
    referral: Referral,
    to: ReferralStatus,
    *,
    note: str | None = None,
    reason: DeclineReason | None = None,
    outcome: str | None = None,
) -> ReferralEvent:
    side = access.side_of(actor, referral)
    if side is None:
        raise PermissionError("not a party to this referral")
    step = states.step_to(referral.status, to, side)
    if step.needs_reason and reason is None:
        raise TransitionError("needs_reason")
    if step.needs_outcome and not (outcome or "").strip():
        raise TransitionError("needs_outcome")
    now = clock.utc_now()
    _claim(session, referral, now, to=to)
    event = ReferralEvent(
        from_status=referral.status,
        to_status=to,
        actor_account_id=actor.account_id,
        actor_organization_id=_organization_of(side, referral),
        note=(note or "").strip()[:MAX_NOTE] or None,
        created_at=now,
    )
    referral.events.append(event)
    referral.status = to
    referral.updated_at = now
    if side is Side.RECEIVER and referral.answered_at is None:
        referral.answered_at = now
    if step.needs_reason:
        referral.decline_reason = reason
    if step.needs_outcome:
        referral.outcome = outcome.strip()[:MAX_NOTE]
    if states.is_closed(to):
        referral.closed_at = now
    if to is ReferralStatus.CONSENT_WITHDRAWN:
        retention.wipe_client_details(referral)
    session.flush()
    access.log(session, actor, [referral], f"status:{to.value}")
    notifications.status_changed(session, referral, side)
    return event


def add_note(session: Session, actor: access.Actor, referral: Referral, note: str) -> ReferralEvent:
    """A note the other side reads, without a change of status (also on a closed referral:
    follow-up goes on until both sides are done talking)."""
    side = access.side_of(actor, referral)
    if side is None:
        raise PermissionError("not a party to this referral")
    if referral.status is ReferralStatus.CONSENT_WITHDRAWN or referral.anonymised_at:
        raise TransitionError("notes_closed")
    text = (note or "").strip()[:MAX_NOTE]
    if not text:
        raise TransitionError("empty_note")
    now = clock.utc_now()
    _claim(session, referral, now)
    event = ReferralEvent(
        from_status=referral.status,
        to_status=referral.status,
        actor_account_id=actor.account_id,
        actor_organization_id=_organization_of(side, referral),
        note=text,
        created_at=now,
    )
    referral.events.append(event)
    referral.updated_at = now
    session.flush()
    access.log(session, actor, [referral], "note")
    notifications.note_added(session, referral, side)
    return event
