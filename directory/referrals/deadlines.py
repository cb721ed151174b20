"""The response target: a referral is acknowledged within two working days (Monday to Friday,
Belgian public holidays excepted), counted in Brussels time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

from directory.clock import BRUSSELS, as_utc
from directory.models.referral import ReferralStatus
from directory.referrals import states

RESPONSE_TARGET_WORKING_DAYS = 2


def _easter(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


@cache
def public_holidays(year: int) -> frozenset[date]:
    """The ten Belgian public holidays."""
    easter = _easter(year)
    fixed = [(1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25)]
    moving = [easter + timedelta(days=1), easter + timedelta(days=39), easter + timedelta(50)]
    return frozenset([date(year, month, day) for month, day in fixed] + moving)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(moment: datetime, days: int) -> datetime:
    """The same time of day `days` working days later; a moment outside working days
    counts from the start of the next working day."""
    local = moment.astimezone(BRUSSELS)
    day = local.date()
    if not is_working_day(day):
        while not is_working_day(day):
            day += timedelta(days=1)
        local = datetime.combine(day, datetime.min.time(), BRUSSELS)
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return datetime.combine(day, local.timetz())


def response_due(sent_at: datetime) -> datetime:
    """When the receiving organisation should have acknowledged a referral sent at
    `sent_at` (as read from the database: naive means UTC)."""
    return add_working_days(as_utc(sent_at), RESPONSE_TARGET_WORKING_DAYS)


def is_overdue(status: ReferralStatus, sent_at: datetime, now: datetime) -> bool:
    """Not acknowledged and past its response target: the one rule for the inbox, the
    reminders and the gap analysis."""
    return status in states.UNACKNOWLEDGED and now > response_due(sent_at)
