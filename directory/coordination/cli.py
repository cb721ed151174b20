"""`flask gaps report`: the coordinators' figures for policy reports, the same tables as
the page and its CSV files (the same counts, shown under the same rule)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from directory import clock
from directory.catalogue import search_params
from directory.coordination import output, report
from directory.coordination.filters import DEFAULT_PERIOD, PERIODS, read_filters
from directory.extensions import db
from directory.i18n import SUPPORTED_LOCALES

group = AppGroup("gaps", help="Where help is missing: the coordinators' figures.")


@group.command("report")
@click.option("--place", default="", help="A neighbourhood number or NIS code: its tables.")
@click.option("--domain", default="", help="Only this life domain (its code).")
@click.option("--kind", "kind_of_help", default="", help="Only this kind of help (its code).")
@click.option("--language", default="", help="Only help in this language (its code).")
@click.option(
    "--period",
    type=click.Choice([str(days) for days in PERIODS]),
    default=str(DEFAULT_PERIOD),
    show_default=True,
    help="Searches and referrals of the last so many days.",
)
@click.option("--table", "tables", multiple=True, help="Only this table (may be repeated).")
@click.option(
    "--locale",
    type=click.Choice(SUPPORTED_LOCALES),
    default="en",
    show_default=True,
    help="The language of names and headings.",
)
@click.option(
    "--csv",
    "csv_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write each table as a CSV file (the page's downloads) into this folder.",
)
def report_command(
    place: str,
    domain: str,
    kind_of_help: str,
    language: str,
    period: str,
    tables: tuple[str, ...],
    locale: str,
    csv_dir: Path | None,
) -> None:
    """Supply and demand per neighbourhood, municipality, kind of help and language, and
    the reasons referrals were declined (counts of people below 5: "fewer than 5")."""
    with force_locale(locale):
        words = search_params.vocabulary(db.session)
        filters = read_filters(
            {"domain": domain, "help": kind_of_help, "lang": language, "period": period}, words
        )
        if filters.ignored:
            raise click.UsageError(f"unknown code: {', '.join(filters.ignored)}")
        found = report.build(db.session(), words, filters, locale, clock.utc_now(), place)
        if found is None:
            raise click.UsageError(f"no neighbourhood or municipality {place!r}")
        unknown = set(tables) - set(found.tables)
        if unknown:
            raise click.UsageError(
                f"no table {', '.join(sorted(unknown))} (there are {', '.join(found.tables)})"
            )
        chosen = [t for name, t in found.tables.items() if not tables or name in tables]
        if csv_dir is not None:
            csv_dir.mkdir(parents=True, exist_ok=True)
            for table in chosen:
                path = csv_dir / output.csv_name(table, place)
                path.write_text(output.to_csv(table), encoding="utf-8", newline="")
                click.echo(path)
            return
        click.echo(f"Since {found.since:%Y-%m-%d} (UTC).\n")
        click.echo("\n".join(output.to_text(table) for table in chosen), nl=False)
