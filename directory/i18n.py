"""Languages of the interface: which exist, the language in the URL (/<lang>/...), and how
listing content falls back when it does not exist in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Generic, Protocol, TypeVar

from babel import Locale
from flask import Flask, abort, g, has_app_context, redirect, request, url_for
from flask_babel import get_locale, get_translations
from werkzeug.wrappers import Response

from directory.extensions import babel

SUPPORTED_LOCALES: tuple[str, ...] = ("nl", "fr", "en", "ar", "tr", "es", "pt", "pl", "ro")
DEFAULT_LOCALE = "nl"
# Brussels' two official languages: the best fallback for content missing in the reader's.
FALLBACK_LOCALES: tuple[str, ...] = ("nl", "fr")


@dataclass(frozen=True)
class UILanguage:
    code: str
    native_name: str  # the language's name in itself, from CLDR
    direction: str  # "ltr" or "rtl"


@cache
def ui_languages() -> tuple[UILanguage, ...]:
    """CLDR data, the same for every request: worked out once per process."""
    languages = []
    for code in SUPPORTED_LOCALES:
        locale = Locale.parse(code)
        name = locale.get_display_name(code) or code
        direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
        languages.append(UILanguage(code, name[:1].upper() + name[1:], direction))
    return tuple(languages)


def current_language() -> str:
    if lang := g.get("lang"):
        return lang
    # A URL that matched no route (a 404) may still start with a language.
    first_segment = request.path.lstrip("/").split("/", 1)[0]
    if first_segment in SUPPORTED_LOCALES:
        return first_segment
    return best_language_for_request()


def best_language_for_request() -> str:
    return request.accept_languages.best_match(SUPPORTED_LOCALES, default=DEFAULT_LOCALE)


class Localized(Protocol):
    locale: str
    is_original: bool


T = TypeVar("T", bound=Localized)


@dataclass(frozen=True)
class PickedText(Generic[T]):
    text: T
    is_other_language: bool  # not in the language the reader asked for


def pick_text(texts: Mapping[str, T], locale: str) -> PickedText[T] | None:
    """The text to show a reader of `locale`: theirs when it exists, else Dutch or French,
    else the original, else any."""
    if not texts:
        return None
    if locale in texts:
        return PickedText(texts[locale], False)
    for fallback in FALLBACK_LOCALES:
        if fallback in texts:
            return PickedText(texts[fallback], True)
    originals = [text for text in texts.values() if text.is_original]
    chosen = originals[0] if originals else texts[sorted(texts)[0]]
    return PickedText(chosen, True)


def name_in(listing, locale: str) -> str:
    """The name of an organisation or a service (anything with `texts` by locale) as a
    reader of `locale` sees it."""
    picked = pick_text(listing.texts, locale)
    return picked.text.name if picked else "?"


def _translations():
    """This request's translations. flask_babel finds them again for every string a template
    translates (a page has dozens); they change only with the locale, which `force_locale`
    (emails in the recipient's language) replaces by another object."""
    if not has_app_context():
        return get_translations()
    locale = get_locale()
    kept = g.get("translations")
    if kept is None or kept[0] is not locale:
        kept = g.translations = (locale, get_translations())
    return kept[1]


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=current_language)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.url_value_preprocessor(_take_language_from_url)
    app.url_defaults(_put_language_in_url)
    app.add_url_rule("/", "language_redirect", _redirect_to_best_language)


def _take_language_from_url(_endpoint: str | None, values: dict | None) -> None:
    if values is None or "lang_code" not in values:
        return
    code = values.pop("lang_code")
    if code not in SUPPORTED_LOCALES:
        abort(404)
    g.lang = code


def _put_language_in_url(endpoint: str, values: dict) -> None:
    if "lang_code" in values:
        return
    from flask import current_app

    if current_app.url_map.is_endpoint_expecting(endpoint, "lang_code"):
        values["lang_code"] = current_language()


def _redirect_to_best_language() -> Response:
    response = redirect(url_for("catalogue.home", lang_code=best_language_for_request()))
    response.vary.add("Accept-Language")
    return response
