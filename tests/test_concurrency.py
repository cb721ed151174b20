"""Writes under concurrency: on SQLite a transaction that will write starts as a writer and
waits its turn; read-only pages never wait; a failed request still gets its error page."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import create_app
from directory.extensions import db
from directory.models import Role, ZeroResultSearch
from tests import factories


def _record(text: str) -> ZeroResultSearch:
    return ZeroResultSearch(text=text, filters={}, locale="nl")


@pytest.fixture
def file_app(empty_url):
    if not empty_url.startswith("sqlite"):
        pytest.skip("one writer at a time is SQLite's rule")
    app = create_app({"DATABASE_URL": empty_url, "TESTING": True})
    yield app
    app.extensions["database.engine"].dispose()


def _write_from_another_worker(app, text: str, done: threading.Event, errors: list) -> None:
    try:
        with app.app_context():
            session = db.new_session()
            session.add(_record(text))
            session.commit()
            session.close()
    except Exception as error:  # reported to the test
        errors.append(error)
    done.set()


def test_a_form_that_reads_then_writes_waits_for_another_writer_instead_of_failing(file_app):
    """A member publishes an edit (read, then write) while a worker sends a referral: the
    edit used to fail at once with "database is locked" (its read snapshot was stale)."""
    errors: list[Exception] = []
    done = threading.Event()
    with file_app.test_request_context("/en/manage/organizations/x", method="POST"):
        session = db.session()
        session.scalar(select(func.count()).select_from(ZeroResultSearch))  # the read
        other = threading.Thread(
            target=_write_from_another_worker, args=(file_app, "other", done, errors)
        )
        other.start()
        done.wait(0.5)  # the other writer commits now, or waits for us
        session.add(_record("ours"))
        session.commit()
    other.join(30)
    assert not errors
    with file_app.app_context():
        texts = set(db.new_session().scalars(select(ZeroResultSearch.text)))
    assert {"ours", "other"} <= texts


def test_a_read_only_page_does_not_wait_for_a_writer(file_app):
    with file_app.app_context():
        writer = db.new_session(writer=True)
        writer.add(_record("held"))
        writer.flush()  # holds SQLite's write lock until it commits
        try:
            with file_app.test_request_context("/en/search", method="GET"):
                file_app.preprocess_request()
                started = time.monotonic()
                db.session().scalar(select(func.count()).select_from(ZeroResultSearch))
                waited = time.monotonic() - started
        finally:
            writer.rollback()
            writer.close()
    assert waited < 1.0


def test_a_failed_request_still_gets_its_error_page_in_the_reader_s_language(empty_url):
    """A flush that fails leaves the session needing a rollback; the error page (which shows
    who is signed in) used to fail on it, and gunicorn sent its bare English page."""
    app = create_app({"DATABASE_URL": empty_url})

    @app.post("/<lang_code>/broken")
    def broken():
        session = db.session()
        session.add(ZeroResultSearch(text="x", filters=None, locale=None))  # NOT NULL
        session.flush()  # raises; the session now needs a rollback

    try:
        with app.app_context():
            member = factories.make_account(db.session(), Role.COORDINATOR)
            db.session().commit()
        client = app.test_client()
        factories.sign_in(client, member.email, lang="nl")
        app.config["WTF_CSRF_ENABLED"] = False  # the broken form has none
        response = client.post("/nl/broken")
        assert response.status_code == 500
        assert "Er ging iets mis" in response.get_data(as_text=True)
    finally:
        app.extensions["database.engine"].dispose()


def test_the_error_page_of_a_dead_database_is_still_in_the_reader_s_language(
    empty_url, monkeypatch
):
    from directory import errors

    app = create_app({"DATABASE_URL": empty_url})

    @app.get("/<lang_code>/broken")
    def broken():
        raise IntegrityError("stmt", {}, Exception("gone"))

    def no_page(*_args, **_kwargs):
        raise RuntimeError("the template needs the database")

    monkeypatch.setattr(errors, "render_template", no_page)
    response = app.test_client().get("/ar/broken")
    app.extensions["database.engine"].dispose()
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert "Internal Server Error" not in page
