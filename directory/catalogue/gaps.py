"""The anonymous log of searches that found nothing, for gap analysis: the words, filters,
language and time; never an address or an account.

Writing it must never break the search page. It is a short transaction of its own, whose
first statement is the write (on SQLite a transaction that read first and writes later fails
at once with "database is locked" when another process wrote meanwhile), waiting for the
database at most `BUSY_WAIT_MS`; a busy or failing database skips the record and counts it.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import insert, text
from sqlalchemy.exc import SQLAlchemyError

from directory.catalogue.search_params import SearchParams
from directory.extensions import db
from directory.models import ZeroResultSearch

log = logging.getLogger(__name__)
BUSY_WAIT_MS = 250  # a lost record costs less than a reader waiting for a page
SQLITE_BUSY_WAIT_MS = 30000  # what `directory.database` sets for every other statement

_skipped_lock = threading.Lock()
skipped = 0  # records this process could not write (shown in the log)


def record_zero_result(params: SearchParams, locale: str) -> bool:
    """Record a search that found nothing; False when it was skipped."""
    global skipped
    session = db._new_session()
    sqlite = session.get_bind().dialect.name == "sqlite"
    try:
        if sqlite:
            session.execute(text(f"PRAGMA busy_timeout = {BUSY_WAIT_MS}"))
        session.execute(
            insert(ZeroResultSearch).values(
                text=params.text or None, filters=params.as_record(), locale=locale
            )
        )
        session.commit()
        return True
    except SQLAlchemyError as error:
        session.rollback()
        with _skipped_lock:
            skipped += 1
            count = skipped
        # The error's class only: its text could quote the statement.
        log.warning(
            "zero-result search not recorded (%s); %d skipped by this process",
            type(getattr(error, "orig", error)).__name__,
            count,
        )
        return False
    finally:
        if sqlite:
            try:
                session.execute(text(f"PRAGMA busy_timeout = {SQLITE_BUSY_WAIT_MS}"))
            except SQLAlchemyError:
                session.invalidate()  # never hand a connection with a short wait back
        session.close()
