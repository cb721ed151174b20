"""Dates, times, deadlines and opening hours as a reader of each of the nine languages reads
them: CLDR's forms, Brussels time whatever the server's zone, English as written in Brussels
(en-GB), a deadline at midnight said as the day before, and opening hours that keep their
order in Arabic, on the page and on paper."""

from __future__ import annotations

import time as system_time
from datetime import UTC, datetime, time

import pytest

from directory.hours import Period
from directory.i18n import SUPPORTED_LOCALES
from directory.models import Location, LocationType, Schedule
from directory.rendering.formats import (
    format_deadline,
    format_hours,
    format_moment,
    format_period,
)
from tests import factories

# 00:00 on Wednesday 9 December in Brussels: due by the end of Tuesday 8 December.
DUE_AT_MIDNIGHT = datetime(2026, 12, 8, 23, 0, tzinfo=UTC)
# 14:37 on Tuesday 8 December in Brussels (SQLite gives stored times back without a zone).
MOMENT = datetime(2026, 12, 8, 13, 37)
DAY = (Period(time(9), time(12, 30)), Period(time(13, 30), time(17)))

THIN = "\u2009\u2013\u2009"  # the dash between opening and closing time


def ranges(direction: str, first: str, second: str, joined: str) -> str:
    """Two time ranges, each isolated in the reader's direction, joined the locale's way."""
    return f'<bdi dir="{direction}">{first}</bdi>{joined}<bdi dir="{direction}">{second}</bdi>'


EXPECTED = {
    "nl": (
        "dinsdag 8 december",
        "8 dec 2026, 14:37",
        ranges("ltr", f"09:00{THIN}12:30", f"13:30{THIN}17:00", " en "),
    ),
    "fr": (
        "mardi 8 décembre",
        "8 déc. 2026, 14:37",
        ranges("ltr", f"09:00{THIN}12:30", f"13:30{THIN}17:00", " et "),
    ),
    "en": (
        "Tuesday 8 December",
        "8 Dec 2026, 14:37",
        ranges("ltr", f"09:00{THIN}12:30", f"13:30{THIN}17:00", " and "),
    ),
    "ar": (
        "الثلاثاء، 8 ديسمبر",
        "8 ديسمبر 2026، 2:37 م",
        ranges("rtl", f"9:00 ص{THIN}12:30 م", f"1:30 م{THIN}5:00 م", " و"),
    ),
    "tr": (
        "8 Aralık Salı",
        "8 Ara 2026 14:37",
        ranges("ltr", f"09:00{THIN}12:30", f"13:30{THIN}17:00", " ve "),
    ),
    "es": (
        "martes, 8 de diciembre",
        "8 dic 2026, 14:37",
        ranges("ltr", f"9:00{THIN}12:30", f"13:30{THIN}17:00", " y "),
    ),
    "pt": (
        "terça-feira, 8 de dezembro",
        "8 de dez. de 2026 14:37",
        ranges("ltr", f"09:00{THIN}12:30", f"13:30{THIN}17:00", " e "),
    ),
    "pl": (
        "wtorek, 8 grudnia",
        "8 gru 2026, 14:37",
        ranges("ltr", f"09:00{THIN}12:30", f"13:30{THIN}17:00", " i "),
    ),
    "ro": (
        "marți, 8 decembrie",
        "8 dec. 2026, 14:37",
        ranges("ltr", f"09:00{THIN}12:30", f"13:30{THIN}17:00", " și "),
    ),
}


def test_every_language_is_covered():
    assert set(EXPECTED) == set(SUPPORTED_LOCALES)


@pytest.mark.parametrize("language", SUPPORTED_LOCALES)
def test_a_deadline_a_moment_and_a_days_hours_in_each_language(language):
    deadline, moment, hours = EXPECTED[language]
    assert format_deadline(DUE_AT_MIDNIGHT, language) == deadline
    assert format_moment(MOMENT, language) == moment
    assert str(format_hours(DAY, language)) == hours
    # Never the US forms the English pages used to show ("12/9/26, 12:00 AM").
    for text in (deadline, moment):
        assert "/" not in text
        assert "AM" not in text
        assert "PM" not in text
    if language == "ar":
        assert ", " not in hours  # the ranges are joined the Arabic way, not with a Latin comma


def test_a_deadline_not_at_midnight_keeps_its_time():
    assert format_deadline(datetime(2026, 12, 9, 13, 37, tzinfo=UTC), "en") == (
        "Wednesday 9 December, 14:37"
    )
    assert format_deadline(datetime(2026, 12, 9, 13, 37, tzinfo=UTC), "nl") == (
        "woensdag 9 december, 14:37"
    )


def test_summer_time_and_the_servers_own_zone_change_nothing(monkeypatch):
    """Brussels time, in winter (UTC+1) and in summer (UTC+2), whatever zone the server is in."""
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    system_time.tzset()
    try:
        assert format_moment(datetime(2026, 7, 8, 13, 37), "en") == "8 Jul 2026, 15:37"
        assert format_moment(MOMENT, "en") == "8 Dec 2026, 14:37"
        # 00:00 in Brussels in summer is 22:00 UTC the evening before.
        assert format_deadline(datetime(2026, 7, 7, 22, 0, tzinfo=UTC), "en") == "Tuesday 7 July"
    finally:
        monkeypatch.undo()
        system_time.tzset()


def test_a_range_is_plain_text_where_no_markup_can_go():
    assert format_period(DAY[0], "en") == f"09:00{THIN}12:30"
    assert str(format_hours((), "en")) == ""


def arabic_week(session):
    organization = factories.organization(session, "بيت الحي")
    service = factories.service(
        session,
        organization,
        "مقهى اللغة",
        weekly=(("MO", time(9), time(12, 30)), ("MO", time(13, 30), time(17))),
    )
    session.commit()
    return service


ARABIC_MONDAY = ranges("rtl", f"9:00 ص{THIN}12:30 م", f"1:30 م{THIN}5:00 م", " و")


def test_arabic_opening_hours_keep_their_order_on_the_service_page(app, client, session):
    service = arabic_week(session)
    app.config["FIXED_NOW"] = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday
    page = client.get(f"/ar/services/{service.id}").text
    assert ARABIC_MONDAY in page
    english = client.get(f"/en/services/{service.id}").text
    assert ranges("ltr", f"09:00{THIN}12:30", f"13:30{THIN}17:00", " and ") in english


def test_arabic_opening_hours_keep_their_order_on_the_printed_handout(app, client, session):
    service = arabic_week(session)
    app.config["FIXED_NOW"] = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    page = client.get(f"/ar/handout?service={service.id}&for=ar&provider=nl").text
    assert f"الاثنين، 23 نوفمبر: {ARABIC_MONDAY}" in page
    dutch = ranges("ltr", f"09:00{THIN}12:30", f"13:30{THIN}17:00", " en ")
    assert f"maandag 23 november: {dutch}" in page


def test_arabic_weekly_hours_of_a_place_keep_their_order(app, client, session):
    organization = factories.organization(session, "بيت الحي")
    location = Location(
        organization=organization, name="المدخل", location_type=LocationType.PHYSICAL
    )
    location.schedules.extend(
        Schedule(freq="WEEKLY", byday="MO", opens_at=opens, closes_at=closes)
        for opens, closes in ((time(9), time(12, 30)), (time(13, 30), time(17)))
    )
    session.add(location)
    session.commit()
    page = client.get(f"/ar/organizations/{organization.id}").text
    assert f"الاثنين: {ARABIC_MONDAY}" in page
