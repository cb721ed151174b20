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

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
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
class Freshness:
    """What a reader is told about a listing's last check."""

    assured_date: date | None
    assurer: str | None
    stale: bool


def freshness_of(listing, today: date) -> Freshness:
    return Freshness(
        listing.assured_date, listing.assurer, rules.is_stale(listing.assured_date, today)
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
        organization
        for organization in candidates
        if organization.verification_requested_at is None
        or clock.as_utc(organization.verification_requested_at).date() < organization.assured_date
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
        if _ask(session, organization):
            asked += 1
        # Asked, or nobody to ask: either way not again until the next check (coordinators
        # see unanswered ones in the list of stale listings).
        organization.verification_requested_at = now
    session.flush()
    return asked


def _members(session: Session, organization: Organization) -> list[Account]:
    return list(
        session.scalars(
            select(Account)
            .join(Membership)
            .where(
                Membership.organization_id == organization.id,
                Account.role == Role.ORGANIZATION_MEMBER,
                Account.is_active.is_(True),
                Account.password_hash.is_not(None),
            )
        )
    )


def _public_url(endpoint: str, **values) -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/") + url_for(endpoint, **values)


def _message(organization: Organization, locale: str, raw: str) -> tuple[str, str]:
    with force_locale(locale):
        confirm = _public_url("freshness.confirm_link", lang_code=locale, token=raw)
        listing = _public_url(
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
