"""Routes of the warm handover: the referral form, the sender's list, the organisation's inbox,
one referral with its history and answers, the single-use link, a client's export and
erasure, and the coordinators' anonymous counts.

No personal data ever goes into a URL: ids are opaque, searches by name are not offered,
and every response says `Cache-Control: no-store`. A referral the reader may not see is
"not found", whether or not it exists.
"""

from __future__ import annotations

import json
import secrets
import uuid

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from wtforms.fields.choices import SelectChoice

from directory import clock, ratelimit, responses
from directory.accounts import permissions, sessions, tokens
from directory.catalogue import queries as catalogue_queries
from directory.extensions import db
from directory.forms import ConfirmForm, LinkForm
from directory.i18n import current_language, name_in, ui_languages
from directory.models import (
    ContactChannel,
    LanguageCode,
    Organization,
    Referral,
    ReferralStatus,
    Role,
    Service,
    TokenPurpose,
    Urgency,
)
from directory.referrals import (
    access,
    consent,
    deadlines,
    handover,
    lifecycle,
    queries,
    retention,
    states,
)
from directory.referrals.forms import NoteForm, ReferralForm, StatusForm
from directory.referrals.labels import STEP_LABELS
from directory.referrals.states import Side, TransitionError

bp = Blueprint("referrals", __name__)


responses.never_stored(bp, no_referrer=True)


def _actor() -> access.Actor | None:
    return access.actor_for(sessions.current_account(), sessions.current_session())


def _require_actor() -> access.Actor:
    actor = _actor()
    if actor is None:
        if sessions.current_account() is None:
            abort(permissions.sign_in_redirect())
        abort(403)
    return actor


def _visible_referral(session: Session, actor: access.Actor, referral_id: uuid.UUID):
    referral = session.scalar(
        select(Referral)
        .where(Referral.id == referral_id, access.visible_to(actor))
        .options(selectinload(Referral.events))
    )
    if referral is None:
        abort(404)
    return referral


@bp.get("/")
def index():
    """The sender's referrals, or the organisation's inbox, or the coordinator's counts."""
    account = sessions.current_account()
    if account is not None and account.role is Role.COORDINATOR:
        return redirect(url_for("referrals.overview"))
    actor = _require_actor()
    session = db.session()
    if actor.guest_referral_id is not None:
        return redirect(url_for("referrals.detail", referral_id=actor.guest_referral_id))
    open_only = request.args.get("show") != "all"
    if actor.sends_for:
        rows = queries.sent(session, actor, open_only=open_only)
        template = "referrals/sent.html"
    else:
        rows = queries.received(session, actor, open_only=open_only)
        template = "referrals/inbox.html"
    access.log(session, actor, [row.referral for row in rows], "list")
    session.commit()
    return render_template(
        template,
        rows=rows,
        counts=queries.inbox_counts(rows),
        open_only=open_only,
    )


def _choices_for(form: ReferralForm, session: Session, actor: access.Actor, first: Service):
    lang = current_language()
    info_points = session.scalars(
        select(Organization)
        .where(Organization.id.in_(actor.sends_for))
        .options(selectinload(Organization.texts))
    ).all()
    form.on_behalf_of.choices = [
        SelectChoice(str(org.id), name_in(org, lang)) for org in info_points
    ]
    others = [
        service
        for service in handover.receivable_services(session)
        if service.id != first.id and service.organization_id != first.organization_id
    ]
    form.second_service.choices = [SelectChoice("", _("No second organisation"))] + [
        SelectChoice(
            str(service.id),
            f"{name_in(service.organization, lang)} \u2013 {name_in(service, lang)}",
        )
        for service in others
    ]
    form.client_languages.choices = [
        SelectChoice(code.code, code.display_name(lang))
        for code in session.scalars(select(LanguageCode).order_by(LanguageCode.position))
    ]
    form.need_terms.choices = [
        SelectChoice(term.code, f"{domain.label(lang)}: {term.label(lang)}")
        for domain in catalogue_queries.kinds_of_help(session)
        for term in domain.children
    ]
    form.consent_locale.choices = [SelectChoice(ui.code, ui.native_name) for ui in ui_languages()]


def _first_service(session: Session, raw: str | None) -> Service:
    try:
        service_id = uuid.UUID(raw or "")
    except ValueError:
        abort(404)
    service = session.scalar(
        select(Service)
        .where(Service.id == service_id)
        .options(
            selectinload(Service.texts),
            selectinload(Service.organization).selectinload(Organization.texts),
        )
    )
    if service is None:
        abort(404)
    return service


@bp.route("/new", methods=["GET", "POST"])
@permissions.role_required(Role.INFO_POINT_WORKER)
def new():
    """The referral form, for a service chosen on its listing or in search results."""
    actor = _require_actor()
    session = db.session()
    form = ReferralForm()
    first = _first_service(session, request.values.get("service"))
    if not handover.can_receive(session, first.organization):
        return render_template("referrals/cannot_receive.html", service=first), 200
    _choices_for(form, session, actor, first)
    if request.method == "GET":
        form.service.data = str(first.id)
        form.submission_key.data = secrets.token_hex(16)
        form.consent_locale.data = current_language()
        if len(form.on_behalf_of.choices) == 1:
            form.on_behalf_of.data = form.on_behalf_of.choices[0].value
    elif form.validate_on_submit():
        key = f"referral:{actor.account_id}"
        if not ratelimit.allow("referral", key, current_app.config["REFERRAL_SUBMIT_LIMIT"]):
            return render_template(
                "referrals/new.html", **_form_page(form, first), limited=True
            ), 429
        return _create(session, actor, form, first)
    return render_template("referrals/new.html", **_form_page(form, first))


def _form_page(form: ReferralForm, first: Service) -> dict:
    lang = current_language()
    names = [name_in(first.organization, lang)]
    return {
        "form": form,
        "first": first,
        "consent_texts": [(ui, consent.consent_text(ui.code, names)) for ui in ui_languages()],
        "consent_version": consent.CONSENT_VERSION,
    }


def _create(session: Session, actor: access.Actor, form: ReferralForm, first: Service):
    services = [first]
    if form.second_service.data:
        second = session.get(Service, uuid.UUID(form.second_service.data))
        if second is not None:
            services.append(second)
    organisations = [session.get(Organization, service.organization_id) for service in services]
    channel = ContactChannel(form.contact_channel.data)
    consent_locale = form.consent_locale.data
    names = [name_in(org, consent_locale) for org in organisations]
    now = clock.utc_now()
    request_ = handover.Handover(
        sender_organization_id=uuid.UUID(form.on_behalf_of.data),
        targets=tuple(handover.Target(service.organization_id, service.id) for service in services),
        submission_key=form.submission_key.data,
        client_name=form.client_name.data.strip(),
        contact_channel=channel,
        client_phone=(form.client_phone.data or "").strip() or None
        if channel is ContactChannel.PHONE
        else None,
        client_email=(form.client_email.data or "").strip() or None
        if channel is ContactChannel.EMAIL
        else None,
        reachable_when=(form.reachable_when.data or "").strip() or None,
        client_languages=list(form.client_languages.data),
        need_terms=list(form.need_terms.data),
        need_text=(form.need_text.data or "").strip() or None,
        urgency=Urgency(form.urgency.data),
        consent_version=consent.CONSENT_VERSION,
        consent_locale=consent_locale,
        consent_text=consent.consent_text(consent_locale, names),
        consent_shares_contact=bool(form.consent_shares_contact.data),
        consent_shares_need=bool(form.consent_shares_need.data),
        consented_at=now,
    )
    referrals = handover.create(session, actor, request_)
    if not referrals:
        # The same key collided with something other than an earlier copy of this form:
        # nothing was saved, and the worker's text is still in the form.
        session.rollback()
        form.submission_key.data = secrets.token_hex(16)
        return render_template("referrals/new.html", **_form_page(form, first), not_saved=True), 409
    session.commit()
    flash(_("The referral was sent. You can follow it up here."), "success")
    return redirect(url_for("referrals.detail", referral_id=referrals[0].id), code=303)


@bp.get("/<uuid:referral_id>")
def detail(referral_id: uuid.UUID):
    actor = _actor()
    if actor is None:
        if sessions.current_account() is None and sessions.current_session() is None:
            return permissions.sign_in_redirect()
        abort(404)
    session = db.session()
    referral = _visible_referral(session, actor, referral_id)
    side = access.side_of(actor, referral)
    access.log(session, actor, [referral], "view")
    linked = session.scalars(
        select(Referral).where(
            Referral.handover_id == referral.handover_id,
            Referral.id != referral.id,
            access.visible_to(actor),
        )
    ).all()
    session.commit()
    return render_template(
        "referrals/detail.html",
        referral=referral,
        side=side,
        linked=linked,
        steps=states.next_steps(referral.status, side),
        step_labels=STEP_LABELS,
        status_form=StatusForm(),
        note_form=NoteForm(),
        confirm_form=ConfirmForm(),
        due=deadlines.response_due(referral.created_at),
        shows_contact=side is Side.SENDER or referral.consent_shares_contact,
        shows_need=side is Side.SENDER or referral.consent_shares_need,
    )


def _back_to(referral_id: uuid.UUID, message: str, category: str) -> Response:
    flash(message, category)
    return redirect(url_for("referrals.detail", referral_id=referral_id), code=303)


def _refusal(problem: str) -> str:
    """What the page says when the rules refuse a step (see `states.TransitionError`)."""
    messages = {
        "needs_reason": _("Choose a reason to decline."),
        "needs_outcome": _("Describe the outcome to close the referral."),
        "notes_closed": _("Notes are closed on this referral."),
        "empty_note": _("Write a note first."),
    }
    return messages.get(
        problem,
        _("This step is not possible any more: the referral has changed in the meantime."),
    )


@bp.post("/<uuid:referral_id>/status")
def change_status(referral_id: uuid.UUID):
    actor = _require_actor()
    session = db.session()
    referral = _visible_referral(session, actor, referral_id)
    form = StatusForm()
    if not form.validate_on_submit():
        return _back_to(
            referral_id, _("Your answer was not saved: please check the form."), "error"
        )
    try:
        to = ReferralStatus(form.to.data)
    except ValueError:
        return _back_to(referral_id, _refusal("not_allowed"), "error")
    try:
        lifecycle.transition(
            session,
            actor,
            referral,
            to,
            note=form.note.data,
            reason=form.decline_reason(),
            outcome=form.outcome.data,
        )
    except TransitionError as refused:
        session.rollback()
        return _back_to(referral_id, _refusal(refused.problem), "error")
    session.commit()
    return _back_to(referral_id, _("Saved. The other side has been told."), "success")


@bp.post("/<uuid:referral_id>/note")
def add_note(referral_id: uuid.UUID):
    actor = _require_actor()
    session = db.session()
    referral = _visible_referral(session, actor, referral_id)
    form = NoteForm()
    if not form.validate_on_submit():
        message = _("Your note was not saved: write at most 1,000 characters.")
        return _back_to(referral_id, message, "error")
    try:
        lifecycle.add_note(session, actor, referral, form.note.data)
    except TransitionError as refused:
        session.rollback()
        return _back_to(referral_id, _refusal(refused.problem), "error")
    session.commit()
    return _back_to(referral_id, _("Note saved. The other side has been told."), "success")


@bp.get("/link/<token>")
def open_link(token: str):
    """A single-use link sent to an organisation without accounts. Opening it changes
    nothing (mail scanners follow links): the page asks for one click, which posts the
    token and uses it up."""
    if tokens.peek(db.session(), TokenPurpose.REFERRAL_ANSWER, token) is None:
        return render_template("referrals/link_invalid.html"), 410
    return render_template("referrals/open_link.html", form=LinkForm(token=token))


@bp.post("/link")
def redeem_link():
    """The click on that page: the link becomes a guest session for that one referral, and
    stops working."""
    form = LinkForm()
    if not form.validate_on_submit():
        abort(400)
    session = db.session()
    redeemed = tokens.redeem(session, TokenPurpose.REFERRAL_ANSWER, form.token.data or "")
    if redeemed is None or redeemed.referral_id is None:
        session.rollback()
        return render_template("referrals/link_invalid.html"), 410
    sessions.begin(referral_id=redeemed.referral_id)
    session.commit()
    return redirect(url_for("referrals.detail", referral_id=redeemed.referral_id), code=303)


def _sender_handover(session: Session, actor: access.Actor, handover_id: uuid.UUID):
    referrals = list(
        session.scalars(
            select(Referral)
            .where(
                Referral.handover_id == handover_id,
                Referral.sender_organization_id.in_(actor.sends_for),
            )
            .options(selectinload(Referral.events))
        )
    )
    if not referrals:
        abort(404)
    return referrals


@bp.post("/handover/<uuid:handover_id>/export")
@permissions.role_required(Role.INFO_POINT_WORKER)
def export(handover_id: uuid.UUID):
    """Everything kept about a client's handover, as a file, at the client's request."""
    actor = _require_actor()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    session = db.session()
    referrals = _sender_handover(session, actor, handover_id)
    document = retention.export(session, actor, referrals)
    session.commit()
    return Response(
        json.dumps(document, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={
            "Content-Disposition": (
                f'attachment; filename="nabij-referral-{handover_id.hex[:8]}.json"'
            )
        },
    )


@bp.route("/handover/<uuid:handover_id>/erase", methods=["GET", "POST"])
@permissions.role_required(Role.INFO_POINT_WORKER)
def erase(handover_id: uuid.UUID):
    """Erase a client's handover at their request, after a confirmation."""
    actor = _require_actor()
    session = db.session()
    referrals = _sender_handover(session, actor, handover_id)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        retention.erase_handover(session, actor, referrals)
        session.commit()
        flash(_("The referral and its history were erased."), "success")
        return redirect(url_for("referrals.index"), code=303)
    return render_template("referrals/erase.html", referrals=referrals, form=form)


@bp.get("/overview")
@permissions.role_required(Role.COORDINATOR)
def overview():
    """Anonymous counts for coordinators: never a client, never a single referral."""
    session = db.session()
    terms = {
        term.code: term
        for domain in catalogue_queries.kinds_of_help(session)
        for term in domain.children
    }
    return render_template(
        "referrals/overview.html", overview=queries.overview(session), terms=terms
    )
