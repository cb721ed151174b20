"""One writer at a time applies the outbox to the index; rebuilds swap in a fresh index.

After a commit that wrote outbox rows, the committing process applies every pending row under
the index's writer lock (so a change is searchable as soon as its request ends, in every
worker). `flask search sync` does the same from the command line; `flask search rebuild`
builds a fresh index beside the old one and swaps it in.

Several app hosts may share one database, each with an index of its own: each process
follows the outbox (`follow`, at most every FOLLOW_EVERY seconds, before a search), so a
change committed on one host is searchable on the others within about a second. An index
whose outbox rows are gone (its host was away longer than the outbox keeps rows) or that is
ahead of the database (a backup was restored under it) is rebuilt.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import Flask, current_app, has_app_context
from sqlalchemy import delete, event, func, select
from sqlalchemy.orm import Session

from directory import hours
from directory.extensions import db
from directory.indexing import outbox
from directory.indexing.documents import Reference, all_documents, documents_for
from directory.models import SearchOutbox, Service, ServiceStatus
from directory.models.base import utcnow
from search import IndexUnavailable, LockTimeout, SearchIndex, fingerprint

log = logging.getLogger(__name__)
BATCH = 500
KEEP_APPLIED_ROWS = timedelta(hours=1)  # a rebuild catches up from rows this recent
FOLLOW_EVERY = 0.5  # seconds between two looks at the outbox, per process


class OutOfStep(IndexUnavailable):
    """The index cannot be caught up from the outbox: rebuild it."""


def search_index(app: Flask | None = None) -> SearchIndex:
    return (app or current_app).extensions["search"]


def _new_session(app: Flask) -> Session:
    with app.app_context():
        return db.new_session()


def apply_pending(app: Flask, index: SearchIndex | None = None, lock_timeout: float = 60.0) -> int:
    """Apply every outbox row the index has not seen; returns how many rows were applied."""
    index = index or search_index(app)
    applied = 0
    with index.writer_lock(lock_timeout), _new_session(app) as session:
        upto = index.applied_upto()
        if upto is None:
            raise IndexUnavailable("the search index has no record of what it holds")
        _check_in_step(session, upto)
        reference = None
        while True:
            rows = session.execute(
                select(SearchOutbox.id, SearchOutbox.service_id)
                .where(SearchOutbox.id > upto)
                .order_by(SearchOutbox.id)
                .limit(BATCH)
            ).all()
            if not rows:
                break
            reference = reference or Reference.load(session)
            documents, removed = documents_for(session, [r.service_id for r in rows], reference)
            upto = rows[-1].id
            index.write(documents, removed, applied_upto=upto, lexicon=reference.lexicon)
            applied += len(rows)
        # Keep the newest row always: SQLite hands out max(id) + 1, and an emptied table
        # would start again below what the index has applied. A transaction of its own: one
        # that read first could not wait for another writer on SQLite (see database).
        session.commit()
        session.execute(
            delete(SearchOutbox).where(
                SearchOutbox.id < upto, SearchOutbox.created_at < utcnow() - KEEP_APPLIED_ROWS
            )
        )
        session.commit()
    return applied


def _check_in_step(session: Session, upto: int) -> None:
    """Raise OutOfStep when the outbox no longer leads from `upto` to the database: it holds
    less than the index applied (a backup restored, a database recreated), or the rows just
    after `upto` were cleaned away (this host was away longer than KEEP_APPLIED_ROWS)."""
    latest, oldest = session.execute(
        select(func.max(SearchOutbox.id), func.min(SearchOutbox.id))
    ).one()
    if latest is not None and latest < upto:
        raise OutOfStep(f"the index has applied outbox row {upto}, the database ends at {latest}")
    if latest is None and upto > 0:
        raise OutOfStep("the outbox is empty under an index that applied rows")
    if oldest is not None and oldest > upto + 1:
        raise OutOfStep(f"outbox rows {upto + 1} to {oldest - 1} are gone")


def follow(app: Flask) -> None:
    """Catch this host's index up with changes committed elsewhere (another app host, a
    command), rebuilding it when the outbox cannot; at most every FOLLOW_EVERY seconds."""
    state = app.extensions["search.follow"]
    now = time.monotonic()
    if now - state["checked"] < FOLLOW_EVERY:
        return
    state["checked"] = now
    index = search_index(app)
    upto = index.applied_upto()
    if upto is None:
        return  # no index yet: the search reports it and the start-up check builds it
    with _new_session(app) as session:
        latest = session.scalar(select(func.max(SearchOutbox.id)))
    if latest == upto:
        return
    try:
        apply_pending(app, index)
    except OutOfStep as reason:
        log.warning("search index out of step with the database (%s): rebuilding", reason)
        ensure_ready(app)


def rebuild(app: Flask, index: SearchIndex | None = None) -> int:
    """Build a fresh index from the database beside the old one, catch it up, swap it in.
    Searches keep using the old index until the swap; one rebuild runs at a time."""
    index = index or search_index(app)
    with index.rebuild_lock():
        _build_and_swap(app, index)
    return index.doc_count()


def _build_and_swap(app: Flask, index: SearchIndex) -> None:
    with _new_session(app) as session:
        start = session.scalar(select(func.coalesce(func.max(SearchOutbox.id), 0)))
        reference = Reference.load(session)
        expected = session.scalar(
            select(func.count()).select_from(Service).where(Service.status == ServiceStatus.ACTIVE)
        )
        generation = index.build_generation(
            all_documents(session, reference),
            applied_upto=start,
            lexicon=reference.lexicon,
            expected=expected,
        )
    with index.writer_lock(), _new_session(app) as session:
        rows = session.execute(
            select(SearchOutbox.id, SearchOutbox.service_id)
            .where(SearchOutbox.id > start)
            .order_by(SearchOutbox.id)
        ).all()
        if rows:
            # Read again: kinds of help or places may have been added during the build.
            reference = Reference.load(session)
            documents, removed = documents_for(session, [r.service_id for r in rows], reference)
            index.write(
                documents,
                removed,
                applied_upto=rows[-1].id,
                lexicon=reference.lexicon,
                generation=generation,
            )
        index.activate(generation)


@dataclass(frozen=True)
class Health:
    indexed: int | None
    active: int
    applied_upto: int | None
    latest_outbox: int


def database_fingerprint(app: Flask) -> str:
    """The fingerprint the index would have if built now (`search.fingerprint`)."""
    with _new_session(app) as session:
        return fingerprint(all_documents(session, Reference.load(session)))


def content_matches(app: Flask, index: SearchIndex | None = None) -> bool:
    """Whether the index holds exactly what the database says, listing by listing (not only
    as many listings): a database restored or changed behind the outbox's back differs."""
    index = index or search_index(app)
    return index.fingerprint() == database_fingerprint(app)


def health(app: Flask, index: SearchIndex | None = None) -> Health:
    index = index or search_index(app)
    with _new_session(app) as session:
        active = session.scalar(
            select(func.count()).select_from(Service).where(Service.status == ServiceStatus.ACTIVE)
        )
        latest = session.scalar(select(func.coalesce(func.max(SearchOutbox.id), 0)))
    try:
        indexed = index.doc_count()
    except IndexUnavailable:
        indexed = None
    return Health(indexed, active, index.applied_upto(), latest)


def ensure_ready(app: Flask) -> str:
    """At start: rebuild a missing or unreadable index, catch up one that is behind, and
    rebuild one that disagrees with the database. Never raises for a broken index.

    Several workers may start at once: the check runs again under the rebuild lock, so the
    index is rebuilt once, not once per worker.
    """
    index = search_index(app)
    if _consistent(app, index):
        return "ready"
    with index.rebuild_lock():
        if _consistent(app, index):
            return "ready"
        _build_and_swap(app, index)
    return "rebuilt"


def _consistent(app: Flask, index: SearchIndex) -> bool:
    state = health(app, index)
    if state.indexed is None or state.applied_upto is None:
        return False
    if state.applied_upto > state.latest_outbox:
        return False  # the database was recreated or restored under this index
    if state.applied_upto < state.latest_outbox:
        try:
            apply_pending(app, index)
        except OutOfStep:
            return False
        state = health(app, index)
    return state.indexed == state.active and content_matches(app, index)


def _after_commit(session: Session) -> None:
    if not session.info.pop(outbox.PENDING, False) or not has_app_context():
        return
    app = current_app._get_current_object()
    if "search" not in app.extensions:
        return
    try:
        apply_pending(app)
    except OutOfStep as reason:
        log.warning("search index out of step with the database (%s): rebuilding", reason)
        ensure_ready(app)
    except IndexUnavailable:
        log.info("no search index yet: `flask search rebuild` builds it")
    except Exception:  # the data is committed; the outbox keeps the change for the next writer
        log.exception("search index update failed; the next writer retries it")


def init_app(app: Flask) -> None:
    root = Path(app.config["SEARCH_INDEX_DIR"])
    app.extensions["search"] = SearchIndex(root, occurs_on=hours.occurs_on)
    app.extensions["search.follow"] = {"checked": 0.0}
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
    if app.config.get("SEARCH_CHECK_ON_START", True):
        checked = threading.Event()

        @app.before_request
        def _check_index_once() -> None:
            # The first request of each process, not at import: CLI commands such as
            # `flask db upgrade` must work before there is anything to index. In the
            # background: comparing the content takes seconds on a large catalogue, and
            # searches meanwhile read the index as it is (a missing one is built by the
            # search itself).
            if checked.is_set():
                return
            checked.set()
            background = app.config.get("SEARCH_CHECK_IN_BACKGROUND", True)
            if not background or app.extensions["database.bind"] is not None:
                _check_at_start(app)  # one given connection: never from two threads
                return
            threading.Thread(target=_check_at_start, args=(app,), daemon=True).start()


def _check_at_start(app: Flask) -> None:
    """One process per index directory compares it with the database (the workers of a
    host share the index; the others follow the outbox as usual)."""
    try:
        with search_index(app).check_lock(), app.app_context():
            ensure_ready(app)
    except LockTimeout:
        return
    except Exception:
        log.exception("search index check at start failed; search reports it")
