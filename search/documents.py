"""What the rest of the app hands to search: plain data, no database or engine types."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
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

    def token(self) -> str:
        """The period as one index term ("WEEKLY~MO+TU~09:00:00~17:00:00~~~"): the index
        then knows which listings share it without reading every stored listing."""
        return "~".join(
            [
                self.freq,
                self.byday.replace(",", "+"),
                self.opens_at.isoformat(),
                self.closes_at.isoformat(),
                *(_iso(day) for day in (self.valid_from, self.valid_to, self.until)),
            ]
        )

    @classmethod
    def from_token(cls, token: str) -> Period:
        freq, byday, opens_at, closes_at, valid_from, valid_to, until = token.split("~")
        return cls(
            freq,
            byday.replace("+", ","),
            time.fromisoformat(opens_at),
            time.fromisoformat(closes_at),
            _day(valid_from),
            _day(valid_to),
            _day(until),
        )


@dataclass(frozen=True)
class Closed:
    starts_on: date
    ends_on: date

    def token(self) -> str:
        return f"{self.starts_on.isoformat()}~{self.ends_on.isoformat()}"

    @classmethod
    def from_token(cls, token: str) -> Closed:
        starts_on, ends_on = token.split("~")
        return cls(date.fromisoformat(starts_on), date.fromisoformat(ends_on))


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


@dataclass(frozen=True)
class ListingDocument:
    """One service as the index sees it. Stored in the index (`as_shown`), it is also what a
    page of results shows, so showing results needs no database query."""

    id: str
    texts: tuple[Text, ...]  # the service's texts, every language it has
    organization_texts: tuple[Text, ...]  # its organisation's names
    help_codes: tuple[str, ...]  # kinds of help and their life domains
    # Where it serves: the places the listing names. Which neighbourhoods a municipality
    # covers, and the words that name each place, come from the `Lexicon`.
    exact_neighbourhoods: tuple[str, ...]  # neighbourhood numbers
    exact_municipalities: tuple[str, ...]  # NIS codes
    region_wide: bool
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
    # Other names the listing is known by (an organisation's former or short name): found
    # as names, never shown in results.
    other_names: tuple[str, ...] = ()

    def as_shown(self) -> ListingDocument:
        """The document without what only the index needs (descriptions): what a page of
        results reads back, smaller to store and to load."""
        return replace(
            self,
            texts=tuple(replace(text, description="") for text in self.texts),
            other_names=(),
        )


@dataclass(frozen=True)
class Lexicon:
    """What the index knows beside the listings: the words naming each kind of help and each
    place, in every language, and the municipalities of each neighbourhood.

    A query word that names a kind of help finds the listings tagged with it (a life
    domain's words, every listing in the domain); one that names a place finds the listings
    naming that place. The words are analysed once per index, not once per listing: a
    listing only carries codes.
    """

    # kind of help or life domain code -> its labels and the words people use for it
    help_words: dict[str, tuple[str, ...]]
    # neighbourhood number -> its names, local names, its municipality's names and postcodes
    neighbourhood_words: dict[str, tuple[str, ...]]
    municipality_words: dict[str, tuple[str, ...]]  # NIS code -> names (FR, NL), postcodes
    region_words: tuple[str, ...]  # what names the whole region
    place_map: dict[str, tuple[str, ...]]  # neighbourhood number -> its NIS codes, main first
    # Words that carry no need and no place in a query, in every language ("my", "someone").
    stop_words: tuple[str, ...] = ()
    # Codes of life domains: naming one says little about the need (it holds many kinds).
    domains: tuple[str, ...] = ()

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Lexicon:
        data = json.loads(text)
        return cls(
            help_words=_tuples(data["help_words"]),
            neighbourhood_words=_tuples(data["neighbourhood_words"]),
            municipality_words=_tuples(data["municipality_words"]),
            region_words=tuple(data["region_words"]),
            place_map=_tuples(data["place_map"]),
            stop_words=tuple(data["stop_words"]),
            domains=tuple(data["domains"]),
        )


def _tuples(mapping: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {key: tuple(values) for key, values in mapping.items()}
