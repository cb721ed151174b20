"""The search page's work: run the search, load the listings shown, suggest a way out of
zero results, and record such searches anonymously."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, url_for

from directory.catalogue import gaps
from directory.catalogue.search_params import HelpTerm, Place, SearchParams, Vocabulary
from directory.freshness import rules
from directory.i18n import pick_text
from directory.indexing import sync
from directory.labels import (
    FILTER_LABELS,
    FORMALITY_LABELS,
    KIND_LABELS,
    LINE_LABELS,
    MUNICIPALITY_LABEL,
    NEIGHBOURHOOD_LABEL,
    REGION_LABEL,
)
from directory.models import Line, OrganizationKind, language_display_name
from directory.templating import MARK, Rendered, cut_at_mark, kept_url_for
from search import IndexUnavailable, ListingDocument, SearchRequest, SearchResult

PER_PAGE = 20


@dataclass
class Suggestions:
    drop: list[tuple[str, int]] = field(default_factory=list)  # filter group, results without
    nearby: list[tuple[Place, int]] = field(default_factory=list)
    related: list[tuple[HelpTerm, int]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.drop or self.nearby or self.related)


@dataclass(frozen=True)
class ResultCard:
    """What a result shows of its listing card, in the reader's language."""

    url: str
    name: str
    name_locale: str
    organization: str
    summary: str
    summary_locale: str
    help: list[tuple[str, str]]  # pictogram, label
    places: list[str]
    languages: list[str]


@dataclass(frozen=True)
class ResultView:
    """One result as the page shows it."""

    id: str
    html: Rendered  # the result: card, open now, stale note, referral link


ITEMS_KEPT = 4000  # rendered results per process and vocabulary, about 1 KB each


@dataclass
class Outcome:
    result: SearchResult
    results: list[ResultView]
    suggestions: Suggestions
    handout_url: str = ""  # the page's results on paper


def run_search(
    params: SearchParams, words: Vocabulary, locale: str, now: datetime, refers: bool = False
) -> Outcome:
    """`refers`: the reader is an info-point worker, who gets a referral link per result."""
    request = SearchRequest(
        text=params.text,
        filters=params.filters(words),
        offset=(params.page - 1) * PER_PAGE,
        limit=PER_PAGE,
        now=now,
        count_neighbourhoods=neighbourhoods_to_count(params, words),
        stale_before=now.date() - rules.STALE_AFTER,
    )
    index = sync.search_index()
    try:
        result = index.search(request)
    except IndexUnavailable:
        sync.ensure_ready(current_app._get_current_object())  # missing or damaged: rebuild
        result = index.search(request)
    # One URL build per page, not per result.
    service_url = kept_url_for("catalogue.service", service_id=uuid.UUID(int=0)).replace(
        str(uuid.UUID(int=0)), "{}"
    )
    results = [
        _view(card, result, words, locale, now, service_url, refers) for card in result.listings
    ]
    suggestions = Suggestions()
    if result.total == 0:
        suggestions = _suggest(params, words, result)
        if params.page == 1:
            gaps.record_zero_result(params, locale)
    gaps.write_if_due()
    handout_url = ""
    if results:
        # Listing ids are UUIDs: nothing in them to encode.
        ids = "&".join(f"service={view.id}" for view in results)
        handout_url = f"{kept_url_for('catalogue.handout_page')}?{ids}"
    return Outcome(result, results, suggestions, handout_url)


def _view(
    card: ListingDocument,
    result: SearchResult,
    words: Vocabulary,
    locale: str,
    now: datetime,
    service_url: str,
    refers: bool,
) -> ResultView:
    """A result, rendered once per index version, language, vocabulary and state (open now,
    stale, referral link): a listing on many pages is drawn once, and a change to it (a new
    index version) or to the reference data (a new vocabulary) draws it again."""
    open_now = card.id in result.open_now if card.periods else None
    stale = rules.is_stale(card.checked_on, now.date())
    kept = words.memo("rendered results", dict)
    key = (result.version, card.id, locale, service_url, open_now, stale, refers)
    rendered = kept.get(key)
    if rendered is None:
        macros = current_app.jinja_env.get_template("catalogue/search_parts.html").module
        refer_url = url_for("referrals.new", service=card.id) if refers else ""
        rendered = Rendered(
            macros.result_item(_card(card, words, locale, service_url), open_now, stale, refer_url)
        )
        if len(kept) >= ITEMS_KEPT:
            kept.clear()  # simpler than LRU and safe with threads; refills in a few pages
        kept[key] = rendered
    return ResultView(card.id, rendered)


def _card(card: ListingDocument, words: Vocabulary, locale: str, service_url: str) -> ResultCard:
    text = pick_text({t.locale: t for t in card.texts}, locale)
    organization = pick_text({t.locale: t for t in card.organization_texts}, locale)
    places = [
        f"{words.neighbourhoods[n].display_name(locale)} "
        f"({words.municipalities[words.neighbourhoods[n].municipality].display_name(locale)})"
        for n in card.exact_neighbourhoods
        if n in words.neighbourhoods
    ]
    places += [
        words.municipalities[m].display_name(locale)
        for m in card.exact_municipalities
        if m in words.municipalities
    ]
    if card.region_wide:
        places.append(str(REGION_LABEL))
    return ResultCard(
        url=service_url.format(card.id),
        name=text.text.name if text else "?",
        name_locale=text.text.locale if text else locale,
        organization=organization.text.name if organization else "",
        summary=text.text.summary if text else "",
        summary_locale=text.text.locale if text else locale,
        help=[
            (words.help_terms[code].icon, words.help_terms[code].label(locale))
            for code in card.help_codes
            if code in words.help_terms and words.help_terms[code].parent
        ],
        places=places,
        languages=[language_display_name(code, locale) for code in card.languages],
    )


def _suggest(params: SearchParams, words: Vocabulary, result: SearchResult) -> Suggestions:
    suggestions = Suggestions()
    suggestions.drop = sorted(
        ((group, count) for group, count in result.without.items() if count),
        key=lambda item: -item[1],
    )
    counts = result.counts.get("neighbourhood", {})
    seen = set(params.places)
    for place in params.places:
        neighbourhood = words.neighbourhoods.get(place)
        if neighbourhood is None:
            continue
        for number in neighbourhood.adjacent:
            if number not in seen and counts.get(number):
                suggestions.nearby.append((words.neighbourhoods[number], counts[number]))
                seen.add(number)
    help_counts = result.counts.get("help", {})
    seen = set(params.help)
    for code in params.help:
        term = words.help_terms[code]
        family = words.help_terms[term.parent].children if term.parent else term.children
        for sibling in family:
            if sibling not in seen and help_counts.get(sibling):
                suggestions.related.append((words.help_terms[sibling], help_counts[sibling]))
                seen.add(sibling)
    suggestions.nearby.sort(key=lambda item: -item[1])
    suggestions.related.sort(key=lambda item: -item[1])
    return suggestions


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


def filter_labels(words: Vocabulary, locale: str) -> dict[str, str]:
    """The filter groups' names in one language (the page prints them several times)."""
    return words.memo(
        ("filter labels", locale),
        lambda: {name: str(label) for name, label in FILTER_LABELS.items()},
    )


def chosen_municipalities(params: SearchParams, words: Vocabulary) -> set[str]:
    """The municipalities chosen, or holding a chosen neighbourhood or postcode."""
    return set(params.filters(words).municipalities) | {
        words.neighbourhoods[p].municipality for p in params.places if p in words.neighbourhoods
    }


def neighbourhoods_to_count(params: SearchParams, words: Vocabulary) -> frozenset[str]:
    """The neighbourhoods the page offers (those of a chosen municipality, and the chosen
    ones) and those it may suggest next door: the only counts it reads."""
    municipalities = chosen_municipalities(params, words)
    by_municipality = words.memo("neighbourhoods by municipality", lambda: _by_municipality(words))
    wanted = {n for nis in municipalities for n in by_municipality.get(nis, ())}
    for place in params.places:
        if place in words.neighbourhoods:
            wanted.add(place)
            wanted.update(words.neighbourhoods[place].adjacent)
    return frozenset(wanted)


def _by_municipality(words: Vocabulary) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for number, place in words.neighbourhoods.items():
        grouped.setdefault(place.municipality or "", []).append(number)
    return grouped


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
