"""Routes of the public catalogue. Every URL starts with the reader's language."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, render_template, request

from directory import clock, hours
from directory.catalogue import queries
from directory.extensions import db
from directory.models import OrganizationKind
from directory.pagination import Page, page_number
from directory.reach import ways_to_reach

bp = Blueprint("catalogue", __name__)

PER_PAGE = 30


@bp.get("/")
def home():
    session = db.session()
    return render_template(
        "catalogue/home.html",
        domains=queries.kinds_of_help(session),
        counts_by_kind=queries.organization_counts_by_kind(session),
        service_count=queries.count_active_services(session),
        kinds=list(OrganizationKind),
    )


@bp.get("/kinds/<kind>")
def organizations_of_kind(kind: str):
    try:
        organization_kind = OrganizationKind(kind)
    except ValueError:
        abort(404)
    number = page_number(request.args.get("page"))
    organizations, total = queries.organizations_of_kind(
        db.session(), organization_kind, number, PER_PAGE
    )
    return render_template(
        "catalogue/kind.html",
        kind=organization_kind,
        organizations=organizations,
        page=Page(number=number, per_page=PER_PAGE, total=total),
    )


@bp.get("/organizations/<uuid:organization_id>")
def organization(organization_id: uuid.UUID):
    found = queries.organization_page(db.session(), organization_id)
    if found is None:
        abort(404)
    return render_template(
        "catalogue/organization.html",
        organization=found,
        reach=ways_to_reach(found),
    )


@bp.get("/services/<uuid:service_id>")
def service(service_id: uuid.UUID):
    found = queries.service_page(db.session(), service_id)
    if found is None:
        abort(404)
    now = clock.now()
    return render_template(
        "catalogue/service.html",
        service=found,
        organization=found.organization,
        reach=ways_to_reach(found.organization, found),
        open_now=hours.is_open_at(found.schedules, found.closures, now),
        coming_days=hours.coming_days(found.schedules, found.closures, now.date()),
        closures=hours.upcoming_closures(found.closures, now.date()),
    )
