"""Opening hours: several periods a day, monthly rules, seasons and closures."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from directory.hours import InvalidByDay, coming_days, is_open_at, occurs_on, parse_byday
from directory.models import Closure, Schedule

BRUSSELS_MONDAY = date(2026, 11, 23)


def weekly(byday, opens, closes, **fields):
    return Schedule(freq="WEEKLY", byday=byday, opens_at=opens, closes_at=closes, **fields)


def test_several_periods_a_day_and_the_lunch_break():
    schedules = [weekly("MO,TU", time(9), time(12)), weekly("MO", time(13), time(16))]
    monday = datetime.combine(BRUSSELS_MONDAY, time(10))
    assert is_open_at(schedules, [], monday) is True
    assert is_open_at(schedules, [], monday.replace(hour=12, minute=30)) is False
    assert is_open_at(schedules, [], monday.replace(hour=15)) is True
    assert is_open_at(schedules, [], monday.replace(hour=16)) is False  # closing time
    tuesday = coming_days(schedules, [], BRUSSELS_MONDAY)[1]
    assert [(p.opens_at, p.closes_at) for p in tuesday.periods] == [(time(9), time(12))]


def test_monthly_rules_pick_the_right_week():
    first_saturday = Schedule(freq="MONTHLY", byday="1SA", opens_at=time(10), closes_at=time(12))
    last_friday = Schedule(freq="MONTHLY", byday="-1FR", opens_at=time(10), closes_at=time(12))
    assert occurs_on(first_saturday, date(2026, 11, 7))
    assert not occurs_on(first_saturday, date(2026, 11, 14))
    assert occurs_on(last_friday, date(2026, 11, 27))
    assert not occurs_on(last_friday, date(2026, 11, 20))


def test_a_seasonal_schedule_applies_only_in_its_season():
    summer = weekly(
        "MO", time(9), time(12), valid_from=date(2026, 7, 1), valid_to=date(2026, 8, 31)
    )
    assert occurs_on(summer, date(2026, 7, 6))
    assert not occurs_on(summer, BRUSSELS_MONDAY)


def test_a_closure_wins_over_the_schedule():
    schedules = [weekly("MO", time(9), time(17))]
    closures = [Closure(starts_on=BRUSSELS_MONDAY, ends_on=BRUSSELS_MONDAY, reason="Feestdag")]
    assert is_open_at(schedules, closures, datetime.combine(BRUSSELS_MONDAY, time(10))) is False
    assert coming_days(schedules, closures, BRUSSELS_MONDAY)[0].closure.reason == "Feestdag"


def test_no_schedule_means_unknown_not_closed():
    assert is_open_at([], [], datetime.combine(BRUSSELS_MONDAY, time(10))) is None


def test_malformed_byday_is_refused():
    assert parse_byday("1MO,-1FR") == ((1, 0), (-1, 4))
    with pytest.raises(InvalidByDay):
        parse_byday("MONDAY")
