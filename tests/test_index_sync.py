"""The index follows the database exactly, with several processes and after a crash."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, select

from app import create_app
from directory import hours
from directory.extensions import db
from directory.indexing import sync
from directory.models import Service, ServiceStatus
from search import SearchIndex, SearchRequest
from tests import factories
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.slow


def worker(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.index_worker", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


def active_ids(app) -> set[str]:
    with app.app_context():
        return {
            str(i)
            for i in db.session().scalars(
                select(Service.id).where(Service.status == ServiceStatus.ACTIVE)
            )
        }


def test_four_processes_writing_at_once_lose_no_update(indexed_app):
    processes = [
        worker("write", indexed_app.url, str(indexed_app.index_dir), f"p{n}", "8") for n in range(4)
    ]
    for process in processes:
        assert process.wait(timeout=300) == 0
    expected = active_ids(indexed_app)
    assert len(expected) == 32
    index = sync.search_index(indexed_app)
    assert index.indexed_ids() == expected
    with indexed_app.app_context():
        state = sync.health(indexed_app)
    assert state.applied_upto == state.latest_outbox


def test_a_writer_killed_mid_batch_is_caught_up_by_the_next(indexed_app):
    with indexed_app.app_context():
        session = db.session()
        for number in range(300):  # committed outside a request: nothing applies them yet
            owner = factories.organization(session, name=f"Organisatie {number}")
            factories.service(session, owner, name=f"Dienst {number}", neighbourhood=8)
        indexed_app.extensions["search"].root = indexed_app.index_dir / "elsewhere"
        session.commit()
        indexed_app.extensions["search"].root = indexed_app.index_dir
    index = sync.search_index(indexed_app)
    start = index.applied_upto()
    with indexed_app.app_context():
        latest = sync.health(indexed_app).latest_outbox
    process = worker("sync", indexed_app.url, str(indexed_app.index_dir), "10")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        reached = index.applied_upto()
        if reached is not None and reached > start:
            break
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert start < index.applied_upto() < latest, "the writer was not killed midway"

    sync.apply_pending(indexed_app)  # the next writer: in the app, or `flask search sync`

    assert index.indexed_ids() == active_ids(indexed_app)


def test_a_change_is_searchable_in_another_worker_within_two_seconds(indexed_app):
    other_worker = SearchIndex(indexed_app.index_dir, occurs_on=hours.occurs_on)
    assert other_worker.search(SearchRequest(text="zeldzaamwoord")).total == 0
    with indexed_app.app_context():
        session = db.session()
        owner = factories.organization(session, name="Zeldzaamwoord vzw")
        factories.service(session, owner, name="Zeldzaamwoord hulp")
        committed = time.monotonic()
        session.commit()
    while other_worker.search(SearchRequest(text="zeldzaamwoord")).total == 0:
        assert time.monotonic() - committed < 2.0
        time.sleep(0.01)


def test_searches_keep_working_during_a_rebuild(indexed_app):
    with indexed_app.app_context():
        session = db.session()
        for number in range(150):
            owner = factories.organization(session, name=f"Vereniging {number}")
            factories.service(
                session, owner, name=f"Boodschappen {number}", help_codes=("shopping",)
            )
        session.commit()
    reader = SearchIndex(indexed_app.index_dir, occurs_on=hours.occurs_on)
    errors: list[BaseException] = []
    totals: list[int] = []

    def rebuild_twice() -> None:
        try:
            for _ in range(2):
                sync.rebuild(indexed_app)
        except BaseException as error:  # reported below
            errors.append(error)

    thread = threading.Thread(target=rebuild_twice)
    thread.start()
    while thread.is_alive():
        totals.append(reader.search(SearchRequest(text="boodschappen")).total)
    thread.join()
    assert not errors
    assert totals
    assert set(totals) == {150}


def test_the_start_up_check_catches_up_an_index_that_is_behind(indexed_app):
    with indexed_app.app_context():
        session = db.session()
        owner = factories.organization(session, name="Achterstand vzw")
        factories.service(session, owner, name="Achterstand")
        indexed_app.extensions["search"].root = indexed_app.index_dir / "elsewhere"
        session.commit()  # the index did not see this commit
        indexed_app.extensions["search"].root = indexed_app.index_dir
        assert sync.ensure_ready(indexed_app) == "ready"
    assert sync.search_index(indexed_app).indexed_ids() == active_ids(indexed_app)


def test_a_commit_that_ends_after_a_later_one_is_not_skipped(indexed_app):
    """Two transactions interleave: the one that wrote its outbox row first commits last.
    Its change must still reach the index."""
    from sqlalchemy.orm import Session

    engine = indexed_app.extensions["database.engine"]
    first = Session(bind=engine, expire_on_commit=False)
    owner = factories.organization(first, name="Eerste vzw")
    factories.service(first, owner, name="Eerstedienst")  # flushed: its outbox row exists
    finished = threading.Event()

    def second_writer() -> None:
        with indexed_app.app_context():
            session = db.session()
            other = factories.organization(session, name="Tweede vzw")
            factories.service(session, other, name="Tweededienst")
            session.commit()  # applies the outbox after its commit
        finished.set()

    thread = threading.Thread(target=second_writer)
    thread.start()
    finished.wait(timeout=1.0)  # on both databases the second writer waits for the first
    first.commit()
    first.close()
    thread.join(timeout=60)
    assert finished.is_set()
    sync.apply_pending(indexed_app)  # what the first writer's process does after its commit
    index = sync.search_index(indexed_app)
    assert index.indexed_ids() == active_ids(indexed_app)
    assert index.search(SearchRequest(text="eerstedienst")).total == 1


def test_an_edit_after_the_outbox_was_cleaned_up_still_reaches_the_index(indexed_app):
    """SQLite numbers rows max(id) + 1: emptying the outbox must not restart its ids below
    what the index has applied."""
    from sqlalchemy import update

    from directory.models import SearchOutbox, ServiceText

    with indexed_app.app_context():
        session = db.session()
        owner = factories.organization(session, name="Opruim vzw")
        service = factories.service(session, owner, name="Eerstenaam")
        session.commit()
        session.execute(update(SearchOutbox).values(created_at=datetime(2000, 1, 1, tzinfo=UTC)))
        session.commit()
    sync.apply_pending(indexed_app)  # nothing new to apply; cleans up old rows
    with indexed_app.app_context():
        session = db.session()
        text = session.scalars(select(ServiceText).where(ServiceText.service_id == service.id))
        text.one().name = "Tweedenaam"
        session.commit()
    index = sync.search_index(indexed_app)
    found = index.search(SearchRequest(text="tweedenaam"))
    assert [listing.texts[0].name for listing in found.listings] == ["Tweedenaam"]


def test_an_index_ahead_of_its_database_is_rebuilt(indexed_app):
    from sqlalchemy import delete

    from directory.models import SearchOutbox

    with indexed_app.app_context():
        session = db.session()
        owner = factories.organization(session, name="Herstel vzw")
        factories.service(session, owner, name="Herstel")
        session.commit()
        session.execute(delete(SearchOutbox))  # as after restoring an older database
        session.commit()
        assert sync.ensure_ready(indexed_app) == "rebuilt"
        assert sync.ensure_ready(indexed_app) == "ready"


def test_two_rebuilds_at_once_leave_a_working_index(indexed_app):
    errors: list[BaseException] = []

    def rebuild() -> None:
        try:
            sync.rebuild(indexed_app)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=rebuild) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    reader = SearchIndex(indexed_app.index_dir, occurs_on=hours.occurs_on)
    assert reader.search(SearchRequest()).total == len(active_ids(indexed_app))
    assert (indexed_app.index_dir / "current").resolve().is_dir()


# Two app hosts on one database, each with an index of its own ------------------------------


@pytest.fixture
def two_hosts(indexed_app, tmp_path):
    """A second app host: the same database, another index directory."""
    other = create_app(
        {
            "DATABASE_URL": indexed_app.url,
            "TESTING": True,
            "SEARCH_INDEX_DIR": str(tmp_path / "other-host-index"),
            "SEARCH_CHECK_ON_START": False,
        }
    )
    with other.app_context():
        sync.rebuild(other)
    yield indexed_app, other
    other.extensions["database.engine"].dispose()


def _found_within(app, word: str, seconds: float) -> bool:
    """Whether searching on `app`'s page finds a listing named `word` before `seconds` are
    over (the page echoes the query, so its results are read from the index it used)."""
    client = app.test_client()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        client.get("/nl/search", query_string={"q": word})
        found = sync.search_index(app).search(SearchRequest(text=word))
        if any(word in listing.texts[0].name for listing in found.listings):
            return True
        time.sleep(0.1)
    return False


def test_an_edit_on_one_host_is_searchable_on_the_other_within_two_seconds(two_hosts):
    here, there = two_hosts
    with here.app_context():
        session = db.session()
        owner = factories.organization(session, name="Twee Hosts vzw")
        service = factories.service(session, owner, name="Eerste naam")
        session.commit()
    assert _found_within(there, "Eerste", 2.0)
    factories.rename_service(here, service.id, "Klaprozen")
    assert _found_within(there, "Klaprozen", 2.0)
    with there.app_context():
        state = sync.health(there)
    assert state.applied_upto == state.latest_outbox


def test_a_host_away_longer_than_the_outbox_keeps_rows_rebuilds(two_hosts):
    from sqlalchemy import update

    from directory.models import SearchOutbox

    here, there = two_hosts
    away = sync.search_index(there).applied_upto()
    with here.app_context():
        session = db.session()
        owner = factories.organization(session, name="Weg vzw")
        service = factories.service(session, owner, name="Afwezig")
        session.commit()
        factories.rename_service(here, service.id, "Teruggekeerd")
        session.execute(update(SearchOutbox).values(created_at=datetime(2000, 1, 1, tzinfo=UTC)))
        session.commit()
        factories.service(session, owner, name="Nieuwste")
        session.commit()  # applying it on this host cleans up the old rows
        oldest = session.scalar(select(func.min(SearchOutbox.id)))
    assert oldest > away + 1, "the rows the other host needs are gone"
    assert _found_within(there, "Teruggekeerd", 5.0)
    assert sync.search_index(there).indexed_ids() == active_ids(here)


def test_a_restored_older_database_is_noticed_by_the_next_edit(indexed_app, tmp_path):
    """Restoring a backup while serving: the next edit used to get an outbox id the index
    had already applied, and never reached search."""
    from directory.models import SearchOutbox

    with indexed_app.app_context():
        session = db.session()
        owner = factories.organization(session, name="Terug vzw")
        service = factories.service(session, owner, name="Voor")
        session.commit()
        for number in range(3):  # edits after the backup
            factories.rename_service(indexed_app, service.id, f"Tussendoor{number}")
        ahead = sync.search_index(indexed_app).applied_upto()
        # The restored database ends three rows earlier.
        session.execute(delete(SearchOutbox).where(SearchOutbox.id > ahead - 3))
        session.commit()
    factories.rename_service(indexed_app, service.id, "Hersteldnaam")
    found = sync.search_index(indexed_app).search(SearchRequest(text="hersteldnaam"))
    assert [listing.id for listing in found.listings] == [str(service.id)]
