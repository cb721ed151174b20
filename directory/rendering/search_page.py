"""The search page's pieces of HTML: result items and the filter form's rows, each rendered
once and printed again (see `fragments` for how their keys are built).

`directory.catalogue.searching` finds the results as data; this draws them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, request, session

from directory.accounts.sessions import current_session
from directory.catalogue.search_params import HelpTerm, SearchParams, Vocabulary
from directory.catalogue.searching import (
    ResultItem,
    chosen_municipalities,
    filter_labels,
    result_card,
)
from directory.labels import (
    FILTER_LABELS,
    FORMALITY_LABELS,
    KIND_LABELS,
    LINE_LABELS,
    MUNICIPALITY_LABEL,
    NEIGHBOURHOOD_LABEL,
    OPEN_NOW_LABEL,
)
from directory.models import Line, OrganizationKind, language_display_name
from directory.rendering.formats import format_long_date
from directory.rendering.fragments import MARK, FragmentCache, Rendered, cut_at_mark
from search import SearchResult

ITEMS_KEPT = 4000  # rendered results per process and vocabulary, about 1 KB each


@dataclass(frozen=True)
class PageKey:
    """Every input of a search page shown to a reader without a session, beside the
    vocabulary that holds the cache: such a reader sees no account, work links, referral
    links or messages, so the page is the same for everyone asking the same address."""

    version: str  # the index version read (every change to the catalogue makes a new one)
    minute: datetime  # "open now", stale notes and the date move with the clock, by minute
    script_root: str
    url: str  # path and query string: the language, the words, the filters and the page


def kept_pages(words: Vocabulary) -> FragmentCache[PageKey] | None:
    """Whole search pages kept in this process (None when SEARCH_PAGES_KEPT is 0)."""
    limit = current_app.config["SEARCH_PAGES_KEPT"]
    return words.memo("whole pages", lambda: FragmentCache(limit)) if limit else None


def shared_page_key(version: str | None, now: datetime) -> PageKey | None:
    """The key this request's page is kept under, or None when it must be drawn for this
    reader alone: one with a session (signed in, a guest link, a second factor waiting), a
    message waiting, or no index version known yet."""
    if version is None or current_session() is not None or "_flashes" in session:
        return None
    return PageKey(
        version, now.replace(second=0, microsecond=0), request.script_root, request.full_path
    )


@dataclass(frozen=True)
class ResultView:
    """One result as the page shows it."""

    id: str
    html: Rendered  # the result: card, open now, stale note, referral link


def result_views(items: list[ResultItem], words: Vocabulary) -> list[ResultView]:
    """The results, each rendered once per `ResultItem` (index version, listing, language
    and state) within a vocabulary: a listing on many pages is drawn once, and a change to
    it (a new index version) or to the reference data (a new vocabulary) draws it again."""
    cache: FragmentCache[ResultItem] = words.memo(
        "rendered results", lambda: FragmentCache(ITEMS_KEPT)
    )
    return [ResultView(item.id, cache.get(item, lambda key: _draw(key, words))) for item in items]


def _draw(item: ResultItem, words: Vocabulary) -> Rendered:
    macros = current_app.jinja_env.get_template("catalogue/search_parts.html").module
    card = result_card(item, words)
    return Rendered(macros.result_item(card, item.open_now, item.stale, item.refer_url))


@dataclass(frozen=True)
class Choice:
    """A value of the filter form as every search in one language shows it: its rendered row
    cut in two around the count, once as offered and once as ticked."""

    value: str
    row: tuple[str, str]
    ticked_row: tuple[str, str]

    def html(self, count: int, ticked: bool) -> str:
        before, after = self.ticked_row if ticked else self.row
        return f"{before}{count}{after}"


@dataclass(frozen=True)
class FacetGroup:
    name: str  # the query-string parameter
    legend: str
    rows: Rendered  # the group's choices with their counts
    open: bool


@dataclass(frozen=True)
class FacetChoices:
    """Every choice of the filter form in one language, in the order shown."""

    legends: dict[str, str]
    help: list[tuple[Choice, list[Choice]]]  # life domains and their kinds of help
    municipalities: list[Choice]
    neighbourhoods: list[tuple[str, Choice]]  # municipality NIS code, choice
    languages: list[Choice]
    formality: list[Choice]
    kinds: list[Choice]
    lines: list[Choice]


def facet_choices(words: Vocabulary, locale: str) -> FacetChoices:
    """The filter form's labels and checkboxes, rendered once per language and vocabulary:
    they depend on nothing else (the reference data and the translations), and a search
    page shows about a hundred of them."""
    return words.memo(("facet choices", locale), lambda: _make_choices(words, locale))


def _make_choices(words: Vocabulary, locale: str) -> FacetChoices:
    macros = current_app.jinja_env.get_template("catalogue/search_parts.html").module

    def choice(name: str, value: str, label: str, icon: str = "", heading: bool = False):
        def row(ticked: bool) -> tuple[str, str]:
            before, after = cut_at_mark(
                macros.facet_row(name, value, label, icon, heading, ticked, MARK)
            )
            return before, after

        return Choice(value, row(False), row(True))

    def help_choice(term: HelpTerm) -> Choice:
        return choice("help", term.code, term.label(locale), term.icon, not term.parent)

    terms = words.help_terms
    return FacetChoices(
        legends={
            "help": str(FILTER_LABELS["help"]),
            "municipality": str(MUNICIPALITY_LABEL),
            "neighbourhood": str(NEIGHBOURHOOD_LABEL),
            **{name: str(FILTER_LABELS[name]) for name in ("lang", "formality", "kind", "line")},
        },
        help=[
            (help_choice(domain), [help_choice(terms[code]) for code in domain.children])
            for domain in terms.values()
            if not domain.parent
        ],
        municipalities=[
            choice("place", nis, place.display_name(locale))
            for nis, place in words.municipalities.items()
        ],
        neighbourhoods=[
            (place.municipality or "", choice("place", number, place.display_name(locale)))
            for number, place in words.neighbourhoods.items()
        ],
        languages=[
            choice("lang", code, language_display_name(code, locale)) for code in words.languages
        ],
        formality=[
            choice("formality", value, str(FORMALITY_LABELS[value]))
            for value in ("formal", "informal")
        ],
        kinds=[choice("kind", kind.value, str(KIND_LABELS[kind])) for kind in OrganizationKind],
        lines=[choice("line", line.value, str(LINE_LABELS[line])) for line in Line],
    )


def facet_groups(
    params: SearchParams, words: Vocabulary, result: SearchResult, locale: str
) -> list[FacetGroup]:
    """The filter form's choices with their counts, ready to render in one loop.

    Only choices that lead somewhere are offered (a count above zero, or already chosen),
    and neighbourhoods appear once their municipality is chosen: 145 checkboxes at once
    help nobody on a phone.
    """
    counts = result.counts
    choices = facet_choices(words, locale)

    def options(group: str, offered: list[Choice], chosen) -> list[str]:
        found = counts[group]
        return [
            choice.html(found.get(choice.value, 0), choice.value in chosen)
            for choice in offered
            if found.get(choice.value) or choice.value in chosen
        ]

    help_rows: list[str] = []
    for domain, kinds in choices.help:
        children = options("help", kinds, params.help)
        heading = options("help", [domain], params.help)
        if heading or children:
            help_rows += [heading[0] if heading else domain.html(0, False), *children]
    chosen = set(params.places)
    municipalities = chosen_municipalities(params, words)
    neighbourhoods = options(
        "neighbourhood",
        [c for nis, c in choices.neighbourhoods if nis in municipalities or c.value in chosen],
        chosen,
    )
    legends = choices.legends
    groups = [
        ("help", legends["help"], help_rows, params.help),
        (
            "place",
            legends["municipality"],
            options("municipality", choices.municipalities, chosen),
            params.places,
        ),
        ("place", legends["neighbourhood"], neighbourhoods, params.places),
        (
            "lang",
            legends["lang"],
            options("lang", choices.languages, params.languages),
            params.languages,
        ),
        (
            "formality",
            legends["formality"],
            options("formality", choices.formality, params.formality),
            params.formality,
        ),
        ("kind", legends["kind"], options("kind", choices.kinds, params.kinds), params.kinds),
        ("line", legends["line"], options("line", choices.lines, params.lines), params.lines),
    ]
    # The rows were rendered (and escaped) by the template; only counts, numbers, went in.
    return [
        FacetGroup(name, legend, Rendered("\n".join(rows)), bool(chosen_values))
        for name, legend, rows, chosen_values in groups
        if rows
    ]


@dataclass(frozen=True)
class Chip:
    """A chosen filter value, named, with the link that takes only it away."""

    group: str  # the filter group's name ("Where"), for who reads the chips in a row
    value: str  # the value's name ("Jette", "Arabic", "Free of charge")
    remove_url: str


def chips(params: SearchParams, words: Vocabulary, locale: str, search_url) -> list[Chip]:
    """One chip per chosen value, in the order of the filter form; `search_url(drop=group)`
    or `search_url(name=[...])` builds this search with values taken away."""

    def place_name(key: str) -> str:
        place = words.neighbourhoods.get(key) or words.municipalities.get(key)
        if place is not None:
            return place.display_name(locale)
        return key  # a postcode reads as itself

    def term_name(code: str) -> str:
        term = words.help_terms.get(code)
        return term.label(locale) if term else code

    named = (
        ("place", "place", params.places, place_name),
        ("lang", "lang", params.languages, lambda code: language_display_name(code, locale)),
        ("help", "help", params.help, term_name),
        ("kind", "kind", params.kinds, lambda v: str(KIND_LABELS[OrganizationKind(v)])),
        ("formality", "formality", params.formality, lambda v: str(FORMALITY_LABELS[v])),
        ("line", "line", params.lines, lambda v: str(LINE_LABELS[Line(v)])),
    )
    labels = filter_labels(words, locale)
    found = [
        Chip(
            labels[group],
            name(value),
            search_url(**{parameter: [other for other in values if other != value]}),
        )
        for group, parameter, values, name in named
        for value in values
    ]
    if params.free:
        found.append(Chip(labels["free"], labels["free"], search_url(drop="free")))
    if params.open_now:
        found.append(Chip(labels["open"], str(OPEN_NOW_LABEL), search_url(open=[])))
    if params.open_on:
        found.append(Chip(labels["open"], format_long_date(params.open_on), search_url(on=[])))
    return found
