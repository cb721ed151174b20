"""The editable fields of a listing, each as a plain JSON value.

An organisation or a service is edited as a flat mapping of field name to value: texts per
language (`name.nl`, `summary.fr`, ...), kinds of help, languages, areas, weekly hours,
closures, contact details, the organisation's locations (address, directions, accessibility,
confidentiality, contact, hours), its identifiers (KBO/BCE, ids in other social maps) and
where a service is offered. `snapshot` reads a listing into that mapping and `apply` writes
changed fields back. Nothing else of a listing (its organisation, status,
provenance, verification) is reachable from here, so no form or change request can set it.

Values are JSON-friendly (strings, booleans, lists, small dicts) so that a change request can
store them as they are and the change log can record them as text.
"""

from __future__ import annotations

import uuid
from datetime import date, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.hours import WEEKDAY_CODES
from directory.i18n import SUPPORTED_LOCALES
from directory.models import (
    Address,
    Contact,
    Language,
    Location,
    LocationType,
    Municipality,
    Neighbourhood,
    Organization,
    OrganizationIdentifier,
    OrganizationText,
    Phone,
    Postcode,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceText,
    TaxonomyTerm,
)
from directory.models.location import ACCESSIBILITY_FEATURES
from directory.models.organization import KBO_SCHEME
from directory.models.schedule import Closure

TEXT_PARTS = ("name", "summary", "description")
REGION = "region"  # an area value: the whole region (areas are "region", "m:<NIS>", "n:<nr>")
REGION_NAME = "Brussels-Capital Region"

Listing = Organization | Service


def text_field(part: str, locale: str) -> str:
    return f"{part}.{locale}"


TEXT_FIELDS = tuple(text_field(part, locale) for locale in SUPPORTED_LOCALES for part in TEXT_PARTS)
ORGANIZATION_FIELDS = (
    *TEXT_FIELDS,
    "email",
    "website",
    "phones",
    "kbo",
    "other_ids",
    "locations",
    "relay",
    "join_link",
)
SERVICE_FIELDS = (
    *TEXT_FIELDS,
    "help",
    "languages",
    "areas",
    "hours",
    "closures",
    "email",
    "url",
    "phones",
    "is_free",
    "application_process",
    "fees_description",
    "locations",
)
# The facts of a location, as one value of the organisation's `locations` list.
LOCATION_KEYS = (
    "id",
    "name",
    "address",
    "postcode",
    "neighbourhood",
    "description",
    "transportation",
    "accessibility",
    *ACCESSIBILITY_FEATURES,
    "confidential",
    "phone",
    "email",
    "website",
    "hours",
)


def resource_type(listing: Listing) -> str:
    return "organization" if isinstance(listing, Organization) else "service"


def fields_of(listing: Listing) -> tuple[str, ...]:
    return ORGANIZATION_FIELDS if isinstance(listing, Organization) else SERVICE_FIELDS


# -- reading ------------------------------------------------------------------------------


def snapshot(listing: Listing) -> dict[str, Any]:
    """Every editable field of `listing`, as plain JSON values."""
    values: dict[str, Any] = {}
    for locale in SUPPORTED_LOCALES:
        text = listing.texts.get(locale)
        for part in TEXT_PARTS:
            values[text_field(part, locale)] = _clean(getattr(text, part)) if text else None
    if isinstance(listing, Organization):
        values.update(
            email=_clean(listing.email),
            website=_clean(listing.website),
            phones=[phone.number for phone in listing.phones],
            kbo=listing.enterprise_number,
            other_ids=_other_ids(listing),
            locations=sorted(
                (_location_value(location) for location in listing.locations),
                key=lambda value: value["id"],
            ),
            relay=_relay(listing),
            join_link=_clean(listing.join_link),
        )
    else:
        values.update(
            help=sorted({attribute.taxonomy_term.code for attribute in listing.attributes}),
            languages=sorted({language.code for language in listing.languages}),
            areas=sorted({_area_value(area) for area in listing.areas}),
            hours=_weekly_hours(listing),
            closures=sorted(
                (
                    {
                        "starts_on": closure.starts_on.isoformat(),
                        "ends_on": closure.ends_on.isoformat(),
                        "reason": _clean(closure.reason),
                    }
                    for closure in listing.closures
                ),
                key=lambda c: (c["starts_on"], c["ends_on"]),
            ),
            email=_clean(listing.email),
            url=_clean(listing.url),
            phones=[phone.number for phone in listing.phones],
            is_free=listing.is_free,
            application_process=_clean(listing.application_process),
            fees_description=_clean(listing.fees_description),
            locations=sorted(str(sal.location_id) for sal in listing.service_at_locations),
        )
    return values


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _other_ids(organization: Organization) -> list[dict[str, str]]:
    return sorted(
        (
            {"scheme": identifier.identifier_type, "identifier": identifier.identifier}
            for identifier in organization.identifiers
            if identifier.identifier_scheme != KBO_SCHEME
        ),
        key=lambda value: (value["scheme"], value["identifier"]),
    )


def _location_value(location: Location) -> dict[str, Any]:
    address = location.address
    email = next((c.email for c in location.contacts if c.email and not c.is_relay), None)
    value: dict[str, Any] = {
        "id": str(location.id),
        "name": _clean(location.name),
        "address": _clean(address.address_1) if address else None,
        "postcode": address.postal_code if address else None,
        "neighbourhood": location.neighbourhood.number if location.neighbourhood else None,
        "description": _clean(location.description),
        "transportation": _clean(location.transportation),
        "accessibility": _clean(location.accessibility),
        "confidential": location.is_confidential,
        "phone": location.phones[0].number if location.phones else None,
        "email": _clean(email),
        "website": _clean(location.url),
        "hours": _periods(location.schedules),
    }
    value.update({feature: getattr(location, feature) for feature in ACCESSIBILITY_FEATURES})
    return value


def _relay(organization: Organization) -> dict[str, str | None] | None:
    for contact in organization.contacts:
        if contact.is_relay:
            return {
                "name": _clean(contact.name),
                "email": _clean(contact.email),
                "phone": contact.phones[0].number if contact.phones else None,
            }
    return None


def _area_value(area: ServiceArea) -> str:
    if area.neighbourhood is not None:
        return f"n:{area.neighbourhood.number}"
    if area.municipality is not None:
        return f"m:{area.municipality.nis_code}"
    return REGION


def _is_editable_period(schedule: Schedule) -> bool:
    """Weekly periods with both times and no season: what the form shows. Monthly rules,
    seasons and periods without times are kept as they are."""
    return (
        schedule.freq == "WEEKLY"
        and schedule.valid_from is None
        and schedule.valid_to is None
        and schedule.opens_at is not None
        and schedule.closes_at is not None
        and all(day in WEEKDAY_CODES for day in schedule.byday.split(","))
    )


def _weekly_hours(service: Service) -> list[dict[str, str]]:
    return _periods(service.schedules)


def _periods(schedules: list[Schedule]) -> list[dict[str, str]]:
    periods = [
        {"byday": day, "opens": _hhmm(schedule.opens_at), "closes": _hhmm(schedule.closes_at)}
        for schedule in schedules
        if _is_editable_period(schedule)
        for day in schedule.byday.split(",")
    ]
    return sort_periods(periods)


def _schedules(periods: list[dict[str, str]]) -> list[Schedule]:
    return [
        Schedule(
            freq="WEEKLY",
            byday=period["byday"],
            opens_at=time.fromisoformat(period["opens"]),
            closes_at=time.fromisoformat(period["closes"]),
        )
        for period in periods
    ]


def sort_periods(periods: list[dict[str, str]]) -> list[dict[str, str]]:
    return sorted(periods, key=lambda p: (WEEKDAY_CODES.index(p["byday"]), p["opens"]))


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


# -- writing ------------------------------------------------------------------------------


def apply(session: Session, listing: Listing, changes: dict[str, Any]) -> None:
    """Write `changes` (field -> new value, as `snapshot` gives them) onto `listing`.
    Unknown fields are ignored: only the fields of `fields_of(listing)` can ever change."""
    allowed = set(fields_of(listing))
    changes = {name: value for name, value in changes.items() if name in allowed}
    _apply_texts(listing, changes)
    if isinstance(listing, Organization):
        _apply_organization(session, listing, changes)
    else:
        _apply_service(session, listing, changes)


def _apply_texts(listing: Listing, changes: dict[str, Any]) -> None:
    text_class = OrganizationText if isinstance(listing, Organization) else ServiceText
    for locale in SUPPORTED_LOCALES:
        touched = {
            part: changes[text_field(part, locale)]
            for part in TEXT_PARTS
            if text_field(part, locale) in changes
        }
        if not touched:
            continue
        text = listing.texts.get(locale)
        if text is None:
            if not touched.get("name"):
                continue
            text = text_class(locale=locale, name="", is_original=not listing.texts)
            listing.texts[locale] = text
        for part, value in touched.items():
            setattr(text, part, value or ("" if part == "name" else None))
        if not text.name:
            del listing.texts[locale]  # a language without a name is taken away
        else:
            text.is_machine_translated = False  # a person wrote or checked it now


def _apply_organization(
    session: Session, organization: Organization, changes: dict[str, Any]
) -> None:
    if "email" in changes:
        organization.email = changes["email"]
    if "website" in changes:
        organization.website = changes["website"]
    if "phones" in changes:
        _replace_phones(organization.phones, changes["phones"])
    if "kbo" in changes or "other_ids" in changes:
        _apply_identifiers(
            organization,
            changes.get("kbo", organization.enterprise_number),
            changes.get("other_ids", _other_ids(organization)),
        )
    if "locations" in changes:
        _apply_locations(session, organization, changes["locations"])
    if "relay" in changes:
        _apply_relay(organization, changes["relay"])
    if "join_link" in changes:
        organization.join_link = changes["join_link"]


def _apply_identifiers(
    organization: Organization, kbo: str | None, others: list[dict[str, str]]
) -> None:
    wanted = [(KBO_SCHEME, "KBO/BCE", kbo)] if kbo else []
    wanted += [(None, other["scheme"], other["identifier"]) for other in others]
    keep = {
        (i.identifier_scheme, i.identifier_type, i.identifier): i for i in organization.identifiers
    }
    organization.identifiers[:] = [
        keep.pop(key, None)
        or OrganizationIdentifier(
            identifier_scheme=key[0], identifier_type=key[1], identifier=key[2]
        )
        for key in wanted
    ]


def _apply_locations(
    session: Session, organization: Organization, values: list[dict[str, Any]]
) -> None:
    """Locations are matched by id: kept ones are updated, new ids are created, missing ones
    removed (with what is offered there)."""
    existing = {str(location.id): location for location in organization.locations}
    kept: list[Location] = []
    for value in values:
        location = existing.get(value["id"])
        if location is None:
            location = Location(id=uuid.UUID(value["id"]), location_type=LocationType.PHYSICAL)
        _write_location(session, location, value)
        kept.append(location)
    organization.locations[:] = kept
    gone = set(existing) - {value["id"] for value in values}
    for service in organization.services:
        service.service_at_locations[:] = [
            sal for sal in service.service_at_locations if str(sal.location_id) not in gone
        ]


def _write_location(session: Session, location: Location, value: dict[str, Any]) -> None:
    location.name = value.get("name")
    location.description = value.get("description")
    location.transportation = value.get("transportation")
    location.accessibility = value.get("accessibility")
    location.is_confidential = bool(value.get("confidential"))
    location.url = value.get("website")
    for feature in ACCESSIBILITY_FEATURES:
        setattr(location, feature, value.get(feature))
    postcode = (
        session.scalar(select(Postcode).where(Postcode.code == value["postcode"]))
        if value.get("postcode")
        else None
    )
    location.municipality = postcode.municipality if postcode else None
    number = value.get("neighbourhood")
    location.neighbourhood = (
        session.scalar(select(Neighbourhood).where(Neighbourhood.number == number))
        if number is not None
        else None
    )
    if value.get("address") and postcode is not None:
        address = location.address
        if address is None:
            address = Address(address_1="", city="", postal_code="")
            location.addresses.append(address)
        address.address_1 = value["address"]
        address.postal_code = postcode.code
        address.city = postcode.municipality.display_name("fr")
        address.region = "Brussels-Capital Region"
        address.address_type = "physical"
    else:
        location.addresses.clear()
    _replace_phones(location.phones, [value["phone"]] if value.get("phone") else [])
    contacts = [contact for contact in location.contacts if not contact.is_relay]
    if value.get("email"):
        contact = contacts[0] if contacts else Contact()
        contact.email = value["email"]
        if not contacts:
            location.contacts.append(contact)
    else:
        for contact in contacts:
            location.contacts.remove(contact)
    location.schedules[:] = [s for s in location.schedules if not _is_editable_period(s)]
    location.schedules.extend(_schedules(value.get("hours") or []))


def _replace_phones(phones: list[Phone], numbers: list[str]) -> None:
    keep = {phone.number: phone for phone in phones}
    phones[:] = [keep.pop(number, None) or Phone(number=number) for number in numbers]


def _apply_relay(organization: Organization, relay: dict[str, str | None] | None) -> None:
    existing = [contact for contact in organization.contacts if contact.is_relay]
    if not relay or not any(relay.values()):
        for contact in existing:
            organization.contacts.remove(contact)
        return
    contact = existing[0] if existing else None
    if contact is None:
        contact = Contact(is_relay=True)
        organization.contacts.append(contact)
    contact.name = relay.get("name")
    contact.email = relay.get("email")
    _replace_phones(contact.phones, [relay["phone"]] if relay.get("phone") else [])


def _apply_service(session: Session, service: Service, changes: dict[str, Any]) -> None:
    for name in ("email", "url", "is_free", "application_process", "fees_description"):
        if name in changes:
            setattr(service, name, changes[name])
    if "phones" in changes:
        _replace_phones(service.phones, changes["phones"])
    if "help" in changes:
        _apply_help(session, service, set(changes["help"]))
    if "languages" in changes:
        wanted = set(changes["languages"])
        service.languages[:] = [lang for lang in service.languages if lang.code in wanted]
        present = {lang.code for lang in service.languages}
        service.languages.extend(Language(code=code) for code in sorted(wanted - present))
    if "areas" in changes:
        _apply_areas(session, service, set(changes["areas"]))
    if "hours" in changes:
        service.schedules[:] = [s for s in service.schedules if not _is_editable_period(s)]
        service.schedules.extend(_schedules(changes["hours"]))
    if "locations" in changes:
        _apply_service_locations(service, set(changes["locations"]))
    if "closures" in changes:
        service.closures[:] = [
            Closure(
                starts_on=date.fromisoformat(closure["starts_on"]),
                ends_on=date.fromisoformat(closure["ends_on"]),
                reason=closure.get("reason"),
            )
            for closure in changes["closures"]
        ]


def _apply_service_locations(service: Service, location_ids: set[str]) -> None:
    """Where the service is offered: among its organisation's locations only."""
    service.service_at_locations[:] = [
        sal for sal in service.service_at_locations if str(sal.location_id) in location_ids
    ]
    present = {str(sal.location_id) for sal in service.service_at_locations}
    for location in service.organization.locations:
        if str(location.id) in location_ids - present:
            service.service_at_locations.append(ServiceAtLocation(location=location))


def _apply_help(session: Session, service: Service, codes: set[str]) -> None:
    service.attributes[:] = [a for a in service.attributes if a.taxonomy_term.code in codes]
    present = {attribute.taxonomy_term.code for attribute in service.attributes}
    missing = sorted(codes - present)
    if missing:
        for term in session.scalars(
            select(TaxonomyTerm).where(
                TaxonomyTerm.code.in_(missing), TaxonomyTerm.of_kinds_of_help()
            )
        ):
            service.tag(term)


def _apply_areas(session: Session, service: Service, values: set[str]) -> None:
    service.areas[:] = [area for area in service.areas if _area_value(area) in values]
    missing = values - {_area_value(area) for area in service.areas}
    for value in sorted(missing):
        if value == REGION:
            service.areas.append(ServiceArea(name=REGION_NAME))
        elif value.startswith("m:"):
            place = session.scalar(select(Municipality).where(Municipality.nis_code == value[2:]))
            if place is not None:
                service.areas.append(ServiceArea(municipality=place))
        elif value.startswith("n:") and value[2:].isdigit():
            number = int(value[2:])
            found = session.scalar(select(Neighbourhood).where(Neighbourhood.number == number))
            if found is not None:
                service.areas.append(ServiceArea(neighbourhood=found))
