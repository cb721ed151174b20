"""`flask feedback forget`: the claimants' details of decided claims, forgotten after
CLAIM_KEEP_DAYS, readers' addresses on error reports still open after
REPORT_EMAIL_KEEP_DAYS, and the records of searches that found nothing after
ZERO_RESULT_KEEP_DAYS (run daily from cron, beside `flask referrals purge`)."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from directory.catalogue import gaps
from directory.extensions import db
from directory.feedback import operations

group = AppGroup("feedback", help="Error reports and claims: retention (run daily).")


@group.command("forget")
def forget() -> None:
    """Forget who made claims decided more than CLAIM_KEEP_DAYS ago, the addresses on error
    reports older than REPORT_EMAIL_KEEP_DAYS, and searches older than
    ZERO_RESULT_KEEP_DAYS."""
    config = current_app.config
    with db.transaction() as session:
        claims = operations.forget_decided_claims(
            session, timedelta(days=config["CLAIM_KEEP_DAYS"])
        )
        reports = operations.forget_report_addresses(
            session, timedelta(days=config["REPORT_EMAIL_KEEP_DAYS"])
        )
        searches = gaps.forget_old(session, timedelta(days=config["ZERO_RESULT_KEEP_DAYS"]))
    click.echo(f"Claims forgotten: {claims}.")
    click.echo(f"Addresses on open error reports forgotten: {reports}.")
    click.echo(f"Records of searches that found nothing deleted: {searches}.")
