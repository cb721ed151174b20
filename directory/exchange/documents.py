"""The one mapping from our model to HSDS 3.0: flat rows per table and the nested documents
the API returns. The read API (`exchange.api`) and the export (`flask hsds export`) both
build everything they send from here, so what never leaves Nabij is decided once:

- a synthetic listing (scale-test data, never real) is never published: consumers of open
  data cannot read the "test data" notice our pages show;
- a confidential location (a shelter, a refuge) shows only its municipality and how to
  reach it (phones, contacts): no address, coordinates, directions, name or description;
- a relay person's own name, email and phone never appear: only the relay organisation;
- an informal group's join link is never published (it is no HSDS field, and stays so);
- referrals and accounts are not reachable from anything mapped here.

Every function takes `locale`, the language wanted: one of `i18n.SUPPORTED_LOCALES`, or
None for each listing's original text. A text missing in that language falls back to the
listing's original. Flat rows (`*_row`) have exactly the fields of their HSDS table
(`tabular.TABLES_BY_NAME`), None where we hold nothing: the CSV export writes them as they
are. Documents (`*_document`, `*_item`) are what the API serves: the same rows without their
empty fields, nested as HSDS's compiled schemas nest them, with our profile's extra fields
(`exchange.profile`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from typing import Any, TypeVar

from flask_babel import force_locale
from sqlalchemy import ColumnElement, and_

from directory.clock import as_utc
from directory.exchange.tabular import TABLES_BY_NAME
from directory.i18n import Localized, pick_text
from directory.labels import FEATURE_LABELS
from directory.models import (
    Address,
    Attribute,
    Contact,
    Language,
    Location,
    Municipality,
    Neighbourhood,
    Organization,
    OrganizationIdentifier,
    Phone,
    Provenance,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    language_display_name,
)
from directory.models.base import LocalizedText
from directory.models.place import bilingual_name
from directory.models.taxonomy import pick_label

Row = dict[str, Any]
T = TypeVar("T", bound=Localized)

REGION_NAME_FR = "Région de Bruxelles-Capitale"
REGION_NAME_NL = "Brussels Hoofdstedelijk Gewest"
# What our own region-wide areas are called in the database (seeds, the edit form).
OUR_REGION_NAMES = frozenset({"Brussels-Capital Region", REGION_NAME_FR, REGION_NAME_NL})
REGION_NIS_CODE = "04000"
# Schedules hold Brussels wall-clock times; HSDS's numeric `timezone` cannot follow summer time.
TIMEZONE_NAME = "Europe/Brussels"
# UI labels (accessibility features) for a reader who asked for no language.
LABEL_LOCALE = "en"


class NotPublished(ValueError):
    """A record that never leaves Nabij was asked to be mapped: a caller's query let it
    through (a synthetic listing, a relay person)."""


# --- what is published ----------------------------------------------------------------


def is_published(listing: Organization | Service) -> bool:
    """Whether a listing may leave Nabij at all (synthetic ones are scale-test data)."""
    if isinstance(listing, Service) and listing.organization.provenance is Provenance.SYNTHETIC:
        return False
    return listing.provenance is not Provenance.SYNTHETIC


def published_organization_clause() -> ColumnElement[bool]:
    """SQL: the organisations that may leave Nabij (as `is_published`)."""
    return Organization.provenance != Provenance.SYNTHETIC


def published_service_clause() -> ColumnElement[bool]:
    """SQL: the services that may leave Nabij (as `is_published`), whatever their status: a
    service asked for by id is served with its status, as the service page shows it."""
    return and_(
        Service.provenance != Provenance.SYNTHETIC,
        Service.organization.has(published_organization_clause()),
    )


def public_contacts(contacts: Iterable[Contact]) -> list[Contact]:
    """The contacts anyone may read: never a relay person."""
    return [contact for contact in contacts if not contact.is_relay]


def own_phones(phones: Iterable[Phone]) -> list[Phone]:
    """An owner's own phone lines; a contact's lines go with (and only with) its contact."""
    return [phone for phone in phones if phone.contact_id is None]


def _require_published(listing: Organization | Service) -> None:
    if not is_published(listing):
        raise NotPublished(f"{type(listing).__name__} {listing.id} is synthetic")


# --- texts in the language wanted -------------------------------------------------------


def chosen_text(texts: Mapping[str, T], locale: str | None) -> T | None:
    """The text in `locale`, else the listing's original, else whatever `pick_text` (the
    pages' fallback) finds."""
    if locale in texts:
        return texts[locale]
    for text in texts.values():
        if text.is_original:
            return text
    picked = pick_text(texts, locale or "")
    return picked.text if picked else None


def text_fields(texts: Mapping[str, LocalizedText], chosen: LocalizedText | None) -> Row:
    """Profile fields: which language the text is in, whether a machine translated it, the
    original's language, the languages it exists in, and the one-sentence summary."""
    original = next((text.locale for text in texts.values() if text.is_original), None)
    return {
        "text_language": chosen.locale if chosen else None,
        "text_machine_translated": chosen.is_machine_translated if chosen else None,
        "text_original_language": original,
        "text_languages": sorted(texts),
        "summary": chosen.summary if chosen else None,
    }


# --- flat rows: exactly the HSDS table fields ------------------------------------------


def _row(table: str, **values: Any) -> Row:
    columns = TABLES_BY_NAME[table].columns
    unknown = set(values) - set(columns)
    if unknown:
        raise KeyError(f"{table} has no fields {sorted(unknown)}")
    return {column: _plain(values.get(column)) for column in columns}


def _plain(value: Any) -> Any:
    """JSON values: ids and dates as the strings HSDS writes."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return as_utc(value).isoformat().replace("+00:00", "Z")
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def organization_row(organization: Organization, locale: str | None) -> Row:
    _require_published(organization)
    text = chosen_text(organization.texts, locale)
    parent = organization.parent
    return _row(
        "organization",
        id=organization.id,
        name=text.name if text else "",
        alternate_name=organization.alternate_name,
        # HSDS requires a description: the summary stands in for a listing without one.
        description=(text.description or text.summary or "") if text else "",
        email=organization.email,
        website=organization.website,
        legal_status=organization.legal_status,
        uri=organization.uri,
        parent_organization_id=parent.id if parent and is_published(parent) else None,
    )


def service_row(service: Service, locale: str | None) -> Row:
    _require_published(service)
    text = chosen_text(service.texts, locale)
    return _row(
        "service",
        id=service.id,
        organization_id=service.organization_id,
        name=text.name if text else "",
        description=(text.description or text.summary) if text else None,
        url=service.url,
        email=service.email,
        status=service.status.value,
        interpretation_services=service.interpretation_services,
        application_process=service.application_process,
        fees_description=service.fees_description,
        eligibility_description=service.eligibility_description,
        minimum_age=service.minimum_age,
        maximum_age=service.maximum_age,
        # Our `assurer` is a name, not an email address: HSDS has no field for it.
        assured_date=service.assured_date if service.is_verified else None,
        last_modified=service.last_modified,
    )


def location_row(location: Location, locale: str | None) -> Row:
    """A confidential location keeps only its id, type and organisation: its name, address,
    coordinates and directions could each say where it is."""
    if location.is_confidential:
        return _row(
            "location",
            id=location.id,
            location_type=location.location_type.value,
            organization_id=location.organization_id,
        )
    return _row(
        "location",
        id=location.id,
        location_type=location.location_type.value,
        url=location.url,
        organization_id=location.organization_id,
        name=location.name,
        alternate_name=location.alternate_name,
        description=location.description,
        transportation=location.transportation,
        latitude=location.latitude,
        longitude=location.longitude,
        external_identifier=location.external_identifier,
        external_identifier_type=location.external_identifier_type,
    )


def address_rows(location: Location, locale: str | None = None) -> list[Row]:
    """A location's addresses: none for a confidential one."""
    if location.is_confidential:
        return []
    return [_address_row(address) for address in location.addresses]


def _address_row(address: Address) -> Row:
    return _row(
        "address",
        id=address.id,
        location_id=address.location_id,
        attention=address.attention,
        address_1=address.address_1,
        address_2=address.address_2,
        city=address.city,
        region=address.region,
        state_province=address.state_province,
        postal_code=address.postal_code,
        country=address.country,
        address_type=address.address_type,
    )


def accessibility_rows(location: Location, locale: str | None) -> list[Row]:
    """HSDS accessibility rows: one per feature the location has (step-free entrance, lift,
    accessible toilet, hearing loop), named in `locale`, and one for its own words. None for
    a confidential location (its words may describe the way in)."""
    if location.is_confidential:
        return []
    rows = []
    with force_locale(locale or LABEL_LOCALE):
        for feature, label in FEATURE_LABELS.items():
            if getattr(location, feature) is True:
                rows.append(
                    _row(
                        "accessibility",
                        id=_derived_id(location.id, f"accessibility:{feature}"),
                        location_id=location.id,
                        description=str(label),
                    )
                )
    if location.accessibility:
        rows.append(
            _row(
                "accessibility",
                id=_derived_id(location.id, "accessibility:text"),
                location_id=location.id,
                description=location.accessibility,
            )
        )
    return rows


def _derived_id(owner: uuid.UUID, what: str) -> uuid.UUID:
    """A row we make from a column (HSDS wants a UUID per row): the same every time."""
    return uuid.uuid5(owner, what)


def phone_row(phone: Phone, locale: str | None = None) -> Row:
    return _row(
        "phone",
        id=phone.id,
        location_id=phone.location_id,
        service_id=phone.service_id,
        organization_id=phone.organization_id,
        contact_id=phone.contact_id,
        service_at_location_id=phone.service_at_location_id,
        number=phone.number,
        extension=phone.extension,
        type=phone.type,
        description=phone.description,
    )


def contact_row(contact: Contact, locale: str | None = None) -> Row:
    if contact.is_relay:
        raise NotPublished(f"contact {contact.id} is a relay person")
    return _row(
        "contact",
        id=contact.id,
        organization_id=contact.organization_id,
        service_id=contact.service_id,
        service_at_location_id=contact.service_at_location_id,
        location_id=contact.location_id,
        name=contact.name,
        title=contact.title,
        department=contact.department,
        email=contact.email,
    )


def schedule_row(schedule: Schedule, locale: str | None = None) -> Row:
    return _row(
        "schedule",
        id=schedule.id,
        service_id=schedule.service_id,
        location_id=schedule.location_id,
        service_at_location_id=schedule.service_at_location_id,
        valid_from=schedule.valid_from,
        valid_to=schedule.valid_to,
        dtstart=schedule.dtstart,
        until=schedule.until,
        wkst=schedule.wkst,
        freq=schedule.freq,
        interval=schedule.interval,
        byday=schedule.byday,
        description=schedule.description,
        opens_at=schedule.opens_at,
        closes_at=schedule.closes_at,
        schedule_link=schedule.schedule_link,
        attending_type=schedule.attending_type,
        notes=schedule.notes,
    )


def service_area_row(area: ServiceArea, locale: str | None) -> Row:
    """Named in `locale` from its Brussels place; a row naming no place is the region."""
    return _row(
        "service_area",
        id=area.id,
        service_id=area.service_id,
        name=_area_name(area, locale),
        description=area.description,
        extent=area.extent,
        extent_type=area.extent_type,
        uri=area.uri,
    )


def _area_name(area: ServiceArea, locale: str | None) -> str:
    if area.neighbourhood is not None:
        return _neighbourhood_name(area.neighbourhood, locale)
    if area.municipality is not None:
        return area.municipality.display_name(locale or "")
    if area.name and area.name not in OUR_REGION_NAMES:
        return area.name  # an area another map named (read by `flask hsds import`)
    return bilingual_name(REGION_NAME_FR, REGION_NAME_NL, locale or "")


def _neighbourhood_name(neighbourhood: Neighbourhood, locale: str | None) -> str:
    within = neighbourhood.municipality.display_name(locale or "")
    return f"{neighbourhood.display_name(locale or '')} ({within})"


def language_row(language: Language, locale: str | None) -> Row:
    """`name` in the language wanted (in English when none is)."""
    return _row(
        "language",
        id=language.id,
        service_id=language.service_id,
        location_id=language.location_id,
        phone_id=language.phone_id,
        name=language_display_name(language.code, locale or LABEL_LOCALE),
        code=language.code,
        note=language.note,
    )


def service_at_location_row(link: ServiceAtLocation, locale: str | None = None) -> Row:
    """At a confidential location the description goes too: it may say how to find it."""
    return _row(
        "service_at_location",
        id=link.id,
        service_id=link.service_id,
        location_id=link.location_id,
        description=None if link.location.is_confidential else link.description,
    )


def taxonomy_row(taxonomy: Taxonomy, locale: str | None = None) -> Row:
    return _row(
        "taxonomy",
        id=taxonomy.id,
        name=taxonomy.name,
        description=taxonomy.description,
        uri=taxonomy.uri,
        version=taxonomy.version,
    )


def taxonomy_term_row(term: TaxonomyTerm, locale: str | None) -> Row:
    """Name and description in `locale` when the term has them, and `language` says which
    language the name is in."""
    names = {code: label.label for code, label in term.labels.items()}
    wanted = locale or LABEL_LOCALE
    name = pick_label(names, wanted)
    name_locale = (
        wanted if names.get(wanted) else next((c for c, n in names.items() if n == name), None)
    )
    return _row(
        "taxonomy_term",
        id=term.id,
        code=term.code,
        name=name or term.code,
        description=term.description(locale or LABEL_LOCALE) or "",
        parent_id=term.parent_id,
        taxonomy=term.taxonomy.name,
        language=name_locale,
        taxonomy_id=term.taxonomy_id,
        term_uri=term.term_uri,
    )


def attribute_row(attribute: Attribute, locale: str | None = None) -> Row:
    return _row(
        "attribute",
        id=attribute.id,
        link_id=attribute.link_id,
        taxonomy_term_id=attribute.taxonomy_term_id,
        link_type=attribute.link_type,
        link_entity=attribute.link_entity,
        value=attribute.value,
    )


def organization_identifier_row(
    identifier: OrganizationIdentifier, locale: str | None = None
) -> Row:
    return _row(
        "organization_identifier",
        id=identifier.id,
        organization_id=identifier.organization_id,
        identifier_scheme=identifier.identifier_scheme,
        identifier_type=identifier.identifier_type,
        identifier=identifier.identifier,
    )


# --- our profile's extra fields ---------------------------------------------------------


def place_of_area(area: ServiceArea) -> Row:
    """Profile `brussels_place` of a service area."""
    if area.neighbourhood is not None:
        return _place(area.neighbourhood.municipality, area.neighbourhood)
    if area.municipality is not None:
        return _place(area.municipality, None)
    return {"level": "region", "nis_code": REGION_NIS_CODE}


def place_of_location(location: Location) -> Row | None:
    """Profile `brussels_place` of a location: its neighbourhood and municipality, or only
    the municipality of a confidential one."""
    neighbourhood = None if location.is_confidential else location.neighbourhood
    municipality = location.municipality or (neighbourhood.municipality if neighbourhood else None)
    if municipality is None:
        return None
    return _place(municipality, neighbourhood)


def _place(municipality: Municipality, neighbourhood: Neighbourhood | None) -> Row:
    place: Row = {
        "level": "neighbourhood" if neighbourhood else "municipality",
        "nis_code": municipality.nis_code,
        "municipality": {"name_fr": municipality.name_fr, "name_nl": municipality.name_nl},
    }
    if neighbourhood is not None:
        place["neighbourhood"] = {
            "number": neighbourhood.number,
            "name_fr": neighbourhood.name_fr,
            "name_nl": neighbourhood.name_nl,
        }
    return place


def _relay_organization_id(organization: Organization) -> str | None:
    relay = organization.relay_organization
    return str(relay.id) if relay is not None and is_published(relay) else None


# --- nested documents, as the API serves them -------------------------------------------


def _clean(row: Row) -> Row:
    """A document leaves out what we do not hold: HSDS's JSON schemas allow no nulls."""
    return {key: value for key, value in row.items() if value is not None}


def organization_item(organization: Organization, locale: str | None) -> Row:
    """An organisation's own fields (HSDS `organization_list`), with the profile's."""
    text = chosen_text(organization.texts, locale)
    return _clean(
        {
            **organization_row(organization, locale),
            **text_fields(organization.texts, text),
            "relay_organization_id": _relay_organization_id(organization),
        }
    )


def service_item(service: Service, locale: str | None) -> Row:
    """A service's own fields and its organisation's (HSDS `service_list`)."""
    return {
        **_service_fields(service, locale),
        "organization": organization_item(service.organization, locale),
    }


def _service_fields(service: Service, locale: str | None) -> Row:
    text = chosen_text(service.texts, locale)
    return _clean({**service_row(service, locale), **text_fields(service.texts, text)})


def service_document(service: Service, locale: str | None) -> Row:
    """A service with everything about it (HSDS compiled `service`)."""
    return {
        **service_item(service, locale),
        "phones": [_phone_document(phone) for phone in own_phones(service.phones)],
        "schedules": [schedule_document(schedule) for schedule in service.schedules],
        "service_areas": [_service_area_document(area, locale) for area in service.areas],
        "service_at_locations": [
            _service_at_location_nested(link, locale) for link in service.service_at_locations
        ],
        "languages": [_clean(language_row(language, locale)) for language in service.languages],
        "contacts": [_contact_document(c) for c in public_contacts(service.contacts)],
        "attributes": [_attribute_document(a, locale) for a in service.attributes],
    }


def organization_document(
    organization: Organization, locale: str | None, full_services: bool = False
) -> Row:
    """An organisation with everything about it (HSDS compiled `organization`); its
    services, whatever their status (as its page lists them), each with its own fields or,
    with `full_services`, everything about it."""
    describe = service_document if full_services else _service_fields
    services = [service for service in organization.services if is_published(service)]
    return {
        **organization_item(organization, locale),
        "contacts": [_contact_document(c) for c in public_contacts(organization.contacts)],
        "phones": [_phone_document(phone) for phone in own_phones(organization.phones)],
        "locations": [location_document(location, locale) for location in organization.locations],
        "organization_identifiers": [
            _clean(organization_identifier_row(identifier))
            for identifier in organization.identifiers
        ],
        "services": [describe(service, locale) for service in services],
    }


def location_document(location: Location, locale: str | None) -> Row:
    """A location with its addresses, phones, contacts, accessibility and hours; a
    confidential one with its municipality and how to reach it only."""
    return _clean(
        {
            **location_row(location, locale),
            "confidential": location.is_confidential,
            "brussels_place": place_of_location(location),
            "addresses": [_clean(row) for row in address_rows(location)],
            "phones": [_phone_document(phone) for phone in location.phones],
            "contacts": [_contact_document(c) for c in public_contacts(location.contacts)],
            "accessibility": [_clean(row) for row in accessibility_rows(location, locale)],
            "schedules": [schedule_document(schedule) for schedule in location.schedules],
        }
    )


def service_at_location_item(link: ServiceAtLocation, locale: str | None) -> Row:
    """A service at a location with the service's and the location's own fields (HSDS
    `service_at_location_list`)."""
    return {
        **_clean(service_at_location_row(link)),
        "service": service_item(link.service, locale),
        "location": _clean(
            {
                **location_row(link.location, locale),
                "confidential": link.location.is_confidential,
                "brussels_place": place_of_location(link.location),
            }
        ),
    }


def service_at_location_document(link: ServiceAtLocation, locale: str | None) -> Row:
    """A service at a location with everything about both (HSDS compiled
    `service_at_location`)."""
    return {
        **_service_at_location_nested(link, locale),
        "service": service_item(link.service, locale),
    }


def _service_at_location_nested(link: ServiceAtLocation, locale: str | None) -> Row:
    return {
        **_clean(service_at_location_row(link)),
        "schedules": [schedule_document(schedule) for schedule in link.schedules],
        "location": location_document(link.location, locale),
    }


def taxonomy_document(taxonomy: Taxonomy, locale: str | None = None) -> Row:
    return _clean(taxonomy_row(taxonomy))


def taxonomy_term_document(term: TaxonomyTerm, locale: str | None) -> Row:
    return _clean(taxonomy_term_row(term, locale))


def schedule_document(schedule: Schedule) -> Row:
    return _clean({**schedule_row(schedule), "timezone_name": TIMEZONE_NAME})


def _service_area_document(area: ServiceArea, locale: str | None) -> Row:
    return _clean({**service_area_row(area, locale), "brussels_place": place_of_area(area)})


def _phone_document(phone: Phone) -> Row:
    return _clean(phone_row(phone))


def _contact_document(contact: Contact) -> Row:
    return {
        **_clean(contact_row(contact)),
        "phones": [_phone_document(phone) for phone in contact.phones],
    }


def _attribute_document(attribute: Attribute, locale: str | None) -> Row:
    return {
        **_clean(attribute_row(attribute)),
        "taxonomy_term": taxonomy_term_document(attribute.taxonomy_term, locale),
    }


# --- every row of every table, for the export -------------------------------------------


def catalogue_rows(
    organizations: Iterable[Organization],
    taxonomies: Iterable[Taxonomy],
    locale: str | None,
) -> dict[str, list[Row]]:
    """Every row the tabular export may write, by HSDS table name: the given organisations
    (unpublished ones are skipped), their published services and everything under them,
    and the taxonomies with their terms. A location or row reached twice is written once."""
    rows = _Rows()
    for organization in organizations:
        if is_published(organization):
            _organization_rows(rows, organization, locale)
    for taxonomy in taxonomies:
        rows.add("taxonomy", taxonomy_row(taxonomy))
        for term in taxonomy.terms:
            rows.add("taxonomy_term", taxonomy_term_row(term, locale))
    return rows.by_table


class _Rows:
    def __init__(self) -> None:
        self.by_table: dict[str, list[Row]] = {}
        self.seen: set[tuple[str, str]] = set()

    def add(self, table: str, row: Row) -> None:
        if (table, row["id"]) not in self.seen:
            self.seen.add((table, row["id"]))
            self.by_table.setdefault(table, []).append(row)


def _organization_rows(rows: _Rows, organization: Organization, locale: str | None) -> None:
    rows.add("organization", organization_row(organization, locale))
    for identifier in organization.identifiers:
        rows.add("organization_identifier", organization_identifier_row(identifier))
    _contact_rows(rows, organization.contacts)
    for phone in own_phones(organization.phones):
        rows.add("phone", phone_row(phone))
    for location in organization.locations:
        _location_rows(rows, location, locale)
    for service in organization.services:
        if is_published(service):
            _service_rows(rows, service, locale)


def _service_rows(rows: _Rows, service: Service, locale: str | None) -> None:
    rows.add("service", service_row(service, locale))
    for attribute in service.attributes:
        rows.add("attribute", attribute_row(attribute))
    for area in service.areas:
        rows.add("service_area", service_area_row(area, locale))
    for language in service.languages:
        rows.add("language", language_row(language, locale))
    for schedule in service.schedules:
        rows.add("schedule", schedule_row(schedule))
    _contact_rows(rows, service.contacts)
    for phone in own_phones(service.phones):
        rows.add("phone", phone_row(phone))
    for link in service.service_at_locations:
        rows.add("service_at_location", service_at_location_row(link))
        for schedule in link.schedules:
            rows.add("schedule", schedule_row(schedule))
        _location_rows(rows, link.location, locale)


def _location_rows(rows: _Rows, location: Location, locale: str | None) -> None:
    rows.add("location", location_row(location, locale))
    for address in address_rows(location):
        rows.add("address", address)
    for accessibility in accessibility_rows(location, locale):
        rows.add("accessibility", accessibility)
    for phone in location.phones:
        rows.add("phone", phone_row(phone))
    _contact_rows(rows, location.contacts)
    for schedule in location.schedules:
        rows.add("schedule", schedule_row(schedule))


def _contact_rows(rows: _Rows, contacts: Iterable[Contact]) -> None:
    for contact in public_contacts(contacts):
        rows.add("contact", contact_row(contact))
        for phone in contact.phones:
            rows.add("phone", phone_row(phone))
