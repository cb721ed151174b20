"""The loop of a signal: which status may follow which, and who may move it.

This is the one place these rules live. A worker of an info point the signal was sent to
takes it up; from then on that info point follows it up: the person was contacted, the
signal was handed over as a referral (only through the hand-over, which makes the referral
with the person's consent), or it is closed with an outcome, or as "could not reach".
Coordinators have the signals no info point takes (none covers the place, or nobody took
one up in time): they forward one to an info point, or close it. Nothing goes back.

One closing is nobody's step and so in no `STEPS`: `flask signals purge` closes a signal
still open with no step for `SIGNAL_IDLE_DAYS` as idle (`retention`). Every closing erases
the signaller's contact (`lifecycle`).

A refused step raises the referrals' `TransitionError` ("not_allowed", "needs_outcome"):
the same rule, the same message on the page.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from directory.models.signal import SignalStatus as S
from directory.referrals.states import TransitionError


class Actor(enum.StrEnum):
    INFO_POINT = "info_point"  # a worker of the info point that has the signal
    COORDINATOR = "coordinator"


@dataclass(frozen=True)
class Step:
    to: S
    by: frozenset[Actor]
    needs_outcome: bool = False  # a closed signal says how it ended
    needs_referral: bool = False  # made by the hand-over only


_INFO_POINT = frozenset({Actor.INFO_POINT})
_TAKE_UP = Step(S.TAKEN_UP, _INFO_POINT)
_CONTACTED = Step(S.CONTACTED, _INFO_POINT)
_HAND_OVER = Step(S.HANDED_OVER, _INFO_POINT, needs_referral=True)
_UNREACHABLE = Step(S.UNREACHABLE, _INFO_POINT)
_CLOSE = Step(S.CLOSED, _INFO_POINT, needs_outcome=True)
_DISMISS = Step(S.CLOSED, frozenset({Actor.COORDINATOR}), needs_outcome=True)

STEPS: dict[S, tuple[Step, ...]] = {
    S.NEW: (_TAKE_UP, _DISMISS),
    S.TAKEN_UP: (_CONTACTED, _HAND_OVER, _UNREACHABLE, _CLOSE),
    S.CONTACTED: (_HAND_OVER, _CLOSE),
}

CLOSED = frozenset({S.HANDED_OVER, S.CLOSED, S.UNREACHABLE, S.IDLE})
OPEN = frozenset(status for status in S if status not in CLOSED)
# A coordinator may send it to an info point while nobody has taken it up.
FORWARDABLE = frozenset({S.NEW})
# The hand-over page opens while the info point follows the signal up.
HANDOVER_FROM = frozenset(status for status, steps in STEPS.items() if _HAND_OVER in steps)


def next_steps(status: S, actor: Actor) -> tuple[Step, ...]:
    return tuple(step for step in STEPS.get(status, ()) if actor in step.by)


def step_to(status: S, to: S, actor: Actor) -> Step:
    """The step from `status` to `to` for `actor`, or TransitionError."""
    for step in STEPS.get(status, ()):
        if step.to is to and actor in step.by:
            return step
    raise TransitionError("not_allowed", f"{actor} may not move a signal from {status} to {to}")


def is_closed(status: S) -> bool:
    return status in CLOSED
