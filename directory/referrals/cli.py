"""`flask referrals purge` and `flask referrals remind`: the daily jobs of the warm handover
(run them from cron or a systemd timer)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from directory import mail
from directory.extensions import db
from directory.referrals import queries, retention

group = AppGroup("referrals", help="Referrals: retention and reminders (run daily).")


@group.command("purge")
def purge() -> None:
    """Delete declined and never-accepted referrals after 30 days; anonymise closed ones
    after 12 months (REFERRAL_DELETE_AFTER_DAYS, REFERRAL_ANONYMISE_AFTER_DAYS)."""
    with db.transaction() as session:
        report = retention.purge(session)
    click.echo(f"Referrals deleted: {report.deleted}; anonymised: {report.anonymised}.")


@group.command("remind")
def remind() -> None:
    """Remind senders and receivers once about each referral not acknowledged within two
    working days."""
    with mail.in_a_command(), db.transaction() as session:
        count = queries.remind(session)
    click.echo(f"Reminders sent for {count} referrals.")
