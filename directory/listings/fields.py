"""The editable fields of a listing, each as a plain JSON value.

An organisation or a service is edited as a flat mapping of field name to value: texts per
language (`name.nl`, `summary.fr`, ...), kinds of help, languages, areas, weekly hours,
closures, contact details, accessibility. `snapshot` reads a listing into that mapping and
`apply` writes changed fields back. Nothing else of a listing (its organisation, status,
provenance, verification) is reachable from here, so no form or change request can set it.

Values are JSON-friendly (strings, booleans, lists, small dicts) so that a change request can
store them as they are and the change log can record them as text.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.hours import WEEKDAY_CODES
from directory.i18n import SUPPORTED_LOCALES
from directory.models import (
    Contact,
    Language,
    Location,
    LocationType,
    Municipality,
    Neighbourhood,
    Organization,
    OrganizationText,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceText,
    TaxonomyTerm,
)
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
    "accessibility",
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
            accessibility=_clean(_location(listing).accessibility if _location(listing) else None),
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
        )
    return values


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _location(organization: Organization) -> Location | None:
    """The location whose accessibility the organisation describes: the first physical one."""
    physical = [
        location
        for location in organization.locations
        if location.location_type is LocationType.PHYSICAL
    ]
    return physical[0] if physical else None


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
    periods = [
        {"byday": day, "opens": _hhmm(schedule.opens_at), "closes": _hhmm(schedule.closes_at)}
        for schedule in service.schedules
        if _is_editable_period(schedule)
        for day in schedule.byday.split(",")
    ]
    return sort_periods(periods)


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
        _apply_organization(listing, changes)
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


def _apply_organization(organization: Organization, changes: dict[str, Any]) -> None:
    if "email" in changes:
        organization.email = changes["email"]
    if "website" in changes:
        organization.website = changes["website"]
    if "phones" in changes:
        _replace_phones(organization.phones, changes["phones"])
    if "accessibility" in changes:
        location = _location(organization)
        if location is None and changes["accessibility"]:
            location = Location(location_type=LocationType.PHYSICAL)
            organization.locations.append(location)
        if location is not None:
            location.accessibility = changes["accessibility"]
    if "relay" in changes:
        _apply_relay(organization, changes["relay"])
    if "join_link" in changes:
        organization.join_link = changes["join_link"]


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
        service.schedules.extend(
            Schedule(
                freq="WEEKLY",
                byday=period["byday"],
                opens_at=time.fromisoformat(period["opens"]),
                closes_at=time.fromisoformat(period["closes"]),
            )
            for period in changes["hours"]
        )
    if "closures" in changes:
        service.closures[:] = [
            Closure(
                starts_on=date.fromisoformat(closure["starts_on"]),
                ends_on=date.fromisoformat(closure["ends_on"]),
                reason=closure.get("reason"),
            )
            for closure in changes["closures"]
        ]


def _apply_help(session: Session, service: Service, codes: set[str]) -> None:
    service.attributes[:] = [a for a in service.attributes if a.taxonomy_term.code in codes]
    present = {attribute.taxonomy_term.code for attribute in service.attributes}
    missing = sorted(codes - present)
    if missing:
        for term in session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.code.in_(missing))):
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
