"""What templates may call: the current language, listing texts, places and hours formatted
for the reader's locale. Templates hold layout; the rules live here and in the domain."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import quote, quote_plus

from babel.dates import format_date, format_skeleton, format_time
from flask import Flask, current_app, has_request_context, request, url_for
from flask_babel import get_locale
from markupsafe import escape

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
    ROLE_LABELS,
)
from directory.models import language_display_name

# Bidirectional embedding, override and isolate controls (and the implicit marks): in text
# people typed they can make a name read backwards or spoof another. Layout isolation is
# the templates' job (<bdi>, dir="auto"), never the text's.
BIDI_CONTROLS = dict.fromkeys(
    [0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
# Other control characters (not tab or line breaks) are kept as typed but printed as a visible
# replacement sign, so they can neither hide text nor break the page.
BIDI_CONTROLS.update(
    dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F], "\ufffd")
)
# Finding none of them is one scan in C; translating is a dictionary look-up per character.
# A page prints hundreds of values and almost none holds such a character.
_ANY_CONTROL = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(BIDI_CONTROLS)) + "]")


def neutralise_bidi(value):
    """Every value a template prints passes here (Jinja's `finalize`), plain or already
    marked safe (a translated sentence with a user's words in it is Markup)."""
    if isinstance(value, str) and _ANY_CONTROL.search(value):
        # str.translate on the class keeps Markup as Markup; removing characters adds no
        # markup.
        return value.__class__(str.translate(value, BIDI_CONTROLS))
    return value


class Rendered:
    """HTML that one of our templates rendered, kept to be printed again as it is: every
    value in it was escaped and passed `neutralise_bidi` when it was rendered, so it is not
    scanned again (on a search page that is tens of kilobytes, every request). Not a string,
    so nothing can be added to it unchecked."""

    __slots__ = ("html",)

    def __init__(self, html: str) -> None:
        self.html = html

    def __html__(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def _locale() -> str:
    return str(get_locale())


def text_of(listing):
    """The text of an organisation or service to show the reader (see `i18n.pick_text`)."""
    return pick_text(listing.texts, current_language())


def place_name(place) -> str:
    return place.display_name(current_language())


def format_day(day: date) -> str:
    return format_day_in(day, _locale())


def format_day_in(day: date, locale: str) -> str:
    """ "maandag 23 november": names written out in full, easier to read than "ma 23 nov"."""
    weekday = format_date(day, "EEEE", locale=locale)
    return f"{weekday} {format_skeleton('MMMMd', day, locale=locale)}"


def format_long_date(day: date) -> str:
    return format_date(day, format="long", locale=_locale())


def format_period(period: Period) -> str:
    return format_period_in(period, _locale())


def format_period_in(period: Period, locale: str) -> str:
    opens = format_time(period.opens_at, format="short", locale=locale)
    closes = format_time(period.closes_at, format="short", locale=locale)
    return f"{opens}\u2009\u2013\u2009{closes}"


MARK = "\ue000"  # a private-use character: no name or label holds it


def cut_at_mark(html) -> list[str]:
    """Rendered HTML cut where `MARK` was printed: a piece rendered once, with slots a page
    fills in (filter rows' counts, the language switcher's address)."""
    return str(html).split(MARK)


def language_nav() -> Rendered:
    """The language switcher: this page, with its filters, in every interface language.

    Each language's address is this page's address with another first segment, so the
    switcher is rendered once per language with a mark where the rest of the address goes,
    and a page only puts its own address in."""
    lang, root = current_language(), request.script_root
    key = (lang, root)
    parts = _nav_parts.get(key)
    if parts is None:
        macros = current_app.jinja_env.get_template("language_nav.html").module
        marked = [(language, f"{root}/{language.code}/{MARK}") for language in ui_languages()]
        parts = _nav_parts[key] = cut_at_mark(macros.language_nav(marked, lang))
    rest = _address_after_language()
    return Rendered(str(escape(neutralise_bidi(rest))).join(parts))


_nav_parts: dict[tuple[str, str], list[str]] = {}


def _address_after_language() -> str:
    """What follows /<lang>/ in this page's address (its filters kept); "" for a page that
    has no language: the switcher then leads to every language's home."""
    if not (request.url_rule and "lang_code" in request.url_rule.arguments):
        return ""
    prefix = f"/{current_language()}/"
    if not request.path.startswith(prefix):  # every /<lang_code>/ route does
        return ""
    rest = quote(request.path[len(prefix) :])
    route_values = request.url_rule.arguments  # in the path; a query parameter so named goes
    query = [
        query_pair(name, value)
        for name, value in request.args.items(multi=True)
        if name not in route_values
    ]
    return f"{rest}?{'&'.join(query)}" if query else rest


URL_SAFE = "!$'()*,/:;?@"  # what werkzeug.urls leaves unencoded in a query string


def query_pair(name: str, value: str) -> str:
    """One name=value of a query string, encoded as Werkzeug's `url_for` would."""
    return f"{quote_plus(name, safe=URL_SAFE)}={quote_plus(value, safe=URL_SAFE)}"


URLS_KEPT = 4096


def kept_url_for(endpoint: str, **values) -> str:
    """`url_for`, remembering what it built: every page links to the same few places (the
    style sheet, home, sign in, the search form) and building a URL takes longer than
    printing it. Only relative URLs of full endpoint names, built from plain values, are
    kept, per app, language and script root (what else goes into them). Templates call it
    as `url_for`."""
    if endpoint.startswith(".") or not has_request_context():
        return url_for(endpoint, **values)
    if any(name.startswith("_") for name in values):  # _external, _anchor, ...
        return url_for(endpoint, **values)
    key = (endpoint, request.script_root, current_language(), *sorted(values.items()))
    kept: dict[tuple, str] = current_app.extensions["kept urls"]
    try:
        url = kept.get(key)
    except TypeError:  # a list of values: built each time
        return url_for(endpoint, **values)
    if url is None:
        url = url_for(endpoint, **values)
        if len(kept) >= URLS_KEPT:
            kept.clear()
        kept[key] = url
    return url


def init_app(app: Flask) -> None:
    app.jinja_env.finalize = neutralise_bidi
    app.extensions["kept urls"] = {}
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
        format_period=format_period,
        today=lambda: clock.now().date(),
        kind_labels=KIND_LABELS,
        region_label=REGION_LABEL,
        filter_labels=FILTER_LABELS,
        formality_labels=FORMALITY_LABELS,
        line_labels=LINE_LABELS,
        provenance_labels=PROVENANCE_LABELS,
        role_labels=ROLE_LABELS,
    )
