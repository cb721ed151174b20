"""Where help is missing: the coordinators' gap analysis by neighbourhood, municipality,
kind of help and language, with a map of the 145 neighbourhoods.

Supply comes from the search index (`supply`: what a resident's search for a place finds),
demand from the anonymous records of searches that found nothing and from referrals
declined or overdue (`demand`); `report` turns both into the tables the page, its map
(`map`), the CSV files and `flask gaps report` (`cli`) all show, under the one rule for
small counts (`privacy`).
"""

from flask import Flask, url_for
from flask_babel import gettext as _

from directory.coordination import blueprint, cli
from directory.coordination.privacy import shown
from directory.models import Account, Role
from directory.rendering.navigation import WorkLink, add_work_links


def work_links(account: Account, session) -> list[WorkLink]:
    """Coordinators find the gap analysis in their header."""
    if account.role is not Role.COORDINATOR:
        return []
    return [WorkLink(_("Where help is missing"), url_for("coordination.gaps"), None, 55)]


def init_app(app: Flask) -> None:
    add_work_links(app, work_links)
    app.jinja_env.globals.update(shown_count=shown)
    app.register_blueprint(blueprint.bp, url_prefix="/<lang_code>/coordination/gaps")
    app.cli.add_command(cli.group)
