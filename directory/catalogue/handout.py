"""A handout to give a client on paper: listings in two languages side by side (the client's
and the provider's, Dutch or French), with opening hours, how to get in touch and a QR code
to the live listing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import segno
from flask import url_for
from flask_babel import force_locale, gettext
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from directory import hours, phones
from directory.catalogue import queries
from directory.i18n import pick_text, ui_languages
from directory.models import Service
from directory.reach import Place, ways_to_reach
from directory.rendering.formats import format_day, format_hours

MAX_LISTINGS = 10
PROVIDER_LANGUAGES = ("nl", "fr")


@dataclass(frozen=True)
class Column:
    """One listing in one language."""

    locale: str
    direction: str
    name: str
    organization: str
    summary: str
    text_locale: str  # the language the listing text is really in (a fallback may differ)
    fallback_note: str  # said when the text is not in this column's language
    hours_title: str
    hours: list[Markup]  # a day and its time ranges, each isolated (see formats.format_hours)
    reach_title: str
    reach: list[str]
    apply_title: str
    apply: list[str]  # how to apply, then the price
    scan_hint: str


@dataclass(frozen=True)
class HandoutListing:
    columns: list[Column]
    qr_svg: Markup
    url: str


def parse_ids(raw: list[str]) -> list[uuid.UUID]:
    ids = []
    for value in raw[: MAX_LISTINGS * 2]:
        try:
            identifier = uuid.UUID(value)
        except ValueError:
            continue
        if identifier not in ids:
            ids.append(identifier)
    return ids[:MAX_LISTINGS]


def provider_language(service: Service, chosen: str | None) -> str:
    if chosen in PROVIDER_LANGUAGES:
        return chosen
    original = next((t.locale for t in service.texts.values() if t.is_original), None)
    return original if original in PROVIDER_LANGUAGES else "fr"


def build(
    session: Session, ids: list[uuid.UUID], client: str, provider: str | None, today: date
) -> list[HandoutListing]:
    listings = []
    for identifier in ids:
        service = queries.service_page(session, identifier)
        if service is None:
            continue
        languages = list(dict.fromkeys([client, provider_language(service, provider)]))
        url = url_for("catalogue.service", service_id=service.id, lang_code=client, _external=True)
        qr = segno.make(url, error="m")
        listings.append(
            HandoutListing(
                columns=[_column(service, locale, today) for locale in languages],
                # segno writes the SVG itself from the URL we built: no user text in it.
                qr_svg=Markup(qr.svg_inline(scale=3, border=2, dark="#000", light="#fff")),  # noqa: S704
                url=url,
            )
        )
    return listings


def _column(service: Service, locale: str, today: date) -> Column:
    direction = {ui.code: ui.direction for ui in ui_languages()}.get(locale, "ltr")
    text = pick_text(service.texts, locale)
    organization = pick_text(service.organization.texts, locale)
    with force_locale(locale):
        days = hours.coming_days(service.schedules, service.closures, today)
        opening = [
            escape(format_day(day.day, locale)) + Markup(": ") + format_hours(day.periods, locale)
            for day in days
            if day.periods
        ] or [escape(gettext("We do not know the opening hours. Please ask before you go."))]
        return Column(
            locale=locale,
            direction=direction,
            name=text.text.name if text else "",
            organization=organization.text.name if organization else "",
            summary=(text.text.summary or "") if text else "",
            text_locale=text.text.locale if text else locale,
            fallback_note=gettext(
                "This text is not available in your language yet. It is shown in another language."
            )
            if text and text.is_other_language
            else "",
            hours_title=gettext("Opening hours"),
            hours=opening,
            reach_title=gettext("How to get in touch"),
            reach=_reach_lines(service, locale),
            apply_title=gettext("How to apply"),
            apply=[
                line
                for line in (
                    service.application_process,
                    f"{gettext('Price:')} {service.fees_description}"
                    if service.fees_description
                    else None,
                )
                if line
            ],
            scan_hint=gettext("Scan the code to see this listing online."),
        )


def _reach_lines(service: Service, locale: str) -> list[str]:
    ways = ways_to_reach(service.organization, service)
    lines = [f"{gettext('Phone:')} {phones.international(p.number)}" for p in ways.phones]
    lines += [f"{gettext('Email:')} {e}" for e in ways.emails]
    if ways.website:
        lines.append(f"{gettext('Website:')} {ways.website}")
    for place in ways.places:
        lines += _place_lines(place, locale)
    if ways.is_relayed:
        names = [c.name for c in ways.relay_contacts if c.name]
        if ways.relay_organization:
            relay = pick_text(ways.relay_organization.texts, locale)
            names.append(relay.text.name if relay else "")
        lines.append(
            gettext("This group has no contact details of its own. You reach it through:")
            + " "
            + ", ".join(n for n in names if n)
        )
    return lines or [gettext("We have no contact details for this listing yet.")]


def _place_lines(place: Place, locale: str) -> list[str]:
    """A location on paper: its address and the way there, or only its municipality."""
    if place.one_line:
        lines = [f"{gettext('Address:')} {place.one_line}"]
    elif place.is_confidential and place.municipality:
        lines = [
            gettext(
                "In %(place)s. The address is confidential: get in touch first.",
                place=place.municipality.display_name(locale),
            )
        ]
    else:
        lines = []
    if place.transportation:
        lines.append(f"{gettext('Public transport:')} {place.transportation}")
    lines += [f"{gettext('Phone:')} {phones.international(p.number)}" for p in place.phones]
    lines += [f"{gettext('Email:')} {e}" for e in place.emails]
    return lines


def client_languages() -> list[tuple[str, str]]:
    return [(ui.code, ui.native_name) for ui in ui_languages()]
