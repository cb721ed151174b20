"""Keeping the search index equal to the database: the outbox, the documents the index
receives, the one writer that applies changes, rebuilds and the start-up check
(`flask search ...`)."""

from flask import Flask

from directory.indexing import cli, outbox, sync


def init_app(app: Flask) -> None:
    outbox.init_app(app)
    sync.init_app(app)
    app.cli.add_command(cli.group)
