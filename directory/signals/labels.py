"""Translated names of a signal's statuses, observations and steps."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from directory.models import Observation, PersonAware, SignalStatus

STATUS_LABELS = {
    SignalStatus.NEW: _l("New, nobody has taken it up"),
    SignalStatus.TAKEN_UP: _l("Taken up"),
    SignalStatus.CONTACTED: _l("The person was contacted"),
    SignalStatus.HANDED_OVER: _l("Handed over as a referral"),
    SignalStatus.CLOSED: _l("Closed"),
    SignalStatus.UNREACHABLE: _l("Closed: could not reach the person"),
    SignalStatus.IDLE: _l("Closed: no step for too long"),
}

# What the button that makes each step says.
STEP_LABELS = {
    SignalStatus.TAKEN_UP: _l("Take it up"),
    SignalStatus.CONTACTED: _l("The person was contacted"),
    SignalStatus.CLOSED: _l("Close with an outcome"),
    SignalStatus.UNREACHABLE: _l("Close: could not reach the person"),
}

OBSERVATION_LABELS = {
    Observation.LIVES_ALONE: _l("Lives alone"),
    Observation.SEEMS_LONELY: _l("Seems lonely"),
    Observation.NO_LONGER_GOES_OUT: _l("No longer goes out"),
    Observation.PAPERS_OR_MONEY: _l("Has trouble with papers or money"),
    Observation.HEALTH: _l("Their health seems to be getting worse"),
}

AWARE_LABELS = {
    PersonAware.YES: _l("Yes, the person knows"),
    PersonAware.NO: _l("No, the person does not know"),
    PersonAware.NOT_SURE: _l("I am not sure"),
}
