"""The search page's query string: read, checked against the catalogue's vocabulary, and
turned into a `search.Filters`. Unknown values are dropped and reported, never an error."""

from __future__ import annotations

import time as clock_time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from werkzeug.datastructures import MultiDict

from directory.models import (
    LanguageCode,
    Line,
    Municipality,
    Neighbourhood,
    OrganizationKind,
    Postcode,
    TaxonomyTerm,
)
from directory.models.place import bilingual_name
from directory.models.taxonomy import pick_label
from directory.pagination import page_number
from search import Filters
from search.engine import MAX_QUERY_CHARS

MAX_VALUES = 30  # per filter: more is not a person choosing


@dataclass(frozen=True)
class Place:
    key: str  # neighbourhood number or NIS code
    name_fr: str
    name_nl: str
    municipality: str | None = None  # a neighbourhood's NIS code
    adjacent: tuple[str, ...] = ()

    def display_name(self, locale: str) -> str:
        return bilingual_name(self.name_fr, self.name_nl, locale)


@dataclass(frozen=True)
class HelpTerm:
    code: str
    parent: str | None
    children: tuple[str, ...]
    icon: str
    labels: dict[str, str] = field(hash=False, compare=False)

    def label(self, locale: str) -> str:
        return pick_label(self.labels, locale) or self.code


@dataclass(frozen=True)
class Vocabulary:
    """The values each filter accepts, read from the reference data (plain data, so one
    process can keep it between requests)."""

    neighbourhoods: dict[str, Place]
    municipalities: dict[str, Place]
    postcodes: dict[str, list[str]]  # postcode -> NIS codes
    languages: list[str]
    help_terms: dict[str, HelpTerm]  # kinds of help and life domains by code
    # What pages derive from this vocabulary alone (the filter form's choices per language):
    # worked out once, and gone with it when the reference data is read again.
    derived: dict = field(default_factory=dict, compare=False, repr=False)

    def memo(self, key, make):
        if key not in self.derived:
            self.derived[key] = make()
        return self.derived[key]

    @classmethod
    def load(cls, session: Session) -> Vocabulary:
        neighbourhoods = session.scalars(
            select(Neighbourhood)
            .options(
                selectinload(Neighbourhood.municipality),
                selectinload(Neighbourhood.adjacent),
            )
            .order_by(Neighbourhood.name_fr)
        ).all()
        municipalities = session.scalars(select(Municipality).order_by(Municipality.name_fr)).all()
        postcodes = session.scalars(
            select(Postcode).options(
                selectinload(Postcode.municipality), selectinload(Postcode.other_municipalities)
            )
        ).all()
        terms = session.scalars(
            select(TaxonomyTerm)
            .where(TaxonomyTerm.of_kinds_of_help())
            .options(
                selectinload(TaxonomyTerm.labels),
                selectinload(TaxonomyTerm.children),
                selectinload(TaxonomyTerm.parent),
            )
            .order_by(TaxonomyTerm.position)
        ).all()
        return cls(
            {
                str(n.number): Place(
                    str(n.number),
                    n.name_fr,
                    n.name_nl,
                    n.municipality.nis_code,
                    tuple(str(a.number) for a in n.adjacent),
                )
                for n in neighbourhoods
            },
            {m.nis_code: Place(m.nis_code, m.name_fr, m.name_nl) for m in municipalities},
            {
                p.code: [p.municipality.nis_code, *(m.nis_code for m in p.other_municipalities)]
                for p in postcodes
            },
            list(session.scalars(select(LanguageCode.code).order_by(LanguageCode.position))),
            {
                t.code: HelpTerm(
                    t.code,
                    t.parent.code if t.parent else None,
                    tuple(c.code for c in t.children),
                    t.icon or "",
                    {k: v.label for k, v in t.labels.items()},
                )
                for t in terms
            },
        )


VOCABULARY = "search vocabulary"  # app.extensions: (when loaded, the vocabulary)


def vocabulary(session: Callable[[], Session], max_age: float = 300.0) -> Vocabulary:
    """Reference data changes with a seed load; a few minutes' cache per app is fine.
    `session` gives a database session, asked for only when the cache is out of date."""
    cached = current_app.extensions.get(VOCABULARY)
    if cached and clock_time.monotonic() - cached[0] < max_age:
        return cached[1]
    loaded = Vocabulary.load(session())
    current_app.extensions[VOCABULARY] = (clock_time.monotonic(), loaded)
    return loaded


@dataclass
class SearchParams:
    text: str = ""
    places: list[str] = field(default_factory=list)  # as given: numbers, NIS codes, postcodes
    languages: list[str] = field(default_factory=list)
    help: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    formality: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    free: bool = False
    open_now: bool = False
    open_on: date | None = None
    page: int = 1
    ignored: list[str] = field(default_factory=list)  # values we did not understand
    shortened: bool = False

    def filters(self, words: Vocabulary) -> Filters:
        neighbourhoods = {p for p in self.places if p in words.neighbourhoods}
        municipalities = {p for p in self.places if p in words.municipalities}
        for place in self.places:
            municipalities.update(words.postcodes.get(place, ()))
        return Filters(
            neighbourhoods=frozenset(neighbourhoods),
            municipalities=frozenset(municipalities),
            languages=frozenset(self.languages),
            help=frozenset(self.help),
            kinds=frozenset(self.kinds),
            formality=frozenset(self.formality),
            lines=frozenset(self.lines),
            free=self.free,
            open_now=self.open_now,
            open_on=self.open_on,
        )

    def as_record(self) -> dict:
        """The filters, for the anonymous log of searches that found nothing."""
        record = {
            name: value
            for name, value in (
                ("place", self.places),
                ("lang", self.languages),
                ("help", self.help),
                ("kind", self.kinds),
                ("formality", self.formality),
                ("line", self.lines),
            )
            if value
        }
        if self.free:
            record["free"] = True
        if self.open_now:
            record["open"] = "now"
        if self.open_on:
            record["on"] = self.open_on.isoformat()
        return record

    @property
    def has_filters(self) -> bool:
        return bool(self.as_record())


def read_params(args: MultiDict, words: Vocabulary) -> SearchParams:
    params = SearchParams()
    raw_text = args.get("q", "")
    params.shortened = len(raw_text) > MAX_QUERY_CHARS
    params.text = raw_text[:MAX_QUERY_CHARS].strip()

    def choose(name: str, allowed) -> list[str]:
        chosen = []
        for value in args.getlist(name)[:MAX_VALUES]:
            value = value.strip()
            if value in allowed and value not in chosen:
                chosen.append(value)
            elif value:
                params.ignored.append(value[:40])
        return chosen

    places = {*words.neighbourhoods, *words.municipalities, *words.postcodes}
    params.places = choose("place", places)
    params.languages = choose("lang", set(words.languages))
    params.help = choose("help", set(words.help_terms))
    params.kinds = choose("kind", {k.value for k in OrganizationKind})
    params.formality = choose("formality", {"formal", "informal"})
    params.lines = choose("line", {line.value for line in Line})
    params.free = args.get("free") == "1"
    params.open_now = args.get("open") == "now"
    if on := args.get("on", "").strip():
        try:
            params.open_on = date.fromisoformat(on)
        except ValueError:
            params.ignored.append(on[:40])
    params.page = page_number(args.get("page"))
    return params
