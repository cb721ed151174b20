"""Nabij, the social map of Brussels: the application factory.

`flask` finds `create_app` here without flags; `gunicorn "app:create_app()"` serves it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from directory import cli, config, errors, health, i18n, templating
from directory.catalogue import blueprint as catalogue
from directory.extensions import csrf, db
from directory.indexing import sync as search_sync


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(config.PROJECT_ROOT / "templates"),
        static_folder=str(config.PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(config.from_environment())
    if test_config:
        app.config.from_mapping(test_config)

    db.init_app(app, bind=app.config.get("DATABASE_BIND"))
    csrf.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    search_sync.init_app(app)

    app.register_blueprint(catalogue.bp, url_prefix="/<lang_code>")

    health.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    return app
