"""Routes of the public catalogue. Every URL starts with the reader's language."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, g, render_template, request, url_for

from directory import clock, hours
from directory.accounts.sessions import current_account
from directory.catalogue import handout, queries, search_params, searching
from directory.extensions import db
from directory.i18n import SUPPORTED_LOCALES, current_language
from directory.models import OrganizationKind, Role
from directory.pagination import Page, page_number
from directory.reach import ways_to_reach
from search import IndexUnavailable, LockTimeout

bp = Blueprint("catalogue", __name__)

PER_PAGE = 30
URL_SAFE = "!$'()*,/:;?@"  # what werkzeug.urls leaves unencoded in a query string


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


@bp.get("/search")
def search():
    session = db.session()
    words = search_params.vocabulary(session, current_app.config["DATABASE_URL"])
    params = search_params.read_params(request.args, words)
    now = clock.now()
    try:
        me = current_account()
        refers = me is not None and me.role == Role.INFO_POINT_WORKER
        outcome = searching.run_search(params, words, current_language(), now, refers)
    except (IndexUnavailable, LockTimeout):
        return render_template("catalogue/search_unavailable.html"), 503
    return render_template(
        "catalogue/search.html",
        params=params,
        words=words,
        outcome=outcome,
        page=Page(number=params.page, per_page=searching.PER_PAGE, total=outcome.result.total),
        now=now,
        facets=searching.facet_groups(params, words, outcome.result, current_language()),
        search_url=search_url,
        filter_labels=searching.filter_labels(words, current_language()),
    )


def search_url(drop: str | None = None, **replace) -> str:
    """This search's URL with one filter dropped or replaced; the page goes back to 1."""
    args = request.args.copy()
    args.pop("page", None)
    names = {
        "place": ["place"],
        "lang": ["lang"],
        "help": ["help"],
        "kind": ["kind"],
        "formality": ["formality"],
        "line": ["line"],
        "free": ["free"],
        "open": ["open", "on"],
        "text": ["q"],
    }
    for name in names.get(drop or "", []):
        args.pop(name, None)
    for name, value in replace.items():
        args.setlist(name, value if isinstance(value, list) else [value])
    # A page has a handful of these links; the route's path is the same for all of them,
    # so it is built once and the query encoded as Werkzeug's `url_for` would.
    path = g.get("search_path")
    if path is None:
        path = g.search_path = url_for("catalogue.search")
    query = urlencode(list(args.items(multi=True)), safe=URL_SAFE)
    return f"{path}?{query}" if query else path


@bp.get("/handout")
def handout_page():
    """A printable handout for a client, from a listing or a page of search results."""
    ids = handout.parse_ids(request.args.getlist("service"))
    client = request.args.get("for", current_language())
    if client not in SUPPORTED_LOCALES:
        client = current_language()
    provider = request.args.get("provider")
    listings = handout.build(db.session(), ids, client, provider, clock.now().date())
    return render_template(
        "catalogue/handout.html",
        listings=listings,
        ids=ids,
        client=client,
        provider=provider if provider in handout.PROVIDER_LANGUAGES else "",
        client_languages=handout.client_languages(),
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
