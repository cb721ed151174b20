"""Backups: `flask backup` while serving, `flask restore`, and an index that always ends up
equal to the database it serves (a content fingerprint, not only counts and ids)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from directory.extensions import db
from directory.indexing import sync
from directory.models import ServiceText
from search import SearchRequest
from tests import factories

pytestmark = pytest.mark.slow


def names_found(app, word: str) -> list[str]:
    found = sync.search_index(app).search(SearchRequest(text=word))
    return [listing.texts[0].name for listing in found.listings]


def test_backup_and_restore_put_the_database_and_its_search_back(indexed_app, tmp_path):
    runner = indexed_app.test_cli_runner()
    with indexed_app.app_context():
        session = db.session()
        owner = factories.organization(session, name="Bewaar vzw")
        service = factories.service(session, owner, name="Ochtendkoffie")
        session.commit()
    backup = tmp_path / "backups" / "nabij.backup"
    result = runner.invoke(args=["backup", str(backup)])
    assert result.exit_code == 0, result.output
    factories.rename_service(indexed_app, service.id, "Avondsoep")
    assert names_found(indexed_app, "avondsoep") == ["Avondsoep"]

    result = runner.invoke(args=["restore", str(backup), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Search index rebuilt" in result.output
    assert names_found(indexed_app, "ochtendkoffie") == ["Ochtendkoffie"]
    assert names_found(indexed_app, "avondsoep") == []
    # The next edit reaches search (its outbox id is new to the rebuilt index).
    factories.rename_service(indexed_app, service.id, "Middagthee")
    assert names_found(indexed_app, "middagthee") == ["Middagthee"]
    status = runner.invoke(args=["search", "status"]).output
    assert "content=equal" in status


def test_restore_asks_before_replacing_everything(indexed_app, tmp_path):
    backup = tmp_path / "nabij.backup"
    indexed_app.test_cli_runner().invoke(args=["backup", str(backup)])
    result = indexed_app.test_cli_runner().invoke(args=["restore", str(backup)], input="n\n")
    assert result.exit_code != 0
    assert "Database restored" not in result.output


def test_content_changed_behind_the_outbox_is_noticed_at_start(indexed_app):
    """Same listings, same ids, same counts, other content (a restore by hand, a bulk SQL
    change): the start-up check compares fingerprints and rebuilds."""
    with indexed_app.app_context():
        session = db.session()
        owner = factories.organization(session, name="Stil vzw")
        service = factories.service(session, owner, name="Zichtbaar")
        session.commit()
        assert sync.ensure_ready(indexed_app) == "ready"
        session.execute(  # a bulk statement writes no outbox row
            update(ServiceText)
            .where(ServiceText.service_id == service.id)
            .values(name="Stilletjes")
        )
        session.commit()
        status = indexed_app.test_cli_runner().invoke(args=["search", "status"]).output
        assert "content=DIFFERENT" in status
        assert sync.ensure_ready(indexed_app) == "rebuilt"
    assert names_found(indexed_app, "stilletjes") == ["Stilletjes"]
