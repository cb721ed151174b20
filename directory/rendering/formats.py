"""Days, dates and hours written for the reader's locale (CLDR through Babel)."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date, format_skeleton, format_time, get_day_names
from flask_babel import get_locale

from directory.hours import WEEKDAY_CODES, Period


def _locale() -> str:
    return str(get_locale())


def format_day(day: date) -> str:
    return format_day_in(day, _locale())


def format_day_in(day: date, locale: str) -> str:
    """ "maandag 23 november": names written out in full, easier to read than "ma 23 nov"."""
    weekday = format_date(day, "EEEE", locale=locale)
    return f"{weekday} {format_skeleton('MMMMd', day, locale=locale)}"


def weekday_name(code: str) -> str:
    """ "maandag" for "MO": the iCalendar weekday codes of opening hours, in words."""
    names = get_day_names("wide", locale=_locale())
    return names[WEEKDAY_CODES.index(code)] if code in WEEKDAY_CODES else code


def format_long_date(day: date) -> str:
    return format_date(day, format="long", locale=_locale())


def format_period(period: Period) -> str:
    return format_period_in(period, _locale())


def format_period_in(period: Period, locale: str) -> str:
    opens = format_time(period.opens_at, format="short", locale=locale)
    closes = format_time(period.closes_at, format="short", locale=locale)
    return f"{opens}\u2009\u2013\u2009{closes}"
