"""Keeping listings true over time: "is this still right?" emails, the one-click
confirmation, and stale listings marked and listed for coordinators."""

from flask import Flask, url_for
from flask_babel import gettext as _

from directory import clock
from directory.freshness import blueprint, cli, rules
from directory.models import Account, Role
from directory.rendering.navigation import WorkLink, add_work_links


def work_links(account: Account, session) -> list[WorkLink]:
    if account.role is not Role.COORDINATOR:
        return []
    return [WorkLink(_("Listings to check"), url_for("freshness.stale_listings"), None, 50)]


def init_app(app: Flask) -> None:
    add_work_links(app, work_links)
    app.register_blueprint(blueprint.bp, url_prefix="/<lang_code>")
    app.cli.add_command(cli.group)
    app.jinja_env.globals.update(
        is_stale=lambda listing: rules.is_stale(listing.assured_date, clock.now().date()),
    )
