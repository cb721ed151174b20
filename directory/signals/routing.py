"""Where a signal goes: to the info points that take signals for its place, else to the
coordinators.

Each organisation says which places it takes signals for (`SignalArea`: whole
municipalities or single neighbourhoods). A signal naming a neighbourhood goes to the info
points taking that neighbourhood or its municipality; one naming only a postcode goes to
those taking the postcode's municipality (or one of them: some postcodes straddle two).
Only organisations with an info-point worker who can sign in (active, invitation accepted)
count: a setting nobody reads routes nothing. When none is left, the signal is sent to
nobody and the coordinators have it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, delete, exists, or_, select
from sqlalchemy.orm import Session, selectinload

from directory.models import (
    Account,
    Membership,
    Municipality,
    Neighbourhood,
    Organization,
    Postcode,
    Role,
    SignalArea,
)


def _has_a_worker(organization_id) -> ColumnElement[bool]:
    return exists().where(
        Membership.organization_id == organization_id,
        Membership.account_id == Account.id,
        Account.role == Role.INFO_POINT_WORKER,
        Account.is_active.is_(True),
        Account.password_hash.is_not(None),  # invited but never signed in reads nothing
    )


def info_points_for(
    session: Session, neighbourhood: Neighbourhood | None, postcode: Postcode | None
) -> list[uuid.UUID]:
    """The info points a signal about this place goes to (none: the coordinators)."""
    covers = []
    if neighbourhood is not None:
        covers.append(SignalArea.neighbourhood_id == neighbourhood.id)
        municipalities = {neighbourhood.municipality_id}
    elif postcode is not None:
        municipalities = {postcode.municipality_id}
        municipalities |= {municipality.id for municipality in postcode.other_municipalities}
    else:
        return []
    covers.append(SignalArea.municipality_id.in_(municipalities))
    found = session.scalars(
        select(SignalArea.organization_id)
        .where(or_(*covers), _has_a_worker(SignalArea.organization_id))
        .distinct()
    )
    return sorted(found, key=str)


def info_points(session: Session) -> list[Organization]:
    """Organisations with an info-point worker who can sign in: where a coordinator may forward a
    signal, and whose places a coordinator may set."""
    return list(
        session.scalars(
            select(Organization)
            .where(_has_a_worker(Organization.id))
            .options(selectinload(Organization.texts))
        )
    )


def areas_of(session: Session, organization_id: uuid.UUID) -> list[SignalArea]:
    return list(
        session.scalars(
            select(SignalArea)
            .where(SignalArea.organization_id == organization_id)
            .options(
                selectinload(SignalArea.municipality),
                selectinload(SignalArea.neighbourhood).selectinload(Neighbourhood.municipality),
            )
        )
    )


# How a place is written in the settings form: "m:<NIS code>" or "n:<neighbourhood number>".
def area_code(area: SignalArea) -> str:
    if area.municipality is not None:
        return f"m:{area.municipality.nis_code}"
    return f"n:{area.neighbourhood.number}"


def set_areas(session: Session, organization_id: uuid.UUID, codes: list[str]) -> None:
    """Replace the places an organisation takes signals for by `codes` (from the form's
    choices: unknown codes were refused there)."""
    nis_codes = {code[2:] for code in codes if code.startswith("m:")}
    numbers = {int(code[2:]) for code in codes if code.startswith("n:") and code[2:].isdigit()}
    session.execute(delete(SignalArea).where(SignalArea.organization_id == organization_id))
    municipalities = session.scalars(
        select(Municipality.id).where(Municipality.nis_code.in_(nis_codes))
    )
    neighbourhoods = session.scalars(
        select(Neighbourhood.id).where(Neighbourhood.number.in_(numbers))
    )
    session.add_all(
        [SignalArea(organization_id=organization_id, municipality_id=m) for m in municipalities]
        + [SignalArea(organization_id=organization_id, neighbourhood_id=n) for n in neighbourhoods]
    )
    session.flush()
