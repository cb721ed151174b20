"""What the referral templates may call: labels, the short reference, times in Brussels."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_datetime
from babel.numbers import format_decimal
from flask import Flask, g
from flask_babel import get_locale
from sqlalchemy import select

from directory import clock
from directory.extensions import db
from directory.i18n import current_language
from directory.models import TaxonomyTerm
from directory.referrals.labels import (
    CHANNEL_LABELS,
    REASON_LABELS,
    STATUS_LABELS,
    URGENCY_LABELS,
)
from directory.referrals.notifications import reference


def format_moment(moment: datetime) -> str:
    """A stored time (UTC) as the reader reads it, in Brussels time."""
    return format_datetime(
        clock.as_utc(moment).astimezone(clock.BRUSSELS), format="short", locale=str(get_locale())
    )


def term_label(code: str) -> str:
    """A kind of help's label in the reader's language (the terms are read once a request)."""
    if "term_labels" not in g:
        terms = db.session().scalars(select(TaxonomyTerm)).all()
        g.term_labels = {term.code: term for term in terms}
    term = g.term_labels.get(code)
    return term.label(current_language()) if term else code


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        referral_reference=reference,
        status_labels=STATUS_LABELS,
        reason_labels=REASON_LABELS,
        channel_labels=CHANNEL_LABELS,
        urgency_labels=URGENCY_LABELS,
        format_moment=format_moment,
        now_utc=clock.utc_now,
        term_label=term_label,
        format_count=lambda number: format_decimal(number, locale=str(get_locale())),
    )
