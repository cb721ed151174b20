"""How long referral data is kept, and a client's rights over it.

- Declined and never-accepted referrals are deleted 30 days after their last activity
  (`REFERRAL_DELETE_AFTER_DAYS`).
- Closed referrals that were accepted are anonymised 12 months after closing
  (`REFERRAL_ANONYMISE_AFTER_DAYS`): status, kinds of help, dates and organisations stay for
  the counts; the client's name, contact, need and every note go.
- A client who withdraws consent has their details wiped at once.
- A client may ask for their referrals (export) or for them to be erased.
`flask referrals purge` applies the first two; it is meant to run daily.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from directory import clock
from directory.models import (
    AccountSession,
    Referral,
    ReferralEvent,
    ReferralStatus,
    SingleUseToken,
)
from directory.referrals import access, states

ANONYMOUS = "—"


def wipe_client_details(referral: Referral) -> None:
    referral.client_name = ANONYMOUS
    referral.client_phone = None
    referral.client_email = None
    referral.reachable_when = None
    referral.need_text = None
    referral.outcome = None
    for event in referral.events:
        event.note = None
    referral.anonymised_at = clock.utc_now()


@dataclass(frozen=True)
class PurgeReport:
    deleted: int
    anonymised: int


def purge(session: Session) -> PurgeReport:
    now = clock.utc_now()
    delete_before = now - timedelta(days=current_app.config["REFERRAL_DELETE_AFTER_DAYS"])
    anonymise_before = now - timedelta(days=current_app.config["REFERRAL_ANONYMISE_AFTER_DAYS"])
    ever_accepted = exists().where(
        ReferralEvent.referral_id == Referral.id,
        ReferralEvent.to_status == ReferralStatus.ACCEPTED,
    )
    to_delete = list(
        session.scalars(
            select(Referral.id).where(
                Referral.updated_at < delete_before,
                (Referral.status == ReferralStatus.DECLINED) | ~ever_accepted,
            )
        )
    )
    erase(session, to_delete)
    to_anonymise = session.scalars(
        select(Referral).where(
            Referral.status.in_(states.CLOSED),
            Referral.closed_at < anonymise_before,
            Referral.anonymised_at.is_(None),
        )
    ).all()
    for referral in to_anonymise:
        wipe_client_details(referral)
    session.flush()
    return PurgeReport(deleted=len(to_delete), anonymised=len(to_anonymise))


def erase(session: Session, referral_ids: list[uuid.UUID]) -> None:
    """Delete referrals with their history, links and guest sessions. The access log keeps
    only ids, so it stays."""
    if not referral_ids:
        return
    for table in (SingleUseToken, AccountSession, ReferralEvent):
        session.execute(delete(table).where(table.referral_id.in_(referral_ids)))
    session.execute(delete(Referral).where(Referral.id.in_(referral_ids)))
    session.expire_all()


def erase_handover(session: Session, actor: access.Actor, referrals: list[Referral]) -> None:
    """A client's request to erase: only the sending info point can act on it."""
    access.log(session, actor, referrals, "erase")
    erase(session, [referral.id for referral in referrals])


def export(session: Session, actor: access.Actor, referrals: list[Referral]) -> dict[str, Any]:
    """Everything kept about a client's handover, for their right of access."""
    access.log(session, actor, referrals, "export")
    return {
        "handover_id": str(referrals[0].handover_id) if referrals else None,
        "exported_at": clock.utc_now().isoformat(),
        "referrals": [_exported(referral) for referral in referrals],
    }


def _exported(referral: Referral) -> dict[str, Any]:
    def when(moment):
        return moment.isoformat() if moment else None

    return {
        "id": str(referral.id),
        "status": referral.status.value,
        "receiving_organization_id": str(referral.receiving_organization_id),
        "service_id": str(referral.service_id) if referral.service_id else None,
        "client_name": referral.client_name,
        "contact_channel": referral.contact_channel.value,
        "client_phone": referral.client_phone,
        "client_email": referral.client_email,
        "reachable_when": referral.reachable_when,
        "client_languages": list(referral.client_languages),
        "need_terms": list(referral.need_terms),
        "need_text": referral.need_text,
        "urgency": referral.urgency.value,
        "consent": {
            "version": referral.consent_version,
            "language": referral.consent_locale,
            "text": referral.consent_text,
            "shares_contact": referral.consent_shares_contact,
            "shares_need": referral.consent_shares_need,
            "given_at": when(referral.consented_at),
        },
        "decline_reason": referral.decline_reason.value if referral.decline_reason else None,
        "outcome": referral.outcome,
        "created_at": when(referral.created_at),
        "closed_at": when(referral.closed_at),
        "history": [
            {
                "from": event.from_status.value if event.from_status else None,
                "to": event.to_status.value,
                "at": when(event.created_at),
                "note": event.note,
            }
            for event in referral.events
        ],
    }
