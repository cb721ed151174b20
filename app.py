"""Nabij, the social map of Brussels: the application factory.

`flask` finds `create_app` here without flags; `gunicorn "app:create_app()"` serves it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from directory import (
    cli,
    config,
    errors,
    health,
    i18n,
    mail,
    ratelimit,
    templating,
    translated_templates,
)
from directory.accounts import blueprint as accounts
from directory.accounts import sessions
from directory.catalogue import blueprint as catalogue
from directory.catalogue import gaps
from directory.extensions import csrf, db
from directory.feedback import blueprint as feedback
from directory.freshness import blueprint as freshness
from directory.indexing import sync as search_sync
from directory.listings import blueprint as listings
from directory.referrals import blueprint as referrals


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(config.PROJECT_ROOT / "templates"),
        static_folder=str(config.PROJECT_ROOT / "static"),
    )
    # Before anything asks for app.jinja_env: each language gets its own compiled templates.
    app.jinja_environment = translated_templates.LocaleEnvironment
    app.config.from_mapping(config.from_environment())
    if test_config:
        app.config.from_mapping(test_config)

    if proxies := app.config["TRUSTED_PROXIES"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    db.init_app(app, bind=app.config.get("DATABASE_BIND"))
    csrf.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    translated_templates.init_app(app)
    search_sync.init_app(app)
    gaps.init_app(app)
    mail.init_app(app)
    ratelimit.init_app(app)
    sessions.init_app(app)

    app.register_blueprint(catalogue.bp, url_prefix="/<lang_code>")
    app.register_blueprint(accounts.bp, url_prefix="/<lang_code>/account")
    referrals.init_app(app)
    listings.init_app(app)
    feedback.init_app(app)
    freshness.init_app(app)

    health.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    return app
