"""`flask search rebuild | sync | status`: the search index, derived from the database."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup

from directory.indexing import sync

group = AppGroup("search", help="The search index (derived from the database).")


@group.command("rebuild")
def rebuild() -> None:
    """Build a fresh index beside the current one and swap it in; searches keep working."""
    started = time.perf_counter()
    count = sync.rebuild(current_app)
    click.echo(f"Search index rebuilt: {count} services in {time.perf_counter() - started:.1f} s.")


@group.command("sync")
def apply_outbox() -> None:
    """Apply the outbox rows the index has not seen (one writer at a time)."""
    click.echo(f"Applied {sync.apply_pending(current_app)} outbox rows.")


@group.command("status")
def status() -> None:
    """Compare the index with the database."""
    state = sync.health(current_app)
    same = sync.content_matches(current_app) if state.indexed is not None else False
    click.echo(
        f"indexed={state.indexed} active={state.active} "
        f"applied_outbox={state.applied_upto} latest_outbox={state.latest_outbox} "
        f"content={'equal' if same else 'DIFFERENT: run flask search rebuild'}"
    )
