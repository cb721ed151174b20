"""The warm handover: an info point refers a client, with consent, to an organisation that
acknowledges, accepts or declines, and follows up until there is an outcome.

`states` holds the loop's rules, `access` who sees what (and the log of every look).
"""

from flask import Flask

from directory.referrals import blueprint, cli, presenting


def init_app(app: Flask) -> None:
    presenting.init_app(app)
    app.register_blueprint(blueprint.bp, url_prefix="/<lang_code>/referrals")
    app.cli.add_command(cli.group)
