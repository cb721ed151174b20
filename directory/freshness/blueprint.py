"""Routes of freshness: the one-click "still right" confirmation from an email, the same
confirmation for signed-in members, and the coordinators' list of stale listings."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from directory import clock, responses
from directory.accounts import permissions, sessions, tokens
from directory.extensions import db
from directory.forms import ConfirmForm, LinkForm
from directory.freshness import checks, rules
from directory.i18n import current_language, pick_text
from directory.models import Organization, Role, TokenPurpose

bp = Blueprint("freshness", __name__)


responses.never_stored(bp, no_referrer=True)


def _organization(organization_id: uuid.UUID) -> Organization:
    organization = db.session().get(
        Organization, organization_id, options=[selectinload(Organization.services)]
    )
    if organization is None:
        abort(404)
    return organization


@bp.get("/listings/confirm/<token>")
def confirm_link(token: str):
    """The link in the email: it shows what is confirmed and asks for one click (opening the
    link alone changes nothing, so a mail scanner cannot confirm for anyone)."""
    found = tokens.peek(db.session(), TokenPurpose.LISTING_CONFIRMATION, token)
    if found is None or found.organization_id is None:
        return render_template("freshness/link_invalid.html"), 410
    form = LinkForm(token=token)
    return render_template(
        "freshness/confirm.html", organization=_organization(found.organization_id), form=form
    )


@bp.post("/listings/confirm")
def confirm():
    form = LinkForm()
    session = db.session()
    if not form.validate_on_submit():
        abort(400)
    redeemed = tokens.redeem(session, TokenPurpose.LISTING_CONFIRMATION, form.token.data or "")
    if redeemed is None or redeemed.organization_id is None:
        session.rollback()
        return render_template("freshness/link_invalid.html"), 410
    organization = _organization(redeemed.organization_id)
    checks.confirm(session, organization, _name(organization), account=None)
    session.commit()
    return render_template("freshness/confirmed.html", organization=organization)


@bp.post("/organizations/<uuid:organization_id>/still-right")
@permissions.role_required(Role.ORGANIZATION_MEMBER, Role.COORDINATOR)
def confirm_signed_in(organization_id: uuid.UUID):
    """A member (or a coordinator) confirms the listing from its page."""
    account = sessions.current_account()
    permissions.require_editable(organization_id)
    organization = _organization(organization_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    session = db.session()
    checks.confirm(session, organization, account.display_name, account=account)
    session.commit()
    flash(_("Thank you: the listing is marked as checked today."), "success")
    return redirect(url_for("catalogue.organization", organization_id=organization.id), code=303)


@bp.get("/coordination/stale")
@permissions.role_required(Role.COORDINATOR)
def stale_listings():
    """Listings not checked for nine months and listings never checked, each with what
    stands between it and a check: asked and no answer yet, not asked yet, or nobody to
    ask (no email address, no member)."""
    session = db.session()
    today = clock.now().date()
    never_checked = checks.reaching(session, checks.never_checked(session))
    language = current_language()
    never_checked.sort(key=lambda row: _display_name(row.organization, language).casefold())
    return render_template(
        "freshness/stale.html",
        stale=checks.reaching(session, checks.stale(session, today)),
        never_checked=never_checked,
        due=checks.due_for_asking(session, today),
        today=today,
        stale_after_days=rules.STALE_AFTER.days,
    )


def _display_name(organization: Organization, language: str) -> str:
    picked = pick_text(organization.texts, language)
    return picked.text.name if picked else ""


def _name(organization: Organization) -> str:
    texts = organization.texts
    original = next((text for text in texts.values() if text.is_original), None)
    chosen = original or next(iter(texts.values()), None)
    return chosen.name if chosen else _("the organisation")
