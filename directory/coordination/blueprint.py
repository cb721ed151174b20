"""Routes of the coordinators' gap analysis (coordinators only): the page of the whole
region with its map, one page per neighbourhood or municipality, and every table of either
as a CSV file."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for

from directory import clock, responses
from directory.accounts import permissions
from directory.catalogue import search_params
from directory.coordination import map as gap_map
from directory.coordination import output, report
from directory.coordination.filters import MEASURES, PERIODS, GapFilters, read_filters
from directory.extensions import db
from directory.i18n import current_language
from directory.models import Role
from search import IndexUnavailable, LockTimeout

bp = Blueprint("coordination", __name__)
coordinators_only = permissions.role_required(Role.COORDINATOR)
responses.never_stored(bp)


def _report(place_key: str = "") -> tuple[report.Report | None, search_params.Vocabulary]:
    words = search_params.vocabulary(db.session)
    filters = read_filters(request.args, words)
    found = report.build(
        db.session(), words, filters, current_language(), clock.utc_now(), place_key
    )
    return found, words


def _unavailable():
    return render_template("catalogue/search_unavailable.html"), 503


def _page(template: str, found: report.Report, words, **context):
    return render_template(
        template,
        report=found,
        filters=found.filters,
        words=words,
        periods=PERIODS,
        # The map shades by a column of the table of places (the first of every page).
        measures=[
            (column.key, column.label)
            for column in next(iter(found.tables.values())).columns
            if column.key in MEASURES
        ],
        **context,
    )


@bp.get("")
@coordinators_only
def gaps():
    try:
        found, words = _report()
    except (IndexUnavailable, LockTimeout):
        return _unavailable()
    filters: GapFilters = found.filters
    drawn = gap_map.gap_map(
        found.tables["neighbourhoods"],
        filters.measure,
        words.municipalities,
        current_language(),
        lambda key: url_for("coordination.place", place_key=key, **filters.query()),
    )
    return _page("coordination/gaps.html", found, words, map=drawn)


@bp.get("/places/<place_key>")
@coordinators_only
def place(place_key: str):
    try:
        found, words = _report(place_key)
    except (IndexUnavailable, LockTimeout):
        return _unavailable()
    if found is None:
        abort(404)
    return _page("coordination/place.html", found, words)


@bp.get("/<table>.csv")
@coordinators_only
def download(table: str):
    """A table of the region's page, or of a place's (`?place=`), with the page's filters."""
    place_key = request.args.get("place", "")
    try:
        found, _words = _report(place_key)
    except (IndexUnavailable, LockTimeout):
        return _unavailable()
    if found is None or table not in found.tables:
        abort(404)
    chosen = found.tables[table]
    return Response(
        output.to_csv(chosen),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{output.csv_name(chosen, place_key)}"'
        },
    )
