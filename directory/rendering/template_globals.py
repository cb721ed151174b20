"""What templates may call: the current language, listing texts, places and hours formatted
for the reader's locale, and the labels of our vocabularies. Templates hold layout; the
rules live here and in the domain."""

from __future__ import annotations

from flask import Flask

from directory import clock, hours, phones
from directory.i18n import current_language, pick_text, ui_languages
from directory.labels import (
    FEATURE_LABELS,
    FILTER_LABELS,
    FORMALITY_LABELS,
    KIND_LABELS,
    LINE_LABELS,
    PROVENANCE_LABELS,
    REGION_LABEL,
    ROLE_LABELS,
)
from directory.models import language_display_name
from directory.rendering.formats import (
    format_count,
    format_date_span,
    format_day,
    format_deadline,
    format_hours,
    format_long_date,
    format_moment,
    weekday_name,
)
from directory.rendering.language_nav import language_nav
from directory.rendering.urls import kept_url_for


def text_of(listing):
    """The text of an organisation or service to show the reader (see `i18n.pick_text`)."""
    return pick_text(listing.texts, current_language())


def place_name(place) -> str:
    return place.display_name(current_language())


def init_app(app: Flask) -> None:
    app.jinja_env.globals["url_for"] = kept_url_for
    app.jinja_env.globals.update(
        ui_languages=ui_languages,
        current_language=current_language,
        language_nav=language_nav,
        text_of=text_of,
        place_name=place_name,
        language_name=lambda code: language_display_name(code, current_language()),
        format_day=format_day,
        format_long_date=format_long_date,
        format_date_span=format_date_span,
        format_moment=format_moment,
        format_deadline=format_deadline,
        format_hours=format_hours,
        format_count=format_count,
        weekday_name=weekday_name,
        weekly_hours=hours.weekly,
        phone_display=phones.international,
        tel_uri=phones.tel_uri,
        today=lambda: clock.now().date(),
        kind_labels=KIND_LABELS,
        feature_labels=FEATURE_LABELS,
        region_label=REGION_LABEL,
        filter_labels=FILTER_LABELS,
        formality_labels=FORMALITY_LABELS,
        line_labels=LINE_LABELS,
        provenance_labels=PROVENANCE_LABELS,
        role_labels=ROLE_LABELS,
    )
