"""Fixtures: the app on SQLite always, and on PostgreSQL too when TEST_DATABASE_URL is set.

Each backend gets a database the tests create and drop themselves (a temporary SQLite file;
a schema of its own in PostgreSQL), migrated and seeded once. Each test runs inside a
transaction that is rolled back, so tests see the seed and never each other's data.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

_INSTANCE = tempfile.mkdtemp(prefix="nabij-test-instance-")
os.environ["NABIJ_INSTANCE_DIR"] = _INSTANCE
os.environ.setdefault("SECRET_KEY", "test-secret")
# Each test's app counts its own attempts; tests of the shared storages choose them.
os.environ.setdefault("RATELIMIT_STORAGE", "memory")
# No thread outlives the test whose first request started it.
os.environ.setdefault("SEARCH_CHECK_IN_BACKGROUND", "0")

from app import create_app  # noqa: E402
from directory import schema  # noqa: E402
from directory.config import PROJECT_ROOT  # noqa: E402
from directory.database import _make_engine  # noqa: E402
from directory.extensions import db  # noqa: E402
from directory.indexing import sync  # noqa: E402
from directory.seeding.loader import load_seeds  # noqa: E402

SHARED = PROJECT_ROOT.parent / "shared"
SEEDS = PROJECT_ROOT / "seeds"
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    """.po files are committed, .mo files built: build them once for the test run."""
    CommandLineInterface().run(
        ["pybabel", "-q", "compile", "-d", str(PROJECT_ROOT / "translations")]
    )


class ScratchDatabases:
    """Creates empty databases for one backend and drops them at the end."""

    def __init__(self, backend: str, directory: Path) -> None:
        self.backend, self.directory = backend, directory
        self.schemas: list[str] = []

    def create(self) -> str:
        if self.backend == "sqlite":
            return f"sqlite:///{self.directory / f'{uuid.uuid4().hex}.sqlite3'}"
        name = f"nabij_test_{secrets.token_hex(6)}"
        admin = create_engine(os.environ["TEST_DATABASE_URL"])
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{name}"'))
        admin.dispose()
        self.schemas.append(name)
        url = make_url(os.environ["TEST_DATABASE_URL"]).update_query_dict(
            {"options": f"-csearch_path={name}"}
        )
        return url.render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if not self.schemas:
            return
        admin = create_engine(os.environ["TEST_DATABASE_URL"])
        # One transaction per schema: dropping them all at once takes a lock per table of
        # every schema and runs out of PostgreSQL's lock table.
        for name in self.schemas:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def scratch(request, tmp_path_factory) -> Iterator[ScratchDatabases]:
    databases = ScratchDatabases(request.param, tmp_path_factory.mktemp(request.param))
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session")
def seeded_url(scratch: ScratchDatabases) -> str:
    """A migrated database holding the reference data and the seed catalogue."""
    url = scratch.create()
    schema.upgrade(url)
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    with app.app_context(), db.transaction() as session:
        load_seeds(session, SEEDS)
    db_engine = app.extensions["database.engine"]
    db_engine.dispose()
    return url


@pytest.fixture(scope="session")
def seeded_engine(seeded_url: str):
    engine = _make_engine(seeded_url)
    yield engine
    engine.dispose()


@pytest.fixture
def app(seeded_url: str, seeded_engine):
    """The app on the seeded database; everything a test writes is rolled back."""
    connection = seeded_engine.connect()
    outer = connection.begin()
    application = create_app(
        {"DATABASE_URL": seeded_url, "DATABASE_BIND": connection, "TESTING": True}
    )
    yield application
    outer.rollback()
    connection.close()
    application.extensions["database.engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def session(app):
    """A session on the test's connection, outside any app context (so requests made by the
    test client get their own context, language and session, as in production)."""
    with Session(
        bind=app.extensions["database.bind"],
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
    ) as test_session:
        yield test_session


@pytest.fixture
def empty_url(scratch: ScratchDatabases) -> str:
    """A freshly migrated database with nothing in it, for tests of loading itself."""
    url = scratch.create()
    schema.upgrade(url)
    return url


@pytest.fixture
def empty_app(empty_url: str):
    application = create_app({"DATABASE_URL": empty_url, "TESTING": True})
    yield application
    application.extensions["database.engine"].dispose()


def seeded_app(url: str, root: Path, catalogue: bool = True, build=None, **config):
    """An app on `url` (migrated) with the seeds loaded (only the reference data when
    `catalogue` is False), `build(session)` run to add listings, and the search index built
    under `root/index`. The app remembers `url` and `index_dir`."""
    seeds = SEEDS
    if not catalogue:
        seeds = root / "seeds"
        shutil.copytree(SEEDS, seeds, ignore=shutil.ignore_patterns("catalogue"))
    app = create_app(
        {
            "DATABASE_URL": url,
            "TESTING": True,
            "SEARCH_INDEX_DIR": str(root / "index"),
            "SEARCH_CHECK_ON_START": False,
            **config,
        }
    )
    with app.app_context():
        with db.transaction() as session:
            load_seeds(session, seeds)
        if build is not None:
            app.ids = build(db.session())
        sync.rebuild(app)
    app.url, app.index_dir = url, root / "index"
    return app


@pytest.fixture
def indexed_app(scratch, tmp_path):
    """Reference data only, an index of nothing, and the app writing to both."""
    url = scratch.create()
    schema.upgrade(url)
    app = seeded_app(url, tmp_path, catalogue=False)
    yield app
    app.extensions["database.engine"].dispose()
