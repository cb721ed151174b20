"""Demand: searches that found nothing, and referrals declined or left without an
answer, each read as the places, kinds of help and languages it is about.

- A search that found nothing (`catalogue.gaps`) is about the places and kinds of help it
  chose in its filters and those its words name, read as the search reads them (the whole
  name of a place or a kind of help, not one word of it; words as typed, not corrected), and
  about the languages it asked for, or else the language of its page.
- A referral is about the places where its service is: those its service area names and
  those of its addresses (a service for the whole region, or a referral whose service is
  gone, is about no place in particular); about the kinds of help the info point chose and
  the client's languages. It is overdue when nobody acknowledged it within the response
  target (`referrals.deadlines`), as the organisation's inbox marks it.

A trace of demand about a neighbourhood is also about that neighbourhood's municipality. Nothing
here reads who searched, who referred or who the client is.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.catalogue.search_params import Vocabulary
from directory.coordination.filters import GapFilters
from directory.indexing.documents import Reference
from directory.models import (
    DeclineReason,
    Location,
    Municipality,
    Neighbourhood,
    Referral,
    ServiceArea,
    ServiceAtLocation,
    ZeroResultSearch,
)
from directory.referrals.deadlines import is_overdue
from search import reading_vocabulary  # how the index reads a query: the same here
from search.reading import Vocabulary as Reader


@dataclass(frozen=True)
class Trace:
    places: frozenset[str]  # neighbourhood numbers and NIS codes
    needs: frozenset[str]  # kinds of help, and the life domain of each
    languages: frozenset[str]
    decline_reason: DeclineReason | None = None  # referrals only
    overdue: bool = False  # referrals only


@dataclass(frozen=True)
class Demand:
    searches: list[Trace]
    referrals: list[Trace]

    def matching(
        self, gaps: GapFilters, need: str | None = None, language: str | None = None
    ) -> Demand:
        """The traces about the filters' need and language (pass "" to leave one out)."""
        need = gaps.need if need is None else need
        language = gaps.language if language is None else language

        def keep(traces: list[Trace]) -> list[Trace]:
            return [
                s
                for s in traces
                if (not need or need in s.needs) and (not language or language in s.languages)
            ]

        return Demand(keep(self.searches), keep(self.referrals))

    def about(self, place: str) -> Demand:
        """The traces about the place `place` (a neighbourhood number or a NIS code)."""
        return Demand(
            [s for s in self.searches if place in s.places],
            [s for s in self.referrals if place in s.places],
        )

    @property
    def declined(self) -> list[Trace]:
        return [s for s in self.referrals if s.decline_reason is not None]

    @property
    def overdue(self) -> list[Trace]:
        return [s for s in self.referrals if s.overdue]


def tally(traces: Iterable[Trace], values: Callable[[Trace], Iterable[str]]) -> Counter[str]:
    """How many traces hold each value (a trace counts once per value)."""
    counts: Counter[str] = Counter()
    for trace in traces:
        counts.update(set(values(trace)))
    return counts


def load(session: Session, words: Vocabulary, since: datetime, now: datetime) -> Demand:
    """The traces recorded since `since`."""
    return Demand(_searches(session, words, since), _referrals(session, words, since, now))


def _with_municipalities(
    words: Vocabulary, neighbourhoods: set[str], municipalities: set[str]
) -> frozenset[str]:
    owners = {words.neighbourhoods[n].municipality for n in neighbourhoods}
    return frozenset(neighbourhoods | municipalities | {nis for nis in owners if nis})


def _with_domains(words: Vocabulary, codes: Iterable[str]) -> frozenset[str]:
    known = {code for code in codes if code in words.help_terms}
    return frozenset(known | {p for code in known if (p := words.help_terms[code].parent)})


def reader(session: Session, words: Vocabulary) -> Reader:
    """The query reader of the search, on the lexicon as the database has it now (kept with
    the vocabulary it was made from)."""
    return words.memo(
        "coordination.reader", lambda: reading_vocabulary(Reference.load(session).lexicon)
    )


def _searches(session: Session, words: Vocabulary, since: datetime) -> list[Trace]:
    read = reader(session, words)
    traces = []
    known: dict[tuple, Trace] = {}  # many people search the same words: read them once
    for text, chosen, locale in session.execute(
        select(ZeroResultSearch.text, ZeroResultSearch.filters, ZeroResultSearch.locale).where(
            ZeroResultSearch.created_at >= since
        )
    ):
        key = (text, json.dumps(chosen, sort_keys=True), locale)
        if key not in known:
            known[key] = _search_trace(words, read, text, chosen or {}, locale)
        traces.append(known[key])
    return traces


def _search_trace(
    words: Vocabulary, read: Reader, text: str | None, chosen: dict, locale: str
) -> Trace:
    """What a search that found nothing is about."""
    neighbourhoods: set[str] = set()
    municipalities: set[str] = set()
    for place in chosen.get("place", ()):
        if place in words.neighbourhoods:
            neighbourhoods.add(place)
        elif place in words.municipalities:
            municipalities.add(place)
        else:
            municipalities.update(words.postcodes.get(place, ()))
    needs = set(chosen.get("help", ()))
    if text:
        # Every word counts as known: a word is read as typed, never corrected.
        reading = read.read(text, is_known=lambda _word: True)
        for mention in reading.needs:
            if not mention.partial:
                needs.update(mention.codes)
        for mention in reading.places:
            if mention.partial:
                continue
            for kind, code in mention.codes:
                if kind == "n" and code in words.neighbourhoods:
                    neighbourhoods.add(code)
                elif kind == "m" and code in words.municipalities:
                    municipalities.add(code)
    languages = [lang for lang in chosen.get("lang", ()) if lang in words.languages]
    return Trace(
        places=_with_municipalities(words, neighbourhoods, municipalities),
        needs=_with_domains(words, needs),
        languages=frozenset(languages or [locale]),
    )


def _service_places(session: Session, referred) -> dict[uuid.UUID, tuple[set, set]]:
    """Per service: the neighbourhood numbers and NIS codes its area names and its
    addresses lie in."""
    places: dict[uuid.UUID, tuple[set, set]] = {}

    def add(rows) -> None:
        for service_id, number, nis in rows:
            found = places.setdefault(service_id, (set(), set()))
            if number is not None:
                found[0].add(str(number))
            if nis is not None:
                found[1].add(nis)

    add(
        session.execute(
            select(ServiceArea.service_id, Neighbourhood.number, Municipality.nis_code)
            .outerjoin(Neighbourhood, Neighbourhood.id == ServiceArea.neighbourhood_id)
            .outerjoin(Municipality, Municipality.id == ServiceArea.municipality_id)
            .where(ServiceArea.service_id.in_(referred))
        )
    )
    add(
        session.execute(
            select(ServiceAtLocation.service_id, Neighbourhood.number, Municipality.nis_code)
            .join(Location, Location.id == ServiceAtLocation.location_id)
            .outerjoin(Neighbourhood, Neighbourhood.id == Location.neighbourhood_id)
            .outerjoin(Municipality, Municipality.id == Location.municipality_id)
            .where(ServiceAtLocation.service_id.in_(referred))
        )
    )
    return places


def _referrals(session: Session, words: Vocabulary, since: datetime, now: datetime) -> list[Trace]:
    in_period = Referral.created_at >= since
    places = _service_places(
        session, select(Referral.service_id).where(in_period, Referral.service_id.is_not(None))
    )
    traces = []
    for service_id, status, reason, needs, languages, created_at in session.execute(
        select(
            Referral.service_id,
            Referral.status,
            Referral.decline_reason,
            Referral.need_terms,
            Referral.client_languages,
            Referral.created_at,
        ).where(in_period)
    ):
        neighbourhoods, municipalities = places.get(service_id, (set(), set()))
        traces.append(
            Trace(
                places=_with_municipalities(
                    words,
                    {n for n in neighbourhoods if n in words.neighbourhoods},
                    {m for m in municipalities if m in words.municipalities},
                ),
                needs=_with_domains(words, needs or ()),
                languages=frozenset(languages or ()),
                decline_reason=reason,
                overdue=is_overdue(status, created_at, now),
            )
        )
    return traces
