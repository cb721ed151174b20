"""The search page's work: run the search, load the listings shown, suggest a way out of
zero results, and record such searches anonymously."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime

from flask import current_app, url_for

from directory import hours
from directory.catalogue import gaps
from directory.catalogue.search_params import HelpTerm, Place, SearchParams, Vocabulary
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
class ResultView:
    """One result as the page shows it, from the listing's stored card."""

    id: str
    url: str
    name: str
    name_locale: str
    organization: str
    summary: str
    summary_locale: str
    help: list[tuple[str, str]]  # pictogram, label
    places: list[str]
    languages: list[str]
    open_now: bool | None


@dataclass
class Outcome:
    result: SearchResult
    results: list[ResultView]
    suggestions: Suggestions


def run_search(params: SearchParams, words: Vocabulary, locale: str, now: datetime) -> Outcome:
    request = SearchRequest(
        text=params.text,
        filters=params.filters(words),
        offset=(params.page - 1) * PER_PAGE,
        limit=PER_PAGE,
        now=now,
    )
    index = sync.search_index()
    try:
        result = index.search(request)
    except IndexUnavailable:
        sync.ensure_ready(current_app._get_current_object())  # missing or damaged: rebuild
        result = index.search(request)
    # One URL build per page, not per result.
    service_url = url_for("catalogue.service", service_id=uuid.UUID(int=0)).replace(
        str(uuid.UUID(int=0)), "{}"
    )
    results = [_view(card, words, locale, now, service_url) for card in result.listings]
    suggestions = Suggestions()
    if result.total == 0:
        suggestions = _suggest(params, words, result)
        if params.page == 1:
            gaps.record_zero_result(params, locale)
    return Outcome(result, results, suggestions)


def _view(
    card: ListingDocument, words: Vocabulary, locale: str, now: datetime, service_url: str
) -> ResultView:
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
    return ResultView(
        id=card.id,
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
        open_now=hours.is_open_at(card.periods, card.closures, now),
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
class Option:
    value: str
    label: str
    count: int
    checked: bool
    heading: bool = False  # a life domain above its kinds of help
    icon: str = ""


@dataclass(frozen=True)
class FacetGroup:
    name: str  # the query-string parameter
    legend: str
    options: list[Option]
    open: bool


def facet_groups(
    params: SearchParams, words: Vocabulary, result: SearchResult, locale: str
) -> list[FacetGroup]:
    """The filter form's choices with their counts, ready to render in one loop.

    Only choices that lead somewhere are offered (a count above zero, or already chosen),
    and neighbourhoods appear once their municipality is chosen: 145 checkboxes at once
    help nobody on a phone.
    """
    counts = result.counts

    def options(group: str, values, label, chosen) -> list[Option]:
        return [
            Option(value, label(value), counts[group].get(value, 0), value in chosen)
            for value in values
            if counts[group].get(value) or value in chosen
        ]

    help_options = []
    for domain in words.help_terms.values():
        if domain.parent:
            continue
        children = options(
            "help", domain.children, lambda code: words.help_terms[code].label(locale), params.help
        )
        children = [replace(o, icon=words.help_terms[o.value].icon) for o in children]
        heading = counts["help"].get(domain.code) or domain.code in params.help
        if heading or children:
            help_options += [
                Option(
                    domain.code,
                    domain.label(locale),
                    counts["help"].get(domain.code, 0),
                    domain.code in params.help,
                    heading=True,
                    icon=domain.icon,
                ),
                *children,
            ]
    chosen = set(params.places)
    municipalities_chosen = set(params.filters(words).municipalities) | {
        words.neighbourhoods[p].municipality for p in chosen if p in words.neighbourhoods
    }
    neighbourhoods = options(
        "neighbourhood",
        [
            n
            for n, place in words.neighbourhoods.items()
            if place.municipality in municipalities_chosen or n in chosen
        ],
        lambda n: words.neighbourhoods[n].display_name(locale),
        chosen,
    )
    groups = [
        FacetGroup("help", str(FILTER_LABELS["help"]), help_options, bool(params.help)),
        FacetGroup(
            "place",
            str(MUNICIPALITY_LABEL),
            options(
                "municipality",
                words.municipalities,
                lambda m: words.municipalities[m].display_name(locale),
                chosen,
            ),
            bool(params.places),
        ),
        FacetGroup("place", str(NEIGHBOURHOOD_LABEL), neighbourhoods, bool(params.places)),
        FacetGroup(
            "lang",
            str(FILTER_LABELS["lang"]),
            options(
                "lang",
                words.languages,
                lambda code: language_display_name(code, locale),
                params.languages,
            ),
            bool(params.languages),
        ),
        FacetGroup(
            "formality",
            str(FILTER_LABELS["formality"]),
            options(
                "formality",
                ("formal", "informal"),
                lambda v: str(FORMALITY_LABELS[v]),
                params.formality,
            ),
            bool(params.formality),
        ),
        FacetGroup(
            "kind",
            str(FILTER_LABELS["kind"]),
            options(
                "kind",
                [k.value for k in OrganizationKind],
                lambda v: str(KIND_LABELS[OrganizationKind(v)]),
                params.kinds,
            ),
            bool(params.kinds),
        ),
        FacetGroup(
            "line",
            str(FILTER_LABELS["line"]),
            options(
                "line",
                [line.value for line in Line],
                lambda v: str(LINE_LABELS[Line(v)]),
                params.lines,
            ),
            bool(params.lines),
        ),
    ]
    return [group for group in groups if group.options]
