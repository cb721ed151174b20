"""Rendering pages: templates compiled once per language (`environment`), what templates may
call (`template_globals`), pieces of HTML kept and printed again (`fragments`, `language_nav`,
`search_page`), the header's work links per role (`navigation`), cheap URLs (`urls`), the
bidi filter on every printed value (`bidi`) and dates and hours per locale (`formats`).

`init_app` must run before anything asks for `app.jinja_env`: it chooses the environment
class that compiles each language's templates with their sentences translated.
"""

from flask import Flask

from directory.rendering import (
    environment,
    fragments,
    language_nav,
    navigation,
    template_globals,
    urls,
)
from directory.rendering.bidi import neutralise_bidi
from directory.rendering.fragments import MARK, Rendered

__all__ = ["MARK", "Rendered", "init_app", "neutralise_bidi"]


def init_app(app: Flask) -> None:
    app.jinja_environment = environment.LocaleEnvironment
    app.jinja_env.finalize = neutralise_bidi
    environment.init_app(app)
    template_globals.init_app(app)
    navigation.init_app(app)
    app.extensions[urls.EXTENSION] = {}
    app.extensions[language_nav.EXTENSION] = fragments.FragmentCache(64)
