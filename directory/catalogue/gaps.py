"""The anonymous log of searches that found nothing, for gap analysis: the words, filters,
language and time; never an address or an account.

Writing it must never slow down or break the search page. Records are kept in the process
and written together, in a short transaction of their own, once the oldest has waited
`ZERO_RESULT_LOG_SECONDS` (0: at once): by the next search after that, and when the process
exits (a worker that is killed loses at most that many seconds of records). The write
waits for the database at most `BUSY_WAIT_MS`; when the database is busy (SQLite lets one
writer at a time in) the records stay for the next attempt, and beyond `MAX_PENDING` the
oldest are dropped and counted in the log.
"""

from __future__ import annotations

import atexit
import logging
import re
import threading
import time
import weakref
from dataclasses import dataclass, field
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import delete, insert, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from directory import clock
from directory.catalogue.search_params import SearchParams
from directory.extensions import db
from directory.models import ZeroResultSearch
from directory.models.base import utcnow

log = logging.getLogger(__name__)
BUSY_WAIT_MS = 250  # a late record costs less than a reader waiting for a page
SQLITE_BUSY_WAIT_MS = 30000  # what `directory.database` sets for every other statement
MAX_PENDING = 1000


@dataclass
class _Pending:
    records: list[dict] = field(default_factory=list)
    oldest: float = 0.0
    dropped: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def init_app(app: Flask) -> None:
    app.extensions["zero_result_log"] = _Pending()
    atexit.register(_write_at_exit, weakref.ref(app))


def _write_at_exit(app_ref: weakref.ref[Flask]) -> None:
    app = app_ref()
    if app is not None and app.extensions["zero_result_log"].records:
        with app.app_context():
            write_pending()


# An email address, or a run of digits and separators holding eight digits or more (a phone
# number, a national number): what a person may type about someone, never kept.
_PRIVATE = re.compile(r"[^\s@]+@[^\s@]+|\+?[\d(][\d .\/()-]{6,}\d")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
REDACTED = "…"


def recordable_text(text: str) -> str | None:
    """What of a query may be kept: without control characters (PostgreSQL refuses NUL, and
    one would stop the whole batch), with email addresses and phone or national numbers
    left out."""

    def redact(match: re.Match) -> str:
        found = match.group(0)
        groups = re.findall(r"\d+", found)
        postcodes = all(len(g) == 4 and "1000" <= g < "1300" for g in groups)
        if "@" in found or (sum(map(len, groups)) >= 8 and not postcodes):
            return REDACTED
        return found

    kept = _PRIVATE.sub(redact, _CONTROL.sub(" ", text)).strip()
    return " ".join(kept.split()) or None


def forget_old(session: Session, keep: timedelta) -> int:
    """Delete the records of searches older than `keep`; returns how many."""
    cutoff = clock.utc_now() - keep
    return session.execute(
        delete(ZeroResultSearch).where(ZeroResultSearch.created_at < cutoff)
    ).rowcount


def record_zero_result(params: SearchParams, locale: str) -> None:
    """Keep a search that found nothing for the next write."""
    pending: _Pending = current_app.extensions["zero_result_log"]
    with pending.lock:
        if not pending.records:
            pending.oldest = time.monotonic()
        pending.records.append(
            {
                "text": recordable_text(params.text),
                "filters": params.as_record(),
                "locale": locale,
                "created_at": utcnow(),
            }
        )
        if len(pending.records) > MAX_PENDING:
            del pending.records[0]
            pending.dropped += 1


def write_if_due() -> None:
    """Called by every search: writes the kept records once the oldest waited long enough."""
    pending: _Pending = current_app.extensions["zero_result_log"]
    if pending.records and (
        time.monotonic() - pending.oldest >= current_app.config["ZERO_RESULT_LOG_SECONDS"]
    ):
        write_pending()


def write_pending() -> bool:
    """Write every kept record in one short transaction; False when the database was busy
    or failed (the records stay for the next attempt)."""
    pending: _Pending = current_app.extensions["zero_result_log"]
    with pending.lock:
        records, pending.records = pending.records, []
    if not records:
        return True
    session = db.new_session()
    sqlite = session.get_bind().dialect.name == "sqlite"
    try:
        if sqlite:
            session.execute(text(f"PRAGMA busy_timeout = {BUSY_WAIT_MS}"))
        session.execute(insert(ZeroResultSearch), records)
        session.commit()
        return True
    except SQLAlchemyError as error:
        session.rollback()
        with pending.lock:
            pending.records[:0] = records  # back in front, in their order
            pending.oldest = time.monotonic()  # try again after another wait
            excess = len(pending.records) - MAX_PENDING
            if excess > 0:
                del pending.records[:excess]
                pending.dropped += excess
            dropped = pending.dropped
        # The error's class only: its text could quote the statement.
        log.warning(
            "searches that found nothing not recorded yet (%s); %d kept, %d dropped so far",
            type(getattr(error, "orig", error)).__name__,
            len(records),
            dropped,
        )
        return False
    finally:
        if sqlite:
            try:
                session.execute(text(f"PRAGMA busy_timeout = {SQLITE_BUSY_WAIT_MS}"))
            except SQLAlchemyError:
                session.invalidate()  # never hand a connection with a short wait back
        session.close()
