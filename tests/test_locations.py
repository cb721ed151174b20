"""Where and how to get in: organisations add their locations (address, neighbourhood,
directions, accessibility, contact, hours, confidentiality), say where each service is offered,
and give their enterprise number; the listing and the handout show it all, with how to apply
and the price. A confidential address appears on no page and in no search index (a canary).
Search finds a service where it is offered: the address's neighbourhood, or only its
municipality when the address is confidential."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from directory import schema
from directory.extensions import db
from directory.indexing import sync
from directory.listings import fields
from directory.models import (
    ChangeRequest,
    Location,
    Neighbourhood,
    Organization,
    Role,
    Service,
)
from search import Filters, SearchRequest
from tests import factories
from tests.conftest import seeded_app
from tests.factories import csrf_token, make_account, sign_in
from tests.test_listings import form_data

PASSWORD = "correct horse battery staple"
CANARY = "Zqxkanarie"  # in a confidential address, directions and transport: never shown


@pytest.fixture
def place_app(scratch, tmp_path):
    """Reference data, one organisation with a service, a trusted and an untrusted member, a
    coordinator, and the search index."""
    url = scratch.create()
    schema.upgrade(url)

    def build(session):
        org = factories.organization(session, "Wijkpunt Noord")
        service = factories.service(session, org, "Soep op maandag", ("meals",), neighbourhood=8)
        service.application_process = "Kom langs zonder afspraak."
        service.fees_description = "Twee euro per soep."
        trusted = make_account(session, Role.ORGANIZATION_MEMBER, [org], password=PASSWORD)
        trusted.memberships[0].is_trusted = True
        member = make_account(session, Role.ORGANIZATION_MEMBER, [org], password=PASSWORD)
        coordinator = make_account(session, Role.COORDINATOR, [], password=PASSWORD)
        session.commit()
        return {
            "org": org.id,
            "service": service.id,
            "trusted": trusted.email,
            "member": member.email,
            "coordinator": coordinator.email,
        }

    app = seeded_app(url, tmp_path, catalogue=False, build=build)
    yield app
    with app.app_context():
        db.session.remove()
    app.extensions["database.engine"].dispose()


def signed_in(app, email: str):
    client = app.test_client()
    sign_in(client, email, PASSWORD)
    return client


def location_url(app, location_id=None) -> str:
    base = f"/en/manage/organizations/{app.ids['org']}/locations"
    return f"{base}/{location_id}" if location_id else f"{base}/new"


def location_form(token: str, **values) -> dict:
    data = {
        "csrf_token": token,
        "name": "",
        "address": "Voorbeeldstraat 12",
        "postcode": "1030",
        "neighbourhood": "",
        "description": "",
        "transportation": "",
        "accessibility": "",
        "phone": "",
        "email": "",
        "website": "",
    }
    for index in range(21):
        data[f"hours-{index}-opens"] = data[f"hours-{index}-closes"] = ""
    data.update(values)
    return {key: value for key, value in data.items() if value is not False}


def add_location(app, client, **values):
    url = location_url(app)
    return client.post(url, data=location_form(csrf_token(client, url), **values))


def snapshot(app, model, key):
    with app.app_context():
        values = fields.snapshot(db.session().get(model, app.ids[key]))
        db.session.remove()
    return values


def offer_at(app, client, location_ids: list[str]) -> None:
    """The service form, posted with the service offered at `location_ids`."""
    url = f"/en/manage/organizations/{app.ids['org']}/services/{app.ids['service']}"
    values = {**snapshot(app, Service, "service"), "locations": location_ids}
    response = client.post(url, data=form_data(values, csrf_token(client, url)))
    assert response.status_code == 303


def test_a_location_is_added_and_the_listing_shows_how_to_get_there_and_in(place_app):
    app = place_app
    client = signed_in(app, app.ids["trusted"])
    response = add_location(
        app,
        client,
        name="Ontmoetingsruimte",
        address="Voorbeeldstraat 12",
        postcode="1030",
        description="Groene deur links",
        transportation="Tram 92, halte Voorbeeld",
        step_free="y",
        hearing_loop="y",
        phone="02/218.00.00",
        email="onthaal@example.org",
        **{"hours-0-opens": "09:00", "hours-0-closes": "12:00"},
    )
    assert response.status_code == 303
    [location] = snapshot(app, Organization, "org")["locations"]
    assert location["phone"] == "+32 2 218 00 00"  # stored in its international form
    assert location["step_free"] is True
    assert location["lift"] is None
    offer_at(app, client, [location["id"]])

    page = app.test_client().get(f"/en/services/{app.ids['service']}").text
    assert "Voorbeeldstraat 12, 1030 Schaerbeek" in page
    assert 'href="geo:0,0?q=Voorbeeldstraat%2012%2C%201030%20Schaerbeek%2C%20Belgium"' in page
    assert "openstreetmap.org/search?query=Voorbeeldstraat" in page
    assert "Groene deur links" in page
    assert "Tram 92, halte Voorbeeld" in page
    assert "Step-free entrance, Hearing loop" in page
    assert 'href="tel:+3222180000"' in page
    assert "+32 2 218 00 00" in page
    assert "onthaal@example.org" in page
    assert 'Monday: <bdi dir="ltr">09:00\u2009\u2013\u200912:00</bdi>' in page
    assert "We have no contact details" not in page
    # How to apply and the price, edited by the organisation, are shown at last.
    assert "Kom langs zonder afspraak." in page
    assert "Twee euro per soep." in page

    org_page = app.test_client().get(f"/nl/organizations/{app.ids['org']}").text
    assert "Voorbeeldstraat 12, 1030 Schaerbeek" in org_page

    handout = app.test_client().get(f"/fr/handout?service={app.ids['service']}").text
    assert "Voorbeeldstraat 12, 1030 Schaerbeek" in handout
    assert "Kom langs zonder afspraak." in handout
    assert "Twee euro per soep." in handout


def test_a_confidential_address_is_on_no_page_and_not_in_the_search_index(place_app):
    app = place_app
    client = signed_in(app, app.ids["trusted"])
    response = add_location(
        app,
        client,
        address=f"{CANARY}weg 999",
        postcode="1030",
        confidential="y",
        description=f"Bel aan bij {CANARY}",
        transportation=f"Bus {CANARY}",
        phone="0470 00 00 00",
    )
    assert response.status_code == 303
    [location] = snapshot(app, Organization, "org")["locations"]
    offer_at(app, client, [location["id"]])

    public = app.test_client()
    pages = [
        public.get(f"/{lang}/services/{app.ids['service']}").text for lang in ("nl", "fr", "ar")
    ]
    pages.append(public.get(f"/nl/organizations/{app.ids['org']}").text)
    pages.append(public.get(f"/nl/handout?service={app.ids['service']}&lang=ar").text)
    pages.append(public.get("/nl/search?q=soep").text)
    for page in pages:
        assert CANARY.lower() not in page.lower()
    assert "In Schaerbeek / Schaarbeek. The address is confidential" not in pages[0]
    assert "Schaarbeek" in pages[0]
    assert "vertrouwelijk" in pages[0]
    assert "+32 470 00 00 00" in pages[0]
    assert "geo:" not in pages[0]
    # The search index holds no trace of it either (every file, every byte).
    index_files = [path for path in Path(app.index_dir).rglob("*") if path.is_file()]
    assert index_files
    for path in index_files:
        assert CANARY.lower().encode() not in path.read_bytes().lower()


def test_bad_location_input_is_refused_with_a_translated_message_and_kept(place_app):
    app = place_app
    client = signed_in(app, app.ids["trusted"])
    url = location_url(app).replace("/en/", "/fr/")
    token = csrf_token(client, url)
    cases = [
        ({"postcode": ""}, "code postal"),  # an address needs its postcode
        ({"postcode": "9999"}, None),  # not a postcode of the region
        ({"postcode": "1000", "neighbourhood": "120"}, None),  # a neighbourhood elsewhere
        ({"confidential": "y"}, None),  # a confidential place needs a way to reach it
        ({"phone": "02 123"}, "téléphone"),
        ({"website": "javascript:alert(1)"}, None),
    ]
    for values, words in cases:
        response = client.post(url, data=location_form(token, name="Gardé", **values))
        assert response.status_code == 400, values
        assert 'value="Gardé"' in response.text  # what was typed is kept
        assert "field-errors" in response.text
        if words:
            assert words in response.text
    assert snapshot(app, Organization, "org")["locations"] == []


def test_a_member_proposes_a_location_and_a_coordinator_publishes_it(place_app):
    app = place_app
    response = add_location(app, signed_in(app, app.ids["member"]), name="Nieuwe plek")
    assert response.status_code == 303
    assert snapshot(app, Organization, "org")["locations"] == []
    with app.app_context():
        request = db.session().query(ChangeRequest).one()
        request_id = request.id
        db.session.remove()
    coordinator = signed_in(app, app.ids["coordinator"])
    page = coordinator.get(f"/en/manage/requests/{request_id}").text
    assert "Nieuwe plek · 1030 Voorbeeldstraat 12" in page
    token = csrf_token(coordinator, f"/en/manage/requests/{request_id}")
    coordinator.post(f"/en/manage/requests/{request_id}/approve", data={"csrf_token": token})
    [location] = snapshot(app, Organization, "org")["locations"]
    assert location["name"] == "Nieuwe plek"


def test_removing_a_location_removes_what_was_offered_there(place_app):
    app = place_app
    client = signed_in(app, app.ids["trusted"])
    add_location(app, client, name="Weg ermee")
    [location] = snapshot(app, Organization, "org")["locations"]
    offer_at(app, client, [location["id"]])
    assert snapshot(app, Service, "service")["locations"] == [location["id"]]
    url = location_url(app, location["id"])
    response = client.post(f"{url}/remove", data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 303
    assert snapshot(app, Organization, "org")["locations"] == []
    assert snapshot(app, Service, "service")["locations"] == []
    with app.app_context():
        assert db.session().get(Location, uuid.UUID(location["id"])) is None
        db.session.remove()
    assert client.get(url).status_code == 404


def test_the_enterprise_number_is_checked_and_shown(place_app):
    app = place_app
    client = signed_in(app, app.ids["trusted"])
    url = f"/nl/manage/organizations/{app.ids['org']}"
    values = snapshot(app, Organization, "org")
    wrong = client.post(
        url, data=form_data({**values, "kbo": "0000.000.098"}, csrf_token(client, url))
    )
    assert wrong.status_code == 400
    assert "ondernemingsnummer" in wrong.text.lower()
    right = {
        **values,
        "kbo": "BE 0000 000 097",
        "other_ids": [{"scheme": "Sociale kaart", "identifier": "sk-42"}],
    }
    assert client.post(url, data=form_data(right, csrf_token(client, url))).status_code == 303
    saved = snapshot(app, Organization, "org")
    assert saved["kbo"] == "0000.000.097"
    assert saved["other_ids"] == [{"scheme": "Sociale kaart", "identifier": "sk-42"}]
    assert "0000.000.097" in app.test_client().get(f"/nl/organizations/{app.ids['org']}").text


def _found(app, query: str) -> list[str]:
    """The service ids a search page lists, in order."""
    page = app.test_client().get(f"/en/search?{query}").text
    return re.findall(r'<h2><a href="/en/services/([0-9a-f-]{36})"', page)


def test_a_service_is_found_in_the_neighbourhood_of_the_address_it_is_offered_at(place_app):
    """Its service area is neighbourhood 8 (in the City of Brussels); offered at an address
    in Colignon (Schaerbeek), it is found there too, and ranked as being there."""
    app = place_app
    service = str(app.ids["service"])
    assert service not in _found(app, "place=23")
    client = signed_in(app, app.ids["trusted"])
    assert add_location(app, client, postcode="1030", neighbourhood="23").status_code == 303
    [location] = snapshot(app, Organization, "org")["locations"]
    offer_at(app, client, [location["id"]])
    assert _found(app, "place=23") == [service]
    assert _found(app, "place=21015") == [service]  # its municipality
    assert service in _found(app, "place=8")  # its service area still counts
    card = app.test_client().get("/en/search?place=23").text
    assert "Colignon" in card

    # Moved to another neighbourhood, it is found there and no longer in Colignon.
    url = location_url(app, location["id"])
    moved = location_form(csrf_token(client, url), postcode="1030", neighbourhood="24")
    assert client.post(url, data=moved).status_code == 303
    assert service not in _found(app, "place=23")
    assert _found(app, "place=24") == [service]


def test_a_confidential_address_places_its_services_in_its_municipality_only(place_app):
    app = place_app
    service = str(app.ids["service"])
    client = signed_in(app, app.ids["trusted"])
    response = add_location(
        app, client, postcode="1030", neighbourhood="23", confidential="y", phone="0470 00 00 00"
    )
    assert response.status_code == 303
    [location] = snapshot(app, Organization, "org")["locations"]
    offer_at(app, client, [location["id"]])
    assert _found(app, "place=21015") == [service]
    page = app.test_client().get("/en/search?place=21015").text
    assert "Colignon (" not in page  # the card names the municipality only
    # Every neighbourhood of the municipality counts it alike: none stands out.
    assert 'Colignon <span class="count">(1)' in page
    assert 'Dailly <span class="count">(1)' in page
    with app.app_context():
        result = sync.search_index(app).search(
            SearchRequest(filters=Filters(neighbourhoods=frozenset({"23"})))
        )
        [card] = result.listings
        assert "23" not in card.exact_neighbourhoods
        assert "21015" in card.exact_municipalities


def test_an_address_changed_by_itself_moves_its_services_in_search(place_app):
    """As an import changes an address, without touching its organisation or services."""
    app = place_app
    service = str(app.ids["service"])
    client = signed_in(app, app.ids["trusted"])
    assert add_location(app, client, postcode="1030", neighbourhood="23").status_code == 303
    [offered] = snapshot(app, Organization, "org")["locations"]
    offer_at(app, client, [offered["id"]])
    with app.app_context():
        session = db.session()
        location = session.get(Location, uuid.UUID(offered["id"]))
        location.neighbourhood = session.scalars(
            select(Neighbourhood).where(Neighbourhood.number == 24)
        ).one()
        session.commit()
    assert service not in _found(app, "place=23")
    assert _found(app, "place=24") == [service]
