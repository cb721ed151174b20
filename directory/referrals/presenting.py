"""What the referral templates may call: labels, the short reference, the current time
(dates, deadlines and counts are written by `directory.rendering.formats`)."""

from __future__ import annotations

from flask import Flask, g
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


def term_label(code: str) -> str:
    """A kind of help's label in the reader's language (the terms are read once a request)."""
    if "term_labels" not in g:
        terms = (
            db.session().scalars(select(TaxonomyTerm).where(TaxonomyTerm.of_kinds_of_help())).all()
        )
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
        now_utc=clock.utc_now,
        term_label=term_label,
    )
