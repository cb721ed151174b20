"""Opening hours: when a service is open, from its schedules and closures.

The one place that interprets `Schedule` rows (see `directory.models.schedule` for their
meaning); pages, search ("open now") and handouts all ask here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from directory.models import Closure, Schedule

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BYDAY_ITEM = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")


class InvalidByDay(ValueError):
    pass


@lru_cache(maxsize=512)
def parse_byday(byday: str) -> tuple[tuple[int | None, int], ...]:
    """ "MO,WE" -> ((None, 0), (None, 2)); "1MO,-1FR" -> ((1, 0), (-1, 4)). A catalogue
    holds few distinct values and a search page asks about every result: each is read once."""
    items = []
    for raw in byday.upper().replace(" ", "").split(","):
        match = _BYDAY_ITEM.match(raw)
        if not match:
            raise InvalidByDay(raw)
        ordinal = int(match.group(1)) if match.group(1) else None
        items.append((ordinal, WEEKDAY_CODES.index(match.group(2))))
    return tuple(items)


def _nth_weekday_of_month(day: date) -> tuple[int, int]:
    """(n-th from the start, n-th from the end, negative) occurrence of day's weekday."""
    from_start = (day.day - 1) // 7 + 1
    next_month = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    days_left = (next_month - day).days - 1
    from_end = -(days_left // 7 + 1)
    return from_start, from_end


def occurs_on(schedule: Schedule, day: date) -> bool:
    if schedule.valid_from and day < schedule.valid_from:
        return False
    if schedule.valid_to and day > schedule.valid_to:
        return False
    if schedule.until and day > schedule.until:
        return False
    for ordinal, weekday in parse_byday(schedule.byday):
        if weekday != day.weekday():
            continue
        if schedule.freq == "WEEKLY" or ordinal is None:
            return True
        if ordinal in _nth_weekday_of_month(day):
            return True
    return False


def closure_on(closures: Iterable[Closure], day: date) -> Closure | None:
    return next((c for c in closures if c.starts_on <= day <= c.ends_on), None)


@dataclass(frozen=True)
class Period:
    opens_at: time
    closes_at: time


@dataclass(frozen=True)
class DayHours:
    day: date
    periods: tuple[Period, ...]
    closure: Closure | None


def hours_on(schedules: Sequence[Schedule], closures: Sequence[Closure], day: date) -> DayHours:
    closure = closure_on(closures, day)
    if closure:
        return DayHours(day, (), closure)
    periods = sorted(
        (
            Period(s.opens_at, s.closes_at)
            for s in schedules
            if s.opens_at and s.closes_at and occurs_on(s, day)
        ),
        key=lambda p: p.opens_at,
    )
    return DayHours(day, tuple(periods), None)


def coming_days(
    schedules: Sequence[Schedule], closures: Sequence[Closure], start: date, days: int = 7
) -> list[DayHours]:
    return [hours_on(schedules, closures, start + timedelta(days=n)) for n in range(days)]


def is_open_at(
    schedules: Sequence[Schedule], closures: Sequence[Closure], moment: datetime
) -> bool | None:
    """True or False; None when the listing gives no opening hours at all."""
    if not any(s.opens_at for s in schedules):
        return None
    today = hours_on(schedules, closures, moment.date())
    clock = moment.time().replace(tzinfo=None)
    return any(p.opens_at <= clock < p.closes_at for p in today.periods)


def upcoming_closures(closures: Sequence[Closure], today: date, horizon_days: int = 60):
    horizon = today + timedelta(days=horizon_days)
    return [c for c in closures if c.ends_on >= today and c.starts_on <= horizon]


def weekly(schedules: Sequence[Schedule]) -> list[tuple[str, tuple[Period, ...]]]:
    """The weekly periods as (weekday code, periods), Monday first, open days only: a place's
    usual week. Monthly rules and seasons are left to the listing's own opening-hours table."""
    week = []
    for code in WEEKDAY_CODES:
        periods = sorted(
            (
                Period(s.opens_at, s.closes_at)
                for s in schedules
                if s.freq == "WEEKLY" and s.opens_at and s.closes_at and code in s.byday.split(",")
            ),
            key=lambda p: p.opens_at,
        )
        if periods:
            week.append((code, tuple(periods)))
    return week
