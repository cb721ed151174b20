"""Routes for organisations keeping their listing true, and for coordinators moderating.

Members see and edit only their own organisations; any other id is "not found", whether or
not it exists. Coordinators see every listing and the queue of change requests. Every page
works without JavaScript and says `Cache-Control: no-store`.
"""

from __future__ import annotations

import uuid

from flask import (
    Blueprint,
    Response,
    abort,
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

from directory import responses
from directory.accounts import permissions, sessions
from directory.catalogue import queries as catalogue_queries
from directory.extensions import db
from directory.forms import ConfirmForm
from directory.i18n import current_language, pick_text
from directory.labels import REGION_LABEL
from directory.listings import fields, forms, moderation, presenting
from directory.models import (
    Account,
    ChangeRequest,
    LanguageCode,
    ListingChange,
    Membership,
    Municipality,
    Neighbourhood,
    Organization,
    Postcode,
    RequestStatus,
    Role,
    Service,
)
from directory.models.place import bilingual_name

bp = Blueprint("listings", __name__)
EDITORS = (Role.ORGANIZATION_MEMBER, Role.COORDINATOR)
HISTORY_LIMIT = 300


responses.never_stored(bp)


def _account() -> Account:
    account = sessions.current_account()
    assert account is not None  # the views are behind role_required
    return account


def _organization(session: Session, organization_id: uuid.UUID) -> Organization:
    """An organisation the reader may edit; anything else is "not found"."""
    permissions.require_editable(organization_id)
    organization = session.get(Organization, organization_id)
    if organization is None:
        abort(404)
    return organization


def _service(session: Session, organization: Organization, service_id: uuid.UUID) -> Service:
    service = session.get(Service, service_id)
    if service is None or service.organization_id != organization.id:
        abort(404)
    return service


def _change_request(session: Session, request_id: uuid.UUID) -> ChangeRequest:
    found = session.get(ChangeRequest, request_id)
    if found is None:
        abort(404)
    permissions.require_editable(found.organization_id)
    return found


def _name(listing) -> str:
    picked = pick_text(listing.texts, current_language())
    return picked.text.name if picked else "?"


@bp.get("/")
@permissions.role_required(*EDITORS)
def index():
    """A member's organisations and their change requests; coordinators go to the queue."""
    account = _account()
    if account.role is Role.COORDINATOR:
        return redirect(url_for("listings.queue"))
    session = db.session()
    organizations = session.scalars(
        select(Organization)
        .where(Organization.id.in_(account.organization_ids))
        .options(selectinload(Organization.texts), selectinload(Organization.services))
    ).all()
    requests = session.scalars(
        select(ChangeRequest)
        .where(ChangeRequest.organization_id.in_(account.organization_ids))
        .order_by(ChangeRequest.created_at.desc())
        .limit(50)
    ).all()
    trusted = {
        membership.organization_id for membership in account.memberships if membership.is_trusted
    }
    return render_template(
        "listings/index.html",
        organizations=sorted(organizations, key=_name),
        requests=requests,
        trusted=trusted,
        listing_name=_name,
    )


def _after_edit(outcome: moderation.Outcome, organization: Organization) -> Response:
    if outcome.unchanged:
        flash(_("Nothing was changed."), "info")
    elif outcome.request is not None:
        flash(
            _("Thank you. A coordinator will check your changes before they are published."),
            "success",
        )
    else:
        flash(_("Saved and published. Searches find the new text at once."), "success")
    if _account().role is Role.COORDINATOR:
        return redirect(url_for("listings.history", organization_id=organization.id), code=303)
    return redirect(url_for("listings.index"), code=303)


def _form_values(listing, pending: ChangeRequest | None) -> dict:
    """The listing as published; for a member who proposes, with the pending proposal on
    top (their new request replaces it, so it must carry its changes). Someone who publishes
    starts from the published values: a coordinator decides on the proposal."""
    values = fields.snapshot(listing)
    organization_id = moderation.organization_of(listing)
    if pending is not None and not moderation.is_trusted(db.session(), _account(), organization_id):
        values.update(pending.after)
    return values


def _not_saved() -> None:
    flash(_("Nothing was saved: please check the fields marked below."), "error")


@bp.route("/organizations/<uuid:organization_id>", methods=["GET", "POST"])
@permissions.role_required(*EDITORS)
def edit_organization(organization_id: uuid.UUID):
    session = db.session()
    organization = _organization(session, organization_id)
    pending = moderation.pending_request(session, organization)
    form = forms.OrganizationForm()
    status = 200
    if request.method == "GET":
        form.load(_form_values(organization, pending))
    elif form.validate_on_submit():
        outcome = moderation.edit(
            session,
            _account(),
            organization,
            form.values(informal=organization.is_informal),
        )
        session.commit()
        return _after_edit(outcome, organization)
    else:
        _not_saved()
        status = 400
    return render_template(
        "listings/organization_form.html",
        form=form,
        organization=organization,
        locations=_form_values(organization, pending)["locations"],
        location_label=_location_label,
        pending=pending,
        trusted=moderation.is_trusted(session, _account(), organization.id),
        listing_name=_name,
    ), status


def _location_label(value: dict) -> str:
    place = ", ".join(part for part in (value.get("address"), value.get("postcode")) if part)
    if value.get("name") and place:
        return f"{value['name']} ({place})"
    return value.get("name") or place or _("Location without an address")


def _service_choices(form: forms.ServiceForm, session: Session, organization: Organization) -> None:
    lang = current_language()
    form.help.choices = [
        SelectChoice(term.code, f"{domain.label(lang)}: {term.label(lang)}")
        for domain in catalogue_queries.kinds_of_help(session)
        for term in domain.children
    ]
    form.languages.choices = [
        SelectChoice(code.code, code.display_name(lang))
        for code in session.scalars(select(LanguageCode).order_by(LanguageCode.position))
    ]
    municipalities = sorted(
        session.scalars(select(Municipality)), key=lambda m: m.display_name(lang)
    )
    neighbourhoods = session.scalars(
        select(Neighbourhood)
        .options(selectinload(Neighbourhood.municipality))
        .order_by(Neighbourhood.number)
    ).all()
    form.locations.choices = [
        SelectChoice(value["id"], _location_label(value))
        for value in fields.snapshot(organization)["locations"]
    ]
    form.areas.choices = (
        [SelectChoice(fields.REGION, str(REGION_LABEL))]
        + [
            SelectChoice(f"m:{m.nis_code}", _("Municipality: %(name)s", name=m.display_name(lang)))
            for m in municipalities
        ]
        + [
            SelectChoice(
                f"n:{n.number}",
                _(
                    "Neighbourhood: %(name)s (%(municipality)s)",
                    name=n.display_name(lang),
                    municipality=n.municipality.display_name(lang),
                ),
            )
            for n in sorted(neighbourhoods, key=lambda n: n.display_name(lang))
        ]
    )


def _service_page(form, organization, service, pending, status: int, keep_hours=False):
    return render_template(
        "listings/service_form.html",
        form=form,
        organization=organization,
        service=service,
        pending=pending,
        keep_hours=keep_hours,
        trusted=moderation.is_trusted(db.session(), _account(), organization.id),
        day_name=presenting.day_name,
        listing_name=_name,
    ), status


@bp.route(
    "/organizations/<uuid:organization_id>/services/<uuid:service_id>", methods=["GET", "POST"]
)
@permissions.role_required(*EDITORS)
def edit_service(organization_id: uuid.UUID, service_id: uuid.UUID):
    session = db.session()
    organization = _organization(session, organization_id)
    service = _service(session, organization, service_id)
    pending = moderation.pending_request(session, service)
    form = forms.ServiceForm()
    _service_choices(form, session, organization)
    current = _form_values(service, pending)
    keep_hours = forms.too_many_periods(current)
    if request.method == "GET":
        form.load(current)
    elif form.validate_on_submit():
        outcome = moderation.edit(session, _account(), service, form.values(keep_hours=keep_hours))
        session.commit()
        return _after_edit(outcome, organization)
    else:
        _not_saved()
        return _service_page(form, organization, service, pending, 400, keep_hours)
    return _service_page(form, organization, service, pending, 200, keep_hours)


@bp.route("/organizations/<uuid:organization_id>/services/new", methods=["GET", "POST"])
@permissions.role_required(*EDITORS)
def add_service(organization_id: uuid.UUID):
    session = db.session()
    organization = _organization(session, organization_id)
    form = forms.ServiceForm()
    _service_choices(form, session, organization)
    if request.method == "GET":
        form.load({})
    elif form.validate_on_submit():
        outcome = moderation.add_service(session, _account(), organization, form.values())
        session.commit()
        return _after_edit(outcome, organization)
    else:
        _not_saved()
        return _service_page(form, organization, None, None, 400)
    return _service_page(form, organization, None, None, 200)


def _location_choices(form: forms.LocationForm, session: Session) -> None:
    """Postcodes of the region, and neighbourhoods grouped under their municipality."""
    lang = current_language()
    postcodes = session.scalars(
        select(Postcode)
        .options(selectinload(Postcode.municipality), selectinload(Postcode.other_municipalities))
        .order_by(Postcode.code)
    ).all()
    form.postcode.choices = [SelectChoice("", _("Choose a postcode"))] + [
        SelectChoice(p.code, f"{p.code} {bilingual_name(p.locality_fr, p.locality_nl, lang)}")
        for p in postcodes
    ]
    neighbourhoods = session.scalars(
        select(Neighbourhood).options(
            selectinload(Neighbourhood.municipality),
            selectinload(Neighbourhood.other_municipalities),
        )
    ).all()
    form.neighbourhood.choices = [SelectChoice("", _("Derive it from the postcode"))] + [
        SelectChoice(
            str(n.number),
            f"{n.display_name(lang)} ({n.municipality.display_name(lang)})",
        )
        for n in sorted(neighbourhoods, key=lambda n: n.display_name(lang))
    ]
    in_municipality: dict[uuid.UUID, set[int]] = {}
    for n in neighbourhoods:
        for municipality in (n.municipality, *n.other_municipalities):
            in_municipality.setdefault(municipality.id, set()).add(n.number)
    form.neighbourhoods_of = {
        p.code: set().union(
            *(in_municipality.get(m.id, set()) for m in (p.municipality, *p.other_municipalities))
        )
        for p in postcodes
    }


def _location_page(form, organization, location_id, is_new: bool, status: int):
    return render_template(
        "listings/location_form.html",
        form=form,
        organization=organization,
        location_id=location_id,
        is_new=is_new,
        remove_form=ConfirmForm(),
        trusted=moderation.is_trusted(db.session(), _account(), organization.id),
        day_name=presenting.day_name,
        listing_name=_name,
    ), status


def _edit_locations(session: Session, organization: Organization, replace) -> Response:
    """Publish or propose the organisation with its list of locations changed by `replace`
    (the list in, the new list out); the rest of a pending proposal is carried along."""
    pending = moderation.pending_request(session, organization)
    values = _form_values(organization, pending)
    values["locations"] = sorted(replace(values["locations"]), key=lambda value: value["id"])
    outcome = moderation.edit(session, _account(), organization, values)
    session.commit()
    return _after_edit(outcome, organization)


@bp.route(
    "/organizations/<uuid:organization_id>/locations/<uuid:location_id>", methods=["GET", "POST"]
)
@bp.route(
    "/organizations/<uuid:organization_id>/locations/new",
    methods=["GET", "POST"],
    defaults={"location_id": None},
)
@permissions.role_required(*EDITORS)
def edit_location(organization_id: uuid.UUID, location_id: uuid.UUID | None):
    """One location of the organisation, new or existing (as published, or as proposed)."""
    session = db.session()
    organization = _organization(session, organization_id)
    pending = moderation.pending_request(session, organization)
    locations = _form_values(organization, pending)["locations"]
    current = None
    if location_id is not None:
        current = next((value for value in locations if value["id"] == str(location_id)), None)
        if current is None:
            abort(404)
    form = forms.LocationForm()
    _location_choices(form, session)
    # A new location's id is chosen now and travels in the form, so saving twice is one place.
    new_id = request.form.get("new_id") if location_id is None else None
    try:
        key = str(location_id or uuid.UUID(new_id or ""))
    except ValueError:
        key = str(uuid.uuid4())
    if request.method == "GET":
        form.load(current or {})
    elif form.validate_on_submit():
        value = form.value(key)
        return _edit_locations(
            session,
            organization,
            lambda values: [v for v in values if v["id"] != key] + [value],
        )
    else:
        _not_saved()
        return _location_page(form, organization, key, location_id is None, 400)
    return _location_page(form, organization, key, location_id is None, 200)


@bp.post("/organizations/<uuid:organization_id>/locations/<uuid:location_id>/remove")
@permissions.role_required(*EDITORS)
def remove_location(organization_id: uuid.UUID, location_id: uuid.UUID):
    session = db.session()
    organization = _organization(session, organization_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _edit_locations(
        session,
        organization,
        lambda values: [v for v in values if v["id"] != str(location_id)],
    )


@bp.get("/organizations/<uuid:organization_id>/history")
@permissions.role_required(*EDITORS)
def history(organization_id: uuid.UUID):
    """Every published change of the organisation and its services, newest first."""
    session = db.session()
    organization = _organization(session, organization_id)
    changes = session.scalars(
        select(ListingChange)
        .where(ListingChange.organization_id == organization.id)
        .options(selectinload(ListingChange.updated_by))
        .order_by(ListingChange.created_at.desc(), ListingChange.field_name)
        .limit(HISTORY_LIMIT)
    ).all()
    vocabulary = presenting.Vocabulary(session)
    names = {organization.id: _name(organization)}
    names.update({service.id: _name(service) for service in organization.services})
    rows = [
        (
            change,
            names.get(change.resource_id, "?"),
            presenting.diff_rows(
                {change.field_name: moderation.from_text(change.previous_value)},
                {change.field_name: moderation.from_text(change.replacement_value)},
                vocabulary,
            )[0],
        )
        for change in changes
    ]
    return render_template(
        "listings/history.html", organization=organization, rows=rows, listing_name=_name
    )


@bp.get("/requests")
@permissions.role_required(Role.COORDINATOR)
def queue():
    """Change requests waiting for a coordinator, oldest first."""
    session = db.session()
    pending = session.scalars(
        select(ChangeRequest)
        .where(ChangeRequest.status == RequestStatus.PENDING)
        .options(
            selectinload(ChangeRequest.organization).selectinload(Organization.texts),
            selectinload(ChangeRequest.service).selectinload(Service.texts),
            selectinload(ChangeRequest.proposed_by),
        )
        .order_by(ChangeRequest.created_at)
    ).all()
    return render_template("listings/queue.html", pending=pending, listing_name=_name)


def _request_title(change_request: ChangeRequest) -> str:
    if change_request.service is not None:
        return _name(change_request.service)
    if change_request.resource_type == "service":
        return _("New service")
    return _name(change_request.organization)


@bp.get("/requests/<uuid:request_id>")
@permissions.role_required(*EDITORS)
def request_page(request_id: uuid.UUID):
    """One change request as a before/after diff; coordinators approve or reject it here."""
    session = db.session()
    change_request = _change_request(session, request_id)
    stale: tuple[str, ...] = ()
    listing = change_request.service or (
        change_request.organization if change_request.resource_type == "organization" else None
    )
    if change_request.status is RequestStatus.PENDING and listing is not None:
        stale = moderation.stale_fields(listing, change_request)
    membership = (
        session.get(Membership, (change_request.proposed_by_id, change_request.organization_id))
        if change_request.proposed_by_id
        else None
    )
    return render_template(
        "listings/request.html",
        change_request=change_request,
        title=_request_title(change_request),
        rows=presenting.diff_rows(
            change_request.before, change_request.after, presenting.Vocabulary(session)
        ),
        stale=[presenting.field_label(name) for name in stale],
        membership=membership,
        is_coordinator=_account().role is Role.COORDINATOR,
        reject_form=forms.RejectForm(),
        confirm_form=ConfirmForm(),
        listing_name=_name,
    )


def _back_to(request_id: uuid.UUID, message: str, category: str) -> Response:
    flash(message, category)
    return redirect(url_for("listings.request_page", request_id=request_id), code=303)


REFUSALS = {
    "not_pending": lambda: _("This request was already decided or replaced by a newer one."),
    "needs_reason": lambda: _("Say why the request is rejected: the member reads it."),
    "reason_too_long": lambda: _("Write at most 1,000 characters."),
}


def _refused(request_id: uuid.UUID, refusal: moderation.ModerationError) -> Response:
    db.session().rollback()
    if refusal.problem == "stale":
        names = ", ".join(presenting.field_label(name) for name in refusal.fields_changed)
        message = _(
            "Not approved: someone changed the listing after this request was made (%(fields)s). "
            "Reject it with a reason so the member can propose again from the new values.",
            fields=names,
        )
    else:
        message = REFUSALS.get(refusal.problem, REFUSALS["not_pending"])()
    return _back_to(request_id, message, "error")


@bp.post("/requests/<uuid:request_id>/approve")
@permissions.role_required(Role.COORDINATOR)
def approve(request_id: uuid.UUID):
    session = db.session()
    change_request = _change_request(session, request_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        moderation.approve(session, _account(), change_request)
    except moderation.ModerationError as refusal:
        return _refused(request_id, refusal)
    session.commit()
    return _back_to(request_id, _("Approved and published."), "success")


@bp.post("/requests/<uuid:request_id>/reject")
@permissions.role_required(Role.COORDINATOR)
def reject(request_id: uuid.UUID):
    session = db.session()
    change_request = _change_request(session, request_id)
    form = forms.RejectForm()
    if not form.validate_on_submit():
        return _back_to(request_id, _("Write at most 1,000 characters."), "error")
    try:
        moderation.reject(session, _account(), change_request, form.reason.data or "")
    except moderation.ModerationError as refusal:
        return _refused(request_id, refusal)
    session.commit()
    return _back_to(request_id, _("Rejected. The member sees your reason."), "success")


@bp.post("/requests/<uuid:request_id>/trust")
@permissions.role_required(Role.COORDINATOR)
def trust(request_id: uuid.UUID):
    """From now on, the author of this request publishes directly for its organisation."""
    session = db.session()
    change_request = _change_request(session, request_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if moderation.trust(session, change_request) is None:
        return _back_to(request_id, _("This person is no longer a member."), "error")
    session.commit()
    return _back_to(
        request_id, _("This member now publishes changes without moderation."), "success"
    )
