"""Reading the catalogue for the public pages, with the relationships each page shows."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from directory.models import (
    Attribute,
    Contact,
    Organization,
    OrganizationKind,
    OrganizationText,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
)
from directory.models.location import Location
from directory.models.taxonomy import KINDS_OF_HELP

_LOCATION_DETAILS = (
    selectinload(Location.addresses),
    selectinload(Location.phones),
    selectinload(Location.contacts),
    selectinload(Location.schedules),
    selectinload(Location.municipality),
)

_SERVICE_DETAILS = (
    selectinload(Service.texts),
    selectinload(Service.languages),
    selectinload(Service.areas).selectinload(ServiceArea.neighbourhood),
    selectinload(Service.areas).selectinload(ServiceArea.municipality),
    selectinload(Service.attributes)
    .selectinload(Attribute.taxonomy_term)
    .selectinload(TaxonomyTerm.labels),
    selectinload(Service.schedules),
    selectinload(Service.closures),
    selectinload(Service.contacts).selectinload(Contact.phones),
    selectinload(Service.phones),
    selectinload(Service.service_at_locations).selectinload(ServiceAtLocation.schedules),
    selectinload(Service.service_at_locations)
    .selectinload(ServiceAtLocation.location)
    .options(*_LOCATION_DETAILS),
)

_ORGANIZATION_DETAILS = (
    selectinload(Organization.texts),
    selectinload(Organization.contacts).selectinload(Contact.phones),
    selectinload(Organization.phones),
    selectinload(Organization.identifiers),
    selectinload(Organization.locations).options(*_LOCATION_DETAILS),
    selectinload(Organization.parent).selectinload(Organization.texts),
    selectinload(Organization.children).selectinload(Organization.texts),
    selectinload(Organization.relay_organization).selectinload(Organization.texts),
)


def organization_page(session: Session, organization_id: uuid.UUID) -> Organization | None:
    return session.scalar(
        select(Organization)
        .where(Organization.id == organization_id)
        .options(
            *_ORGANIZATION_DETAILS,
            selectinload(Organization.services).options(*_SERVICE_DETAILS),
        )
    )


def service_page(session: Session, service_id: uuid.UUID) -> Service | None:
    return session.scalar(
        select(Service)
        .where(Service.id == service_id)
        .options(
            *_SERVICE_DETAILS,
            selectinload(Service.organization).options(*_ORGANIZATION_DETAILS),
        )
    )


def kinds_of_help(session: Session) -> list[TaxonomyTerm]:
    """The life domains, each with its kinds of help as `children`."""
    return list(
        session.scalars(
            select(TaxonomyTerm)
            .join(Taxonomy)
            .where(TaxonomyTerm.parent_id.is_(None), Taxonomy.name == KINDS_OF_HELP)
            .order_by(TaxonomyTerm.position)
            .options(
                selectinload(TaxonomyTerm.labels),
                selectinload(TaxonomyTerm.children).selectinload(TaxonomyTerm.labels),
            )
        )
    )


def organization_counts_by_kind(session: Session) -> dict[OrganizationKind, int]:
    rows = session.execute(
        select(Organization.kind, func.count()).group_by(Organization.kind)
    ).all()
    return dict(rows)


def count_active_services(session: Session) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(Service).where(Service.status == ServiceStatus.ACTIVE)
        )
        or 0
    )


def organizations_of_kind(
    session: Session, kind: OrganizationKind, page: int, per_page: int
) -> tuple[list[Organization], int]:
    """One page of the organisations of a kind, by the name they were first written in."""
    total = (
        session.scalar(
            select(func.count()).select_from(Organization).where(Organization.kind == kind)
        )
        or 0
    )
    original_name = (
        select(func.lower(OrganizationText.name))
        .where(
            OrganizationText.organization_id == Organization.id,
            OrganizationText.is_original.is_(True),
        )
        .correlate(Organization)
        .scalar_subquery()
    )
    organizations = session.scalars(
        select(Organization)
        .where(Organization.kind == kind)
        .order_by(original_name, Organization.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
        .options(selectinload(Organization.texts))
    ).all()
    return list(organizations), total
