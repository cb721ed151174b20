"""`flask feedback forget`: the claimants' details of decided claims, forgotten after
CLAIM_KEEP_DAYS (run daily from cron, beside `flask referrals purge`)."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from directory.extensions import db
from directory.feedback import operations

group = AppGroup("feedback", help="Error reports and claims: retention (run daily).")


@group.command("forget")
def forget() -> None:
    """Forget who made claims decided more than CLAIM_KEEP_DAYS ago."""
    keep = timedelta(days=current_app.config["CLAIM_KEEP_DAYS"])
    with db.transaction() as session:
        count = operations.forget_decided_claims(session, keep)
    click.echo(f"Claims forgotten: {count}.")
