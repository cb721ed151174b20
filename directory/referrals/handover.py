"""Making a handover: one client, one consent, one or two receiving organisations (two
linked referrals), created once however often the form is submitted."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from directory.models import (
    Account,
    ContactChannel,
    Membership,
    Organization,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Role,
    Service,
    Urgency,
)
from directory.referrals import access, notifications

MAX_TARGETS = 2


@dataclass(frozen=True)
class Target:
    organization_id: uuid.UUID
    service_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Handover:
    """What the referral form collects (validated by the form)."""

    sender_organization_id: uuid.UUID
    targets: tuple[Target, ...]
    submission_key: str
    client_name: str
    contact_channel: ContactChannel
    client_phone: str | None
    client_email: str | None
    reachable_when: str | None
    client_languages: list[str]
    need_terms: list[str]
    need_text: str | None
    urgency: Urgency
    consent_version: str
    consent_locale: str
    consent_text: str
    consent_shares_contact: bool
    consent_shares_need: bool
    consented_at: datetime
    notes: dict[uuid.UUID, str] = field(default_factory=dict)


def targets_of(session: Session, service_ids: list[uuid.UUID]) -> list[Target]:
    """The organisations behind the chosen services (active ones only, at most two)."""
    services = session.scalars(select(Service).where(Service.id.in_(service_ids))).all()
    by_id = {service.id: service for service in services}
    targets = [
        Target(by_id[service_id].organization_id, service_id)
        for service_id in service_ids
        if service_id in by_id
    ]
    return targets[:MAX_TARGETS]


def can_receive(session: Session, organization: Organization) -> bool:
    """An organisation receives referrals through members' accounts or, without any, through
    a single-use link to its own email address."""
    return bool(organization.email) or bool(
        access.accounts_for(session, organization.id, Role.ORGANIZATION_MEMBER)
    )


RECEIVERS_LISTED = 500  # services offered in a referral form's list


def receivable_services(session: Session) -> list[Service]:
    """Services of organisations that can receive a referral (`can_receive`, for many at
    once), with their names loaded."""
    with_members = (
        select(Membership.organization_id)
        .join(Account)
        .where(Account.role == Role.ORGANIZATION_MEMBER, Account.is_active.is_(True))
    )
    return list(
        session.scalars(
            select(Service)
            .join(Organization, Service.organization_id == Organization.id)
            .where(Organization.email.is_not(None) | Organization.id.in_(with_members))
            .options(
                selectinload(Service.texts),
                selectinload(Service.organization).selectinload(Organization.texts),
            )
            .limit(RECEIVERS_LISTED)
        )
    )


def existing(session: Session, sender_organization_id: uuid.UUID, key: str) -> list[Referral]:
    return list(
        session.scalars(
            select(Referral).where(
                Referral.submission_key == key,
                Referral.sender_organization_id == sender_organization_id,
            )
        )
    )


def create(session: Session, actor: access.Actor, handover: Handover) -> list[Referral]:
    """The referrals of `handover`, created now, or the ones an earlier submission of the
    same form created (a double click or a resubmission creates nothing new)."""
    if handover.sender_organization_id not in actor.sends_for:
        raise PermissionError("not a worker of that info point")
    if already := existing(session, handover.sender_organization_id, handover.submission_key):
        return already
    handover_id = uuid.uuid4()
    referrals = []
    savepoint = session.begin_nested()
    try:
        for target in handover.targets:
            referral = Referral(
                handover_id=handover_id,
                submission_key=handover.submission_key,
                sender_organization_id=handover.sender_organization_id,
                sender_account_id=actor.account_id,
                receiving_organization_id=target.organization_id,
                service_id=target.service_id,
                status=ReferralStatus.REQUESTED,
                client_name=handover.client_name,
                contact_channel=handover.contact_channel,
                client_phone=handover.client_phone,
                client_email=handover.client_email,
                reachable_when=handover.reachable_when,
                client_languages=handover.client_languages,
                need_terms=handover.need_terms,
                need_text=handover.need_text,
                urgency=handover.urgency,
                consent_version=handover.consent_version,
                consent_locale=handover.consent_locale,
                consent_text=handover.consent_text,
                consent_shares_contact=handover.consent_shares_contact,
                consent_shares_need=handover.consent_shares_need,
                consented_at=handover.consented_at,
                created_at=handover.consented_at,
                updated_at=handover.consented_at,
            )
            referral.events.append(
                ReferralEvent(
                    from_status=None,
                    to_status=ReferralStatus.REQUESTED,
                    actor_account_id=actor.account_id,
                    actor_organization_id=handover.sender_organization_id,
                    note=handover.notes.get(target.organization_id) or None,
                    created_at=handover.consented_at,
                )
            )
            session.add(referral)
            referrals.append(referral)
        session.flush()
        savepoint.commit()
    except IntegrityError:
        # The same form, submitted twice at once: the other submission won.
        savepoint.rollback()
        return existing(session, handover.sender_organization_id, handover.submission_key)
    access.log(session, actor, referrals, "create")
    for referral in referrals:
        notifications.new_referral(session, referral)
    return referrals
