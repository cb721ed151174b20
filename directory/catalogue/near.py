"""Help near you: browsing by place, for people who do not know what to type.

For a municipality or a neighbourhood, the kinds of help a search for that place finds,
each with how many services and a link into that search (`/search?place=…&help=…`). The
numbers are the search's own: they come from the index, counted as a search counts its
filters (a service for the whole region or for the municipality serves the neighbourhood
too), so following a link shows exactly that many results.
"""

from __future__ import annotations

from dataclasses import dataclass

from directory.catalogue.search_params import HelpTerm, Place, Vocabulary
from directory.catalogue.searching import query_index
from search import Filters, SearchRequest, SearchResult


def place_filters(words: Vocabulary, key: str, **more) -> Filters | None:
    """The search's filters for the place `key` (a neighbourhood number or a NIS code) and
    `more`; None when `key` names no place."""
    if key in words.neighbourhoods:
        return Filters(neighbourhoods=frozenset({key}), **more)
    if key in words.municipalities:
        return Filters(municipalities=frozenset({key}), **more)
    return None


def counts(filters: Filters) -> SearchResult:
    """What a search with these filters and no words finds, counted by every filter value
    (`total`, `counts`), without reading a single listing."""
    return query_index(SearchRequest(filters=filters, limit=0))


@dataclass(frozen=True)
class KindNearby:
    term: HelpTerm
    count: int


@dataclass(frozen=True)
class DomainNearby:
    domain: HelpTerm
    count: int
    kinds: list[KindNearby]  # those with at least one service


@dataclass(frozen=True)
class HelpNearby:
    place: Place
    municipality: Place | None  # a neighbourhood's municipality
    neighbourhoods: list[Place]  # a municipality's neighbourhoods, a neighbourhood's neighbours
    total: int
    domains: list[DomainNearby]  # those with at least one service


def help_nearby(words: Vocabulary, key: str, locale: str) -> HelpNearby | None:
    """The kinds of help serving the place `key`, by life domain; None for no such place."""
    filters = place_filters(words, key)
    if filters is None:
        return None
    result = counts(filters)
    found = result.counts.get("help", {})
    domains = []
    for term in words.help_terms.values():
        if term.parent is not None or not found.get(term.code):
            continue
        kinds = [
            KindNearby(words.help_terms[code], found[code])
            for code in term.children
            if found.get(code)
        ]
        domains.append(DomainNearby(term, found[term.code], kinds))
    if key in words.neighbourhoods:
        place = words.neighbourhoods[key]
        municipality = words.municipalities.get(place.municipality or "")
        around = [words.neighbourhoods[n] for n in place.adjacent if n in words.neighbourhoods]
    else:
        place = words.municipalities[key]
        municipality = None
        around = [n for n in words.neighbourhoods.values() if n.municipality == key]
    around.sort(key=lambda n: n.display_name(locale).casefold())
    return HelpNearby(place, municipality, around, result.total, domains)


def municipalities(words: Vocabulary, locale: str) -> list[Place]:
    """The 19 municipalities in the reader's alphabetical order, for choosing one."""
    return sorted(words.municipalities.values(), key=lambda m: m.display_name(locale).casefold())
