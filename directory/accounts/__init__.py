"""Accounts: sign-in, server-side sessions, single-use links, roles, second factor.

Nobody signs up: a coordinator invites (`flask accounts invite` for the first one). Other
features use `sessions` (who is there), `permissions` (who may do what, the view
decorators), `tokens` (single-use links) and nothing else from here.
"""

from flask import Flask, url_for
from flask_babel import gettext as _

from directory.accounts import blueprint, cli, permissions, sessions
from directory.models import Account, Role
from directory.rendering.navigation import WorkLink, add_work_links


def work_links(account: Account, session) -> list[WorkLink]:
    if account.role is not Role.COORDINATOR:
        return []
    return [WorkLink(_("People"), url_for("accounts.people"), None, 70)]


def init_app(app: Flask) -> None:
    add_work_links(app, work_links)
    sessions.init_app(app)
    app.register_blueprint(blueprint.bp, url_prefix="/<lang_code>/account")
    app.cli.add_command(cli.group)
    app.jinja_env.globals.update(can_edit_listing=permissions.reader_can_edit)
