"""`flask listings ask`: the daily "is this still right?" emails (run from cron)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from directory import mail
from directory.extensions import db
from directory.freshness import checks

group = AppGroup("listings", help="Listings: freshness checks (run daily).")


@group.command("ask")
def ask() -> None:
    """Ask organisations checked more than six months ago whether their listing is still
    right (an informal group: whether it is still active)."""
    with mail.in_a_command(), db.transaction() as session:
        count = checks.ask_all(session)
    click.echo(f"Organisations asked: {count}.")
