"""Organisations keeping their own listing true: editing, moderation and the change log."""

from flask import Flask

from directory.listings import blueprint, presenting


def init_app(app: Flask) -> None:
    presenting.init_app(app)
    app.register_blueprint(blueprint.bp, url_prefix="/<lang_code>/manage")
