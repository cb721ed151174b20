"""Loading `seeds/` (reference data and the seed catalogue) and making synthetic catalogues
(`flask seed`)."""

from flask import Flask

from directory.seeding import cli


def init_app(app: Flask) -> None:
    app.cli.add_command(cli.seed)
