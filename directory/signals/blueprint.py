"""Routes of signals of concern: the public form and its receipt, the inbox of an info point
(or of the coordinators), one signal with its steps, a coordinator's forwarding, the
hand-over to a referral, and the places each info point takes signals for.

Nothing about the person ever goes into a URL (ids are opaque) and every response says
`Cache-Control: no-store`. A signal the reader may not see is "not found", whether or not
it exists.
"""

from __future__ import annotations

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

from directory import mail, ratelimit, responses
from directory.accounts import permissions, sessions
from directory.extensions import db
from directory.feedback import spam
from directory.i18n import current_language, name_in
from directory.models import (
    LanguageCode,
    Municipality,
    Neighbourhood,
    Organization,
    PersonAware,
    Postcode,
    Role,
    Signal,
    SignalEvent,
    SignalRoute,
    SignalStatus,
)
from directory.referrals import access as referral_access
from directory.referrals import consent
from directory.referrals.forms import ReferralForm
from directory.signals import access, handover, lifecycle, queries, routing, states
from directory.signals.forms import DoorForm, ForwardForm, PlacesForm, SignalForm, StepForm
from directory.signals.labels import STEP_LABELS
from directory.signals.states import Actor, TransitionError

bp = Blueprint("signals", __name__)

# Forms carry a token and a stamp; every other page is about one person.
responses.never_stored(bp, no_referrer=True)

FORM_SCOPE = "signal"


# The public form -----------------------------------------------------------------------


def _place_choices(form: SignalForm, session: Session) -> None:
    lang = current_language()
    neighbourhoods = session.scalars(
        select(Neighbourhood).options(selectinload(Neighbourhood.municipality))
    ).all()
    form.neighbourhood.choices = [SelectChoice("", _("I do not know"))] + [
        SelectChoice(str(n.number), f"{n.display_name(lang)} ({n.municipality.display_name(lang)})")
        for n in sorted(neighbourhoods, key=lambda n: n.display_name(lang))
    ]
    in_municipality: dict[uuid.UUID, set[str]] = {}
    for n in neighbourhoods:
        in_municipality.setdefault(n.municipality_id, set()).add(str(n.number))
    postcodes = session.scalars(
        select(Postcode).options(selectinload(Postcode.other_municipalities))
    ).all()
    form.known_postcodes = {
        p.code: set().union(
            *(
                in_municipality.get(m, set())
                for m in (p.municipality_id, *(o.id for o in p.other_municipalities))
            )
        )
        for p in postcodes
    }
    form.person_language.choices = [SelectChoice("", _("I do not know"))] + [
        SelectChoice(code.code, code.display_name(lang))
        for code in session.scalars(select(LanguageCode).order_by(LanguageCode.position))
    ]


def _form_page(form: SignalForm, status: int = 200, **context):
    """The form with a fresh stamp and an empty honeypot, keeping what was typed."""
    form.stamp.data = spam.issue_stamp(FORM_SCOPE)
    form.website.data = ""
    return render_template("signals/new.html", form=form, **context), status


def _within_limits(place: str) -> bool:
    config = current_app.config
    address = request.remote_addr or "unknown"
    return ratelimit.allow(
        "signal-address", address, config["SIGNAL_LIMIT_PER_IP"]
    ) and ratelimit.allow("signal-place", place, config["SIGNAL_LIMIT_PER_PLACE"])


def _report(form: SignalForm, session: Session) -> lifecycle.Report:
    neighbourhood = None
    if form.neighbourhood.data:
        neighbourhood = session.scalar(
            select(Neighbourhood).where(Neighbourhood.number == int(form.neighbourhood.data))
        )
    postcode = None
    if form.postcode.data:
        postcode = session.scalar(select(Postcode).where(Postcode.code == form.postcode.data))
    return lifecycle.Report(
        submission_key=form.submission_key.data,
        observations=list(form.observations.data or []),
        text=form.text.data or None,
        neighbourhood=neighbourhood,
        postcode=postcode,
        person_language=form.person_language.data or None,
        person_aware=PersonAware(form.person_aware.data),
        signaller_email=form.signaller_email.data or None,
        signaller_phone=form.signaller_phone.data or None,
        locale=current_language(),
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Signal a concern, without an account."""
    session = db.session()
    form = SignalForm()
    _place_choices(form, session)
    if request.method == "GET":
        form.submission_key.data = secrets.token_hex(16)
        return _form_page(form)
    verdict = spam.judge(FORM_SCOPE, form.stamp.data, form.website.data)
    if verdict is spam.Verdict.BOT:
        return redirect(url_for("signals.received"), code=303)
    if verdict is spam.Verdict.STALE or not form.validate():
        return _form_page(form, 400, stale=verdict is spam.Verdict.STALE)
    if not _within_limits(form.neighbourhood.data or form.postcode.data):
        return _form_page(form, 429, limited=True)
    lifecycle.receive(session, _report(form, session))
    session.commit()
    return redirect(url_for("signals.received"), code=303)


@bp.get("/received")
def received():
    """The receipt: the same page for everyone (a bot learns nothing)."""
    return render_template("signals/received.html")


# The inbox ------------------------------------------------------------------------------


def _require_reader() -> access.Reader:
    account = sessions.current_account()
    if account is None:
        abort(permissions.sign_in_redirect())
    reader = access.reader_for(account, sessions.current_session())
    if reader is None:
        abort(403)
    return reader


def _visible_signal(session: Session, reader: access.Reader, signal_id: uuid.UUID) -> Signal:
    signal = session.scalar(
        select(Signal)
        .where(Signal.id == signal_id, access.visible_to(reader))
        .options(
            selectinload(Signal.routes)
            .selectinload(SignalRoute.organization)
            .selectinload(Organization.texts),
            selectinload(Signal.events).selectinload(SignalEvent.actor),
            selectinload(Signal.events)
            .selectinload(SignalEvent.forwarded_to)
            .selectinload(Organization.texts),
            selectinload(Signal.neighbourhood).selectinload(Neighbourhood.municipality),
            selectinload(Signal.postcode),
            selectinload(Signal.taken_by_account),
            selectinload(Signal.taken_by_organization).selectinload(Organization.texts),
        )
    )
    if signal is None:
        abort(404)
    return signal


@bp.get("/")
def index():
    """The signals an info point's workers may take up or follow up, or those the
    coordinators have (sent to nobody, or nobody took them up in time)."""
    reader = _require_reader()
    session = db.session()
    open_only = request.args.get("show") != "all"
    signals = queries.inbox(session, reader, open_only=open_only)
    access.log(session, reader, signals, "list")
    session.commit()
    return render_template(
        "signals/inbox.html",
        signals=signals,
        counts=queries.inbox_counts(signals),
        open_only=open_only,
        coordinator=reader.coordinator,
    )


@bp.get("/<uuid:signal_id>")
def detail(signal_id: uuid.UUID):
    reader = _require_reader()
    session = db.session()
    signal = _visible_signal(session, reader, signal_id)
    actor = access.actor_of(reader, signal)
    access.log(session, reader, [signal], "view")
    session.commit()
    forward_form = None
    if actor is Actor.COORDINATOR and signal.status in states.FORWARDABLE:
        forward_form = ForwardForm()
        forward_form.organization.choices = _info_point_choices(session)
    return render_template(
        "signals/detail.html",
        signal=signal,
        steps=states.next_steps(signal.status, actor),
        step_labels=STEP_LABELS,
        step_form=StepForm(),
        forward_form=forward_form,
        can_hand_over=actor is Actor.INFO_POINT and signal.status in states.HANDOVER_FROM,
    )


def _refusal(problem: str) -> str:
    if problem == "needs_outcome":
        return _("Describe the outcome to close the signal.")
    return _("This step is not possible any more: the signal has changed in the meantime.")


def _back_to(signal_id: uuid.UUID, message: str, category: str) -> Response:
    flash(message, category)
    return redirect(url_for("signals.detail", signal_id=signal_id), code=303)


def _after_step(session: Session, reader: access.Reader, signal_id: uuid.UUID, message: str):
    """Back to the signal, or to the list when the step took it out of the reader's sight
    (a coordinator closed or forwarded it)."""
    still_visible = session.scalar(
        select(Signal.id).where(Signal.id == signal_id, access.visible_to(reader))
    )
    if still_visible is None:
        flash(message, "success")
        return redirect(url_for("signals.index"), code=303)
    return _back_to(signal_id, message, "success")


@bp.post("/<uuid:signal_id>/status")
def change_status(signal_id: uuid.UUID):
    reader = _require_reader()
    session = db.session()
    signal = _visible_signal(session, reader, signal_id)
    form = StepForm()
    if not form.validate_on_submit():
        return _back_to(signal_id, _("Nothing was saved: please check the form."), "error")
    try:
        to = SignalStatus(form.to.data)
    except ValueError:
        return _back_to(signal_id, _refusal("not_allowed"), "error")
    try:
        lifecycle.transition(
            session, reader, signal, to, outcome=form.outcome.data, note=form.note.data
        )
    except TransitionError as refused:
        session.rollback()
        return _back_to(signal_id, _refusal(refused.problem), "error")
    session.commit()
    return _after_step(session, reader, signal_id, _("Saved."))


def _info_point_choices(session: Session) -> list[SelectChoice]:
    lang = current_language()
    named = sorted(
        (name_in(organization, lang), str(organization.id))
        for organization in routing.info_points(session)
    )
    return [SelectChoice("", _("Choose an info point"))] + [
        SelectChoice(value, name) for name, value in named
    ]


@bp.post("/<uuid:signal_id>/forward")
@permissions.role_required(Role.COORDINATOR)
def forward(signal_id: uuid.UUID):
    """A coordinator sends a signal nobody has to an info point."""
    reader = _require_reader()
    session = db.session()
    signal = _visible_signal(session, reader, signal_id)
    form = ForwardForm()
    form.organization.choices = _info_point_choices(session)
    if not form.validate_on_submit() or not form.organization.data:
        return _back_to(signal_id, _("Choose an info point."), "error")
    organization = session.get(Organization, uuid.UUID(form.organization.data))
    try:
        lifecycle.forward(session, reader, signal, organization, note=form.note.data)
    except TransitionError as refused:
        session.rollback()
        return _back_to(signal_id, _refusal(refused.problem), "error")
    session.commit()
    return _after_step(
        session, reader, signal_id, _("Forwarded. The info point's workers have been told.")
    )


# The hand-over to a referral ------------------------------------------------------------


@bp.route("/<uuid:signal_id>/handover", methods=["GET", "POST"])
@permissions.role_required(Role.INFO_POINT_WORKER)
def handover_page(signal_id: uuid.UUID):
    """Turn the signal into a referral, with the person's consent: first the service, then
    the referral form of the referrals feature."""
    reader = _require_reader()
    session = db.session()
    signal = _visible_signal(session, reader, signal_id)
    if access.actor_of(reader, signal) is not Actor.INFO_POINT or (
        signal.status not in states.HANDOVER_FROM
    ):
        return _back_to(signal_id, _("Take the signal up before handing it over."), "error")
    lang = current_language()
    if request.method == "GET":
        access.log(session, reader, [signal], "view:handover")
        session.commit()
    service = handover.door(session, request.values.get("service"))
    if service is None:
        doors = DoorForm(request.args)
        doors.service.choices = handover.door_choices(session, lang)
        if request.args.get("service") is not None:
            doors.validate()
        status = 200 if request.method == "GET" else 400
        return render_template("signals/door.html", signal=signal, form=doors), status
    form = ReferralForm()
    handover.referral_form_choices(form, session, signal, lang)
    page = {"signal": signal, "service": service, "form": form}
    page["consent_texts"] = handover.consent_texts(service, lang)
    page["consent_version"] = consent.CONSENT_VERSION
    if request.method == "GET":
        form.service.data = str(service.id)
        form.submission_key.data = secrets.token_hex(16)
        form.consent_locale.data = lang
        form.on_behalf_of.data = form.on_behalf_of.choices[0].value
        form.client_languages.data = [signal.person_language] if signal.person_language else []
        return render_template("signals/handover.html", **page)
    if not form.validate_on_submit():
        return render_template("signals/handover.html", **page), 400
    # Hand-overs are referral submissions: the same limit per account.
    key = f"referral:{reader.account.id}"
    if not ratelimit.allow("referral", key, current_app.config["REFERRAL_SUBMIT_LIMIT"]):
        return render_template("signals/handover.html", **page, limited=True), 429
    referral_actor = referral_access.actor_for(reader.account, sessions.current_session())
    referrals = handover.make_referral(session, referral_actor, form, signal, service)
    if not referrals:
        session.rollback()
        form.submission_key.data = secrets.token_hex(16)
        return render_template("signals/handover.html", **page, not_saved=True), 409
    referral = referrals[0]
    if signal.referral_id != referral.id:  # not a resubmission of a hand-over already made
        try:
            lifecycle.hand_over(session, reader, signal, referral)
        except TransitionError:
            # Someone closed the signal meanwhile: the referral is not made, nor announced.
            session.rollback()
            mail.discard()
            return _back_to(signal_id, _refusal("not_allowed"), "error")
    session.commit()
    flash(_("The signal is handed over. You can follow the referral up here."), "success")
    return redirect(url_for("referrals.detail", referral_id=referral.id), code=303)


# The places an info point takes signals for ---------------------------------------------


@bp.get("/places")
@permissions.role_required(Role.INFO_POINT_WORKER, Role.COORDINATOR)
def places():
    """A worker's info point's places (their one info point straight away); for
    coordinators, every info point."""
    account = sessions.current_account()
    session = db.session()
    if account.role is Role.COORDINATOR:
        organizations = routing.info_points(session)
    else:
        if len(account.organization_ids) == 1:
            [only] = account.organization_ids
            return redirect(url_for("signals.place_settings", organization_id=only))
        organizations = session.scalars(
            select(Organization)
            .where(Organization.id.in_(account.organization_ids))
            .options(selectinload(Organization.texts))
        ).all()
    lang = current_language()
    rows = sorted(
        (
            (
                name_in(organization, lang),
                organization,
                routing.areas_of(session, organization.id),
            )
            for organization in organizations
        ),
        key=lambda row: row[0],
    )
    return render_template("signals/places.html", rows=rows)


def _area_groups(session: Session) -> list[tuple[Municipality, list[Neighbourhood]]]:
    lang = current_language()
    municipalities = sorted(
        session.scalars(select(Municipality).options(selectinload(Municipality.neighbourhoods))),
        key=lambda m: m.display_name(lang),
    )
    return [
        (m, sorted(m.neighbourhoods, key=lambda n: n.display_name(lang))) for m in municipalities
    ]


@bp.route("/places/<uuid:organization_id>", methods=["GET", "POST"])
@permissions.role_required(Role.INFO_POINT_WORKER, Role.COORDINATOR)
def place_settings(organization_id: uuid.UUID):
    """Which places an organisation takes signals for (its workers, or a coordinator)."""
    if not access.can_set_places(sessions.current_account(), organization_id):
        abort(404)
    session = db.session()
    organization = session.scalar(
        select(Organization)
        .where(Organization.id == organization_id)
        .options(selectinload(Organization.texts))
    )
    if organization is None:
        abort(404)
    groups = _area_groups(session)
    form = PlacesForm()
    form.areas.choices = [f"m:{m.nis_code}" for m, _n in groups] + [
        f"n:{n.number}" for _m, neighbourhoods in groups for n in neighbourhoods
    ]
    if request.method == "GET":
        form.areas.data = [
            routing.area_code(area) for area in routing.areas_of(session, organization.id)
        ]
        status = 200
    elif form.validate_on_submit():
        routing.set_areas(session, organization.id, list(form.areas.data or []))
        session.commit()
        flash(_("Saved. New signals for these places come to this info point."), "success")
        return redirect(
            url_for("signals.place_settings", organization_id=organization.id), code=303
        )
    else:
        status = 400
    chosen = set(form.areas.data or [])
    opened = {
        municipality.nis_code
        for municipality, neighbourhoods in groups
        if f"m:{municipality.nis_code}" in chosen
        or any(f"n:{n.number}" in chosen for n in neighbourhoods)
    }
    return render_template(
        "signals/place_settings.html",
        organization=organization,
        groups=groups,
        form=form,
        chosen=chosen,
        opened=opened,
    ), status
