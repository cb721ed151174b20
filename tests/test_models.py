"""The data model keeps everything a listing holds, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from directory.models import (
    Address,
    Closure,
    Contact,
    Language,
    Location,
    LocationType,
    Neighbourhood,
    Organization,
    OrganizationIdentifier,
    OrganizationKind,
    OrganizationText,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
)
from tests import factories


def test_a_full_listing_round_trips(app, session):
    org = factories.organization(
        session,
        texts={"fr": "Maison de quartier Helmet", "nl": "Buurthuis Helmet"},
        kind=OrganizationKind.NEIGHBOURHOOD_COMMITTEE,
    )
    org.identifiers.append(
        OrganizationIdentifier(
            identifier_scheme="BE-BCE_KBO", identifier_type="KBO/BCE", identifier="0000.000.097"
        )
    )
    location = Location(
        location_type=LocationType.PHYSICAL,
        name="Buurthuis",
        neighbourhood=session.scalars(
            select(Neighbourhood).where(Neighbourhood.number == 80)
        ).one(),
    )
    location.addresses.append(
        Address(address_1="Teststraat 1", city="Schaarbeek", postal_code="1030")
    )
    org.locations.append(location)
    svc = factories.service(
        session,
        org,
        help_codes=("meeting-places", "meals"),
        neighbourhood=80,
        is_free=True,
        texts={"fr": "Repas ensemble", "nl": "Samen eten"},
    )
    svc.languages = [Language(code="fr"), Language(code="ar")]
    svc.schedules = [
        Schedule(freq="WEEKLY", byday="MO,WE", opens_at=time(9), closes_at=time(12)),
        Schedule(freq="WEEKLY", byday="MO,WE", opens_at=time(13, 30), closes_at=time(17)),
        Schedule(
            freq="MONTHLY",
            byday="1SA",
            opens_at=time(10),
            closes_at=time(14),
            valid_from=date(2026, 4, 1),
            valid_to=date(2026, 9, 30),
        ),
    ]
    svc.closures = [
        Closure(starts_on=date(2026, 12, 24), ends_on=date(2027, 1, 2), reason="Kerstvakantie")
    ]
    relay = Contact(name="Fatima", title="buurtwerker", is_relay=True)
    relay.phones.append(Phone(number="+32 2 000 00 00"))
    svc.contacts.append(relay)
    svc.service_at_locations.append(ServiceAtLocation(location=location))
    session.commit()
    service_id, org_id = svc.id, org.id
    session.expunge_all()

    loaded = session.get(Service, service_id)
    assert loaded.organization.id == org_id
    assert loaded.texts["fr"].name == "Repas ensemble"
    assert loaded.texts["fr"].is_original
    assert not loaded.texts["nl"].is_original
    assert {t.code for t in loaded.help_terms} == {"meeting-places", "meals"}
    assert [area.neighbourhood.number for area in loaded.areas] == [80]
    assert [language.code for language in loaded.languages] == ["ar", "fr"]
    assert loaded.is_free is True
    periods = {(s.byday, s.opens_at, s.closes_at, s.valid_from) for s in loaded.schedules}
    assert ("MO,WE", time(13, 30), time(17), None) in periods
    assert (
        "1SA",
        time(10),
        time(14),
        date(2026, 4, 1),
    ) in periods
    assert loaded.closures[0].reason == "Kerstvakantie"
    assert loaded.contacts[0].is_relay
    assert loaded.contacts[0].phones[0].number.startswith("+32")
    assert loaded.service_at_locations[0].location.addresses[0].postal_code == "1030"
    owner = session.get(Organization, org_id)
    assert owner.identifiers[0].identifier == "0000.000.097"
    assert owner.locations[0].neighbourhood.municipality.nis_code == "21015"
    assert not loaded.is_verified
    assert not owner.is_verified


def test_one_text_per_language(app, session):
    org = factories.organization(session, texts={"nl": "A"})
    session.add(OrganizationText(organization_id=org.id, locale="nl", name="B"))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_an_opening_period_must_end_after_it_starts(app, session):
    svc = factories.service(session, factories.organization(session))
    svc.schedules.append(Schedule(freq="WEEKLY", byday="MO", opens_at=time(12), closes_at=time(9)))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_unknown_language_code_is_refused(app, session):
    svc = factories.service(session, factories.organization(session))
    svc.languages.append(Language(code="xx"))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()
