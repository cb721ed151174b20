"""`flask signals purge` and `flask signals escalate`: the daily jobs of signals of concern
(run them from cron or a systemd timer)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from directory import mail
from directory.extensions import db
from directory.signals import retention

group = AppGroup("signals", help="Signals of concern: retention and escalation (run daily).")


@group.command("purge")
def purge() -> None:
    """Delete closed signals after 90 days (SIGNAL_KEEP_DAYS)."""
    with db.transaction() as session:
        count = retention.purge(session)
    click.echo(f"Signals deleted: {count}.")


@group.command("escalate")
def escalate() -> None:
    """Tell the coordinators once about each signal nobody took up within 14 days
    (SIGNAL_ESCALATE_DAYS)."""
    with mail.in_a_command(), db.transaction() as session:
        count = retention.escalate(session)
    click.echo(f"Signals escalated to the coordinators: {count}.")
