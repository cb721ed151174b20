"""Nabij, the social map of Brussels: the application factory.

`flask` finds `create_app` here without flags; `gunicorn "app:create_app()"` serves it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from directory import (
    accounts,
    backup,
    catalogue,
    config,
    coordination,
    errors,
    exchange,
    feedback,
    freshness,
    health,
    i18n,
    indexing,
    listings,
    mail,
    ratelimit,
    referrals,
    rendering,
    schema,
    security,
    seeding,
    signals,
)
from directory.extensions import csrf, db

# Each feature registers its blueprint, commands and template globals in its `init_app`.
FEATURES = (
    catalogue,
    accounts,
    referrals,
    listings,
    feedback,
    freshness,
    exchange,
    signals,
    coordination,
)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(config.PROJECT_ROOT / "templates"),
        static_folder=str(config.PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(config.from_environment())
    if test_config:
        app.config.from_mapping(test_config)
    if proxies := app.config["TRUSTED_PROXIES"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    # Before anything asks for app.jinja_env: each language gets its own compiled templates.
    rendering.init_app(app)
    db.init_app(app, bind=app.config.get("DATABASE_BIND"))
    csrf.init_app(app)
    i18n.init_app(app)
    mail.init_app(app)
    ratelimit.init_app(app)
    schema.init_app(app)
    backup.init_app(app)
    seeding.init_app(app)
    indexing.init_app(app)

    for feature in FEATURES:
        feature.init_app(app)

    health.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    return app
