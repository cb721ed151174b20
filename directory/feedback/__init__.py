"""What the public tells us about the map: error reports on a listing (no account needed),
claims of a listing and proposals of a new organisation, and the coordinators' queues that
decide them."""

from flask import Flask

from directory.feedback import blueprint, cli
from directory.feedback.labels import CLAIM_STATUS_LABELS, ERROR_KIND_LABELS, REPORT_STATUS_LABELS


def init_app(app: Flask) -> None:
    for key, value in blueprint.DEFAULT_LIMITS.items():
        app.config.setdefault(key, value)
    app.jinja_env.globals.update(
        error_kind_labels=ERROR_KIND_LABELS,
        report_status_labels=REPORT_STATUS_LABELS,
        claim_status_labels=CLAIM_STATUS_LABELS,
    )
    app.register_blueprint(blueprint.bp, url_prefix="/<lang_code>")
    app.cli.add_command(cli.group)
