"""Keeping listings true over time: "is this still right?" emails, the one-click
confirmation, and stale listings marked and listed for coordinators."""

from flask import Flask

from directory import clock
from directory.freshness import blueprint, cli, rules


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint.bp, url_prefix="/<lang_code>")
    app.cli.add_command(cli.group)
    app.jinja_env.globals.update(
        is_stale=lambda listing: rules.is_stale(listing.assured_date, clock.now().date()),
    )
