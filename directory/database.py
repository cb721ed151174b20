"""The database: one engine per app, one session per application context.

Request handlers and commands commit; domain operations only flush.

On SQLite one writer at a time holds the database. A transaction that read first and writes
later fails at once ("database is locked") when another writer committed in between: it
cannot wait, its snapshot is stale. So a transaction that will write starts as a writer
(`BEGIN IMMEDIATE`, which waits its turn): every request but the GET pages of the read-only
features, and every command. Read-only pages start as readers and never wait for writers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, has_request_context, request
from flask.globals import app_ctx
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, scoped_session


def _make_engine(url: str) -> Engine:
    # hide_parameters: a failed statement's error (and so a log line) never shows the values
    # it carried, which may be a client's referral.
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        _sqlite_behave_transactionally(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def _sqlite_behave_transactionally(engine: Engine) -> None:
    """pysqlite's own transaction handling defeats SAVEPOINT and enforces no foreign keys;
    take it over as SQLAlchemy's documentation recommends."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql(f"BEGIN {connection.get_execution_options().get(BEGIN, '')}")


BEGIN = "sqlite_begin"
# Features whose GET pages only read (the public catalogue, the HSDS API, the health check):
# their transactions start as readers. Any other request may write after reading.
READ_ONLY_FEATURES = frozenset({"catalogue", "api", "healthz", "static", "language_redirect"})
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def begins_as_writer() -> bool:
    """Whether this request's (or command's) transactions start as writers."""
    if not has_request_context():
        return True
    if request.method not in READING_METHODS:
        return True
    return (request.endpoint or "").split(".")[0] not in READ_ONLY_FEATURES


class Database:
    """Created unbound in `extensions`; `init_app` gives each app its own engine.

    Sessions are bound through `current_app`, so several apps (one per database in the
    tests) can live in one process.
    """

    def __init__(self) -> None:
        self.session: scoped_session[Session] = scoped_session(
            lambda: self.new_session(writer=begins_as_writer()), scopefunc=_current_app_context_id
        )

    def init_app(self, app: Flask, bind: Engine | Connection | None = None) -> None:
        engine = _make_engine(app.config["DATABASE_URL"])
        app.extensions["database.engine"] = engine
        app.extensions["database.engines"] = {
            False: engine.execution_options(**{BEGIN: "DEFERRED"}),
            True: engine.execution_options(**{BEGIN: "IMMEDIATE"}),
        }
        # Tests bind sessions to a connection inside an outer transaction they roll back.
        app.extensions["database.bind"] = bind
        app.teardown_appcontext(self._remove_session)

    @property
    def engine(self) -> Engine:
        return current_app.extensions["database.engine"]

    def new_session(self, writer: bool = False) -> Session:
        """A session of its own, outside the request's (`session()`): for work that commits
        apart from the page, such as the index writer and the log of empty searches. The
        caller closes it. `writer`: its transactions read and then write (on SQLite they
        start as writers, waiting their turn)."""
        bind = current_app.extensions["database.bind"]
        if bind is None:
            engine = current_app.extensions["database.engines"][writer]
            return Session(bind=engine, expire_on_commit=False)
        return Session(bind=bind, expire_on_commit=False, join_transaction_mode="create_savepoint")

    def _remove_session(self, _exc: BaseException | None) -> None:
        self.session.remove()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        session = self.session()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _current_app_context_id() -> int:
    return id(app_ctx._get_current_object())
