"""The database: one engine per app, one session per application context.

Request handlers and commands commit; domain operations only flush.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app
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
        connection.exec_driver_sql("BEGIN")


class Database:
    """Created unbound in `extensions`; `init_app` gives each app its own engine.

    Sessions are bound through `current_app`, so several apps (one per database in the
    tests) can live in one process.
    """

    def __init__(self) -> None:
        self.session: scoped_session[Session] = scoped_session(
            self.new_session, scopefunc=_current_app_context_id
        )

    def init_app(self, app: Flask, bind: Engine | Connection | None = None) -> None:
        app.extensions["database.engine"] = _make_engine(app.config["DATABASE_URL"])
        # Tests bind sessions to a connection inside an outer transaction they roll back.
        app.extensions["database.bind"] = bind
        app.teardown_appcontext(self._remove_session)

    @property
    def engine(self) -> Engine:
        return current_app.extensions["database.engine"]

    def new_session(self) -> Session:
        """A session of its own, outside the request's (`session()`): for work that commits
        apart from the page, such as the index writer and the log of empty searches. The
        caller closes it."""
        bind = current_app.extensions["database.bind"]
        if bind is None:
            return Session(bind=self.engine, expire_on_commit=False)
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
