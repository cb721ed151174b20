"""Supply: how many services serve each place, by kind of help and by language, formal and
informal, as a resident's search for that place finds them.

Every figure is a count the search index keeps for its filters (`catalogue.near.counts`):
a service serves a neighbourhood when it names it, its municipality or the whole region,
exactly as the search decides. So "no service here" on the coordinators' page means a
resident searching here finds none; only active services count.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from directory.catalogue import near
from directory.catalogue.search_params import Vocabulary
from directory.coordination.filters import GapFilters
from search import Filters, SearchResult


def _filters(gaps: GapFilters, need: str | None = None, language: str | None = None) -> Filters:
    need = gaps.need if need is None else need
    language = gaps.language if language is None else language
    return Filters(
        help=frozenset({need} if need else ()),
        languages=frozenset({language} if language else ()),
    )


def _places(result: SearchResult) -> dict[str, int]:
    """Results per place key (neighbourhood numbers and NIS codes never collide)."""
    return {**result.counts["neighbourhood"], **result.counts["municipality"]}


@dataclass(frozen=True)
class PlaceSupply:
    """Services per place key (absent: none), and for the whole region."""

    services: dict[str, int]
    formal: dict[str, int]
    informal: dict[str, int]
    total: int
    total_formal: int
    total_informal: int


def by_place(gaps: GapFilters) -> PlaceSupply:
    base = _filters(gaps)
    every = near.counts(base)
    formal = near.counts(replace(base, formality=frozenset({"formal"})))
    informal = near.counts(replace(base, formality=frozenset({"informal"})))
    return PlaceSupply(
        _places(every),
        _places(formal),
        _places(informal),
        every.total,
        formal.total,
        informal.total,
    )


@dataclass(frozen=True)
class Breakdown:
    """Services per kind of help or per language; with `places_without`, how many of the
    neighbourhoods have none (for the whole region only)."""

    services: dict[str, int]
    places_without: dict[str, int] | None = None


def by_kind(gaps: GapFilters, words: Vocabulary, codes: list[str], place: str = "") -> Breakdown:
    """Services per kind of help in `codes`, in `place` or in the whole region; the language
    filter applies, the kind of help does not (it is what is broken down)."""
    if place:
        filters = near.place_filters(words, place, languages=_filters(gaps).languages)
        return Breakdown(near.counts(filters).counts["help"])
    services = near.counts(_filters(gaps, need="")).counts["help"]
    return Breakdown(
        services,
        _places_without(words, services, codes, lambda code: _filters(gaps, need=code)),
    )


def by_language(
    gaps: GapFilters, words: Vocabulary, codes: list[str], place: str = ""
) -> Breakdown:
    """Services per language in `codes`, in `place` or in the whole region; the kind of help
    applies, the language does not."""
    if place:
        filters = near.place_filters(words, place, help=_filters(gaps).help)
        return Breakdown(near.counts(filters).counts["lang"])
    services = near.counts(_filters(gaps, language="")).counts["lang"]
    return Breakdown(
        services,
        _places_without(words, services, codes, lambda code: _filters(gaps, language=code)),
    )


def _places_without(words: Vocabulary, services: dict[str, int], codes, filters_for):
    """Per code, the neighbourhoods no service of it serves (none at all: every one, with no
    need to ask the index)."""
    every = len(words.neighbourhoods)
    return {
        code: every - len(near.counts(filters_for(code)).counts["neighbourhood"])
        if services.get(code)
        else every
        for code in codes
    }
