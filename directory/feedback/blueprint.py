"""Routes of public feedback and of the coordinators' queues.

Public, without an account: "report an error" on every organisation and service, "manage
this listing" (a claim) and "propose an organisation". Each form is rate-limited per address
(the address is counted, hashed, and never stored) and per listing, and carries the spam
signals of `spam`; a submission they catch gets the same thank-you page as everyone.

Coordinators: the open error reports and the pending claims, one page per item, and one
POST per item to decide it.
"""

from __future__ import annotations

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
from sqlalchemy.orm import selectinload

from directory import ratelimit, responses
from directory.accounts import permissions, sessions
from directory.extensions import db
from directory.feedback import operations, spam
from directory.feedback.forms import (
    ClaimDecisionForm,
    ClaimForm,
    ProposeForm,
    PublicForm,
    ReportDecisionForm,
    ReportForm,
)
from directory.i18n import current_language
from directory.labels import KIND_LABELS
from directory.models import (
    Claim,
    ErrorReport,
    Organization,
    OrganizationKind,
    ReportStatus,
    RequestStatus,
    Role,
    Service,
)

bp = Blueprint("feedback", __name__)

DEFAULT_LIMITS = {
    "FEEDBACK_LIMIT_PER_IP": "5/hour",  # per address and per form (report, claim)
    "FEEDBACK_LIMIT_PER_LISTING": "30/day",  # every address together, per listing
}


# Forms carry a CSRF token and a stamp; queues carry what the public sent.
responses.never_stored(bp)


# Public forms -----------------------------------------------------------------------------


def _organization_or_404(organization_id: uuid.UUID) -> Organization:
    found = db.session().scalar(
        select(Organization)
        .where(Organization.id == organization_id)
        .options(selectinload(Organization.texts))
    )
    if found is None:
        abort(404)
    return found


def _thanks(about: str) -> Response:
    return redirect(url_for("feedback.thanks", about=about), code=303)


def _checked(form: PublicForm, scope: str) -> str:
    """What a POST looks like: "bot", "stale" or "person" (see `spam.judge`)."""
    return spam.judge(scope, form.stamp.data, form.website.data).value


def _within_limits(form_name: str, listing_key: str) -> bool:
    config = current_app.config
    address = request.remote_addr or "unknown"
    return ratelimit.allow(
        f"feedback-{form_name}-address", address, config["FEEDBACK_LIMIT_PER_IP"]
    ) and ratelimit.allow(
        f"feedback-{form_name}-listing", listing_key, config["FEEDBACK_LIMIT_PER_LISTING"]
    )


def _public_form(template: str, form: PublicForm, scope: str, status: int = 200, **context):
    """The form with a fresh stamp and an empty honeypot, keeping what was typed."""
    form.stamp.data = spam.issue_stamp(scope)
    form.website.data = ""
    return render_template(template, form=form, **context), status


@bp.route("/organizations/<uuid:organization_id>/report", methods=["GET", "POST"])
def report_organization(organization_id: uuid.UUID):
    return _report(_organization_or_404(organization_id), None)


@bp.route("/services/<uuid:service_id>/report", methods=["GET", "POST"])
def report_service(service_id: uuid.UUID):
    service = db.session().scalar(
        select(Service)
        .where(Service.id == service_id)
        .options(
            selectinload(Service.texts),
            selectinload(Service.organization).selectinload(Organization.texts),
        )
    )
    if service is None:
        abort(404)
    return _report(service.organization, service)


def _report(organization: Organization, service: Service | None):
    listing = service or organization
    scope = f"report:{listing.id}"
    form = ReportForm()
    context = {"organization": organization, "service": service, "listing": listing}
    if request.method == "GET":
        return _public_form("feedback/report.html", form, scope, **context)
    verdict = _checked(form, scope)
    if verdict == "bot":
        return _thanks("report")
    if verdict == "stale" or not form.validate():
        return _public_form(
            "feedback/report.html", form, scope, 400, stale=verdict == "stale", **context
        )
    if not _within_limits("report", str(listing.id)):
        return _public_form("feedback/report.html", form, scope, 429, limited=True, **context)
    session = db.session()
    operations.submit_report(
        session,
        organization=organization,
        service=service,
        what=form.what.data,
        message=form.message.data,
        reporter_email=form.reporter_email.data or None,
        locale=current_language(),
    )
    session.commit()
    return _thanks("report")


@bp.route("/organizations/<uuid:organization_id>/claim", methods=["GET", "POST"])
def claim(organization_id: uuid.UUID):
    organization = _organization_or_404(organization_id)
    scope = f"claim:{organization.id}"
    form = ClaimForm()
    if request.method == "GET":
        return _public_form("feedback/claim.html", form, scope, organization=organization)
    verdict = _checked(form, scope)
    if verdict == "bot":
        return _thanks("claim")
    if verdict == "stale" or not form.validate():
        return _public_form(
            "feedback/claim.html",
            form,
            scope,
            400,
            stale=verdict == "stale",
            organization=organization,
        )
    if not _within_limits("claim", str(organization.id)):
        return _public_form(
            "feedback/claim.html", form, scope, 429, limited=True, organization=organization
        )
    session = db.session()
    operations.submit_claim(session, organization=organization, **_claimant(form))
    session.commit()
    return _thanks("claim")


@bp.route("/organizations/propose", methods=["GET", "POST"])
def propose():
    scope = "propose"
    form = ProposeForm()
    if request.method == "GET":
        return _public_form("feedback/propose.html", form, scope)
    verdict = _checked(form, scope)
    if verdict == "bot":
        return _thanks("proposal")
    if verdict == "stale" or not form.validate():
        return _public_form("feedback/propose.html", form, scope, 400, stale=verdict == "stale")
    if not _within_limits("claim", "proposals"):
        return _public_form("feedback/propose.html", form, scope, 429, limited=True)
    session = db.session()
    operations.submit_claim(
        session,
        organization=None,
        proposed_name=form.proposed_name.data,
        proposed_kind=OrganizationKind(form.proposed_kind.data).value,
        proposed_description=form.proposed_description.data,
        **_claimant(form),
    )
    session.commit()
    return _thanks("proposal")


def _claimant(form: ClaimForm | ProposeForm) -> dict:
    return {
        "name": form.name.data,
        "email": form.email.data,
        "role_in_organization": form.role_in_organization.data or None,
        "message": form.message.data or None,
        "locale": current_language(),
    }


@bp.get("/thank-you")
def thanks():
    about = request.args.get("about")
    return render_template(
        "feedback/thanks.html", about=about if about in ("report", "claim", "proposal") else None
    )


# Coordinators' queues ---------------------------------------------------------------------


def _queue_page(template: str, status: int = 200, **context):
    counts = operations.queue_counts(db.session())
    return render_template(template, counts=counts, **context), status


def _already_decided(endpoint: str, **values: object) -> Response:
    """Two coordinators deciding the same item: the second is told, nothing changes."""
    flash(_("This was already decided, maybe by another coordinator."), "error")
    return redirect(url_for(endpoint, **values), code=303)


@bp.get("/coordination/reports")
@permissions.role_required(Role.COORDINATOR)
def reports():
    open_only = request.args.get("show") != "all"
    return _queue_page(
        "feedback/reports.html",
        reports=operations.reports(db.session(), open_only=open_only),
        open_only=open_only,
    )


def _report_or_404(report_id: uuid.UUID) -> ErrorReport:
    found = db.session().scalar(
        select(ErrorReport)
        .where(ErrorReport.id == report_id)
        .options(
            selectinload(ErrorReport.organization).selectinload(Organization.texts),
            selectinload(ErrorReport.service).selectinload(Service.texts),
        )
    )
    if found is None:
        abort(404)
    return found


@bp.get("/coordination/reports/<uuid:report_id>")
@permissions.role_required(Role.COORDINATOR)
def report_detail(report_id: uuid.UUID):
    return _queue_page(
        "feedback/report_detail.html", report=_report_or_404(report_id), form=ReportDecisionForm()
    )


@bp.post("/coordination/reports/<uuid:report_id>/decide")
@permissions.role_required(Role.COORDINATOR)
def decide_report(report_id: uuid.UUID):
    report = _report_or_404(report_id)
    if report.status is not ReportStatus.OPEN:
        return _already_decided("feedback.report_detail", report_id=report_id)
    form = ReportDecisionForm()
    if not form.validate():
        return _queue_page("feedback/report_detail.html", 400, report=report, form=form)
    session = db.session()
    resolved = form.action.data == "resolve"
    try:
        operations.decide_report(
            session, report, sessions.current_account(), resolved=resolved, note=form.note.data
        )
    except operations.DecisionError:
        session.rollback()
        return _already_decided("feedback.report_detail", report_id=report_id)
    session.commit()
    flash(
        _("The report is marked as resolved.") if resolved else _("The report is dismissed."),
        "success",
    )
    return redirect(url_for("feedback.reports"), code=303)


@bp.get("/coordination/claims")
@permissions.role_required(Role.COORDINATOR)
def claims():
    pending_only = request.args.get("show") != "all"
    return _queue_page(
        "feedback/claims.html",
        claims=operations.claims(db.session(), pending_only=pending_only),
        open_only=pending_only,
    )


def _claim_or_404(claim_id: uuid.UUID) -> Claim:
    found = db.session().scalar(
        select(Claim)
        .where(Claim.id == claim_id)
        .options(selectinload(Claim.organization).selectinload(Organization.texts))
    )
    if found is None:
        abort(404)
    return found


def _claim_page(claim: Claim, form: ClaimDecisionForm, status: int = 200):
    kind = claim.proposed_kind
    kind_label = KIND_LABELS.get(OrganizationKind(kind)) if kind in set(OrganizationKind) else kind
    return _queue_page(
        "feedback/claim_detail.html", status, claim=claim, form=form, kind_label=kind_label
    )


@bp.get("/coordination/claims/<uuid:claim_id>")
@permissions.role_required(Role.COORDINATOR)
def claim_detail(claim_id: uuid.UUID):
    return _claim_page(_claim_or_404(claim_id), ClaimDecisionForm())


@bp.post("/coordination/claims/<uuid:claim_id>/decide")
@permissions.role_required(Role.COORDINATOR)
def decide_claim(claim_id: uuid.UUID):
    claim = _claim_or_404(claim_id)
    if claim.status is not RequestStatus.PENDING:
        return _already_decided("feedback.claim_detail", claim_id=claim_id)
    form = ClaimDecisionForm()
    if not form.validate():
        return _claim_page(claim, form, 400)
    session = db.session()
    coordinator = sessions.current_account()
    try:
        if form.action.data == "approve":
            operations.approve_claim(session, claim, coordinator)
            message = _("Approved. The person has been sent an invitation or told by email.")
        else:
            operations.reject_claim(session, claim, coordinator, form.reason.data)
            message = _("Rejected. The person has been told the reason by email.")
    except operations.DecisionError as refused:
        session.rollback()
        if refused.problem == "other_role":
            form.action.errors = [
                _(
                    "This email address belongs to an account that is not an organisation "
                    "member. Reject the request, or change that account first."
                )
            ]
            return _claim_page(_claim_or_404(claim_id), form, 409)
        return _already_decided("feedback.claim_detail", claim_id=claim_id)
    session.commit()
    flash(message, "success")
    return redirect(url_for("feedback.claims"), code=303)
