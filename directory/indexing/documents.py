"""The search document of a service, built from the database.

Plain SQL rows, not ORM objects: a rebuild reads every service, and building tens of
thousands of objects would cost more than the indexing itself. The same code serves the
outbox, so a listing is indexed the same way whichever path it takes.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import (
    INFORMAL_KINDS,
    Attribute,
    Closure,
    Language,
    LocalName,
    Location,
    Municipality,
    Neighbourhood,
    Organization,
    OrganizationText,
    Postcode,
    Provenance,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    ServiceText,
    TaxonomyTerm,
    TaxonomyTermLabel,
)
from directory.models.place import local_name_neighbourhood, neighbourhood_also_in
from directory.seeding import search_words
from search import Closed, Lexicon, ListingDocument, Period, Text

REGION_WORDS = ("Brussel", "Bruxelles", "Brussels")


@dataclass(frozen=True)
class Reference:
    """Places and kinds of help, read once for a batch of documents."""

    neighbourhoods: dict[uuid.UUID, str]  # id -> number
    municipalities: dict[uuid.UUID, str]  # id -> NIS code
    terms: dict[uuid.UUID, tuple[str, ...]]  # id -> its code and its domain's
    lexicon: Lexicon  # the words of each, for the index

    @classmethod
    def load(cls, session: Session) -> Reference:
        postcodes = defaultdict(list)
        for municipality_id, code in session.execute(
            select(Postcode.municipality_id, Postcode.code)
        ):
            postcodes[municipality_id].append(code)
        extra = search_words.load()
        municipalities = {
            row.id: (
                row.nis_code,
                (
                    row.name_fr,
                    row.name_nl,
                    *extra.municipality_names.get(row.nis_code, ()),
                    *postcodes[row.id],
                ),
            )
            for row in session.execute(
                select(
                    Municipality.id,
                    Municipality.nis_code,
                    Municipality.name_fr,
                    Municipality.name_nl,
                )
            )
        }
        local_words = defaultdict(list)
        for neighbourhood_id, name_fr, name_nl in session.execute(
            select(
                local_name_neighbourhood.c.neighbourhood_id, LocalName.name_fr, LocalName.name_nl
            ).join(LocalName)
        ):
            local_words[neighbourhood_id] += [
                name_fr,
                name_nl,
                *extra.local_names.get(name_nl, ()),
            ]
        neighbourhoods, owner, neighbourhood_words = {}, {}, {}
        for row in session.execute(
            select(
                Neighbourhood.id,
                Neighbourhood.number,
                Neighbourhood.name_fr,
                Neighbourhood.name_nl,
                Neighbourhood.municipality_id,
            )
        ):
            words = (
                row.name_fr,
                row.name_nl,
                *local_words[row.id],
                *municipalities[row.municipality_id][1],
            )
            neighbourhoods[row.id] = str(row.number)
            neighbourhood_words[str(row.number)] = words
            owner[row.id] = row.municipality_id
        place_map = {
            number: (municipalities[owner[nid]][0],) for nid, number in neighbourhoods.items()
        }
        for neighbourhood_id, municipality_id in session.execute(select(neighbourhood_also_in)):
            place_map[neighbourhoods[neighbourhood_id]] += (municipalities[municipality_id][0],)
        labels = defaultdict(list)
        for term_id, label in session.execute(
            select(TaxonomyTermLabel.term_id, TaxonomyTermLabel.label)
        ):
            labels[term_id].append(label)
        rows = {
            r.id: r
            for r in session.execute(
                select(TaxonomyTerm.id, TaxonomyTerm.code, TaxonomyTerm.parent_id).where(
                    TaxonomyTerm.of_kinds_of_help()
                )
            )
        }
        terms = {}
        for term_id, row in rows.items():
            parent = rows.get(row.parent_id)
            terms[term_id] = (row.code, parent.code) if parent else (row.code,)
        lexicon = Lexicon(
            help_words={
                row.code: (*labels[term_id], *extra.terms.get(row.code, ()))
                for term_id, row in rows.items()
            },
            neighbourhood_words=neighbourhood_words,
            municipality_words=dict(municipalities.values()),
            region_words=REGION_WORDS,
            place_map=place_map,
            stop_words=extra.stop_words,
            domains=tuple(row.code for row in rows.values() if row.parent_id is None),
        )
        return cls(
            neighbourhoods,
            {id_: nis for id_, (nis, _) in municipalities.items()},
            terms,
            lexicon,
        )


def documents_for(
    session: Session, service_ids: Iterable[uuid.UUID], reference: Reference
) -> tuple[list[ListingDocument], list[str]]:
    """Documents of the given services that are active, and the ids to remove (gone or not
    active any more)."""
    wanted = list(dict.fromkeys(service_ids))
    services = {
        row.id: row
        for row in session.execute(
            select(
                Service.id,
                Service.status,
                Service.is_free,
                Service.assured_date,
                Service.provenance,
                Service.organization_id,
                Organization.kind,
                Organization.line,
                Organization.alternate_name,
            )
            .join(Organization, Organization.id == Service.organization_id)
            .where(Service.id.in_(wanted))
        )
    }
    active = [i for i in wanted if i in services and services[i].status is ServiceStatus.ACTIVE]
    active_set = set(active)
    removed = [str(i) for i in wanted if i not in active_set]
    if not active:
        return [], removed
    organization_ids = {services[i].organization_id for i in active}

    def grouped(query, key_column) -> dict:
        groups = defaultdict(list)
        for row in session.execute(query):
            groups[getattr(row, key_column)].append(row)
        return groups

    texts = grouped(
        select(
            ServiceText.service_id,
            ServiceText.locale,
            ServiceText.name,
            ServiceText.summary,
            ServiceText.description,
            ServiceText.is_original,
        ).where(ServiceText.service_id.in_(active)),
        "service_id",
    )
    names = grouped(
        select(
            OrganizationText.organization_id,
            OrganizationText.locale,
            OrganizationText.name,
            OrganizationText.is_original,
        ).where(OrganizationText.organization_id.in_(organization_ids)),
        "organization_id",
    )
    languages = grouped(
        select(Language.service_id, Language.code).where(Language.service_id.in_(active)),
        "service_id",
    )
    areas = grouped(
        select(
            ServiceArea.service_id, ServiceArea.neighbourhood_id, ServiceArea.municipality_id
        ).where(ServiceArea.service_id.in_(active)),
        "service_id",
    )
    # Where it is offered counts as where it is: the neighbourhood of each address, or
    # only its municipality when the address is confidential (as the pages say it).
    places_offered = grouped(
        select(
            ServiceAtLocation.service_id,
            Location.neighbourhood_id,
            Location.municipality_id,
            Location.is_confidential,
        )
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(ServiceAtLocation.service_id.in_(active)),
        "service_id",
    )
    schedules = grouped(
        select(
            Schedule.service_id,
            Schedule.freq,
            Schedule.byday,
            Schedule.opens_at,
            Schedule.closes_at,
            Schedule.valid_from,
            Schedule.valid_to,
            Schedule.until,
        ).where(Schedule.service_id.in_(active), Schedule.service_at_location_id.is_(None)),
        "service_id",
    )
    closures = grouped(
        select(Closure.service_id, Closure.starts_on, Closure.ends_on).where(
            Closure.service_id.in_(active)
        ),
        "service_id",
    )
    tags = grouped(
        select(Attribute.link_id, Attribute.taxonomy_term_id).where(
            Attribute.link_entity == "service", Attribute.link_id.in_(active)
        ),
        "link_id",
    )
    documents = []
    for service_id in active:
        service = services[service_id]
        help_codes = {
            code
            for tag in tags[service_id]
            for code in reference.terms.get(tag.taxonomy_term_id, ())  # others' terms: no need
        }
        at = [
            (None, p.municipality_id)
            if p.is_confidential or not p.neighbourhood_id
            else (p.neighbourhood_id, None)
            for p in places_offered[service_id]
        ]
        in_places = [(a.neighbourhood_id, a.municipality_id) for a in areas[service_id]] + at
        exact_n = {reference.neighbourhoods[n] for n, _m in in_places if n}
        exact_m = {reference.municipalities[m] for _n, m in in_places if m}
        region_wide = any(
            not a.neighbourhood_id and not a.municipality_id for a in areas[service_id]
        )
        documents.append(
            ListingDocument(
                id=str(service_id),
                # In a fixed order: the same content is the same document (and digest).
                texts=tuple(
                    sorted(
                        (
                            Text(
                                t.locale,
                                t.name,
                                t.summary or "",
                                t.description or "",
                                t.is_original,
                            )
                            for t in texts[service_id]
                        ),
                        key=repr,
                    )
                ),
                organization_texts=tuple(
                    sorted(
                        (
                            Text(t.locale, t.name, is_original=t.is_original)
                            for t in names[service.organization_id]
                        ),
                        key=repr,
                    )
                ),
                help_codes=tuple(sorted(help_codes)),
                exact_neighbourhoods=tuple(sorted(exact_n)),
                exact_municipalities=tuple(sorted(exact_m)),
                region_wide=region_wide,
                languages=tuple(sorted(row.code for row in languages[service_id])),
                kind=service.kind.value,
                informal=service.kind in INFORMAL_KINDS,
                line=service.line.value,
                free=service.is_free,
                periods=tuple(
                    sorted(
                        (
                            Period(
                                s.freq,
                                s.byday,
                                s.opens_at,
                                s.closes_at,
                                s.valid_from,
                                s.valid_to,
                                s.until,
                            )
                            for s in schedules[service_id]
                            if s.opens_at and s.closes_at
                        ),
                        key=repr,
                    )
                ),
                closures=tuple(
                    sorted((Closed(c.starts_on, c.ends_on) for c in closures[service_id]), key=repr)
                ),
                # As `ListingRecord.is_verified`: a synthetic listing was never checked.
                checked_on=service.assured_date
                if service.provenance is not Provenance.SYNTHETIC
                else None,
                other_names=(service.alternate_name,) if service.alternate_name else (),
            )
        )
    return documents, removed


def all_documents(
    session: Session, reference: Reference, batch: int = 2000
) -> Iterator[ListingDocument]:
    """Every active service, in batches so memory stays flat."""
    ids = session.scalars(
        select(Service.id).where(Service.status == ServiceStatus.ACTIVE).order_by(Service.id)
    ).all()
    for start in range(0, len(ids), batch):
        documents, _ = documents_for(session, ids[start : start + batch], reference)
        yield from documents
