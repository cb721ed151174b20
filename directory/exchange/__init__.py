"""Open data exchange in HSDS 3.0: the read API under /api/ with its OpenAPI document and our
profile. `documents` is the one mapping from our model to HSDS; everything that leaves
Nabij in HSDS form is built there."""

from flask import Flask

from directory.exchange import api, cli


def init_app(app: Flask) -> None:
    app.register_blueprint(api.bp)
    app.cli.add_command(cli.hsds)
