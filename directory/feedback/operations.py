"""What happens to an error report and to a claim: sent by the public, then decided by a
coordinator. Each operation only flushes; the request commits. Emails are queued with
`mail.send_after_commit`, so a rolled-back decision sends nothing.

Approving a claim invites the claimant as a member of the organisation (or adds the
membership when they already have an account); approving a proposal first creates the
organisation, marked as entered by the organisation itself.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from directory import clock, mail
from directory.accounts import operations as accounts
from directory.i18n import pick_text
from directory.models import (
    Account,
    Claim,
    ErrorReport,
    Line,
    Membership,
    Organization,
    OrganizationKind,
    OrganizationText,
    Provenance,
    ReportStatus,
    RequestStatus,
    Role,
    Service,
)

FORGOTTEN_NAME = "—"
FORGOTTEN_EMAIL = ""


class DecisionError(Exception):
    """A decision the rules refuse; `problem` names which (the page words it)."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


@dataclass(frozen=True)
class QueueCounts:
    open_reports: int
    pending_claims: int


def queue_counts(session: Session) -> QueueCounts:
    return QueueCounts(
        open_reports=session.scalar(
            select(func.count())
            .select_from(ErrorReport)
            .where(ErrorReport.status == ReportStatus.OPEN)
        )
        or 0,
        pending_claims=session.scalar(
            select(func.count()).select_from(Claim).where(Claim.status == RequestStatus.PENDING)
        )
        or 0,
    )


# Error reports ----------------------------------------------------------------------------


def submit_report(
    session: Session,
    *,
    organization: Organization,
    service: Service | None,
    what: str,
    message: str,
    reporter_email: str | None,
    locale: str,
) -> ErrorReport:
    report = ErrorReport(
        organization_id=organization.id,
        service_id=service.id if service is not None else None,
        what=what,
        message=message,
        reporter_email=accounts.normalise_email(reporter_email) if reporter_email else None,
        locale=locale,
        created_at=clock.utc_now(),
    )
    session.add(report)
    session.flush()
    return report


def decide_report(
    session: Session, report: ErrorReport, coordinator: Account, *, resolved: bool, note: str | None
) -> None:
    """Resolve (the listing was corrected) or dismiss a report. A reporter who left an
    address is told that it was corrected; the address is then forgotten either way."""
    if report.status is not ReportStatus.OPEN:
        raise DecisionError("already_decided")
    report.status = ReportStatus.RESOLVED if resolved else ReportStatus.DISMISSED
    report.resolution = note or None
    report.resolved_by_id = coordinator.id
    report.resolved_at = clock.utc_now()
    if resolved and report.reporter_email:
        mail.send_after_commit(_report_resolved_message(report))
    report.reporter_email = None
    session.flush()


def _listing_name(report_or_claim, locale: str) -> str:
    listing = getattr(report_or_claim, "service", None) or report_or_claim.organization
    picked = pick_text(listing.texts, locale) if listing is not None else None
    return picked.text.name if picked else "Nabij"


def _report_resolved_message(report: ErrorReport) -> mail.Message:
    name = _listing_name(report, report.locale)
    with force_locale(report.locale):
        subject = _("Thank you: the listing has been corrected")
        body = _(
            'You told us that something was wrong on the listing "%(name)s" on Nabij, '
            "the social map of Brussels. It has now been corrected. Thank you for your help.",
            name=name,
        )
    return mail.Message(report.reporter_email, subject, body)


# Claims and proposals ---------------------------------------------------------------------


def submit_claim(
    session: Session,
    *,
    organization: Organization | None,
    name: str,
    email: str,
    role_in_organization: str | None,
    message: str | None,
    locale: str,
    proposed_name: str | None = None,
    proposed_kind: str | None = None,
    proposed_description: str | None = None,
) -> Claim:
    """Record a claim of `organization`, or a proposal of a new one when it is None. The
    same person asking twice for the same listing while undecided makes one claim."""
    email = accounts.normalise_email(email)
    if organization is not None:
        earlier = session.scalars(
            select(Claim).where(
                Claim.organization_id == organization.id,
                Claim.email == email,
                Claim.status == RequestStatus.PENDING,
            )
        ).first()
        if earlier is not None:
            return earlier
    claim = Claim(
        organization_id=organization.id if organization is not None else None,
        proposed_name=proposed_name,
        proposed_kind=proposed_kind,
        proposed_description=proposed_description,
        name=name,
        email=email,
        role_in_organization=role_in_organization or None,
        message=message or None,
        locale=locale,
        created_at=clock.utc_now(),
    )
    session.add(claim)
    session.flush()
    return claim


def approve_claim(session: Session, claim: Claim, coordinator: Account) -> Account:
    """Make the claimant a member of the organisation (created first for a proposal): a new
    account is invited; an existing organisation member gets the membership added."""
    if claim.status is not RequestStatus.PENDING:
        raise DecisionError("already_decided")
    existing = accounts.find_by_email(session, claim.email)
    if existing is not None and existing.role is not Role.ORGANIZATION_MEMBER:
        raise DecisionError("other_role")
    organization = claim.organization or _create_proposed(session, claim)
    claim.organization_id = organization.id
    _decided(claim, coordinator, RequestStatus.APPROVED)
    if existing is None:
        account, raw = accounts.invite(
            session,
            email=claim.email,
            display_name=claim.name,
            role=Role.ORGANIZATION_MEMBER,
            organization_ids=[organization.id],
            locale=claim.locale,
        )
        mail.send_after_commit(accounts.invitation_message(account, raw))
        return account
    if organization.id not in existing.organization_ids:
        existing.memberships.append(
            Membership(organization_id=organization.id, created_at=clock.utc_now())
        )
    session.flush()
    mail.send_after_commit(_membership_added_message(existing, organization))
    return existing


def reject_claim(session: Session, claim: Claim, coordinator: Account, reason: str) -> None:
    if claim.status is not RequestStatus.PENDING:
        raise DecisionError("already_decided")
    claim.reason = reason
    _decided(claim, coordinator, RequestStatus.REJECTED)
    session.flush()
    mail.send_after_commit(_rejection_message(claim))


def _decided(claim: Claim, coordinator: Account, status: RequestStatus) -> None:
    claim.status = status
    claim.decided_by_id = coordinator.id
    claim.decided_at = clock.utc_now()


def line_for(kind: OrganizationKind) -> Line:
    """A proposed organisation's line until a coordinator or the organisation says more:
    public and recognised services take up questions, the others are open to anyone."""
    if kind in (OrganizationKind.PUBLIC_SERVICE, OrganizationKind.RECOGNISED_SERVICE):
        return Line.FIRST
    return Line.ZERO


def _create_proposed(session: Session, claim: Claim) -> Organization:
    kind = OrganizationKind(claim.proposed_kind)
    now = clock.utc_now()
    organization = Organization(
        id=uuid.uuid4(),
        kind=kind,
        line=line_for(kind),
        provenance=Provenance.ORGANIZATION,
        created_at=now,
        last_modified=now,
    )
    organization.texts[claim.locale] = OrganizationText(
        locale=claim.locale,
        name=claim.proposed_name or claim.name,
        description=claim.proposed_description,
        is_original=True,
    )
    session.add(organization)
    session.flush()
    return organization


def _membership_added_message(account: Account, organization: Organization) -> mail.Message:
    link = mail.public_link("accounts.sign_in", lang_code=account.locale)
    picked = pick_text(organization.texts, account.locale)
    with force_locale(account.locale):
        subject = _("You can now manage a listing on Nabij")
        body = _(
            'You can now keep the listing "%(name)s" up to date on Nabij, the social map '
            "of Brussels.\n\nSign in with your account:\n%(link)s",
            name=picked.text.name if picked else "",
            link=link,
        )
    return mail.Message(account.email, subject, body)


def _rejection_message(claim: Claim) -> mail.Message:
    with force_locale(claim.locale):
        subject = _("Your request on Nabij")
        if claim.organization_id is None:  # a new organisation proposed: it has no listing
            body = _(
                "Thank you for proposing an organisation on Nabij, the social map of "
                "Brussels. We could not add it, for this reason:\n\n%(reason)s\n\nIf you "
                "think we got it wrong, you can propose it again on Nabij.",
                reason=claim.reason,
            )
        else:
            body = _(
                "Thank you for your request on Nabij, the social map of Brussels. We could "
                "not accept it, for this reason:\n\n%(reason)s\n\nIf you think we got it "
                "wrong, you can send a new request from the listing.",
                reason=claim.reason,
            )
    return mail.Message(claim.email, subject, body)


# Queues -----------------------------------------------------------------------------------


def reports(session: Session, *, open_only: bool) -> list[ErrorReport]:
    query = (
        select(ErrorReport)
        .options(
            selectinload(ErrorReport.organization).selectinload(Organization.texts),
            selectinload(ErrorReport.service).selectinload(Service.texts),
        )
        .order_by(ErrorReport.created_at.desc())
        .limit(500)
    )
    if open_only:
        query = query.where(ErrorReport.status == ReportStatus.OPEN)
    return list(session.scalars(query))


def claims(session: Session, *, pending_only: bool) -> list[Claim]:
    query = (
        select(Claim)
        .options(selectinload(Claim.organization).selectinload(Organization.texts))
        .order_by(Claim.created_at.desc())
        .limit(500)
    )
    if pending_only:
        query = query.where(Claim.status == RequestStatus.PENDING)
    return list(session.scalars(query))


def forget_report_addresses(session: Session, older_than: timedelta) -> int:
    """Error reports still open after `older_than` lose the reader's email address (it was
    given only to be thanked once the listing is corrected). Returns how many."""
    cutoff = clock.utc_now() - older_than
    reports = session.scalars(
        select(ErrorReport).where(
            ErrorReport.created_at < cutoff, ErrorReport.reporter_email.is_not(None)
        )
    ).all()
    for report in reports:
        report.reporter_email = None
    session.flush()
    return len(reports)


def forget_decided_claims(session: Session, older_than: timedelta) -> int:
    """Claims decided more than `older_than` ago lose the claimant's name, address, role and
    message; the decision stays (what, who decided, when, why). An approved claimant has an
    account by then; a rejected one was told. Returns how many were forgotten."""
    cutoff = clock.utc_now() - older_than
    decided = session.scalars(
        select(Claim).where(Claim.decided_at < cutoff, Claim.email != FORGOTTEN_EMAIL)
    ).all()
    for claim in decided:
        claim.name, claim.email = FORGOTTEN_NAME, FORGOTTEN_EMAIL
        claim.role_in_organization = claim.message = None
    session.flush()
    return len(decided)
