"""`flask hsds export DIR` and `flask hsds import PATH [--dry-run]`: listings exchanged with
other social maps as HSDS 3.0 files (see `exporting` and `importing`)."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask.cli import AppGroup

from directory.exchange import exporting, importing
from directory.extensions import db
from directory.i18n import SUPPORTED_LOCALES

hsds = AppGroup("hsds", help="Exchange listings with other social maps in HSDS 3.0.")


@hsds.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--language",
    type=click.Choice(SUPPORTED_LOCALES),
    default=None,
    help="The language of the texts (falling back to each listing's original); "
    "default: each listing in its original language.",
)
def export_command(directory: Path, language: str | None) -> None:
    """Write the published catalogue as HSDS JSON documents and a CSV data package."""
    started = time.perf_counter()
    report = exporting.export(db.session(), directory, language)
    seconds = time.perf_counter() - started
    size = sum(path.stat().st_size for path in directory.iterdir() if path.is_file())
    click.echo(
        f"Exported to {directory}: {report.files['services.json']} services, "
        f"{report.files['organizations.json']} organisations, "
        f"{len(report.files)} files ({size / 1024:.0f} KiB) in {seconds:.1f} s."
    )


@hsds.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--language",
    type=click.Choice(SUPPORTED_LOCALES),
    default=None,
    help="The language of the names and descriptions, for records that do not say it "
    "(our profile's text_language does); needed for CSV packages.",
)
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
def import_command(path: Path, language: str | None, dry_run: bool) -> None:
    """Create or update listings from an HSDS JSON file or CSV data package, by id, in one
    transaction; a problem stops it with the file, row and problem, changing nothing."""
    session = db.session()
    try:
        report = importing.import_path(session, path, language)
    except importing.ImportFailed as failure:
        session.rollback()
        message = f"Nothing imported; the database is unchanged.\n{failure}"
        raise click.ClickException(message) from None
    except BaseException:
        session.rollback()
        raise
    if dry_run:
        session.rollback()
        click.echo(f"Dry run of {path}: nothing was written. The import would do this:")
    else:
        session.commit()
        click.echo(f"Imported {path}:")
    for line in report.lines():
        click.echo(line)
