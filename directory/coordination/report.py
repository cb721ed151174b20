"""The coordinators' figures as tables: supply and demand per neighbourhood and per
municipality, per kind of help and per language, and why referrals were declined; or the
same for one place.

The page, its map, the CSV files and `flask gaps report` all show these `Table`s, so they
cannot disagree. Values are plain numbers; `privacy.shown` decides how each may be shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy.orm import Session

from directory.catalogue.search_params import Place, Vocabulary
from directory.coordination import supply as supply_counts
from directory.coordination.demand import Demand, Trace, tally
from directory.coordination.demand import load as load_demand
from directory.coordination.filters import GapFilters
from directory.coordination.privacy import shown
from directory.labels import FORMALITY_LABELS
from directory.models import DeclineReason, language_display_name
from directory.referrals.labels import REASON_LABELS

NONE, ALL = "none", "all"  # keys of the rows for "no place named" and "the whole region"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    about_people: bool = False  # a count of searches or referrals: see `privacy`


@dataclass(frozen=True)
class Row:
    key: str  # a place key, a kind of help's or a language's code, a reason, NONE or ALL
    names: tuple[str, ...]
    values: tuple[int | None, ...]  # None: the figure does not apply to this row
    place: str = ""  # the place the row is about, for a link to its page
    heading: bool = False  # a life domain, heading the kinds of help under it


@dataclass(frozen=True)
class Table:
    name: str  # its CSV file's name and the command's
    title: str
    key_label: str
    name_labels: tuple[str, ...]
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    def value(self, row_key: str, column_key: str) -> int | None:
        row = next(row for row in self.rows if row.key == row_key)
        return row.values[[c.key for c in self.columns].index(column_key)]

    def header(self) -> list[str]:
        return [self.key_label, *self.name_labels, *(c.label for c in self.columns)]

    def records(self) -> Iterator[list[str]]:
        """Each row as shown: its key, its names, its counts (`privacy.shown`)."""
        for row in self.rows:
            counts = [
                shown(value, column.about_people)
                for value, column in zip(row.values, self.columns, strict=True)
            ]
            yield [row.key, *row.names, *counts]


def _columns(*keys: str) -> tuple[Column, ...]:
    # I18N: column headings of the coordinators' tables of where help is missing (and of
    # their CSV files). "Referrals overdue": not acknowledged within the response target.
    known = {
        "services": Column("services", _("Services")),
        "formal": Column("formal", str(FORMALITY_LABELS["formal"])),
        "informal": Column("informal", str(FORMALITY_LABELS["informal"])),
        "without": Column("without", _("Neighbourhoods without any")),
        "searches": Column("searches", _("Searches that found nothing"), True),
        "declined": Column("declined", _("Referrals declined"), True),
        "overdue": Column("overdue", _("Referrals overdue"), True),
    }
    return tuple(known[key] for key in keys)


PLACE_COLUMNS = ("services", "formal", "informal", "searches", "declined", "overdue")


@dataclass(frozen=True)
class Report:
    filters: GapFilters
    since: datetime
    place: Place | None  # None: the whole region
    tables: dict[str, Table]


def build(
    session: Session,
    words: Vocabulary,
    gaps: GapFilters,
    locale: str,
    now: datetime,
    place_key: str = "",
) -> Report | None:
    """Every table of the region, or of the place `place_key` (None if there is none)."""
    place = words.neighbourhoods.get(place_key) or words.municipalities.get(place_key)
    if place_key and place is None:
        return None
    since = gaps.since(now)
    demand = load_demand(session, words, since, now)
    supply = supply_counts.by_place(gaps)
    names = _Names(words, locale)
    if place is None:
        tables = [
            _neighbourhoods(words, names, supply, demand.matching(gaps)),
            _municipalities(words, names, supply, demand.matching(gaps)),
            _kinds(words, names, gaps, demand),
            _languages(words, names, gaps, demand),
            _reasons_by_municipality(words, names, demand.matching(gaps)),
        ]
    else:
        here = demand.about(place.key)
        tables = [
            _place(place, names, supply, here.matching(gaps)),
            _kinds(words, names, gaps, here, place.key),
            _languages(words, names, gaps, here, place.key),
            _reasons(here.matching(gaps)),
        ]
    return Report(gaps, since, place, {table.name: table for table in tables})


class _Names:
    """Names in the reader's language."""

    def __init__(self, words: Vocabulary, locale: str) -> None:
        self.words, self.locale = words, locale

    def place(self, place: Place) -> str:
        return place.display_name(self.locale)

    def municipality_of(self, place: Place) -> str:
        owner = self.words.municipalities.get(place.municipality or "")
        return owner.display_name(self.locale) if owner else ""

    def term(self, code: str) -> str:
        return self.words.help_terms[code].label(self.locale)

    def language(self, code: str) -> str:
        return language_display_name(code, self.locale)

    def by_name(self, places) -> list[Place]:
        return sorted(places, key=lambda p: self.place(p).casefold())


def _place_values(key: str, supply: supply_counts.PlaceSupply, found: _Tallies):
    return (
        supply.services.get(key, 0),
        supply.formal.get(key, 0),
        supply.informal.get(key, 0),
        found.searches[key],
        found.declined[key],
        found.overdue[key],
    )


class _Tallies:
    """Demand counted per value (a place, a kind of help, a language)."""

    def __init__(self, demand: Demand, values) -> None:
        self.searches = tally(demand.searches, values)
        self.declined = tally(demand.declined, values)
        self.overdue = tally(demand.overdue, values)


def _places_of(trace: Trace):
    return trace.places or (NONE,)


def _neighbourhoods(words, names: _Names, supply, demand: Demand) -> Table:
    found = _Tallies(demand, _places_of)
    ordered = sorted(
        words.neighbourhoods.values(),
        key=lambda n: (names.municipality_of(n).casefold(), names.place(n).casefold()),
    )
    rows = [
        Row(
            n.key,
            (names.place(n), names.municipality_of(n)),
            _place_values(n.key, supply, found),
            n.key,
        )
        for n in ordered
    ]
    return Table(
        "neighbourhoods",
        _("By neighbourhood"),
        pgettext("a neighbourhood's identifier", "Number"),
        (_("Neighbourhood"), _("Municipality")),
        _columns(*PLACE_COLUMNS),
        tuple(rows),
    )


def _municipalities(words, names: _Names, supply, demand: Demand) -> Table:
    found = _Tallies(demand, _places_of)
    rows = [
        Row(m.key, (names.place(m),), _place_values(m.key, supply, found), m.key)
        for m in names.by_name(words.municipalities.values())
    ]
    rows.append(
        Row(
            NONE,
            (_("No place named"),),
            (None, None, None, found.searches[NONE], found.declined[NONE], found.overdue[NONE]),
        )
    )
    rows.append(
        Row(
            ALL,
            (_("The whole region"),),
            (
                supply.total,
                supply.total_formal,
                supply.total_informal,
                len(demand.searches),
                len(demand.declined),
                len(demand.overdue),
            ),
        )
    )
    return Table(
        "municipalities",
        _("By municipality"),
        _("NIS code"),
        (_("Municipality"),),
        _columns(*PLACE_COLUMNS),
        tuple(rows),
    )


def _place(place: Place, names: _Names, supply, demand: Demand) -> Table:
    found = _Tallies(demand, lambda _trace: (place.key,))
    is_neighbourhood = place.municipality is not None
    return Table(
        "place",
        _("Supply and demand here"),
        pgettext("a neighbourhood's identifier", "Number") if is_neighbourhood else _("NIS code"),
        (_("Neighbourhood"), _("Municipality")) if is_neighbourhood else (_("Municipality"),),
        _columns(*PLACE_COLUMNS),
        (
            Row(
                place.key,
                (names.place(place), names.municipality_of(place))
                if is_neighbourhood
                else (names.place(place),),
                _place_values(place.key, supply, found),
            ),
        ),
    )


def _need_codes(words: Vocabulary, gaps: GapFilters) -> list[str]:
    """Life domains each followed by its kinds of help (only the chosen domain's)."""
    codes = []
    for term in words.help_terms.values():
        if term.parent is None and gaps.domain in ("", term.code):
            codes += [term.code, *term.children]
    return codes


def _kinds(words, names: _Names, gaps: GapFilters, demand: Demand, place: str = "") -> Table:
    codes = _need_codes(words, gaps)
    supply = supply_counts.by_kind(gaps, words, codes, place)
    found = _Tallies(demand.matching(gaps, need=""), lambda s: s.needs or (NONE,))
    columns = ("services", "searches", "declined", "overdue")
    if supply.places_without is not None:
        columns = ("services", "without", "searches", "declined", "overdue")
    rows = []
    for code in codes:
        parent = words.help_terms[code].parent
        supplied = {
            "services": supply.services.get(code, 0),
            "without": (supply.places_without or {}).get(code),
        }
        rows.append(
            Row(
                code,
                (names.term(code), names.term(parent or code)),
                _values(columns, supplied, found, code),
                heading=parent is None,
            )
        )
    rows.append(Row(NONE, (_("No kind of help named"), ""), _values(columns, {}, found, NONE)))
    return Table(
        "kinds",
        _("By kind of help"),
        # I18N: heading of the column of codes in a CSV file (a kind of help's, a language's).
        _("Code"),
        (_("Kind of help"), _("Life domain")),
        _columns(*columns),
        tuple(rows),
    )


def _languages(words, names: _Names, gaps: GapFilters, demand: Demand, place: str = "") -> Table:
    codes = list(words.languages)
    supply = supply_counts.by_language(gaps, words, codes, place)
    found = _Tallies(demand.matching(gaps, language=""), lambda s: s.languages or (NONE,))
    columns = ("services", "searches", "declined", "overdue")
    if supply.places_without is not None:
        columns = ("services", "without", "searches", "declined", "overdue")
    rows = [
        Row(
            code,
            (names.language(code),),
            _values(
                columns,
                {
                    "services": supply.services.get(code, 0),
                    "without": (supply.places_without or {}).get(code),
                },
                found,
                code,
            ),
        )
        for code in codes
    ]
    rows.append(Row(NONE, (_("Language not said"),), _values(columns, {}, found, NONE)))
    return Table(
        "languages",
        _("By language"),
        _("Code"),
        (_("Language"),),
        _columns(*columns),
        tuple(rows),
    )


def _values(columns, supplied: dict, found: _Tallies, key: str) -> tuple[int | None, ...]:
    demanded = {
        "searches": found.searches[key],
        "declined": found.declined[key],
        "overdue": found.overdue[key],
    }
    return tuple(demanded[c] if c in demanded else supplied.get(c) for c in columns)


def _reasons_by_municipality(words, names: _Names, demand: Demand) -> Table:
    reasons = list(DeclineReason)
    by_reason = {
        reason: tally(
            (s for s in demand.declined if s.decline_reason is reason),
            _places_of,
        )
        for reason in reasons
    }
    places = [(m.key, names.place(m)) for m in names.by_name(words.municipalities.values())]
    rows = [
        Row(key, (name,), tuple(by_reason[r][key] for r in reasons), key) for key, name in places
    ]
    rows.append(Row(NONE, (_("No place named"),), tuple(by_reason[r][NONE] for r in reasons)))
    rows.append(
        Row(
            ALL,
            (_("The whole region"),),
            tuple(sum(1 for s in demand.declined if s.decline_reason is r) for r in reasons),
        )
    )
    return Table(
        "reasons",
        _("Referrals declined, by reason and municipality"),
        _("NIS code"),
        (_("Municipality"),),
        tuple(Column(r.value, str(REASON_LABELS[r]), True) for r in reasons),
        tuple(rows),
    )


def _reasons(demand: Demand) -> Table:
    counts = tally(demand.declined, lambda s: (s.decline_reason.value,))
    return Table(
        "reasons",
        _("Referrals declined, by reason"),
        _("Code"),
        (_("Reason"),),
        _columns("declined"),
        tuple(Row(r.value, (str(REASON_LABELS[r]),), (counts[r.value],)) for r in DeclineReason),
    )
