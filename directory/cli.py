"""Commands: `flask db upgrade`, `flask seed [--synthetic N]`, `flask search ...`,
`flask accounts ...`."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from directory import config, schema
from directory.accounts.cli import accounts_group
from directory.extensions import db
from directory.indexing import sync
from directory.seeding.fields import SeedError
from directory.seeding.loader import load_seeds
from directory.seeding.synthetic import make_synthetic_catalogue

SEEDS_DIR = config.PROJECT_ROOT / "seeds"
PLACE_RECORDS = {"municipality", "postcode", "neighbourhood", "local_name"}


db_group = AppGroup("db", help="Database schema (Alembic migrations).")


@db_group.command("upgrade")
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Apply the migrations up to REVISION (default: the newest)."""
    schema.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database schema is at {revision}.")


@db_group.command("downgrade")
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Undo the migrations down to REVISION ("base" for an empty database)."""
    schema.downgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database schema is at {revision}.")


@click.command("seed")
@click.option(
    "--synthetic",
    "synthetic",
    type=click.IntRange(min=0),
    default=None,
    help="Instead of the seed catalogue: replace the synthetic catalogue with N "
    "generated services (for scale work; never real).",
)
@click.option(
    "--random-seed",
    type=int,
    default=2026,
    show_default=True,
    help="Makes the synthetic catalogue reproducible.",
)
@click.option(
    "--seeds-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=SEEDS_DIR,
    show_default=True,
)
@with_appcontext
def seed(synthetic: int | None, random_seed: int, seeds_dir: Path) -> None:
    """Load reference data and the seed catalogue; a second run changes nothing."""
    try:
        with db.transaction() as session:
            report = load_seeds(session, seeds_dir)
            if synthetic is not None:
                made = make_synthetic_catalogue(session, synthetic, random_seed)
    except SeedError as error:
        raise click.ClickException(f"Seed not loaded, nothing changed. {error}") from None
    if report.total_written:
        details = ", ".join(f"{count} {kind}" for kind, count in sorted(report.written.items()))
        click.echo(f"Seed loaded: {details}; {report.unchanged} unchanged.")
    else:
        click.echo(f"Seed already up to date ({report.unchanged} records unchanged).")
    if report.kept:
        click.echo(f"Kept as their organisation edited them: {', '.join(report.kept)}.")
    if synthetic is not None:
        click.echo(
            f"Synthetic catalogue: {made.services} services in {made.organizations} organisations."
        )
    # Bulk inserts write no outbox rows, and the index reads which neighbourhoods a
    # municipality holds only when it is built: either calls for a rebuild.
    if synthetic is not None or PLACE_RECORDS & set(report.written):
        click.echo(f"Search index rebuilt: {sync.rebuild(current_app)} services.")


search_group = AppGroup("search", help="The search index (derived from the database).")


@search_group.command("rebuild")
def search_rebuild() -> None:
    """Build a fresh index beside the current one and swap it in; searches keep working."""
    started = time.perf_counter()
    count = sync.rebuild(current_app)
    click.echo(f"Search index rebuilt: {count} services in {time.perf_counter() - started:.1f} s.")


@search_group.command("sync")
def search_sync() -> None:
    """Apply the outbox rows the index has not seen (one writer at a time)."""
    click.echo(f"Applied {sync.apply_pending(current_app)} outbox rows.")


@search_group.command("status")
def search_status() -> None:
    """Compare the index with the database."""
    state = sync.health(current_app)
    click.echo(
        f"indexed={state.indexed} active={state.active} "
        f"applied_outbox={state.applied_upto} latest_outbox={state.latest_outbox}"
    )


def init_app(app: Flask) -> None:
    app.cli.add_command(db_group)
    app.cli.add_command(seed)
    app.cli.add_command(search_group)
    app.cli.add_command(accounts_group)
