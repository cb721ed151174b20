"""Accounts: sign-in, server-side sessions, single-use links, roles, second factor.

Nobody signs up: a coordinator invites (`flask accounts invite` for the first one). Other
features use `sessions` (who is there), `permissions` (who may do what, the view
decorators), `tokens` (single-use links) and nothing else from here.
"""

from flask import Flask

from directory.accounts import blueprint, cli, permissions, sessions


def init_app(app: Flask) -> None:
    sessions.init_app(app)
    app.register_blueprint(blueprint.bp, url_prefix="/<lang_code>/account")
    app.cli.add_command(cli.group)
    app.jinja_env.globals.update(can_edit_listing=permissions.reader_can_edit)
