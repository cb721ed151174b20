"""The language switcher: this page, with its filters, in every interface language.

Each language's address is this page's address with another first segment, so the switcher
is rendered once per language (and script root) with a mark where the rest of the address
goes, and a page only puts its own address in."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from flask import current_app, request
from markupsafe import escape

from directory.i18n import current_language, ui_languages
from directory.rendering.bidi import neutralise_bidi
from directory.rendering.fragments import MARK, FragmentCache, Rendered, cut_at_mark
from directory.rendering.urls import query_pair

EXTENSION = "language nav"


@dataclass(frozen=True)
class NavKey:
    language: str  # the page's language, marked as the current one
    script_root: str


def language_nav() -> Rendered:
    key = NavKey(current_language(), request.script_root)
    cache: FragmentCache[NavKey] = current_app.extensions[EXTENSION]
    parts = cache.get(key, _draw)
    rest = _address_after_language()
    return Rendered(str(escape(neutralise_bidi(rest))).join(parts))


def _draw(key: NavKey) -> list[str]:
    macros = current_app.jinja_env.get_template("language_nav.html").module
    marked = [
        (language, f"{key.script_root}/{language.code}/{MARK}") for language in ui_languages()
    ]
    return cut_at_mark(macros.language_nav(marked, key.language))


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
