"""Reading what is published, with everything its HSDS documents show loaded at once.

The conditions that decide what is published are `documents`'; this module only adds the
API's filters (AND across parameters) and the loading.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from directory.exchange import documents
from directory.models import (
    Attribute,
    Contact,
    Location,
    Neighbourhood,
    Organization,
    OrganizationText,
    Postcode,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
    TaxonomyTermLabel,
)
from directory.models.place import neighbourhood_also_in, postcode_also_in

_TERM = (selectinload(TaxonomyTerm.labels), selectinload(TaxonomyTerm.taxonomy))
_ORGANIZATION_FIELDS = (
    selectinload(Organization.texts),
    selectinload(Organization.parent),
    selectinload(Organization.relay_organization),
)
_LOCATION_DETAILS = (
    selectinload(Location.addresses),
    selectinload(Location.phones),
    selectinload(Location.contacts).selectinload(Contact.phones),
    selectinload(Location.schedules),
    selectinload(Location.neighbourhood).selectinload(Neighbourhood.municipality),
    selectinload(Location.municipality),
)
_SERVICE_FIELDS = (
    selectinload(Service.texts),
    selectinload(Service.organization).options(*_ORGANIZATION_FIELDS),
)
SERVICE_DETAILS = (
    *_SERVICE_FIELDS,
    selectinload(Service.languages),
    selectinload(Service.areas)
    .selectinload(ServiceArea.neighbourhood)
    .selectinload(Neighbourhood.municipality),
    selectinload(Service.areas).selectinload(ServiceArea.municipality),
    selectinload(Service.attributes).selectinload(Attribute.taxonomy_term).options(*_TERM),
    selectinload(Service.schedules),
    selectinload(Service.contacts).selectinload(Contact.phones),
    selectinload(Service.phones),
    selectinload(Service.service_at_locations).options(
        selectinload(ServiceAtLocation.schedules),
        selectinload(ServiceAtLocation.location).options(*_LOCATION_DETAILS),
    ),
)
# What a service at location's list item shows: the service's and the location's own fields.
_SERVICE_AT_LOCATION_FIELDS = (
    selectinload(ServiceAtLocation.service).options(*_SERVICE_FIELDS),
    selectinload(ServiceAtLocation.location).options(
        selectinload(Location.neighbourhood).selectinload(Neighbourhood.municipality),
        selectinload(Location.municipality),
    ),
)
ORGANIZATION_DETAILS = (
    *_ORGANIZATION_FIELDS,
    selectinload(Organization.contacts).selectinload(Contact.phones),
    selectinload(Organization.phones),
    selectinload(Organization.locations).options(*_LOCATION_DETAILS),
    selectinload(Organization.identifiers),
    selectinload(Organization.services).options(*_SERVICE_FIELDS),
)


@dataclass(frozen=True)
class ServiceFilters:
    """What a list of services (or of services at locations) is narrowed to; every filter
    given must hold. `ranked_ids`: the search engine's matches, best first (None: no search)."""

    ranked_ids: Sequence[uuid.UUID] | None = None
    taxonomy_term_id: uuid.UUID | None = None
    taxonomy_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    modified_after: datetime | None = None
    postcode: str | None = None


def listed_service_conditions(filters: ServiceFilters) -> list[ColumnElement[bool]]:
    """Published, active (as the search lists them) and matching every filter."""
    conditions: list[ColumnElement[bool]] = [
        documents.published_service_clause(),
        Service.status == ServiceStatus.ACTIVE,
    ]
    if filters.ranked_ids is not None:
        conditions.append(Service.id.in_(filters.ranked_ids))
    if filters.taxonomy_term_id is not None:
        conditions.append(_tagged_with(_term_and_children(filters.taxonomy_term_id)))
    if filters.taxonomy_id is not None:
        terms = select(TaxonomyTerm.id).where(TaxonomyTerm.taxonomy_id == filters.taxonomy_id)
        conditions.append(_tagged_with(terms))
    if filters.organization_id is not None:
        conditions.append(Service.organization_id == filters.organization_id)
    if filters.modified_after is not None:
        conditions.append(Service.last_modified >= filters.modified_after)
    if filters.postcode is not None:
        conditions.append(_serves_postcode(filters.postcode))
    return conditions


def _term_and_children(term_id: uuid.UUID) -> Select:
    """A life domain stands for its kinds of help, as in the search."""
    return select(TaxonomyTerm.id).where(
        or_(TaxonomyTerm.id == term_id, TaxonomyTerm.parent_id == term_id)
    )


def _tagged_with(terms: Select) -> ColumnElement[bool]:
    return exists().where(
        Attribute.link_entity == "service",
        Attribute.link_id == Service.id,
        Attribute.taxonomy_term_id.in_(terms),
    )


def _serves_postcode(code: str) -> ColumnElement[bool]:
    """HSDS: the postcode lies within the service's area. A postcode belongs to one or more
    municipalities; a service serves it when its areas name the whole region, one of those
    municipalities, or a neighbourhood in one of them (as the search serves a place)."""
    municipalities = (
        select(Postcode.municipality_id)
        .where(Postcode.code == code)
        .union(
            select(postcode_also_in.c.municipality_id)
            .join(Postcode, Postcode.id == postcode_also_in.c.postcode_id)
            .where(Postcode.code == code)
        )
    )
    neighbourhoods = select(Neighbourhood.id).where(
        or_(
            Neighbourhood.municipality_id.in_(municipalities),
            Neighbourhood.id.in_(
                select(neighbourhood_also_in.c.neighbourhood_id).where(
                    neighbourhood_also_in.c.municipality_id.in_(municipalities)
                )
            ),
        )
    )
    whole_region = and_(
        ServiceArea.municipality_id.is_(None), ServiceArea.neighbourhood_id.is_(None)
    )
    return exists().where(
        ServiceArea.service_id == Service.id,
        # A postcode outside the region is served by nobody, the region included.
        exists().where(Postcode.code == code),
        or_(
            whole_region,
            ServiceArea.municipality_id.in_(municipalities),
            ServiceArea.neighbourhood_id.in_(neighbourhoods),
        ),
    )


def count(session: Session, statement: Select) -> int:
    return session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def service_ids(session: Session, filters: ServiceFilters) -> list[uuid.UUID]:
    """The ids of the listed services matching `filters`: in the search's order when there
    is a search, else by id (a stable order for harvesting page by page)."""
    statement = select(Service.id).where(*listed_service_conditions(filters))
    if filters.ranked_ids is None:
        return list(session.scalars(statement.order_by(Service.id)))
    found = set(session.scalars(statement))
    return [service_id for service_id in filters.ranked_ids if service_id in found]


def page_of_services(
    session: Session, filters: ServiceFilters, offset: int, limit: int
) -> tuple[list[Service], int]:
    """One page of listed services and how many there are in all."""
    if filters.ranked_ids is None:
        statement = select(Service).where(*listed_service_conditions(filters))
        total = count(session, statement)
        services = session.scalars(
            statement.order_by(Service.id).offset(offset).limit(limit).options(*_SERVICE_FIELDS)
        ).all()
        return list(services), total
    ids = service_ids(session, filters)
    return _in_order(session, Service, ids[offset : offset + limit], _SERVICE_FIELDS), len(ids)


def page_of_services_at_locations(
    session: Session, filters: ServiceFilters, offset: int, limit: int
) -> tuple[list[ServiceAtLocation], int]:
    """One page of the listed services' locations: in the search's order when there is a
    search (a service's locations together), else by id."""
    statement = (
        select(ServiceAtLocation)
        .join(Service, Service.id == ServiceAtLocation.service_id)
        .where(*listed_service_conditions(filters))
    )
    total = count(session, statement)
    if filters.ranked_ids is None:
        links = session.scalars(
            statement.order_by(ServiceAtLocation.id)
            .offset(offset)
            .limit(limit)
            .options(*_SERVICE_AT_LOCATION_FIELDS)
        ).all()
        return list(links), total
    rank = {service_id: position for position, service_id in enumerate(filters.ranked_ids)}
    every = sorted(
        session.execute(statement.with_only_columns(ServiceAtLocation.id, Service.id)).all(),
        key=lambda row: (rank[row[1]], str(row[0])),
    )
    chosen = [row[0] for row in every[offset : offset + limit]]
    return _in_order(session, ServiceAtLocation, chosen, _SERVICE_AT_LOCATION_FIELDS), total


def _in_order(session: Session, model, ids: Sequence[uuid.UUID], options) -> list:
    found = {
        record.id: record
        for record in session.scalars(select(model).where(model.id.in_(ids)).options(*options))
    }
    return [found[record_id] for record_id in ids if record_id in found]


def service(session: Session, service_id: uuid.UUID) -> Service | None:
    """A published service by id, whatever its status (the service page shows any)."""
    return session.scalar(
        select(Service)
        .where(Service.id == service_id, documents.published_service_clause())
        .options(*SERVICE_DETAILS)
    )


def service_at_location(session: Session, link_id: uuid.UUID) -> ServiceAtLocation | None:
    """A published service's location by id, whatever the service's status (as `service`)."""
    return session.scalar(
        select(ServiceAtLocation)
        .join(Service, Service.id == ServiceAtLocation.service_id)
        .where(ServiceAtLocation.id == link_id, documents.published_service_clause())
        .options(*_SERVICE_AT_LOCATION_FIELDS)
    )


def organization(session: Session, organization_id: uuid.UUID) -> Organization | None:
    return session.scalar(
        select(Organization)
        .where(Organization.id == organization_id, documents.published_organization_clause())
        .options(*ORGANIZATION_DETAILS)
    )


def page_of_organizations(
    session: Session, text: str | None, offset: int, limit: int
) -> tuple[list[Organization], int]:
    """Published organisations by id; `text`: those whose name, other name or summary in
    any language holds it (a plain match: the search engine indexes services)."""
    statement = select(Organization).where(documents.published_organization_clause())
    if text:
        pattern = f"%{_escaped(text)}%"
        statement = statement.where(
            or_(
                Organization.alternate_name.ilike(pattern, escape="\\"),
                Organization.texts.any(
                    or_(
                        OrganizationText.name.ilike(pattern, escape="\\"),
                        OrganizationText.summary.ilike(pattern, escape="\\"),
                    )
                ),
            )
        )
    total = count(session, statement)
    organizations = session.scalars(
        statement.order_by(Organization.id)
        .offset(offset)
        .limit(limit)
        .options(*_ORGANIZATION_FIELDS)
    ).all()
    return list(organizations), total


def _listed_taxonomies() -> Select:
    """Every taxonomy is published (ours and any imported one): the lists and the single
    records read from here, so one shows what the other does."""
    return select(Taxonomy)


def _listed_taxonomy_terms() -> Select:
    """Every term of every published taxonomy (as `_listed_taxonomies`: all of them)."""
    return select(TaxonomyTerm)


def taxonomy(session: Session, taxonomy_id: uuid.UUID) -> Taxonomy | None:
    return session.scalar(_listed_taxonomies().where(Taxonomy.id == taxonomy_id))


def taxonomy_term(session: Session, term_id: uuid.UUID) -> TaxonomyTerm | None:
    return session.scalar(
        _listed_taxonomy_terms().where(TaxonomyTerm.id == term_id).options(*_TERM)
    )


def page_of_taxonomies(
    session: Session, text: str | None, offset: int, limit: int
) -> tuple[list[Taxonomy], int]:
    statement = _listed_taxonomies()
    if text:
        pattern = f"%{_escaped(text)}%"
        statement = statement.where(
            or_(
                Taxonomy.name.ilike(pattern, escape="\\"),
                Taxonomy.description.ilike(pattern, escape="\\"),
            )
        )
    total = count(session, statement)
    taxonomies = session.scalars(
        statement.order_by(Taxonomy.name, Taxonomy.id).offset(offset).limit(limit)
    ).all()
    return list(taxonomies), total


def page_of_taxonomy_terms(
    session: Session, text: str | None, offset: int, limit: int
) -> tuple[list[TaxonomyTerm], int]:
    """Terms in the taxonomy's order; `text`: those whose code or label in any language
    holds it."""
    statement = _listed_taxonomy_terms()
    if text:
        pattern = f"%{_escaped(text)}%"
        statement = statement.where(
            or_(
                TaxonomyTerm.code.ilike(pattern, escape="\\"),
                TaxonomyTerm.labels.any(TaxonomyTermLabel.label.ilike(pattern, escape="\\")),
            )
        )
    total = count(session, statement)
    terms = session.scalars(
        statement.order_by(TaxonomyTerm.taxonomy_id, TaxonomyTerm.position, TaxonomyTerm.code)
        .offset(offset)
        .limit(limit)
        .options(*_TERM)
    ).all()
    return list(terms), total


def _escaped(text: str) -> str:
    """`text` matched literally by LIKE."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
