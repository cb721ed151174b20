"""What the rest of the app hands to search: plain data, no database or engine types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time


@dataclass(frozen=True)
class Text:
    locale: str
    name: str
    summary: str = ""
    description: str = ""
    is_original: bool = False


@dataclass(frozen=True)
class Period:
    """One opening period, with the attributes `directory.hours` reads of a schedule row.

    Hashable: listings with the same period share one set of documents in the index.
    """

    freq: str
    byday: str
    opens_at: time
    closes_at: time
    valid_from: date | None = None
    valid_to: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class Closed:
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class ListingDocument:
    """One service as the index sees it. Stored whole in the index, it is also what a page
    of results shows, so showing results needs no database query."""

    id: str
    texts: tuple[Text, ...]  # the service's texts, every language it has
    organization_texts: tuple[Text, ...]  # its organisation's names
    help_codes: tuple[str, ...]  # kinds of help and their life domains
    help_words: tuple[str, ...]  # their labels in every language: bridges languages
    # Where it serves: the places the listing names. Which neighbourhoods a municipality
    # covers comes from the place map given to `SearchIndex.build_generation`.
    exact_neighbourhoods: tuple[str, ...]  # neighbourhood numbers
    exact_municipalities: tuple[str, ...]  # NIS codes
    region_wide: bool
    place_words: tuple[str, ...]  # place names (FR and NL), postcodes, local names
    languages: tuple[str, ...]
    kind: str
    informal: bool
    line: str
    free: bool | None
    periods: tuple[Period, ...] = field(default=())
    closures: tuple[Closed, ...] = field(default=())
    # When someone last confirmed the listing (None: never, or not a real listing). Whether
    # that is too long ago is asked at search time, so a listing goes stale without a
    # change to its document.
    checked_on: date | None = None
