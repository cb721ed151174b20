"""The load benchmark's short version (`bench/load.py`): ten simulated people for one minute
against gunicorn with two workers, on SQLite and, when TEST_DATABASE_URL is set, on
PostgreSQL. No request may fail with a 5xx or go unanswered, and every write the server
acknowledged must be in the database afterwards, the search index equal to it."""

from __future__ import annotations

import os

import pytest

from bench import load
from tests.conftest import BACKENDS


@pytest.mark.slow
@pytest.mark.parametrize("database", BACKENDS)
def test_a_minute_of_ten_people_fails_no_request_and_loses_no_write(database):
    outcome = load.run(
        database,
        users=10,
        minutes=1,
        workers=2,
        pg_url=os.environ.get("TEST_DATABASE_URL", load.DEFAULT_PG_URL),
    )
    report = load.table(outcome)
    print(report)
    assert sum(outcome.acknowledged.values()) > 0, report
    assert outcome.server_errors == 0, report
    assert outcome.no_answer == 0, report
    assert outcome.lost == [], report
    assert outcome.index_equal, report
