"""Signals of concern: a neighbour, a pharmacist or a home carer tells an info point that
someone seems isolated, without an account; the info point covering that place takes it up,
follows it up and may hand it over as a referral.

`states` holds the loop's rules, `access` who sees what (and the log of every look),
`routing` where a signal goes, `lifecycle` the steps, `handover` the referral it becomes,
`retention` how long it is kept (and when an open one left without a step is closed).
"""

import os

from flask import Flask, url_for
from flask_babel import gettext as _

from directory.models import Account, Role
from directory.rendering.navigation import WorkLink, add_work_links
from directory.signals import access, blueprint, cli, queries, retention
from directory.signals.labels import AWARE_LABELS, OBSERVATION_LABELS, STATUS_LABELS
from directory.signals.notifications import reference

DEFAULTS = {
    # Closed signals are deleted this long after closing; new ones nobody took up this long
    # are escalated to the coordinators; open ones with no step this long are closed as idle,
    # after a reminder 14 days before (see retention.py).
    "SIGNAL_KEEP_DAYS": int(os.environ.get("SIGNAL_KEEP_DAYS", 90)),
    "SIGNAL_ESCALATE_DAYS": int(os.environ.get("SIGNAL_ESCALATE_DAYS", 14)),
    "SIGNAL_IDLE_DAYS": int(os.environ.get("SIGNAL_IDLE_DAYS", 180)),
    # The public form, per address and for every address together per place.
    "SIGNAL_LIMIT_PER_IP": "5/hour",
    "SIGNAL_LIMIT_PER_PLACE": "30/day",
}


def work_links(account: Account, session) -> list[WorkLink]:
    """The signals an info point's workers may take up, or those the coordinators have."""
    reader = access.reader_for(account, None)
    if reader is None:
        return []
    waiting = queries.waiting_count(session, reader)
    order = 15 if account.role is Role.INFO_POINT_WORKER else 35
    return [WorkLink(_("Signals of concern"), url_for("signals.index"), waiting, order)]


def init_app(app: Flask) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    add_work_links(app, work_links)
    app.jinja_env.globals.update(
        signal_reference=reference,
        signal_status_labels=STATUS_LABELS,
        observation_labels=OBSERVATION_LABELS,
        aware_labels=AWARE_LABELS,
        signal_closes_idle_on=retention.closes_idle_on,
    )
    app.register_blueprint(blueprint.bp, url_prefix="/<lang_code>/signals")
    app.cli.add_command(cli.group)
