"""`flask hsds export` and `flask hsds import`: the export is a valid HSDS 3.0 data package and
valid HSDS documents holding nothing that never leaves Nabij (a canary), the official example
package imports and exports again with nothing lost that our model holds, imports are
searchable at once, and a bad file changes nothing."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import uuid
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from frictionless import validate
from jsonschema import Draft202012Validator
from sqlalchemy import func, select

from directory.catalogue import search_params
from directory.exchange import importing, tabular
from directory.exchange.importing import writing
from directory.extensions import db
from directory.indexing import sync
from directory.models import (
    Address,
    Base,
    Contact,
    ContactChannel,
    Location,
    LocationType,
    Municipality,
    Organization,
    OrganizationKind,
    Phone,
    Provenance,
    Referral,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    TaxonomyTermLabel,
    Urgency,
)
from search import SearchRequest
from tests import factories
from tests.conftest import SHARED

HSDS = SHARED / "hsds"
EXAMPLE = HSDS / "examples" / "csv"
DOCUMENTS = {
    "services.json": "compiled/service",
    "organizations.json": "compiled/organization",
    "service_at_locations.json": "compiled/service_at_location",
    "taxonomies.json": "taxonomy",
    "taxonomy_terms.json": "taxonomy_term",
}


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=["hsds", *args])


def export(app, directory: Path, *options: str) -> Path:
    result = run(app, "export", str(directory), *options)
    assert result.exit_code == 0, result.output
    return directory


def example_package(directory: Path) -> Path:
    """The official example package as published: its datapackage.json is stored as a
    link to the specification's own descriptor, which we put in its place."""
    directory.mkdir(parents=True, exist_ok=True)
    for path in EXAMPLE.glob("*.csv"):
        shutil.copy(path, directory / path.name)
    shutil.copy(HSDS / "datapackage.json", directory / "datapackage.json")
    return directory


def read_table(directory: Path, table: str) -> list[dict[str, str]]:
    path = directory / tabular.TABLES_BY_NAME[table].path
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def database_state(session) -> str:
    """A digest of every row of every table: equal digests, equal databases."""
    digest = hashlib.sha256()
    for table in Base.metadata.sorted_tables:
        rows = session.execute(select(table)).all()
        for row in sorted(repr(tuple(row)) for row in rows):
            digest.update(row.encode())
        digest.update(f"{table.name}:{len(rows)}".encode())
    return digest.hexdigest()


# --- our definition of the tables is HSDS's ---------------------------------------------


def test_our_table_definitions_are_the_hsds_datapackage():
    """Our own definition of the tabular form, compared with the official descriptor in
    everything a validator reads: tables, files, fields in order, types, formats,
    constraints and keys."""
    official = json.loads((HSDS / "datapackage.json").read_text())
    ours = tabular.descriptor()

    def shape(resource: dict) -> dict:
        schema = resource["schema"]
        return {
            "path": resource["path"],
            "profile": resource["profile"],
            "fields": [
                (
                    f["name"],
                    f["type"],
                    f.get("format"),
                    f.get("constraints", {}).get("required", False),
                    f.get("constraints", {}).get("unique", False),
                    f.get("constraints", {}).get("enum"),
                )
                for f in schema["fields"]
            ],
            "primaryKey": schema.get("primaryKey"),
            "foreignKeys": sorted(
                json.dumps(k, sort_keys=True) for k in schema.get("foreignKeys", [])
            ),
        }

    assert [r["name"] for r in ours["resources"]] == [r["name"] for r in official["resources"]]
    for mine, theirs in zip(ours["resources"], official["resources"], strict=True):
        assert shape(mine) == shape(theirs), mine["name"]
    assert ours["profile"] == official["profile"] == "tabular-data-package"
    assert ours["version"] == official["version"]


# --- the export -------------------------------------------------------------------------


@cache
def schema_validator(name: str) -> Draft202012Validator:
    schema = json.loads((HSDS / "schema" / f"{name}.json").read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_the_export_is_a_valid_data_package_and_valid_hsds_documents(app, tmp_path):
    out = export(app, tmp_path / "out")

    report = validate(str(out / "datapackage.json"))
    errors = [(task.name, error.message) for task in report.tasks for error in task.errors]
    assert report.valid, errors[:5]
    descriptor = json.loads((out / "datapackage.json").read_text())
    named = {resource["path"] for resource in descriptor["resources"]}
    assert named == {table.path for table in tabular.TABLES}
    assert {p.name for p in out.iterdir()} == named | set(DOCUMENTS) | {"datapackage.json"}
    for table in tabular.TABLES:
        header, *rows = (out / table.path).read_text(encoding="utf-8").splitlines()
        assert header.split(",") == list(table.columns)
        if not table.held:
            assert rows == [], table.name  # header-only: we hold none of it
    with app.app_context():
        published = db.session().scalar(select(func.count()).select_from(Service))
    assert len(read_table(out, "service")) == published

    for name, schema in DOCUMENTS.items():
        records = json.loads((out / name).read_text(encoding="utf-8"))
        assert records or name == "service_at_locations.json", name
        for record in records:
            errors = [e.message for e in schema_validator(schema).iter_errors(record)]
            assert errors == [], (name, record["id"], errors[:3])


# Distinctive values that may appear in no exported file.
SHELTER = {
    "street": "Zwaluwnestlaan 77",
    "name": "Opvanghuis Zwaluwnest",
    "description": "Zwaluwnest achter de Sint-Denijskerk",
    "transportation": "Tram 82 tot halte Zwaluwnest",
    "accessibility": "Zwaluwhelling aan de achterkant",
    "link": "Aanbellen bij de zwaluwdeur",
    "latitude": "50.8156781",
    "longitude": "4.3156781",
}
RELAY = {
    "name": "Ottoline Relaispersoon",
    "email": "ottoline.relais@example.org",
    "phone": "+32 470 11 22 33",
}
JOIN_LINK = "https://chat.example.org/join/zwaluwgeheim"
REFERRAL = {
    "client": "Ferdinand Zwaluwclient",
    "email": "ferdinand.zwaluw@example.org",
    "need": "Zwaluwnoodgeval",
}
ACCOUNT = {"email": "wilhelmina.zwaluw@example.org", "name": "Wilhelmina Zwaluwwerker"}
SHELTER_PHONE = "+32 2 555 77 88"  # how to reach the shelter: published


def build_canaries(session) -> Organization:
    group = factories.organization(
        session,
        name="Zwaluw Buurtnetwerk",
        kind=OrganizationKind.NEIGHBOUR_HELP_NETWORK,
        join_link=JOIN_LINK,
    )
    relay = Contact(organization_id=group.id, name=RELAY["name"], email=RELAY["email"])
    relay.is_relay = True
    relay.phones.append(Phone(number=RELAY["phone"]))
    session.add(relay)
    shelter = factories.service(session, group, name="Zwaluwopvang")
    forest = factories.municipality(session, "21007")
    location = Location(
        organization_id=group.id,
        location_type=LocationType.PHYSICAL,
        name=SHELTER["name"],
        description=SHELTER["description"],
        transportation=SHELTER["transportation"],
        accessibility=SHELTER["accessibility"],
        latitude=float(SHELTER["latitude"]),
        longitude=float(SHELTER["longitude"]),
        is_confidential=True,
        step_free=True,
        municipality=forest,
    )
    location.addresses.append(
        Address(address_1=SHELTER["street"], city="Vorst", postal_code="1190")
    )
    location.phones.append(Phone(number=SHELTER_PHONE))
    session.add(location)
    shelter.service_at_locations.append(
        ServiceAtLocation(location=location, description=SHELTER["link"])
    )
    account = factories.make_account(
        session, email=ACCOUNT["email"], name=ACCOUNT["name"], organizations=[group]
    )
    session.add(
        Referral(
            handover_id=uuid.uuid4(),
            submission_key=uuid.uuid4().hex,
            sender_organization_id=group.id,
            sender_account_id=account.id,
            receiving_organization_id=group.id,
            service_id=shelter.id,
            client_name=REFERRAL["client"],
            contact_channel=ContactChannel.THROUGH_REFERRER,
            client_email=REFERRAL["email"],
            need_text=REFERRAL["need"],
            urgency=Urgency.ROUTINE,
            consent_version="test",
            consent_locale="nl",
            consent_text="consent",
            consent_shares_contact=False,
            consent_shares_need=True,
            consented_at=datetime.now(UTC),
        )
    )
    session.flush()
    return group


def test_nothing_that_never_leaves_nabij_is_in_any_exported_file(app, session, tmp_path):
    """Referrals, accounts, a shelter's address, coordinates, directions and words, an
    informal group's join link and its relay person's own details: in no file, in no
    language; while the shelter's municipality and phone, and the group itself, are."""
    group = build_canaries(session)
    secrets = [
        *SHELTER.values(),
        SHELTER["latitude"][:8],
        SHELTER["longitude"][:7],
        *RELAY.values(),
        RELAY["phone"].replace(" ", ""),
        JOIN_LINK,
        "zwaluwgeheim",
        *REFERRAL.values(),
        *ACCOUNT.values(),
    ]
    for language in (None, "nl", "fr", "ar"):
        out = export(app, tmp_path / str(language), *(["--language", language] if language else []))
        contents = {path.name: path.read_text(encoding="utf-8") for path in out.iterdir()}
        for name, content in contents.items():
            for secret in secrets:
                assert secret.casefold() not in content.casefold(), (language, name, secret)
        assert str(group.id) in contents["organizations.csv"]
        assert SHELTER_PHONE in contents["phones.csv"]
        assert "21007" in contents["services.json"]  # the shelter's municipality
        shelter = next(
            row for row in read_table(out, "location") if row["organization_id"] == str(group.id)
        )
        assert shelter["latitude"] == shelter["name"] == shelter["transportation"] == ""


def test_importing_our_export_again_keeps_what_a_shelter_does_not_publish(app, session, tmp_path):
    """The export leaves a confidential location's address, name and coordinates out: an
    import of it must not read those gaps as "now empty"."""
    group = build_canaries(session)
    out = export(app, tmp_path / "out")
    for path, options in ((out, ["--language", "nl"]), (out / "organizations.json", [])):
        result = run(app, "import", str(path), *options)
        assert result.exit_code == 0, result.output
        session.expire_all()
        [location] = session.get(Organization, group.id).locations
        assert location.is_confidential
        assert (location.name, location.latitude) == (SHELTER["name"], float(SHELTER["latitude"]))
        assert location.transportation == SHELTER["transportation"]
        assert [a.address_1 for a in location.addresses] == [SHELTER["street"]]


def test_synthetic_listings_are_not_exported(app, session, tmp_path):
    made = factories.organization(session, name="Synthetische Zwaluw")
    made.provenance = Provenance.SYNTHETIC
    session.flush()
    out = export(app, tmp_path / "out")
    assert str(made.id) not in "".join(p.read_text(encoding="utf-8") for p in out.iterdir())


# --- the import: the official example, round trip --------------------------------------

# What the example package loses on its way through our model, and why. Every other held
# field comes back as it went in.
ROUND_TRIP_CHANGES = {
    # Links to records that are in neither the package nor our database: left out.
    ("organization", "parent_organization_id"): "",
    ("location", "organization_id"): "",
    ("contact", "organization_id"): "",
    ("contact", "service_at_location_id"): "",
    ("taxonomy_term", "parent_id"): "",
    # Language codes come back in the two-letter form our labels use ("eng" is "en").
    ("taxonomy_term", "language"): "en",
}


def test_the_official_example_imports_and_exports_again_with_nothing_lost(app, tmp_path):
    """Every held field of every row we keep comes back equal (ROUND_TRIP_CHANGES aside).

    Not held, and reported as skipped by the import: the tables programs, funding,
    cost_options, required_documents, metadata and meta_table_descriptions; the fields
    organization tax_status, tax_id, year_incorporated and logo; service program_id,
    alternate_name, wait_time, fees, accreditations, assurer_email, licenses, alert and
    last_modified; schedule timezone, count, byweekno, bymonthday and byyearday;
    accessibility id, details and url (a location keeps its accessibility in words); and
    the example's one attribute, which tags a 'link_entity' rather than a service."""
    package = example_package(tmp_path / "example")
    result = run(app, "import", str(package), "--language", "en")
    assert result.exit_code == 0, result.output
    for skipped in (
        "program: 1 row",
        "funding: 1 row",
        "cost_option: 1 row",
        "required_document: 1 row",
        "metadata: 1 row",
        "meta_table_description: 1 row",
        "organization.tax_status: 1 value",
        "service.wait_time: 1 value",
        "schedule.byweekno: 1 value",
        "accessibility.details: 1 value",
        "attributes.csv row 2: not kept",
    ):
        assert skipped in result.output, skipped
    out = export(app, tmp_path / "out")

    for table in tabular.TABLES:
        if not table.held or table.name in ("accessibility", "attribute"):
            continue
        exported = {row["id"]: row for row in read_table(out, table.name)}
        for row in read_table(package, table.name):
            back = exported[row["id"]]
            for hsds_field in table.fields:
                if not hsds_field.held:
                    continue
                expected = ROUND_TRIP_CHANGES.get(
                    (table.name, hsds_field.name), row[hsds_field.name]
                )
                assert back[hsds_field.name] == expected, (table.name, hsds_field.name)
    [accessibility] = read_table(package, "accessibility")
    back = [
        r
        for r in read_table(out, "accessibility")
        if r["location_id"] == accessibility["location_id"]
    ]
    assert [r["description"] for r in back] == [accessibility["description"]]

    report = validate(str(out / "datapackage.json"))
    assert report.valid, [e.message for task in report.tasks for e in task.errors][:5]


def test_imported_terms_stay_in_a_taxonomy_of_their_own(app, session, tmp_path):
    ours = session.scalars(select(TaxonomyTerm.id)).all()
    run(app, "import", str(example_package(tmp_path / "example")), "--language", "en")
    term = session.get(TaxonomyTerm, uuid.UUID("3f7b145d-84af-42d7-8fae-eaca714b02b2"))
    assert term.taxonomy.name == "taxonomy"  # the term's own taxonomy, named as it says
    assert term.labels["en"].label == "name"
    our_taxonomy = session.scalars(
        select(Taxonomy).where(Taxonomy.name == "Nabij kinds of help")
    ).one()
    assert term.taxonomy_id != our_taxonomy.id
    assert len(session.scalars(select(TaxonomyTerm.id)).all()) == len(ours) + 1

    # A package adding a term to our own kinds of help is refused.
    package = tmp_path / "ours"
    package.mkdir()
    (package / "datapackage.json").write_text(json.dumps(tabular.descriptor()))
    with (package / "taxonomy_terms.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "code", "name", "description", "taxonomy_id"])
        writer.writerow(
            [uuid.uuid4(), "shopping-too", "Shopping", "Also shopping", our_taxonomy.id]
        )
    for table in tabular.TABLES:
        if table.name != "taxonomy_term":
            tabular.write_table(package, table, [])
    result = run(app, "import", str(package), "--language", "en")
    assert result.exit_code != 0
    assert "taxonomy_terms.csv row 2" in result.output
    assert "Nabij's own" in result.output


def test_another_taxonomy_with_our_codes_changes_no_kind_of_help(app, session, tmp_path):
    """Another map's taxonomy may use our codes ("shopping"): search, filters, the edit form
    and referrals still read only our kinds of help."""
    other = Taxonomy(name="Other map", description="Imported")
    twin = TaxonomyTerm(code="shopping", taxonomy=other, position=9999)  # read last
    twin.labels["en"] = TaxonomyTermLabel(locale="en", label="Zqx other shopping")
    session.add(other)
    session.commit()
    with app.app_context():
        words = search_params.Vocabulary.load(db.session())
        assert words.help_terms["shopping"].label("en") != "Zqx other shopping"
        db.session.remove()
    page = app.test_client().get("/en/search?q=boodschappen").text
    assert "Zqx other shopping" not in page
    assert "Shopping" in page


def test_our_own_export_imports_again_as_unchanged(app, tmp_path):
    """The mapping and its way back agree: nothing of the seed catalogue changes, whether
    read from the data package or from the JSON documents (with our profile's fields)."""
    out = export(app, tmp_path / "out")
    for path, options in (
        (out, ["--language", "nl"]),
        (out / "services.json", []),
        (out / "organizations.json", []),
    ):
        result = run(app, "import", str(path), "--dry-run", *options)
        assert result.exit_code == 0, result.output
        counts = COUNTS.findall(result.output)
        assert ("services.csv", "0", "0") in counts, result.output
        assert all(created == updated == "0" for _, created, updated in counts), result.output


COUNTS = re.compile(r"^  (\S+\.csv): (\d+) created, (\d+) updated, \d+ unchanged$", re.M)


# --- the import: what it writes ---------------------------------------------------------

ORG_ID, SERVICE_ID = uuid.uuid4(), uuid.uuid4()
LOCATION_ID, AREA_ID = uuid.uuid4(), uuid.uuid4()


def soup_kitchen() -> dict:
    """An HSDS organization document with a service, its area, hours and a location."""
    return {
        "id": str(ORG_ID),
        "name": "Buurtkeuken Zilverdistel",
        "description": "Een buurtkeuken in Kuregem.",
        "services": [
            {
                "id": str(SERVICE_ID),
                "name": "Zilverdistelsoep",
                "description": "Warme soep op woensdag, voor iedereen.",
                "status": "active",
                "service_areas": [{"id": str(AREA_ID), "name": "Anderlecht"}],
                "languages": [{"id": str(uuid.uuid4()), "code": "nld"}],
                "schedules": [
                    {
                        "id": str(uuid.uuid4()),
                        "freq": "WEEKLY",
                        "byday": "WE",
                        "opens_at": "12:00",
                        "closes_at": "14:00",
                    }
                ],
                "service_at_locations": [
                    {
                        "id": str(uuid.uuid4()),
                        "location": {
                            "id": str(LOCATION_ID),
                            "location_type": "physical",
                            "addresses": [
                                {
                                    "id": str(uuid.uuid4()),
                                    "address_1": "Rue Wayez 1",
                                    "city": "Anderlecht",
                                    "state_province": "Brussels-Capital Region",
                                    "postal_code": "1070",
                                    "country": "BE",
                                    "address_type": "physical",
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }


def test_an_import_is_searchable_at_once_with_its_provenance(indexed_app, tmp_path):
    source = tmp_path / "zilverdistel.json"
    source.write_text(json.dumps([soup_kitchen()]))
    index = sync.search_index(indexed_app)
    assert index.search(SearchRequest(text="zilverdistelsoep")).total == 0

    result = run(indexed_app, "import", str(source), "--language", "nl")
    assert result.exit_code == 0, result.output
    assert "services.csv: 1 created, 0 updated, 0 unchanged" in result.output

    found = index.search(SearchRequest(text="zilverdistelsoep"))
    assert [listing.id for listing in found.listings] == [str(SERVICE_ID)]
    with indexed_app.app_context():
        session = db.session()
        service = session.get(Service, SERVICE_ID)
        for listing in (service, service.organization):
            assert listing.provenance is Provenance.IMPORTED
            assert listing.provenance_note == f"Imported from {source}"
        assert service.texts["nl"].name == "Zilverdistelsoep"
        assert service.texts["nl"].is_original
        assert service.organization.kind is OrganizationKind.ASSOCIATION
        anderlecht = session.scalars(
            select(Municipality).where(Municipality.nis_code == "21001")
        ).one()
        assert [area.municipality_id for area in service.areas] == [anderlecht.id]
        assert session.get(Location, LOCATION_ID).municipality_id == anderlecht.id
        assert [language.code for language in service.languages] == ["nl"]
        assert [(s.byday, str(s.opens_at)) for s in service.schedules] == [("WE", "12:00:00")]

    # Again, changed: updated in place, and searchable under its new name at once.
    changed = soup_kitchen()
    changed["services"][0]["name"] = "Distelbouillon"
    source.write_text(json.dumps(changed))
    result = run(indexed_app, "import", str(source), "--language", "nl")
    assert "services.csv: 0 created, 1 updated, 0 unchanged" in result.output, result.output
    assert "organizations.csv: 0 created, 0 updated, 1 unchanged" in result.output
    assert index.search(SearchRequest(text="distelbouillon")).total == 1
    assert index.search(SearchRequest(text="zilverdistelsoep")).total == 0


def test_a_dry_run_reports_what_would_change_and_writes_nothing(app, session, tmp_path):
    before = database_state(session)
    descriptor = example_package(tmp_path / "example") / "datapackage.json"
    result = run(app, "import", str(descriptor), "--language", "en", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "nothing was written" in result.output
    assert "services.csv: 1 created, 0 updated, 0 unchanged" in result.output
    assert "program: 1 row" in result.output
    assert database_state(session) == before


def test_texts_need_a_language(app, session, tmp_path):
    before = database_state(session)
    result = run(app, "import", str(example_package(tmp_path / "example")))
    assert result.exit_code != 0
    assert "services.csv row 2: the language of its texts is not said: give --language" in (
        result.output
    )
    assert database_state(session) == before


# --- the import: a bad file changes nothing ---------------------------------------------


def _edit_cell(package: Path, table: str, column: str, value: str) -> None:
    rows = read_table(package, table)
    rows[0][column] = value
    path = package / tabular.TABLES_BY_NAME[table].path
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _extra_column(package: Path) -> None:
    path = package / "organizations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0] + ",colour", lines[1] + ",blue"]) + "\n")


def _extra_cell(package: Path) -> None:
    path = package / "phones.csv"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + ",surplus\n")


def _descriptor_not_json(package: Path) -> None:
    (package / "datapackage.json").write_text("../../datapackage.json")


BROKEN = uuid.UUID("00000000-0000-4000-8000-00000000dead")
BAD_PACKAGES = {
    "unknown column": (_extra_column, "organizations.csv row 1: unknown column 'colour'"),
    "malformed CSV": (_extra_cell, "phones.csv row 2: has 11 cells; the header names 10"),
    "malformed descriptor": (_descriptor_not_json, "datapackage.json line 1: is not JSON"),
    "broken foreign key": (
        lambda p: _edit_cell(p, "service", "organization_id", str(BROKEN)),
        f"services.csv row 2: organization_id {BROKEN} is neither in the package nor in the "
        "database",
    ),
    "non-UUID id": (
        lambda p: _edit_cell(p, "location", "id", "civic-centre"),
        "locations.csv row 2: id 'civic-centre' is not a UUID",
    ),
    "bad date": (
        lambda p: _edit_cell(p, "service", "assured_date", "2005-13-01"),
        "services.csv row 2: assured_date '2005-13-01' is not a date (YYYY-MM-DD)",
    ),
    "bad time": (
        lambda p: _edit_cell(p, "schedule", "opens_at", "25:00"),
        "schedules.csv row 2: opens_at '25:00' is not a time (HH:MM:SS)",
    ),
    "missing required field": (
        lambda p: _edit_cell(p, "service", "name", ""),
        "services.csv row 2: name is required",
    ),
    "value outside its enumeration": (
        lambda p: _edit_cell(p, "service", "status", "open"),
        "services.csv row 2: status 'open' is not one of active, inactive",
    ),
}


@pytest.mark.parametrize("case", BAD_PACKAGES)
def test_a_bad_package_stops_with_file_row_and_problem_and_changes_nothing(
    app, session, tmp_path, case
):
    package = example_package(tmp_path / "example")
    spoil, message = BAD_PACKAGES[case]
    spoil(package)
    before = database_state(session)
    result = run(app, "import", str(package), "--language", "en")
    assert result.exit_code != 0
    assert "Nothing imported; the database is unchanged." in result.output
    assert f"{package}/{message}" in result.output, result.output
    assert database_state(session) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[{]", "line 1: is not JSON"),
        (json.dumps({**soup_kitchen(), "colour": "blue"}), "record 1: unknown field 'colour'"),
        (
            json.dumps({**soup_kitchen(), "parent_organization_id": "org-2"}),
            "record 1: parent_organization_id 'org-2' is not a UUID",
        ),
        (
            json.dumps([{**soup_kitchen()["services"][0], "organization_id": str(BROKEN)}]),
            f"record 1: organization_id {BROKEN} is neither in the package nor in the database",
        ),
    ],
)
def test_a_bad_json_file_stops_with_record_and_problem(app, session, tmp_path, content, message):
    source = tmp_path / "bad.json"
    source.write_text(content)
    before = database_state(session)
    result = run(app, "import", str(source), "--language", "nl")
    assert result.exit_code != 0
    assert f"{source} {message}" in result.output, result.output
    assert database_state(session) == before


def test_a_failure_while_writing_rolls_back_what_was_written(app, session, tmp_path, monkeypatch):
    """The organisations, locations and services written before the failure go too."""

    def refuse(_writer, record):
        raise importing.ImportFailed([importing.Problem(record.where, "refused by the test")])

    monkeypatch.setattr(writing.Writer, "_language", refuse)
    before = database_state(session)
    result = run(app, "import", str(example_package(tmp_path / "example")), "--language", "en")
    assert result.exit_code != 0
    assert "languages.csv row 2: refused by the test" in result.output
    assert database_state(session) == before
    assert session.get(Service, uuid.UUID("ac148810-d857-441c-9679-408f346de14b")) is None
    assert session.scalars(select(Schedule).where(Schedule.byday == "TH,FR")).all() == []
