"""The HSDS read API: every response is valid HSDS 3.0 (the official compiled schemas), lists
page and filter as HSDS's OpenAPI says, texts come in the language asked, and what never
leaves Nabij (confidential addresses, relay persons, join links, synthetic listings) is in
no response. schemathesis fuzzes the API against our own OpenAPI document."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from functools import cache

import pytest
import schemathesis
import schemathesis.engine
from jsonschema import Draft202012Validator
from schemathesis.engine import Status
from schemathesis.engine import events as engine_events
from sqlalchemy import select, update

from directory import schema
from directory.database import begins_as_writer
from directory.exchange import documents, profile
from directory.extensions import db
from directory.models import (
    Address,
    Contact,
    Language,
    Location,
    LocationType,
    Neighbourhood,
    Organization,
    OrganizationKind,
    Phone,
    Provenance,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
)
from tests import factories
from tests.conftest import SHARED, seeded_app

HSDS = SHARED / "hsds" / "schema"
LOCALES = (None, "nl", "fr", "ar")

# The confidential location: none of this may appear anywhere in the API.
CANARY_STREET = "Kanarievogelstraat"
CANARY_POSTCODE = "1190"
CANARY_LATITUDE, CANARY_LONGITUDE = 50.8123457, 4.3123457
CANARY_WORDS = (
    CANARY_STREET,
    "Kanarieplein",  # its directions
    "kanariewerf",  # its description
    "Opvang De Kanarie",  # its name
    "achterdeur",  # the service-at-location's description
    "50.81234",
    "4.31234",
)
# ... while its municipality and its phone do.
CANARY_PHONE = "+32 2 555 01 23"
FOREST = "21007"
RELAY_PERSON = ("Samira Relaisvrouw", "samira.relais@example.org", "+32 470 99 88 77")
JOIN_LINK = "https://chat.example.org/join/geheim-kanarie"
SYNTHETIC_NAME = "Synthetische Kanariedienst"
FAR_FUTURE = datetime(2031, 1, 1, tzinfo=UTC)


def _term(session, code: str) -> TaxonomyTerm:
    return session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.code == code)).one()


def _neighbourhood(session, number: int) -> Neighbourhood:
    return session.scalars(select(Neighbourhood).where(Neighbourhood.number == number)).one()


def build(session) -> dict[str, str]:
    """Beside the seed: a shelter with a confidential location, a house with a public one,
    an informal group reached through a relay, a service in another language, an inactive
    one and a synthetic one."""
    ids: dict[str, str] = {}
    forest = factories.municipality(session, FOREST)
    anderlecht = factories.municipality(session, "21001")

    shelter = factories.organization(session, name="Opvanghuis Test")
    hidden = Location(
        location_type=LocationType.PHYSICAL,
        name="Opvang De Kanarie",
        description="Achter de groene poort van de kanariewerf",
        transportation="Tram 82 tot halte Kanarieplein",
        latitude=CANARY_LATITUDE,
        longitude=CANARY_LONGITUDE,
        is_confidential=True,
        step_free=True,
        municipality=forest,
        neighbourhood=_neighbourhood(session, 46),
    )
    hidden.addresses.append(
        Address(address_1=f"{CANARY_STREET} 713", city="Vorst", postal_code=CANARY_POSTCODE)
    )
    hidden.phones.append(Phone(number=CANARY_PHONE, description="Dag en nacht"))
    hidden.contacts.append(Contact(department="Onthaal", email="onthaal@opvang.example"))
    shelter.locations.append(hidden)
    refuge = factories.service(session, shelter, name="Nachtopvang", help_codes=("day-centre",))
    refuge.service_at_locations.append(
        ServiceAtLocation(location=hidden, description="Bel aan bij de achterdeur")
    )
    refuge.areas.append(ServiceArea(municipality=forest))

    house = factories.organization(session, name="Buurthuis Open Deur")
    house_location = Location(
        location_type=LocationType.PHYSICAL,
        name="Buurthuis Open Deur",
        latitude=50.83,
        longitude=4.31,
        step_free=True,
        lift=False,
        municipality=anderlecht,
        neighbourhood=_neighbourhood(session, 1),
    )
    house_location.addresses.append(
        Address(address_1="Openbaarstraat 1", city="Anderlecht", postal_code="1070")
    )
    house.locations.append(house_location)
    coffee = factories.service(
        session, house, name="Koffie in het buurthuis", help_codes=("meeting-places",)
    )
    at_house = ServiceAtLocation(location=house_location)
    at_house.schedules.append(
        Schedule(freq="WEEKLY", byday="MO", opens_at=datetime(2000, 1, 1, 9).time())
    )
    coffee.service_at_locations.append(at_house)
    coffee.areas.append(ServiceArea(municipality=anderlecht))
    closed = factories.service(session, house, name="Gesloten Dienst")
    closed.status = ServiceStatus.INACTIVE
    closed_here = ServiceAtLocation(location=house_location)
    closed.service_at_locations.append(closed_here)

    group = factories.organization(
        session,
        name="Burenhulp Kanarie",
        kind=OrganizationKind.NEIGHBOUR_HELP_NETWORK,
        relay_organization_id=house.id,
        join_link=JOIN_LINK,
    )
    person = Contact(name=RELAY_PERSON[0], email=RELAY_PERSON[1], is_relay=True)
    relay_phone = Phone(number=RELAY_PERSON[2])
    person.phones.append(relay_phone)
    group.contacts.append(person)
    group.phones.append(relay_phone)  # on the organisation too: still the relay's own line
    shopping = factories.service(
        session, group, name="Boodschappen samen", help_codes=("shopping",)
    )
    shopping.areas.append(ServiceArea(municipality=forest))
    shopping.languages = [Language(code="nl"), Language(code="ar")]

    french = factories.organization(session, name="Aide Test", texts={"fr": "Aide Test"})
    translated = factories.service(
        session,
        french,
        texts={"fr": "Aide aux courses du quartier", "nl": "Boodschappenhulp in de wijk"},
        help_codes=("shopping",),
    )
    translated.texts["nl"].is_machine_translated = True
    translated.areas.append(ServiceArea(name="Brussels-Capital Region"))

    fake = factories.organization(session, name="Synthetische Organisatie")
    fake.provenance = Provenance.SYNTHETIC
    fake_service = factories.service(session, fake, name=SYNTHETIC_NAME, help_codes=("shopping",))
    fake_service.provenance = Provenance.SYNTHETIC
    fake_service.areas.append(ServiceArea(name="Brussels-Capital Region"))
    fake_place = Location(location_type=LocationType.PHYSICAL, name="Synthetische plek")
    fake.locations.append(fake_place)
    fake_here = ServiceAtLocation(location=fake_place)
    fake_service.service_at_locations.append(fake_here)
    session.flush()
    session.execute(
        update(Service).where(Service.id == translated.id).values(last_modified=FAR_FUTURE)
    )
    session.commit()
    for name, record in {
        "shelter": shelter,
        "refuge": refuge,
        "hidden": hidden,
        "house": house,
        "coffee": coffee,
        "closed": closed,
        "group": group,
        "shopping": shopping,
        "french": french,
        "translated": translated,
        "fake": fake,
        "fake_service": fake_service,
        "refuge_here": refuge.service_at_locations[0],
        "closed_here": closed_here,
        "fake_here": fake_here,
    }.items():
        ids[name] = str(record.id)
    ids["shopping_term"] = str(_term(session, "shopping").id)
    ids["kinds_of_help"] = str(_term(session, "shopping").taxonomy_id)
    ids["well_being"] = str(shopping_domain(session).id)
    return ids


def shopping_domain(session) -> TaxonomyTerm:
    return _term(session, "shopping").parent


@pytest.fixture(scope="module")
def api_app(scratch, tmp_path_factory):
    """The seed catalogue, the listings of `build` and their index; the tests only read."""
    url = scratch.create()
    schema.upgrade(url)
    app = seeded_app(url, tmp_path_factory.mktemp("api"), build=build)
    yield app
    app.extensions["database.engine"].dispose()


@pytest.fixture
def client(api_app):
    return api_app.test_client()


def get(client, path: str, **query) -> dict:
    response = client.get(path, query_string={k: v for k, v in query.items() if v is not None})
    assert response.status_code == 200, (path, query, response.get_data(as_text=True))
    assert response.content_type.startswith("application/json")
    return response.get_json()


def every_page(client, path: str, **query) -> list[dict]:
    """Every record of a list, page after page."""
    records, number = [], 1
    while True:
        page = get(client, path, page=number, per_page=100, **query)
        records += page["contents"]
        if page["last_page"]:
            return records
        number += 1


def ids_of(records) -> list[str]:
    return [record["id"] for record in records]


# --- valid HSDS -------------------------------------------------------------------------


@cache
def validator(name: str) -> Draft202012Validator:
    schema_json = json.loads((HSDS / f"{name}.json").read_text())
    return Draft202012Validator(schema_json, format_checker=Draft202012Validator.FORMAT_CHECKER)


@cache
def page_validator() -> Draft202012Validator:
    page = json.loads((HSDS / "openapi.json").read_text())["components"]["schemas"]["Page"]
    return Draft202012Validator(page)


def assert_valid(name: str, document: dict) -> None:
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator(name).iter_errors(document)
    ]
    assert errors == [], f"{name}: {errors[:5]}"


LISTS = {
    "/api/services": "compiled/service_list",
    "/api/organizations": "compiled/organization_list",
    "/api/service_at_locations": "compiled/service_at_location_list",
    "/api/taxonomies": "taxonomy",
    "/api/taxonomy_terms": "taxonomy_term",
}


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("lang", [None, "fr"])
def test_every_list_is_valid_hsds(client, path, lang):
    page = get(client, path, per_page=100, lang=lang)
    assert page["contents"]
    assert list(page_validator().iter_errors(page)) == []
    for record in every_page(client, path, lang=lang):
        assert_valid(LISTS[path], record)


def test_every_service_and_organization_is_valid_hsds(client, api_app):
    """Every one as originally written; ours also in French and Arabic (only their texts
    change with the language)."""
    ids = api_app.ids
    services = [(s, None) for s in [*ids_of(every_page(client, "/api/services")), ids["closed"]]]
    organizations = [(o, None) for o in ids_of(every_page(client, "/api/organizations"))]
    for lang in ("fr", "ar"):
        services += [(ids[name], lang) for name in ("refuge", "coffee", "shopping", "translated")]
        organizations += [(ids[name], lang) for name in ("shelter", "house", "group", "french")]
    for service_id, lang in services:
        assert_valid("compiled/service", get(client, f"/api/services/{service_id}", lang=lang))
    for organization_id, lang in organizations:
        document = get(client, f"/api/organizations/{organization_id}", lang=lang)
        assert_valid("compiled/organization", document)


def test_services_at_locations_are_valid_hsds_in_their_nested_form(client, api_app):
    """The compiled service_at_location: the same objects the service document nests."""
    service = get(client, f"/api/services/{api_app.ids['coffee']}")
    [link] = service["service_at_locations"]
    nested = {**link, "service": {k: v for k, v in service.items() if not isinstance(v, list)}}
    assert_valid("compiled/service_at_location", nested)
    assert link["location"]["addresses"][0]["address_1"] == "Openbaarstraat 1"
    assert [a["description"] for a in link["location"]["accessibility"]] == ["Step-free entrance"]
    assert link["schedules"][0]["byday"] == "MO"


# Records by id that are their list's item (services and organisations have more).
BY_ID = {
    "/api/service_at_locations": (
        "compiled/service_at_location_list",
        "compiled/service_at_location",
    ),
    "/api/taxonomies": ("taxonomy",),
    "/api/taxonomy_terms": ("taxonomy_term",),
}


def one_of_each(ids) -> dict[str, str]:
    """A record of each list in BY_ID, by id: the refuge's confidential location among them."""
    return {
        "/api/service_at_locations": f"/api/service_at_locations/{ids['refuge_here']}",
        "/api/taxonomies": f"/api/taxonomies/{ids['kinds_of_help']}",
        "/api/taxonomy_terms": f"/api/taxonomy_terms/{ids['shopping_term']}",
    }


@pytest.mark.parametrize("path", BY_ID)
@pytest.mark.parametrize("lang", [None, "fr"])
def test_a_record_by_id_is_its_list_item_and_valid_hsds(client, path, lang):
    """Every service at location, taxonomy and term, asked for by id, is exactly its list's
    item (a service at location is valid as HSDS's nested record too)."""
    listed = every_page(client, path, lang=lang)
    assert listed
    for item in listed:
        record = get(client, f"{path}/{item['id']}", lang=lang)
        assert record == item
        for name in BY_ID[path]:
            assert_valid(name, record)


def test_a_service_at_location_by_id_is_any_published_services(client, api_app):
    """As a service by id: an inactive service's too (lists leave it out), with its status;
    a synthetic service's never."""
    ids = api_app.ids
    assert ids["closed_here"] not in ids_of(every_page(client, "/api/service_at_locations"))
    closed = get(client, f"/api/service_at_locations/{ids['closed_here']}")
    assert_valid("compiled/service_at_location", closed)
    assert closed["service"]["status"] == "inactive"
    assert closed["location"]["name"] == "Buurthuis Open Deur"
    assert client.get(f"/api/service_at_locations/{ids['fake_here']}").status_code == 404


def test_a_term_by_id_follows_the_language(client, api_app):
    path = f"/api/taxonomy_terms/{api_app.ids['shopping_term']}"
    french = get(client, path, lang="fr")
    assert french["language"] == "fr"
    assert get(client, path, lang="nl")["name"] != french["name"]
    by_header = client.get(path, headers={"Accept-Language": "fr-BE,fr;q=0.9,nl;q=0.5"})
    assert by_header.get_json() == french
    assert "Accept-Language" in by_header.headers["Vary"]


def test_the_root_says_version_profile_and_openapi(client):
    root = get(client, "/api/")
    assert root["version"].startswith("3.0")
    assert root["profile"].endswith("/api/profile/")
    assert root["openapi_url"].endswith("/api/openapi.json")
    document = get(client, "/api/openapi.json")
    assert document["openapi"].startswith("3.1")
    official = json.loads((HSDS / "openapi.json").read_text())["paths"]
    served = {
        "/",
        "/services",
        "/services/{id}",
        "/organizations",
        "/organizations/{id}",
        "/service_at_locations",
        "/service_at_locations/{id}",
        "/taxonomies",
        "/taxonomies/{id}",
        "/taxonomy_terms",
        "/taxonomy_terms/{id}",
    }
    assert served <= set(official)
    assert served <= set(document["paths"])


def test_the_profile_only_adds_what_hsds_lacks_and_is_served(client):
    index = get(client, "/api/profile/")
    assert {patch["schema"] for patch in index["patches"]} == {
        f"{name}.json" for name in profile.PATCHES
    }
    for patch in index["patches"]:
        served = client.get(patch["url"].split("127.0.0.1:8000", 1)[1])
        assert served.status_code == 200
        assert served.content_type == "application/merge-patch+json"
        name = patch["schema"].removesuffix(".json")
        official = json.loads((HSDS / patch["schema"]).read_text())
        added = set(served.get_json()["properties"])
        assert not added & set(official["properties"]), f"HSDS already has {added}"
        merged = profile.merge_patch(official, served.get_json())
        Draft202012Validator.check_schema(merged)
        assert set(merged["properties"]) == set(official["properties"]) | added, name


def test_profile_fields_validate_against_the_patched_hsds_schemas(client, api_app):
    """Each object's own fields (nested ones left aside) against its HSDS table schema with
    our patch applied."""
    service = get(client, f"/api/services/{api_app.ids['refuge']}")
    objects = {
        "service": [service],
        "organization": [service["organization"]],
        "service_area": service["service_areas"],
        "location": [link["location"] for link in service["service_at_locations"]],
        "schedule": get(client, f"/api/services/{api_app.ids['coffee']}")["service_at_locations"][
            0
        ]["schedules"],
    }
    for table, records in objects.items():
        patched = profile.merge_patch(
            json.loads((HSDS / f"{table}.json").read_text()), profile.PATCHES[table]
        )
        check = Draft202012Validator(patched)
        for record in records:
            own = {k: v for k, v in record.items() if k in profile.extra_properties(table)}
            plain = {k: v for k, v in record.items() if not isinstance(v, list | dict)}
            assert own, table
            assert list(check.iter_errors({**plain, **own})) == []


# --- paging and filters -----------------------------------------------------------------


def test_pages_cover_every_record_once(client):
    first = get(client, "/api/services", per_page=7)
    assert first["first_page"]
    assert not first["last_page"]
    assert first["size"] == 7
    total, pages = first["total_items"], first["total_pages"]
    assert pages == -(-total // 7)
    seen = []
    for number in range(1, pages + 1):
        page = get(client, "/api/services", per_page=7, page=number)
        assert page["page_number"] == number
        assert page["empty"] is False
        seen += ids_of(page["contents"])
    assert page["last_page"]
    assert len(seen) == total == len(set(seen))
    beyond = get(client, "/api/services", per_page=7, page=pages + 1)
    assert beyond["empty"]
    assert beyond["size"] == 0
    assert beyond["contents"] == []


def test_lists_hold_active_published_services_only(client, api_app):
    listed = set(ids_of(every_page(client, "/api/services")))
    ids = api_app.ids
    assert {ids["refuge"], ids["coffee"], ids["shopping"], ids["translated"]} <= listed
    assert ids["closed"] not in listed
    assert ids["fake_service"] not in listed
    # The inactive one is still served by id, with its status, as its page shows it.
    assert get(client, f"/api/services/{ids['closed']}")["status"] == "inactive"
    house = get(client, f"/api/organizations/{ids['house']}")
    assert ids["closed"] in ids_of(house["services"])


def test_synthetic_listings_are_never_published(client, api_app):
    ids = api_app.ids
    assert client.get(f"/api/services/{ids['fake_service']}").status_code == 404
    assert client.get(f"/api/organizations/{ids['fake']}").status_code == 404
    assert ids["fake"] not in ids_of(every_page(client, "/api/organizations"))
    found = every_page(client, "/api/services", search="Synthetische Kanariedienst")
    assert ids["fake_service"] not in ids_of(found)


def test_filter_by_taxonomy_term_and_its_life_domain(client, api_app):
    ids = api_app.ids
    tagged = set(ids_of(every_page(client, "/api/services", taxonomy_term_id=ids["shopping_term"])))
    assert {ids["shopping"], ids["translated"]} <= tagged
    assert ids["coffee"] not in tagged
    for service_id in tagged:
        codes = {
            a["taxonomy_term"]["code"]
            for a in get(client, f"/api/services/{service_id}")["attributes"]
        }
        assert "shopping" in codes
    domain = set(ids_of(every_page(client, "/api/services", taxonomy_term_id=ids["well_being"])))
    assert tagged < domain


def test_filter_by_organization(client, api_app):
    ids = api_app.ids
    found = ids_of(every_page(client, "/api/services", organization_id=ids["house"]))
    assert found == [ids["coffee"]]  # its inactive service is not listed


def test_filter_by_modified_after(client, api_app):
    found = every_page(client, "/api/services", modified_after="2030-12-31T23:00:00+01:00")
    assert ids_of(found) == [api_app.ids["translated"]]
    assert ids_of(every_page(client, "/api/services", modified_after="2031-01-01")) == ids_of(found)
    assert every_page(client, "/api/services", modified_after="2031-01-01T00:00:01Z") == []


def test_filter_by_postcode_follows_service_areas(client, api_app):
    ids = api_app.ids
    in_forest = set(ids_of(every_page(client, "/api/services", postcode=CANARY_POSTCODE)))
    # Its municipality (Forest) and the whole region serve 1190; Anderlecht does not.
    assert {ids["refuge"], ids["shopping"], ids["translated"]} <= in_forest
    assert ids["coffee"] not in in_forest
    assert ids["coffee"] in ids_of(every_page(client, "/api/services", postcode="1070"))
    # A postcode outside the region is served by nobody, whole-region services included.
    assert every_page(client, "/api/services", postcode="9000") == []


def test_search_uses_the_search_engine_in_any_language(client, api_app):
    for words in ("boodschappen", "courses", "shopping"):
        assert api_app.ids["shopping"] in ids_of(every_page(client, "/api/services", search=words))
    assert every_page(client, "/api/services", search="zzqxjw") == []


def test_filters_combine_with_and(client, api_app):
    ids = api_app.ids
    both = ids_of(
        every_page(
            client,
            "/api/services",
            search="boodschappen",
            postcode=CANARY_POSTCODE,
            taxonomy_term_id=ids["shopping_term"],
            organization_id=ids["group"],
        )
    )
    assert both == [ids["shopping"]]
    links = every_page(client, "/api/service_at_locations", organization_id=ids["house"])
    assert [link["service"]["id"] for link in links] == [ids["coffee"]]
    assert (
        every_page(client, "/api/service_at_locations", postcode="1070", search="Nachtopvang") == []
    )


def test_organizations_and_terms_match_plain_text(client, api_app):
    found = every_page(client, "/api/organizations", search="burenhulp kanarie")
    assert ids_of(found) == [api_app.ids["group"]]
    terms = every_page(client, "/api/taxonomy_terms", search="Boodschap")
    assert "shopping" in {term["code"] for term in terms}
    assert every_page(client, "/api/organizations", search="100%_\\") == []


# --- languages --------------------------------------------------------------------------


def test_texts_come_in_the_language_asked_else_the_original(client, api_app):
    path = f"/api/services/{api_app.ids['translated']}"
    dutch = get(client, path, lang="nl")
    assert dutch["name"] == "Boodschappenhulp in de wijk"
    assert dutch["text_language"] == "nl"
    assert dutch["text_machine_translated"] is True
    assert dutch["text_original_language"] == "fr"
    assert dutch["text_languages"] == ["fr", "nl"]
    for asked in ({"lang": "ar"}, {}):
        original = get(client, path, **asked)
        assert original["name"] == "Aide aux courses du quartier"
        assert original["text_language"] == "fr"
    by_header = client.get(path, headers={"Accept-Language": "nl-BE,nl;q=0.9,fr;q=0.5"})
    assert by_header.get_json()["name"] == "Boodschappenhulp in de wijk"
    assert "Accept-Language" in by_header.headers["Vary"]
    both = client.get(path, query_string={"lang": "fr"}, headers={"Accept-Language": "nl"})
    assert both.get_json()["name"] == "Aide aux courses du quartier"


def test_places_and_terms_follow_the_language(client, api_app):
    path = f"/api/services/{api_app.ids['shopping']}"
    assert [a["name"] for a in get(client, path, lang="nl")["service_areas"]] == ["Vorst"]
    assert [a["name"] for a in get(client, path, lang="fr")["service_areas"]] == ["Forest"]
    [area] = get(client, path, lang="en")["service_areas"]
    assert area["name"] == "Forest / Vorst"
    assert area["brussels_place"] == {
        "level": "municipality",
        "nis_code": FOREST,
        "municipality": {"name_fr": "Forest", "name_nl": "Vorst"},
    }
    term = get(client, path, lang="fr")["attributes"][0]["taxonomy_term"]
    assert term["language"] == "fr"
    assert term["code"] == "shopping"
    assert [lang["name"] for lang in get(client, path, lang="nl")["languages"]] == [
        "Arabisch",
        "Nederlands",
    ]


# --- caching, CORS, errors --------------------------------------------------------------


def test_etag_gives_304_and_changes_with_the_language(client):
    first = client.get("/api/services", query_string={"lang": "nl"})
    etag = first.headers["ETag"]
    again = client.get(
        "/api/services", query_string={"lang": "nl"}, headers={"If-None-Match": etag}
    )
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    french = client.get(
        "/api/services", query_string={"lang": "fr"}, headers={"If-None-Match": etag}
    )
    assert french.status_code == 200
    assert french.headers["ETag"] != etag


@pytest.mark.parametrize("path", BY_ID)
def test_etag_gives_304_on_a_record_by_id(client, api_app, path):
    """A service at location is as fresh as its service and organisation (as the service by
    id says); taxonomies and terms have no date, only an ETag (as their lists)."""
    record = one_of_each(api_app.ids)[path]
    first = client.get(record, query_string={"lang": "nl"})
    etag = first.headers["ETag"]
    again = client.get(record, query_string={"lang": "nl"}, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert client.get(record, headers={"If-None-Match": '"elsewhere"'}).status_code == 200
    if path != "/api/service_at_locations":
        assert "Last-Modified" not in first.headers
        return
    service = client.get(f"/api/services/{api_app.ids['refuge']}")
    assert first.headers["Last-Modified"] == service.headers["Last-Modified"]
    since = {"If-Modified-Since": first.headers["Last-Modified"]}
    assert client.get(record, headers=since).status_code == 304


def test_last_modified_gives_304_on_a_record(client, api_app):
    path = f"/api/services/{api_app.ids['coffee']}"
    first = client.get(path)
    stamp = first.headers["Last-Modified"]
    assert client.get(path, headers={"If-Modified-Since": stamp}).status_code == 304
    older = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert client.get(path, headers={"If-Modified-Since": older}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/services",
        "/api/services/not-a-uuid",
        "/api/nothing-here",
        "/api/",
        "/api/taxonomy_terms/not-a-uuid",
        f"/api/service_at_locations/{uuid.UUID(int=1)}",
    ],
)
def test_cors_lets_any_site_read(client, path):
    response = client.get(path)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        path,
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]


def test_no_session_cookie_or_csrf_and_read_only_transactions(client, api_app):
    response = client.get("/api/services")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    for path in ("/api/services", "/api/organizations", "/api/"):
        with api_app.test_request_context(path):
            assert begins_as_writer() is False


@pytest.mark.parametrize(
    ("path", "query", "parameter"),
    [
        ("/api/services/not-a-uuid", {}, "id"),
        ("/api/organizations/1234", {}, "id"),
        ("/api/service_at_locations/not-a-uuid", {}, "id"),
        ("/api/taxonomies/{00000000-0000-0000-0000-000000000000}", {}, "id"),
        ("/api/taxonomy_terms/shopping", {}, "id"),
        ("/api/taxonomy_terms/00000000-0000-0000-0000-000000000001", {"lang": "de"}, "lang"),
        ("/api/services", {"page": "0"}, "page"),
        ("/api/services", {"page": "two"}, "page"),
        ("/api/services", {"page": "99999999999999999999"}, "page"),
        ("/api/services", {"per_page": "1000"}, "per_page"),
        ("/api/services", {"per_page": "-1"}, "per_page"),
        ("/api/services", {"modified_after": "yesterday"}, "modified_after"),
        ("/api/services", {"modified_after": "2024-02-30"}, "modified_after"),
        ("/api/services", {"taxonomy_term_id": "shopping"}, "taxonomy_term_id"),
        (
            "/api/services",
            {"organization_id": "{00000000-0000-0000-0000-000000000000}"},
            "organization_id",
        ),
        ("/api/service_at_locations", {"postcode": "BXL"}, "postcode"),
        ("/api/services", {"lang": "de"}, "lang"),
        ("/api/services", {"page": ["1", "2"]}, "page"),
        ("/api/taxonomies", {"per_page": "0"}, "per_page"),
    ],
)
def test_bad_parameters_are_a_json_400_naming_them(client, path, query, parameter):
    response = client.get(path, query_string=query)
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "bad_parameter"
    assert body["parameter"] == parameter
    assert parameter in body["message"]


@pytest.mark.parametrize(
    "path",
    [
        f"/api/services/{uuid.UUID(int=1)}",
        f"/api/organizations/{uuid.UUID(int=1)}",
        f"/api/service_at_locations/{uuid.UUID(int=1)}",
        f"/api/taxonomies/{uuid.UUID(int=1)}",
        f"/api/taxonomy_terms/{uuid.UUID(int=1)}",
        "/api/programs",
        "/api/services/x/y",
        "/api/profile/program.json",
    ],
)
def test_unknown_ids_and_paths_are_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


def test_other_methods_are_a_json_405_with_allow(client, api_app):
    for path in ("/api/services", *one_of_each(api_app.ids).values()):
        for method in ("POST", "PUT", "DELETE"):
            response = client.open(path, method=method)
            assert response.status_code == 405, (path, method)
            assert response.headers["Allow"] == "GET, HEAD, OPTIONS"
            assert response.get_json()["error"] == "method_not_allowed"


# --- what never leaves Nabij ------------------------------------------------------------


@pytest.fixture(scope="module")
def everything(api_app) -> str:
    """The text of every response the API gives about the catalogue: every page of every
    list in several languages and searches, every service and organisation (ours in every
    language), and the documents describing the API."""
    client, ids = api_app.test_client(), api_app.ids
    bodies: list[str] = []

    def keep(path: str, **query) -> dict:
        response = client.get(path, query_string={k: v for k, v in query.items() if v})
        assert response.status_code == 200, path
        bodies.append(response.get_data(as_text=True))
        return response.get_json()

    for path in ("/api/", "/api/openapi.json", "/api/profile/"):
        keep(path)
    for name in profile.PATCHES:
        keep(f"/api/profile/{name}.json")
    for lang in LOCALES:
        for path in LISTS:
            for search in (None, "opvang", "Kanarie", CANARY_POSTCODE):
                page, number = {"last_page": False}, 0
                while not page["last_page"]:
                    number += 1
                    page = keep(path, lang=lang, search=search, per_page=100, page=number)
        for name in ("refuge", "closed", "shopping", "coffee"):
            keep(f"/api/services/{ids[name]}", lang=lang)
        for name in ("shelter", "group", "house"):
            keep(f"/api/organizations/{ids[name]}", lang=lang)
        for name in ("refuge_here", "closed_here"):
            keep(f"/api/service_at_locations/{ids[name]}", lang=lang)
    for service_id in ids_of(every_page(client, "/api/services")):
        keep(f"/api/services/{service_id}")
    for organization_id in ids_of(every_page(client, "/api/organizations")):
        keep(f"/api/organizations/{organization_id}")
    for path in BY_ID:
        for record_id in ids_of(every_page(client, path)):
            keep(f"{path}/{record_id}")
    return "\n".join(bodies)


def test_a_confidential_location_shows_its_municipality_and_phone_only(client, api_app, everything):
    ids = api_app.ids
    for word in CANARY_WORDS:
        assert word.lower() not in everything.lower(), word
    # The postcode nowhere as a value (it may be part of a UUID's hex digits).
    assert not re.search(rf"(?<![0-9a-f-]){CANARY_POSTCODE}(?![0-9a-f-])", everything)
    # What it does show: its municipality and how to reach it.
    for document in (
        get(client, f"/api/organizations/{ids['shelter']}")["locations"][0],
        get(client, f"/api/services/{ids['refuge']}")["service_at_locations"][0]["location"],
    ):
        assert document["confidential"] is True
        assert document["brussels_place"]["nis_code"] == FOREST
        assert "neighbourhood" not in document["brussels_place"]
        assert [phone["number"] for phone in document["phones"]] == [CANARY_PHONE]
        assert document["contacts"][0]["email"] == "onthaal@opvang.example"
        assert document["addresses"] == []
        assert document["accessibility"] == []
        assert set(document) & {"name", "latitude", "longitude", "transportation"} == set()
    links = every_page(client, "/api/service_at_locations", organization_id=ids["shelter"])
    assert [link["location"]["brussels_place"]["nis_code"] for link in links] == [FOREST]
    # By id, as listed: its municipality, nothing that could say where it is.
    link = get(client, f"/api/service_at_locations/{ids['refuge_here']}")
    assert [link] == links
    assert link["location"]["confidential"] is True
    assert link["location"]["brussels_place"]["nis_code"] == FOREST
    assert "neighbourhood" not in link["location"]["brussels_place"]
    assert "description" not in link
    hidden = {"name", "description", "latitude", "longitude", "transportation", "addresses"}
    assert set(link["location"]) & hidden == set()


def test_relay_persons_and_join_links_are_never_published(client, api_app, everything):
    ids = api_app.ids
    for secret in (*RELAY_PERSON, "Samira", JOIN_LINK, "geheim-kanarie"):
        assert secret not in everything, secret
    group = get(client, f"/api/organizations/{ids['group']}")
    assert group["relay_organization_id"] == ids["house"]
    assert group["contacts"] == []
    assert group["phones"] == []


def test_the_export_rows_keep_the_same_secrets(api_app):
    """`documents.catalogue_rows` (what the tabular export writes) obeys the same rules."""
    with api_app.app_context():
        session = db.session()
        organizations = session.scalars(select(Organization)).all()
        rows = documents.catalogue_rows(organizations, session.scalars(select(Taxonomy)), "nl")
        everything = json.dumps(rows, ensure_ascii=False)
    for secret in (*CANARY_WORDS, *RELAY_PERSON, JOIN_LINK, SYNTHETIC_NAME):
        assert secret.lower() not in everything.lower(), secret
    assert CANARY_PHONE in everything
    locations = {row["id"]: row for row in rows["location"]}
    assert set(locations[api_app.ids["hidden"]]) == set(rows["location"][0])  # every column
    assert {row["location_id"] for row in rows["address"]} == {
        row["id"] for row in rows["location"] if row["id"] != api_app.ids["hidden"]
    }
    assert api_app.ids["fake_service"] not in {row["id"] for row in rows["service"]}


def test_a_record_that_never_leaves_cannot_be_mapped(api_app):
    with api_app.app_context():
        session = db.session()
        fake = session.get(Organization, uuid.UUID(api_app.ids["fake"]))
        relay = session.scalars(select(Contact).where(Contact.is_relay.is_(True))).first()
        with pytest.raises(documents.NotPublished):
            documents.organization_item(fake, "nl")
        with pytest.raises(documents.NotPublished):
            documents.contact_row(relay)


# --- fuzzing against our own OpenAPI document -------------------------------------------


def test_the_api_keeps_to_its_openapi_document(api_app):
    """schemathesis's phases (examples, coverage with bad values and other methods, fuzzing)
    and every check it has, in-process. (Its pytest plugin's lazy fixtures do not work with
    our pytest, so the engine runs here and its failures are collected.)"""
    fuzzed = schemathesis.openapi.from_wsgi("/api/openapi.json", api_app)
    fuzzed.config.generation.update(max_examples=FUZZ_EXAMPLES, deterministic=True)
    fuzzed.config.seed = 1
    problems, operations = [], set()
    for event in schemathesis.engine.from_schema(fuzzed).execute():
        if isinstance(event, engine_events.ScenarioFinished):
            operations.add(event.recorder.label)
            problems += [
                f"{event.recorder.label} {check.name}: {check.failure_info.failure.title}"
                f" ({check.failure_info.failure.message}; {check.failure_info.code_sample})"
                for checks in event.recorder.checks.values()
                for check in checks
                if check.status is Status.FAILURE and check.failure_info
            ]
        elif isinstance(event, engine_events.NonFatalError | engine_events.FatalError):
            problems.append(f"error: {event}")
    assert problems == []
    assert len(operations) >= 14


FUZZ_EXAMPLES = 5
