"""`flask backup PATH` and `flask restore PATH`: a consistent copy of the database, taken
while serving, and putting one back.

SQLite: the online backup API (a consistent copy page by page, writers wait a moment).
PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean` in one transaction (the
client tools of the server's version must be installed).

The search index is derived data and is not in a backup: a restore rebuilds it at once,
and every other process or app host notices the database went back (its outbox ends below
what its index applied, or the content fingerprint differs) and rebuilds its own.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import parse_qs

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from directory.extensions import db
from directory.indexing import sync


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    return Path(parsed.database) if parsed.get_backend_name() == "sqlite" else None


def _libpq(url: str) -> tuple[str, list[str]]:
    """The URL for PostgreSQL's own tools, and the schema to limit them to (the tests' and
    some deployments' search_path)."""
    parsed = make_url(url)
    options = parse_qs(f"o={parsed.query.get('options', '')}")["o"][0]
    schemas = [
        part.split("=", 1)[1] for part in options.split() if part.startswith("-csearch_path=")
    ]
    plain = parsed.set(drivername="postgresql")
    return plain.render_as_string(hide_password=False), schemas


def _copy_sqlite(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def backup(url: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if path := _sqlite_path(url):
        target.unlink(missing_ok=True)
        _copy_sqlite(path, target)
        return
    libpq, schemas = _libpq(url)
    command = [_tool("pg_dump"), "--format=custom", f"--file={target}", *_schema_args(schemas)]
    subprocess.run([*command, libpq], check=True)


def restore(url: str, source: Path) -> None:
    if path := _sqlite_path(url):
        _copy_sqlite(source, path)
        return
    libpq, schemas = _libpq(url)
    command = [
        _tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        *_schema_args(schemas),
        f"--dbname={libpq}",
        str(source),
    ]
    subprocess.run(command, check=True)


def _schema_args(schemas: list[str]) -> list[str]:
    return [f"--schema={name}" for name in schemas]


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise click.ClickException(f"{name} is not installed (PostgreSQL's client tools).")
    return found


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write a consistent copy of the database to PATH (while serving)."""
    backup(current_app.config["DATABASE_URL"], path)
    click.echo(f"Database copied to {path}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="Replace the whole database with this backup?")
@with_appcontext
def restore_command(path: Path) -> None:
    """Put the backup at PATH in place of the database, then rebuild the search index."""
    db.engine.dispose()  # no pooled connection keeps the old file or schema open
    restore(current_app.config["DATABASE_URL"], path)
    click.echo(f"Database restored from {path}.")
    click.echo(f"Search index rebuilt: {sync.rebuild(current_app)} services.")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
