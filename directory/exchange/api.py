"""The HSDS 3.0 read API under /api/, as HSDS's OpenAPI document has it: services,
organisations, services at locations and the taxonomies, in the language asked.

Read-only and anonymous: no session, cookie or CSRF token is needed, and any site may call
it (CORS). Every response carries an ETag (304 for If-None-Match); a single service,
organisation or service at location also a Last-Modified (304 for If-Modified-Since).
Lists carry no Last-Modified: a record leaving a list changes no date. Nor do a taxonomy
and a term: they hold no modification time. A service or an organisation asked for by id
comes with everything about it; any other record by id is its list's item. Bad parameters
are a JSON 400 naming the parameter, unknown ids and paths a JSON 404, other methods a JSON
405. What is published, and how, is `documents`' business.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, request
from sqlalchemy.orm import Session
from werkzeug.exceptions import MethodNotAllowed, NotFound

from directory.catalogue.searching import query_index
from directory.clock import as_utc
from directory.exchange import documents, openapi, params, profile, queries
from directory.exchange.params import BadParameter
from directory.exchange.tabular import HSDS_VERSION
from directory.extensions import db
from directory.mail import public_link
from directory.models import Service
from directory.pagination import Page
from search import IndexUnavailable, LockTimeout, SearchRequest

URL_PREFIX = "/api"
bp = Blueprint("api", __name__, url_prefix=URL_PREFIX)

# The search engine ranks at most this many services; the API pages through them.
MAX_SEARCH_RESULTS = 1000
READING = "GET, HEAD, OPTIONS"
NOTHING_HERE = "Nothing is published under this id or path."


@bp.after_request
def _shared_headers(response: Response) -> Response:
    """Any site may read the API (it is public data); the texts follow Accept-Language."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = READING
    response.headers["Access-Control-Allow-Headers"] = (
        "Accept-Language, If-None-Match, If-Modified-Since"
    )
    response.headers["Access-Control-Expose-Headers"] = "ETag"
    response.vary.add("Accept-Language")
    if request.method == "OPTIONS":
        response.headers["Allow"] = READING
    return response


@bp.errorhandler(BadParameter)
def _bad_parameter(error: BadParameter) -> Response:
    return _error(400, "bad_parameter", error.message, parameter=error.parameter)


@bp.errorhandler(NotFound)
def _not_found(_exception: NotFound) -> Response:
    return _error(404, "not_found", NOTHING_HERE)


def _error(status: int, code: str, message: str, **more: str) -> Response:
    body = json.dumps({"error": code, "message": message, **more}, ensure_ascii=False)
    return Response(
        body, status, content_type="application/json", headers={"Cache-Control": "no-store"}
    )


def _document(
    payload: Any, last_modified: datetime | None = None, content_type: str = "application/json"
) -> Response:
    """A JSON response with an ETag (and a Last-Modified when given), answered 304 when the
    client's copy is current. Keys keep the order HSDS lists its fields in."""
    response = Response(json.dumps(payload, ensure_ascii=False), content_type=content_type)
    # Caches may keep it but must ask again (a cheap 304) before using it.
    response.headers["Cache-Control"] = "public, no-cache"
    if last_modified is not None:
        response.last_modified = as_utc(last_modified)
    response.add_etag()
    return response.make_conditional(request)


def _locale() -> str | None:
    return params.language(request.args, request.accept_languages)


# Absolute, on our public address: these URLs identify our profile and document.
_public_url = public_link


@bp.get("/")
def root():
    return _document(
        {
            "version": HSDS_VERSION,
            "profile": _public_url("api.profile_index"),
            "openapi_url": _public_url("api.openapi_document"),
        }
    )


# --- lists --------------------------------------------------------------------------------


def _page(contents: Sequence[Any], paging: params.Paging, total: int) -> dict[str, Any]:
    """HSDS's pagination fields around one page of contents."""
    page = Page(number=paging.page, per_page=paging.per_page, total=total)
    return {
        "total_items": total,
        "total_pages": page.count,
        "page_number": paging.page,
        "size": len(contents),
        "first_page": not page.has_previous,
        "last_page": not page.has_next,
        "empty": not contents,
        "contents": list(contents),
    }


def _service_filters() -> queries.ServiceFilters:
    args = request.args
    text = params.search_text(args)
    return queries.ServiceFilters(
        ranked_ids=_ranked_service_ids(text) if text else None,
        taxonomy_term_id=params.optional_identifier(args, "taxonomy_term_id"),
        taxonomy_id=params.optional_identifier(args, "taxonomy_id"),
        organization_id=params.optional_identifier(args, "organization_id"),
        modified_after=params.modified_after(args),
        postcode=params.postcode(args),
    )


def _ranked_service_ids(text: str) -> list[uuid.UUID]:
    """The search engine's matches for `text`, best first: the same reading of needs, places
    and words (in any of our languages) as the search page."""
    result = query_index(SearchRequest(text=text, limit=MAX_SEARCH_RESULTS))
    return [uuid.UUID(listing.id) for listing in result.listings]


@bp.errorhandler(IndexUnavailable)
@bp.errorhandler(LockTimeout)
def _search_unavailable(_exception: Exception) -> Response:
    response = _error(503, "search_unavailable", "Search is being rebuilt; try again shortly.")
    response.headers["Retry-After"] = "30"
    return response


def _listing(
    read_page: Callable[[params.Paging], tuple[Sequence[Any], int]],
    describe: Callable[[Any, str | None], dict[str, Any]],
) -> Response:
    """Parameters read before any work (a bad one is a 400 however the rest would go)."""
    paging = params.paging(request.args)
    locale = _locale()
    records, total = read_page(paging)
    return _document(_page([describe(record, locale) for record in records], paging, total))


@bp.get("/services")
def services():
    filters = _service_filters()
    return _listing(
        lambda paging: queries.page_of_services(
            db.session(), filters, paging.offset, paging.per_page
        ),
        documents.service_item,
    )


@bp.get("/service_at_locations")
def service_at_locations():
    filters = _service_filters()
    return _listing(
        lambda paging: queries.page_of_services_at_locations(
            db.session(), filters, paging.offset, paging.per_page
        ),
        documents.service_at_location_item,
    )


@bp.get("/organizations")
def organizations():
    text = params.search_text(request.args)
    return _listing(
        lambda paging: queries.page_of_organizations(
            db.session(), text, paging.offset, paging.per_page
        ),
        documents.organization_item,
    )


@bp.get("/taxonomies")
def taxonomies():
    text = params.search_text(request.args)
    return _listing(
        lambda paging: queries.page_of_taxonomies(
            db.session(), text, paging.offset, paging.per_page
        ),
        documents.taxonomy_document,
    )


@bp.get("/taxonomy_terms")
def taxonomy_terms():
    text = params.search_text(request.args)
    return _listing(
        lambda paging: queries.page_of_taxonomy_terms(
            db.session(), text, paging.offset, paging.per_page
        ),
        documents.taxonomy_term_document,
    )


# --- single records -----------------------------------------------------------------------


def _record(
    find: Callable[[Session, uuid.UUID], Any | None],
    record_id: str,
    describe: Callable[[Any, str | None], dict[str, Any]],
    moments: Callable[[Any], Iterable[datetime]] | None = None,
) -> Response:
    """One record by id, described as `describe` does (a 404 when `find` finds none), with
    the latest of its `moments` as Last-Modified when it has any."""
    locale = _locale()
    found = find(db.session(), params.identifier(record_id))
    if found is None:
        raise NotFound()
    return _document(describe(found, locale), _latest(moments(found)) if moments else None)


def _service_moments(service: Service) -> list[datetime]:
    """What a document of a service (with its organisation's fields) was last changed by."""
    return [service.last_modified, service.organization.last_modified]


def _latest(moments: Iterable[datetime]) -> datetime:
    return max(as_utc(moment) for moment in moments)


@bp.get("/services/<service_id>")
def service(service_id: str):
    return _record(queries.service, service_id, documents.service_document, _service_moments)


@bp.get("/organizations/<organization_id>")
def organization(organization_id: str):
    return _record(
        queries.organization,
        organization_id,
        documents.organization_document,
        lambda found: [found.last_modified, *(s.last_modified for s in found.services)],
    )


@bp.get("/service_at_locations/<service_at_location_id>")
def service_at_location(service_at_location_id: str):
    """The list's item, whatever the service's status (as `service`): a confidential
    location shows what it shows there."""
    return _record(
        queries.service_at_location,
        service_at_location_id,
        documents.service_at_location_item,
        lambda link: _service_moments(link.service),
    )


# A taxonomy and a term hold no modification time: an ETag only, as their lists.
@bp.get("/taxonomies/<taxonomy_id>")
def taxonomy(taxonomy_id: str):
    return _record(queries.taxonomy, taxonomy_id, documents.taxonomy_document)


@bp.get("/taxonomy_terms/<taxonomy_term_id>")
def taxonomy_term(taxonomy_term_id: str):
    return _record(queries.taxonomy_term, taxonomy_term_id, documents.taxonomy_term_document)


# --- what describes the API ---------------------------------------------------------------


@bp.get("/openapi.json")
def openapi_document():
    return _document(openapi.document(_public_url("api.root")))


@bp.get("/profile/")
def profile_index():
    return _document(
        {
            "profile": _public_url("api.profile_index"),
            "hsds_version": HSDS_VERSION,
            "description": profile.__doc__.strip(),
            "patches": [
                {
                    "schema": f"{name}.json",
                    "url": _public_url("api.profile_patch", schema_name=name),
                }
                for name in profile.PATCHES
            ],
        }
    )


@bp.get("/profile/<schema_name>.json")
def profile_patch(schema_name: str):
    patch = profile.PATCHES.get(schema_name)
    if patch is None:
        raise NotFound()
    return _document(patch, content_type="application/merge-patch+json")


# --- paths and methods no route answers ----------------------------------------------------


@bp.before_app_request
def _routing_errors_as_json() -> Response | None:
    """A path no route matches, or a method none allows, is known before any blueprint is:
    Flask would answer with the app's HTML error page. Under /api/ it is JSON, and a 405
    says which methods are allowed (every resource here only reads)."""
    error = request.routing_exception
    if error is None or not request.path.startswith(f"{URL_PREFIX}/"):
        return None
    if isinstance(error, MethodNotAllowed):
        response = _error(405, "method_not_allowed", "This API only reads: use GET.")
        response.headers["Allow"] = READING
        return _shared_headers(response)
    if isinstance(error, NotFound):
        return _shared_headers(_error(404, "not_found", NOTHING_HERE))
    return None
