"""Dates, times, deadlines, opening hours and counts written for the reader's locale (CLDR
through Babel), in Brussels time: the one place pages, handouts and emails format them.

- Stored times are UTC; every moment is shown in Europe/Brussels, whatever the server's zone.
- English follows en-GB conventions (day before month, 24-hour clock): readers here are in
  Brussels, not in the United States. The interface's language code stays "en".
- A deadline is said as a day ("Tuesday 8 December"); one falling at midnight is the end of
  the day before, never the start of the next.
- Opening hours: each time range is isolated (<bdi>) in the reader's direction, so an Arabic
  reader meets the opening time first, and the ranges are joined the locale's way
  (CLDR's list patterns: "and", "en", "و"...).

Each function takes the interface language (`language`), or the request's when none is given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import cache

from babel import Locale
from babel.dates import (
    format_date,
    format_skeleton,
    format_time,
    get_datetime_format,
    get_day_names,
)
from babel.lists import format_list
from babel.numbers import format_decimal
from flask_babel import get_locale
from markupsafe import Markup, escape

from directory.clock import BRUSSELS, as_utc
from directory.hours import WEEKDAY_CODES, Period

# The CLDR locale of an interface language, where they differ.
CLDR_LOCALES = {"en": "en_GB"}


def cldr_locale(language: str | None = None) -> str:
    """The locale whose conventions dates are written in, for an interface language."""
    code = language or str(get_locale())
    return CLDR_LOCALES.get(code, code)


@cache
def _direction(locale: str) -> str:
    return "rtl" if Locale.parse(locale).character_order == "right-to-left" else "ltr"


@cache
def _day_pattern(locale: str) -> str:
    """The locale's own order for a weekday, day and month ("EEEE d MMMM", "d MMMM EEEE"),
    from CLDR's pattern for that skeleton, with the weekday written out in full."""
    pattern = Locale.parse(locale).datetime_skeletons["MMMMEd"].pattern
    # Quoted parts ('de') are literal text: widen the weekday only outside them.
    parts = pattern.split("'")
    parts[::2] = [re.sub("E+", "EEEE", part) for part in parts[::2]]
    return "'".join(parts)


def _in_brussels(moment: datetime) -> datetime:
    return as_utc(moment).astimezone(BRUSSELS)


def format_day(day: date, language: str | None = None) -> str:
    """ "Tuesday 8 December", "dinsdag 8 december", "8 Aralık Salı": the weekday in full,
    easier to read than "Tue 8 Dec"."""
    locale = cldr_locale(language)
    return format_date(day, _day_pattern(locale), locale=locale)


def format_long_date(day: date, language: str | None = None) -> str:
    """ "8 December 2026"."""
    return format_date(day, format="long", locale=cldr_locale(language))


def format_date_span(first: date, last: date, language: str | None = None) -> str:
    """ "8 December 2026 – 10 December 2026": two days joined the locale's way (one day: that
    day)."""
    if first == last:
        return format_long_date(first, language)
    span = Locale.parse(cldr_locale(language)).interval_formats[None]
    return span.format(format_long_date(first, language), format_long_date(last, language))


def format_time_of_day(value: time, language: str | None = None) -> str:
    """ "14:37" (the locale's clock: "2:37 م" in Arabic)."""
    return format_time(value, format="short", locale=cldr_locale(language))


def _day_and_time(day_text: str, time_text: str, locale: str) -> str:
    """A day and a time joined as the locale joins them ("{1}, {0}", "{1} {0}")."""
    pattern = get_datetime_format("medium", locale=locale).replace("'", "")
    return pattern.replace("{1}", day_text).replace("{0}", time_text)


def format_moment(moment: datetime, language: str | None = None) -> str:
    """A stored time (UTC) as the reader reads it in Brussels: "8 Dec 2026, 14:37"."""
    locale = cldr_locale(language)
    local = _in_brussels(moment)
    day = format_skeleton("yMMMd", local.date(), locale=locale)
    return _day_and_time(day, format_time_of_day(local.time(), language), locale)


def format_deadline(moment: datetime, language: str | None = None) -> str:
    """The day something is due by: "Tuesday 8 December". A deadline at midnight is the end
    of the day before; one at another time keeps its time ("Wednesday 9 December, 14:37")."""
    local = _in_brussels(moment)
    if local.time() == time(0, 0):
        return format_day(local.date() - timedelta(days=1), language)
    locale = cldr_locale(language)
    return _day_and_time(
        format_day(local.date(), language), format_time_of_day(local.time(), language), locale
    )


def weekday_name(code: str, language: str | None = None) -> str:
    """ "maandag" for "MO": the iCalendar weekday codes of opening hours, in words."""
    names = get_day_names("wide", locale=cldr_locale(language))
    return names[WEEKDAY_CODES.index(code)] if code in WEEKDAY_CODES else code


def format_period(period: Period, language: str | None = None) -> str:
    """ "09:00 – 12:30" as plain text (a diff, an email)."""
    opens = format_time_of_day(period.opens_at, language)
    closes = format_time_of_day(period.closes_at, language)
    return f"{opens}\u2009\u2013\u2009{closes}"


def format_hours(periods: Iterable[Period], language: str | None = None) -> Markup:
    """A day's periods for a page: each range isolated in the reader's direction, joined
    with the locale's list pattern ("09:00 – 12:30 and 13:30 – 17:00"; in Arabic the
    opening time is read first and the ranges are joined with "و", never a Latin comma)."""
    direction = _direction(cldr_locale(language))
    ranges = [
        f'<bdi dir="{direction}">{escape(format_period(period, language))}</bdi>'
        for period in periods
    ]
    if not ranges:
        return Markup("")
    # CLDR's list patterns are plain text around the ranges, which we escaped ourselves.
    return Markup(format_list(ranges, locale=cldr_locale(language)))  # noqa: S704


def format_count(number: int, language: str | None = None) -> str:
    """ "1,234", "1.234", "1 234": a count as the locale groups its digits."""
    return format_decimal(number, locale=cldr_locale(language))
