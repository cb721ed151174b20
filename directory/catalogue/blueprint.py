"""Routes of the public catalogue. Every URL starts with the reader's language."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, g, render_template, request

from directory import clock, hours
from directory.accounts.sessions import current_account
from directory.catalogue import gaps, handout, near, queries, search_params, searching
from directory.extensions import db
from directory.i18n import SUPPORTED_LOCALES, current_language
from directory.models import OrganizationKind, Role
from directory.pagination import Page, page_number
from directory.reach import ways_to_reach
from directory.rendering import search_page
from directory.rendering.urls import kept_url_for, query_pair
from search import IndexUnavailable, LockTimeout

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
        municipalities=near.municipalities(
            search_params.vocabulary(db.session), current_language()
        ),
    )


@bp.get("/places/<place_key>")
def place(place_key: str):
    """Help near you: the kinds of help serving a municipality or a neighbourhood, each a
    link into the search, for people who do not know what to type."""
    words = search_params.vocabulary(db.session)
    try:
        nearby = near.help_nearby(words, place_key, current_language())
    except (IndexUnavailable, LockTimeout):
        return render_template("catalogue/search_unavailable.html"), 503
    if nearby is None:
        abort(404)
    return render_template("catalogue/place.html", nearby=nearby)


@bp.get("/search")
def search():
    words = search_params.vocabulary(db.session)
    now = clock.now()
    # A reader without a session gets the page as drawn for the same address in the same
    # minute of the same index version (see search_page.PageKey).
    pages = search_page.kept_pages(words)
    key = None if pages is None else search_page.shared_page_key(searching.index_version(), now)
    if key is not None and (kept := pages.find(key)) is not None:
        gaps.write_if_due()
        return kept
    params = search_params.read_params(request.args, words)
    me = current_account()
    refers = me is not None and me.role == Role.INFO_POINT_WORKER
    try:
        outcome = searching.run_search(params, words, current_language(), now, refers)
    except (IndexUnavailable, LockTimeout):
        return render_template("catalogue/search_unavailable.html"), 503
    page = render_template(
        "catalogue/search.html",
        params=params,
        words=words,
        outcome=outcome,
        page=Page(number=params.page, per_page=searching.PER_PAGE, total=outcome.result.total),
        now=now,
        results=search_page.result_views(outcome.results, words),
        facets=search_page.facet_groups(params, words, outcome.result, current_language()),
        chips=search_page.chips(params, words, current_language(), search_url),
        search_url=search_url,
        filter_labels=searching.filter_labels(words, current_language()),
    )
    # A search that found nothing is drawn each time: each one is recorded for gap analysis.
    if key is not None and not outcome.found_nothing and outcome.result.version == key.version:
        pages.keep(key, page)
    return page


# The query parameters each filter group of the page uses.
GROUP_PARAMETERS = {
    "place": ("place",),
    "lang": ("lang",),
    "help": ("help",),
    "kind": ("kind",),
    "formality": ("formality",),
    "line": ("line",),
    "free": ("free",),
    "open": ("open", "on"),
    "text": ("q",),
}


def search_url(drop: str | None = None, **replace) -> str:
    """This search's URL with one filter dropped or replaced; the page goes back to 1."""
    # A page has a handful of these links: the route's path and this query's parameters are
    # encoded once per page (as Werkzeug's `url_for` would), then only put together.
    path = g.get("search_path")
    if path is None:
        path = g.search_path = kept_url_for("catalogue.search")
        g.search_pairs = [
            (name, query_pair(name, value))
            for name, value in request.args.items(multi=True)
            if name != "page"
        ]
    left_out = GROUP_PARAMETERS.get(drop or "", ())
    parts: list[str] = []
    replaced: set[str] = set()
    for name, pair in g.search_pairs:
        if name in left_out:
            continue
        if name in replace:  # the new values take the place of the old ones
            if name not in replaced:
                parts += _pairs(name, replace[name])
                replaced.add(name)
            continue
        parts.append(pair)
    for name, values in replace.items():
        if name not in replaced:
            parts += _pairs(name, values)
    return f"{path}?{'&'.join(parts)}" if parts else path


def _pairs(name: str, values: str | list[str]) -> list[str]:
    return [query_pair(name, value) for value in (values if isinstance(values, list) else [values])]


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
