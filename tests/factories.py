"""Building listings for tests, with only the fields a test cares about given."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import (
    Line,
    Municipality,
    Neighbourhood,
    Organization,
    OrganizationKind,
    OrganizationText,
    Provenance,
    Schedule,
    Service,
    ServiceArea,
    ServiceText,
    TaxonomyTerm,
)


def organization(
    session: Session,
    name: str = "Buurthuis Test",
    kind: OrganizationKind = OrganizationKind.ASSOCIATION,
    line: Line = Line.ZERO,
    texts: dict[str, str] | None = None,
    **fields,
) -> Organization:
    org = Organization(kind=kind, line=line, provenance=Provenance.COORDINATOR, **fields)
    for locale, text_name in (texts or {"nl": name}).items():
        org.texts[locale] = OrganizationText(
            locale=locale,
            name=text_name,
            summary=f"{text_name} summary",
            description=f"{text_name} description",
            is_original=not org.texts,
        )
    session.add(org)
    session.flush()
    return org


def service(
    session: Session,
    owner: Organization,
    name: str = "Koffie in de buurt",
    help_codes: tuple[str, ...] = (),
    neighbourhood: int | None = None,
    weekly: tuple[tuple[str, time, time], ...] = (),
    texts: dict[str, str] | None = None,
    **fields,
) -> Service:
    svc = Service(organization=owner, provenance=Provenance.COORDINATOR, **fields)
    session.add(svc)
    for locale, text_name in (texts or {"nl": name}).items():
        svc.texts[locale] = ServiceText(
            locale=locale,
            name=text_name,
            summary=f"{text_name} summary",
            description=f"{text_name} description",
            is_original=not svc.texts,
        )
    for code in help_codes:
        svc.tag(session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.code == code)).one())
    if neighbourhood is not None:
        place = session.scalars(
            select(Neighbourhood).where(Neighbourhood.number == neighbourhood)
        ).one()
        svc.areas.append(ServiceArea(neighbourhood=place))
    for byday, opens, closes in weekly:
        svc.schedules.append(Schedule(freq="WEEKLY", byday=byday, opens_at=opens, closes_at=closes))
    session.add(svc)
    session.flush()
    return svc


def municipality(session: Session, nis_code: str) -> Municipality:
    return session.scalars(select(Municipality).where(Municipality.nis_code == nis_code)).one()
