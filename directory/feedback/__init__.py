"""What the public tells us about the map: error reports on a listing (no account needed),
claims of a listing and proposals of a new organisation, and the coordinators' queues that
decide them."""

from flask import Flask, url_for
from flask_babel import gettext as _

from directory.feedback import blueprint, cli, operations
from directory.feedback.labels import CLAIM_STATUS_LABELS, ERROR_KIND_LABELS, REPORT_STATUS_LABELS
from directory.models import Account, Role
from directory.rendering.navigation import WorkLink, add_work_links


def work_links(account: Account, session) -> list[WorkLink]:
    """The coordinators' queues of error reports and claims, with how many wait."""
    if account.role is not Role.COORDINATOR:
        return []
    counts = operations.queue_counts(session)
    return [
        WorkLink(_("Error reports"), url_for("feedback.reports"), counts.open_reports, 30),
        WorkLink(_("Claims"), url_for("feedback.claims"), counts.pending_claims, 40),
    ]


def init_app(app: Flask) -> None:
    add_work_links(app, work_links)
    for key, value in blueprint.DEFAULT_LIMITS.items():
        app.config.setdefault(key, value)
    app.jinja_env.globals.update(
        error_kind_labels=ERROR_KIND_LABELS,
        report_status_labels=REPORT_STATUS_LABELS,
        claim_status_labels=CLAIM_STATUS_LABELS,
    )
    app.register_blueprint(blueprint.bp, url_prefix="/<lang_code>")
    app.cli.add_command(cli.group)
