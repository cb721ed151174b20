"""`flask seed`: the reference data and the seed catalogue, loaded once and only once."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text

from directory import hours
from directory.extensions import db
from directory.models import (
    Address,
    Base,
    Contact,
    LanguageCode,
    Municipality,
    Neighbourhood,
    Organization,
    OrganizationKind,
    Phone,
    Provenance,
    Service,
    TaxonomyTerm,
)
from directory.seeding.fields import SeedError
from directory.seeding.loader import load_seeds, seed_id
from tests.conftest import SEEDS


def dump(session) -> dict[str, list[tuple]]:
    """Every row of every table, to compare the database before and after."""
    return {
        table.name: sorted(
            (tuple(str(v) for v in row) for row in session.execute(table.select())),
        )
        for table in Base.metadata.sorted_tables
    }


def test_second_seed_changes_nothing(empty_app):
    runner = empty_app.test_cli_runner()
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert "Seed loaded" in first.output
    with empty_app.app_context():
        before = dump(db.session())
    second = runner.invoke(args=["seed"])
    assert second.exit_code == 0, second.output
    assert "already up to date" in second.output
    with empty_app.app_context():
        assert dump(db.session()) == before


def test_a_changed_seed_record_updates_only_that_record(empty_app, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    with empty_app.app_context(), db.transaction() as session:
        load_seeds(session, seeds)
    path = seeds / "catalogue" / "ocmw_cpas.toml"
    path.write_text(path.read_text().replace("OCMW Jette", "OCMW Jette (test)", 1))
    with empty_app.app_context(), db.transaction() as session:
        report = load_seeds(session, seeds)
        assert report.written == {"organization": 1}
        jette = session.get(Organization, seed_id("organization", "ocmw-jette"))
        assert jette.texts["nl"].name == "OCMW Jette (test)"


MALFORMED = [
    (
        "taxonomy.toml",
        'code = "shopping"',
        'code = "odd-jobs"',
        "term 'odd-jobs'",
        "duplicate code",
    ),
    (
        "catalogue/ocmw_cpas.toml",
        'help = ["',
        'help = ["no-such-help", "',
        "organization 'ocmw-",
        "kind of help 'no-such-help'",
    ),
    (
        "catalogue/ocmw_cpas.toml",
        'kind = "public_service"',
        'kind = "ministry"',
        "organization 'ocmw-",
        "'kind' is 'ministry'",
    ),
    (
        "places/neighbourhoods.toml",
        'municipality = "21004"',
        'municipality = "99999"',
        "neighbourhood ",
        "not one of the 19 NIS codes",
    ),
    (
        "places/municipalities.toml",
        "[[municipality]]",
        "[[municipality]\n",
        "(whole file)",
        "not valid TOML",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "record", "problem"), MALFORMED)
def test_a_malformed_seed_names_file_record_and_problem_and_changes_nothing(
    empty_app, tmp_path, file, old, new, record, problem
):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    runner = empty_app.test_cli_runner()
    assert runner.invoke(args=["seed", "--seeds-dir", str(seeds)]).exit_code == 0
    with empty_app.app_context():
        before = dump(db.session())
    # A change to one record (so the loader gets as far as writing the others).
    catalogue = seeds / "catalogue" / "neighbour_help.toml"
    catalogue.write_text(catalogue.read_text().replace("Accolage", "Accolage!", 1))
    path = seeds / file
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))

    result = runner.invoke(args=["seed", "--seeds-dir", str(seeds)])

    assert result.exit_code == 1
    assert "nothing changed" in result.output
    assert file.split("/")[-1] in result.output
    assert record in result.output
    assert problem in result.output
    assert "Traceback" not in result.output
    with empty_app.app_context():
        assert dump(db.session()) == before


def test_an_error_while_writing_rolls_everything_back(empty_app, monkeypatch):
    from directory.seeding import loader

    def fail(*_args, **_kwargs):
        raise SeedError("catalogue/x.toml", "organization 'x'", "simulated failure")

    monkeypatch.setattr(loader._Loader, "_catalogue", fail)
    with empty_app.app_context(), pytest.raises(SeedError), db.transaction() as session:
        load_seeds(session, SEEDS)
    with empty_app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Municipality)) == 0


def test_reference_data_is_complete(session):
    assert session.scalar(select(func.count()).select_from(Municipality)) == 19
    assert session.scalar(select(func.count()).select_from(Neighbourhood)) == 145
    domains = session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.parent_id.is_(None))).all()
    assert {d.code for d in domains} == {"housing", "care", "well-being", "social-network"}
    kinds = session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.parent_id.is_not(None))).all()
    assert len(kinds) >= 30
    for term in kinds:
        assert {"nl", "fr", "en"} <= set(term.labels), term.code
    codes = {c.code for c in session.scalars(select(LanguageCode))}
    assert {"nl", "fr", "en", "ar", "tr", "es", "pt", "pl", "ro"} <= codes


def test_language_names_come_from_cldr(session):
    arabic = session.scalars(select(LanguageCode).where(LanguageCode.code == "ar")).one()
    assert arabic.display_name("nl") == "Arabisch"
    assert arabic.display_name("fr") == "arabe"
    assert arabic.display_name("ar") == "العربية"


def test_seed_catalogue_covers_the_sources_and_every_ocmw(session):
    organizations = session.scalars(select(Organization)).all()
    ocmw = [
        o
        for o in organizations
        if o.texts["nl"].name.startswith("OCMW ") and o.kind is OrganizationKind.PUBLIC_SERVICE
    ]
    assert len(ocmw) == 19
    served = {
        area.municipality.nis_code
        for o in ocmw
        for s in o.services
        for area in s.areas
        if area.municipality
    }
    assert served == {m.nis_code for m in session.scalars(select(Municipality))}
    names = {o.texts["nl"].name for o in organizations}
    for expected in (
        "Accolage",
        "Samen Toujours",
        "Bras dessus Bras dessous",
        "Citisen",
        "ZOOM Seniors",
        "BruZEL",
        "Hoplr",
        "Helpper",
        "Solidare-it",
    ):
        assert any(expected in name for name in names), expected
    assert len(organizations) - len(ocmw) >= 30
    for organization in organizations:
        assert {"nl", "fr"} <= set(organization.texts), organization.id
        assert organization.services


def test_seed_carries_provenance_and_is_never_verified(session):
    for model in (Organization, Service):
        for listing in session.scalars(select(model)):
            assert listing.provenance is Provenance.SOURCE_DOCUMENTS
            assert listing.provenance_note.startswith("Public source documents")
            assert not listing.is_verified


def test_seed_invents_no_contact_details(session):
    for model in (Phone, Contact, Address):
        assert session.scalar(select(func.count()).select_from(model)) == 0
    for organization in session.scalars(select(Organization)):
        assert organization.email is None
        assert organization.website is None
    texts = session.execute(
        text(
            "SELECT description FROM organization_text"
            " UNION ALL SELECT description FROM service_text"
        )
    ).scalars()
    phone_like = re.compile(r"\+?\d[\d /.]{7,}\d")
    for description in texts:
        assert not phone_like.search(description), description
        assert "http" not in description
        assert "www." not in description


def test_informal_listings_go_through_a_relay(session):
    informal = session.scalars(
        select(Organization).where(Organization.relay_organization_id.is_not(None))
    ).all()
    assert informal
    for organization in informal:
        assert organization.is_informal
        assert organization.relay_organization is not None


def test_migrations_match_the_models(seeded_engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with seeded_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert "alembic_version" in inspect(connection).get_table_names()


def test_seed_files_are_ours_not_copies(tmp_path):
    """The project carries its own reference data; the shared geo files are never copied."""
    project = Path(__file__).resolve().parent.parent
    assert not list(project.rglob("*.geojson"))


def test_neighbourhoods_know_their_neighbours(session):
    marolles = session.scalars(select(Neighbourhood).where(Neighbourhood.number == 8)).one()
    assert marolles.municipality.nis_code == "21004"
    adjacent = {n.number for n in marolles.adjacent}
    assert 1 in adjacent  # Grand-Place
    assert all(marolles in n.adjacent for n in marolles.adjacent)


def test_a_renamed_place_reaches_search_after_seeding(empty_app, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    empty_app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "index")
    from directory.indexing import sync
    from search import SearchIndex, SearchRequest

    empty_app.extensions["search"] = SearchIndex(tmp_path / "index", occurs_on=hours.occurs_on)
    runner = empty_app.test_cli_runner()
    assert "Search index rebuilt" in runner.invoke(args=["seed", "--seeds-dir", str(seeds)]).output
    path = seeds / "places" / "neighbourhoods.toml"
    path.write_text(path.read_text().replace('name_nl = "Zavel"', 'name_nl = "Zavelhoekje"'))
    result = runner.invoke(args=["seed", "--seeds-dir", str(seeds)])
    assert "Search index rebuilt" in result.output, result.output
    assert sync.search_index(empty_app).search(SearchRequest(text="zavelhoekje")).total > 0
