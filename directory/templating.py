"""What templates may call: the current language, listing texts, places and hours formatted
for the reader's locale. Templates hold layout; the rules live here and in the domain."""

from __future__ import annotations

from datetime import date, time

from babel.dates import format_date, format_skeleton, format_time
from flask import Flask, request, url_for
from flask_babel import get_locale

from directory import clock
from directory.hours import Period
from directory.i18n import current_language, pick_text, ui_languages
from directory.labels import (
    FILTER_LABELS,
    FORMALITY_LABELS,
    KIND_LABELS,
    LINE_LABELS,
    PROVENANCE_LABELS,
    REGION_LABEL,
)
from directory.models import language_display_name


def _locale() -> str:
    return str(get_locale())


def text_of(listing):
    """The text of an organisation or service to show the reader (see `i18n.pick_text`)."""
    return pick_text(listing.texts, current_language())


def place_name(place) -> str:
    return place.display_name(current_language())


def format_day(day: date) -> str:
    """ "maandag 23 november": names written out in full, easier to read than "ma 23 nov"."""
    locale = _locale()
    return (
        f"{format_date(day, 'EEEE', locale=locale)} {format_skeleton('MMMMd', day, locale=locale)}"
    )


def format_long_date(day: date) -> str:
    return format_date(day, format="long", locale=_locale())


def format_clock(moment: time) -> str:
    return format_time(moment, format="short", locale=_locale())


def format_period(period: Period) -> str:
    return f"{format_clock(period.opens_at)}\u2009\u2013\u2009{format_clock(period.closes_at)}"


def language_switch_url(code: str) -> str:
    """The current page, with its filters, in another language."""
    if request.endpoint and request.url_rule and "lang_code" in request.url_rule.arguments:
        arguments = dict(request.view_args or {})
        arguments["lang_code"] = code
        return url_for(request.endpoint, **arguments, **request.args.to_dict(flat=False))
    return url_for("catalogue.home", lang_code=code)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        ui_languages=ui_languages,
        current_language=current_language,
        language_switch_url=language_switch_url,
        text_of=text_of,
        place_name=place_name,
        language_name=lambda code: language_display_name(code, current_language()),
        format_day=format_day,
        format_long_date=format_long_date,
        format_period=format_period,
        today=lambda: clock.now().date(),
        kind_labels=KIND_LABELS,
        region_label=REGION_LABEL,
        filter_labels=FILTER_LABELS,
        formality_labels=FORMALITY_LABELS,
        line_labels=LINE_LABELS,
        provenance_labels=PROVENANCE_LABELS,
    )
