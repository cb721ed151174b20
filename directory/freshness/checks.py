"""Asking organisations whether their listing is still right, and recording their answer.

Six months after a listing was last checked, its organisation gets an email (its members, or
the organisation's own address) with a one-click confirmation (a single-use link that
expires in 30 days) and a link to edit. An informal group is asked whether it is still
active. A confirmation marks the organisation and its services checked today, recorded like
any other published change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from directory import clock, mail
from directory.accounts import tokens
from directory.freshness import rules
from directory.i18n import SUPPORTED_LOCALES
from directory.models import (
    Account,
    ListingChange,
    Membership,
    Organization,
    Provenance,
    Role,
    TokenPurpose,
)

CONFIRM_LIFETIME = timedelta(days=30)
ORGANIZATION_EMAIL_LOCALES = ("nl", "fr")


@dataclass(frozen=True)
class Reaching:
    """What the coordinators' list says about asking an organisation "is this still
    right?": whether there is anyone to ask, and whether it was asked since its last check."""

    organization: Organization
    has_email: bool
    has_member: bool  # an active member who has accepted their invitation
    asked_on: date | None  # asked since its last check (Brussels date), no answer yet

    @property
    def can_be_asked(self) -> bool:
        return self.has_email or self.has_member


def asked_since_last_check(organization: Organization) -> date | None:
    """The day it was asked, when that was after its last check (the answer would have
    moved the check to a later day)."""
    requested = organization.verification_requested_at
    if requested is None or organization.assured_date is None:
        return None
    day = clock.as_utc(requested).astimezone(clock.BRUSSELS).date()
    return day if day >= organization.assured_date else None


def reaching(session: Session, organizations: list[Organization]) -> list[Reaching]:
    """Each organisation with who could be asked and whether it was (one query for all)."""
    with_members = set(
        session.scalars(
            _active_members()
            .with_only_columns(Membership.organization_id)
            .where(Membership.organization_id.in_([o.id for o in organizations]))
        )
    )
    return [
        Reaching(
            organization,
            has_email=bool(organization.email),
            has_member=organization.id in with_members,
            asked_on=asked_since_last_check(organization),
        )
        for organization in organizations
    ]


def never_checked(session: Session) -> list[Organization]:
    """Organisations nobody has confirmed yet (the seed catalogue's, until someone takes
    them over): neither asked nor marked stale, so the coordinators' list shows them apart."""
    return list(
        session.scalars(
            select(Organization)
            .where(
                Organization.assured_date.is_(None),
                Organization.provenance != Provenance.SYNTHETIC,
            )
            .options(selectinload(Organization.texts))
        )
    )


def due_for_asking(session: Session, today: date) -> list[Organization]:
    """Organisations checked more than six months ago and not asked since."""
    candidates = session.scalars(
        select(Organization)
        .where(
            Organization.assured_date.is_not(None),
            Organization.assured_date < today - rules.ASK_AFTER,
            Organization.provenance != Provenance.SYNTHETIC,
        )
        .options(selectinload(Organization.texts))
    ).all()
    return [
        organization for organization in candidates if asked_since_last_check(organization) is None
    ]


def stale(session: Session, today: date) -> list[Organization]:
    """Organisations whose last check is more than nine months old, the oldest first."""
    return list(
        session.scalars(
            select(Organization)
            .where(
                Organization.assured_date < today - rules.STALE_AFTER,
                Organization.provenance != Provenance.SYNTHETIC,
            )
            .options(selectinload(Organization.texts))
            .order_by(Organization.assured_date)
        )
    )


def ask_all(session: Session) -> int:
    """Send "is this still right?" to every organisation due for it; returns how many."""
    now = clock.utc_now()
    asked = 0
    for organization in due_for_asking(session, clock.now().date()):
        # Asked: not again until the next check (coordinators see unanswered ones in the
        # list of stale listings). Nobody to ask: tried again each day, so an email address
        # or a member added later is asked at once; the list says what is missing.
        if _ask(session, organization):
            asked += 1
            organization.verification_requested_at = now
    session.flush()
    return asked


def _active_members() -> Select:
    """Members who can be asked: active, their invitation accepted."""
    return (
        select(Account)
        .join(Membership)
        .where(
            Account.role == Role.ORGANIZATION_MEMBER,
            Account.is_active.is_(True),
            Account.password_hash.is_not(None),
        )
    )


def _members(session: Session, organization: Organization) -> list[Account]:
    return list(
        session.scalars(_active_members().where(Membership.organization_id == organization.id))
    )


def _message(organization: Organization, locale: str, raw: str) -> tuple[str, str]:
    with force_locale(locale):
        confirm = mail.public_link("freshness.confirm_link", lang_code=locale, token=raw)
        listing = mail.public_link(
            "catalogue.organization", lang_code=locale, organization_id=organization.id
        )
        if organization.is_informal:
            subject = _("Nabij: is your group still active?")
            question = _(
                "Your group is listed on Nabij, the social map of Brussels. Is it still "
                "active, and is what we show still right?"
            )
        else:
            subject = _("Nabij: is your listing still right?")
            question = _(
                "Your organisation is listed on Nabij, the social map of Brussels. Is what "
                "we show still right?"
            )
        body = "\n\n".join(
            [
                question,
                _("If it is, confirm in one click (the link works once, for 30 days):"),
                confirm,
                _("If something changed, sign in and edit it, or report it from the listing:"),
                listing,
                _("A listing not checked for nine months is marked as possibly out of date."),
            ]
        )
        return subject, body + "\n"


def _ask(session: Session, organization: Organization) -> bool:
    members = _members(session, organization)
    recipients = [
        (member.email, member.locale if member.locale in SUPPORTED_LOCALES else "nl")
        for member in members
    ]
    if recipients:
        for address, locale in recipients:
            raw = _token(session, organization)
            subject, body = _message(organization, locale, raw)
            mail.send_after_commit(mail.Message(address, subject, body))
        return True
    if organization.email:
        raw = _token(session, organization)
        parts = [_message(organization, locale, raw) for locale in ORGANIZATION_EMAIL_LOCALES]
        subject = " / ".join(subject for subject, _body in parts)
        body = "\n---\n\n".join(body for _subject, body in parts)
        mail.send_after_commit(mail.Message(organization.email, subject, body))
        return True
    return False


def _token(session: Session, organization: Organization) -> str:
    return tokens.issue(
        session,
        TokenPurpose.LISTING_CONFIRMATION,
        organization_id=organization.id,
        lifetime=CONFIRM_LIFETIME,
    )


def confirm(
    session: Session, organization: Organization, who: str, account: Account | None
) -> None:
    """The organisation says its listing is still right: it and its services are checked
    today by `who`. Recorded field by field like any published change."""
    today = clock.now().date()
    now = clock.utc_now()
    for listing, resource_type in [(organization, "organization")] + [
        (service, "service") for service in organization.services
    ]:
        for field, new in (("assured_date", today), ("assurer", who)):
            old = getattr(listing, field)
            if old == new:
                continue
            session.add(
                ListingChange(
                    organization_id=organization.id,
                    resource_type=resource_type,
                    resource_id=listing.id,
                    field_name=field,
                    previous_value=_as_text(old),
                    replacement_value=_as_text(new),
                    updated_by_id=account.id if account else None,
                    created_at=now,
                )
            )
            setattr(listing, field, new)
    session.flush()


def _as_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, date | datetime):
        return json.dumps(value.isoformat())
    return json.dumps(value, ensure_ascii=False)
