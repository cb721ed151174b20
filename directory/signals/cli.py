"""`flask signals purge` and `flask signals escalate`: the daily jobs of signals of concern
(run them from cron or a systemd timer). The rules are in `retention`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from directory import mail
from directory.extensions import db
from directory.signals import retention

group = AppGroup(
    "signals", help="Signals of concern: retention, idle signals and escalation (run daily)."
)


@group.command("purge")
def purge() -> None:
    """Close idle signals and delete old ones; prints how many of each.

    Whoever has an open signal with no step for SIGNAL_IDLE_DAYS - 14 days (default 166) is
    reminded once that it will be closed. One with no step for SIGNAL_IDLE_DAYS (default
    180), reminded at least 14 days before, is closed as idle: the signaller's contact is
    erased and whoever had it is told. Closed signals are deleted after SIGNAL_KEEP_DAYS
    (default 90)."""
    with mail.in_a_command(), db.transaction() as session:
        done = retention.purge_all(session)
    click.echo(f"Signals reminded that they will be closed as idle: {done.reminded}.")
    click.echo(f"Signals closed as idle: {done.closed_idle}.")
    click.echo(f"Signals deleted: {done.deleted}.")


@group.command("escalate")
def escalate() -> None:
    """Tell the coordinators once about each signal nobody took up within 14 days
    (SIGNAL_ESCALATE_DAYS)."""
    with mail.in_a_command(), db.transaction() as session:
        count = retention.escalate(session)
    click.echo(f"Signals escalated to the coordinators: {count}.")
