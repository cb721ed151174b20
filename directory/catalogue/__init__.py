"""Public pages of the catalogue: home, search, organisations, services, handouts; and the
anonymous record of searches that found nothing."""

from flask import Flask

from directory.catalogue import blueprint, gaps


def init_app(app: Flask) -> None:
    gaps.init_app(app)
    app.register_blueprint(blueprint.bp, url_prefix="/<lang_code>")
