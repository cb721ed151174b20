"""`flask seed [--synthetic N]`: reference data and the seed catalogue from `seeds/`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from directory import config
from directory.extensions import db
from directory.indexing import sync
from directory.seeding.fields import SeedError
from directory.seeding.loader import load_seeds
from directory.seeding.synthetic import make_synthetic_catalogue

SEEDS_DIR = config.PROJECT_ROOT / "seeds"
PLACE_RECORDS = {"municipality", "postcode", "neighbourhood", "local_name"}


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
