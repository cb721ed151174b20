"""Changes as people read them: a label per field and each value in words, so a coordinator
sees a before/after diff (texts side by side, lists as added and removed) and members read
the history of their listing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from directory.hours import Period
from directory.i18n import current_language
from directory.labels import FEATURE_LABELS, PROVENANCE_LABELS, REGION_LABEL
from directory.listings import fields
from directory.models import (
    Location,
    Municipality,
    Neighbourhood,
    Provenance,
    RequestStatus,
    TaxonomyTerm,
)
from directory.models.language import language_display_name
from directory.rendering.formats import format_date_span, format_period, weekday_name

LIST_FIELDS = {"help", "languages", "areas", "hours", "closures", "phones"}
LIST_FIELDS |= {"locations", "other_ids"}
TEXT_LIKE = {"name", "summary", "description", "accessibility", "application_process"}
TEXT_LIKE |= {"fees_description"}


@dataclass
class DiffRow:
    name: str
    label: str
    kind: str  # "text" (side by side), "list" (added and removed) or "value"
    before: str | None = None
    after: str | None = None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


class Vocabulary:
    """Kinds of help and places, read once, to put codes into words."""

    def __init__(self, session: Session) -> None:
        self.locale = current_language()
        self.terms = {
            term.code: term
            for term in session.scalars(
                select(TaxonomyTerm)
                .where(TaxonomyTerm.of_kinds_of_help())
                .options(selectinload(TaxonomyTerm.labels))
            )
        }
        self.municipalities = {m.nis_code: m for m in session.scalars(select(Municipality))}
        self.neighbourhoods = {
            n.number: n
            for n in session.scalars(
                select(Neighbourhood).options(selectinload(Neighbourhood.municipality))
            )
        }
        self.session = session

    def location(self, location_id: str) -> str:
        """A location a service is offered at, by its name or address."""
        try:
            found = self.session.get(Location, uuid.UUID(location_id))
        except ValueError:
            found = None
        if found is None:
            return location_id
        address = found.address
        return found.name or (address.address_1 if address else location_id)

    def term(self, code: str) -> str:
        term = self.terms.get(code)
        return term.label(self.locale) if term else code

    def area(self, value: str) -> str:
        if value == fields.REGION:
            return str(REGION_LABEL)
        kind, _sep, key = value.partition(":")
        if kind == "m" and key in self.municipalities:
            return self.municipalities[key].display_name(self.locale)
        if kind == "n" and key.isdigit() and int(key) in self.neighbourhoods:
            place = self.neighbourhoods[int(key)]
            return (
                f"{place.display_name(self.locale)}"
                f" ({place.municipality.display_name(self.locale)})"
            )
        return value


def field_label(name: str) -> str:
    part, _sep, locale = name.partition(".")
    labels = {
        "name": _("Name"),
        "summary": _("Summary"),
        "description": _("Description"),
        "email": _("Email address"),
        "website": _("Website"),
        "url": _("Website"),
        "phones": _("Phone numbers"),
        "accessibility": _("Accessibility"),
        "kbo": _("Enterprise number (KBO/BCE)"),
        "other_ids": _("Ids in other social maps"),
        "locations": _("Locations"),
        "relay": _("Relay person"),
        "join_link": _("Link to join the group"),
        "help": _("Kinds of help"),
        "languages": _("Languages"),
        "areas": _("Where people come from"),
        "hours": _("Opening hours"),
        "closures": _("Closures and holidays"),
        "is_free": _("Free of charge"),
        "application_process": _("How to apply"),
        "fees_description": _("Price"),
        "provenance": _("Source of the listing"),
    }
    label = labels.get(part, part)
    if locale:
        return f"{label} ({language_display_name(locale, current_language())})"
    return label


day_name = weekday_name


def item_words(name: str, item: Any, vocabulary: Vocabulary) -> str:
    """One element of a list field, in words."""
    if name == "help":
        return vocabulary.term(item)
    if name == "languages":
        return language_display_name(item, vocabulary.locale)
    if name == "areas":
        return vocabulary.area(item)
    if name == "hours":
        period = Period(time.fromisoformat(item["opens"]), time.fromisoformat(item["closes"]))
        return f"{day_name(item['byday'])} {format_period(period)}"
    if name == "locations":
        return (
            location_words(item, vocabulary)
            if isinstance(item, dict)
            else vocabulary.location(item)
        )
    if name == "other_ids":
        return f"{item['scheme']}: {item['identifier']}"
    if name == "closures":
        span = format_date_span(
            date.fromisoformat(item["starts_on"]), date.fromisoformat(item["ends_on"])
        )
        return f"{span}: {item['reason']}" if item.get("reason") else span
    return str(item)


def location_words(value: dict, vocabulary: Vocabulary) -> str:
    """A location of the organisation's list in words: every fact, so that a change shows."""
    place = " ".join(part for part in (value.get("postcode"), value.get("address")) if part)
    number = value.get("neighbourhood")
    neighbourhood = vocabulary.area(f"n:{number}") if number is not None else None
    features = [str(label) for key, label in FEATURE_LABELS.items() if value.get(key)]
    hours = [item_words("hours", period, vocabulary) for period in value.get("hours") or []]
    parts = [
        value.get("name"),
        place,
        neighbourhood,
        _("Confidential address") if value.get("confidential") else None,
        value.get("description"),
        value.get("transportation"),
        value.get("accessibility"),
        ", ".join(features),
        value.get("phone"),
        value.get("email"),
        value.get("website"),
        ", ".join(hours),
    ]
    return " · ".join(part for part in parts if part)


def value_words(name: str, value: Any, vocabulary: Vocabulary) -> str | None:
    """A whole value in words (None: empty)."""
    if value is None or value == [] or value == "":
        return None
    if name in LIST_FIELDS:
        return "; ".join(item_words(name, item, vocabulary) for item in value)
    if name == "is_free":
        return _("Yes") if value else _("No")
    if name == "provenance":
        return str(PROVENANCE_LABELS.get(Provenance(value), value))
    if name == "relay":
        return ", ".join(
            part for part in (value.get("name"), value.get("email"), value.get("phone")) if part
        )
    return str(value)


def diff_rows(before: dict, after: dict, vocabulary: Vocabulary) -> list[DiffRow]:
    """One row per changed field, in the order of the form."""
    order = {
        name: i for i, name in enumerate((*fields.SERVICE_FIELDS, *fields.ORGANIZATION_FIELDS))
    }
    rows = []
    for name in sorted(after, key=lambda n: order.get(n, len(order))):
        old, new = before.get(name), after.get(name)
        label = field_label(name)
        if name in LIST_FIELDS:
            old_items = [item_words(name, i, vocabulary) for i in old or []]
            new_items = [item_words(name, i, vocabulary) for i in new or []]
            rows.append(
                DiffRow(
                    name,
                    label,
                    "list",
                    added=[i for i in new_items if i not in old_items],
                    removed=[i for i in old_items if i not in new_items],
                )
            )
        else:
            kind = "text" if name.partition(".")[0] in TEXT_LIKE else "value"
            rows.append(
                DiffRow(
                    name,
                    label,
                    kind,
                    before=value_words(name, old, vocabulary),
                    after=value_words(name, new, vocabulary),
                )
            )
    return rows


REQUEST_STATUS_LABELS = {
    RequestStatus.PENDING: _l("Waiting for a coordinator"),
    RequestStatus.APPROVED: _l("Approved and published"),
    RequestStatus.REJECTED: _l("Rejected"),
    RequestStatus.WITHDRAWN: _l("Replaced by a newer proposal"),
}


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        request_status_labels=REQUEST_STATUS_LABELS,
    )
