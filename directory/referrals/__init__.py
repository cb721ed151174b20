"""The warm handover: an info point refers a client, with consent, to an organisation that
acknowledges, accepts or declines, and follows up until there is an outcome.

`states` holds the loop's rules, `access` who sees what (and the log of every look).
"""

from flask import Flask, url_for
from flask_babel import gettext as _

from directory.models import Account, Role
from directory.referrals import blueprint, cli, presenting, queries
from directory.rendering.navigation import WorkLink, add_work_links


def work_links(account: Account, session) -> list[WorkLink]:
    """A worker's sent referrals still open, a member's inbox with those not yet
    acknowledged, a coordinator's anonymous figures."""
    if account.role is Role.INFO_POINT_WORKER:
        waiting = queries.open_sent_count(session, account.organization_ids)
        return [WorkLink(_("Referrals sent"), url_for("referrals.index"), waiting, 10)]
    if account.role is Role.ORGANIZATION_MEMBER:
        waiting = queries.unacknowledged_count(session, account.organization_ids)
        return [WorkLink(_("Referral inbox"), url_for("referrals.index"), waiting, 10)]
    return [WorkLink(_("Referral figures"), url_for("referrals.overview"), None, 60)]


def init_app(app: Flask) -> None:
    presenting.init_app(app)
    add_work_links(app, work_links)
    app.register_blueprint(blueprint.bp, url_prefix="/<lang_code>/referrals")
    app.cli.add_command(cli.group)
