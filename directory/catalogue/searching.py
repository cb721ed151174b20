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
    REGION_LABEL,
)
from directory.models import language_display_name
from directory.rendering.urls import kept_url_for
from search import IndexUnavailable, ListingDocument, LockTimeout, SearchRequest, SearchResult

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
class ResultItem:
    """One result of the page, as data: its listing card and every input of how it is shown
    (`directory.rendering.search_page` draws it, keyed by these fields)."""

    version: str  # the index version read: within one, a listing id always has the same card
    id: str
    locale: str
    service_url: str  # the listing's address, with "{}" for its id
    open_now: bool | None  # None: the listing has no opening hours
    stale: bool
    refer_url: str  # "" unless the reader is an info-point worker
    card: ListingDocument = field(compare=False, hash=False)  # named by version and id


@dataclass
class Outcome:
    result: SearchResult
    results: list[ResultItem]
    suggestions: Suggestions
    handout_url: str = ""  # the page's results on paper

    @property
    def found_nothing(self) -> bool:
        """No result, or only the listings of the place named because the other words are
        in no listing: recorded for gap analysis either way."""
        return self.result.total == 0 or self.result.unmatched


def query_index(request: SearchRequest) -> SearchResult:
    """The index's answer to `request`, caught up first with changes made on another app
    host, and rebuilt when it is missing or damaged."""
    index = sync.search_index()
    app = current_app._get_current_object()
    try:
        sync.follow(app)  # changes made on another app host
        return index.search(request)
    except IndexUnavailable:
        sync.ensure_ready(app)  # missing or damaged: rebuild
        return index.search(request)


def index_version() -> str | None:
    """The index version a search made now reads (caught up first, as `query_index`); None
    when there is no usable index yet or its writer is busy (the search itself then deals
    with either)."""
    try:
        sync.follow(current_app._get_current_object())
        return sync.search_index().version()
    except (IndexUnavailable, LockTimeout):
        return None


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
    result = query_index(request)
    # One URL build per page, not per result.
    service_url = kept_url_for("catalogue.service", service_id=uuid.UUID(int=0)).replace(
        str(uuid.UUID(int=0)), "{}"
    )
    results = [
        ResultItem(
            version=result.version,
            id=card.id,
            locale=locale,
            service_url=service_url,
            open_now=card.id in result.open_now if card.periods else None,
            stale=rules.is_stale(card.checked_on, now.date()),
            refer_url=url_for("referrals.new", service=card.id) if refers else "",
            card=card,
        )
        for card in result.listings
    ]
    suggestions = _suggest(params, words, result) if result.total == 0 else Suggestions()
    outcome = Outcome(result, results, suggestions)
    if outcome.found_nothing and params.page == 1:
        gaps.record_zero_result(params, locale)
    gaps.write_if_due()
    if results:
        # Listing ids are UUIDs: nothing in them to encode.
        ids = "&".join(f"service={item.id}" for item in results)
        outcome.handout_url = f"{kept_url_for('catalogue.handout_page')}?{ids}"
    return outcome


def result_card(item: ResultItem, words: Vocabulary) -> ResultCard:
    """What the result shows of its listing, in the reader's language."""
    card, locale = item.card, item.locale
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
        url=item.service_url.format(card.id),
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
