"""The closed loop of a referral: which status may follow which, and which side may move it.

This is the one place these rules live. The receiving organisation acknowledges, accepts or
declines (with a reason), works on it and records the outcome; the sending info point may
cancel it, or record that the client withdrew their consent, until it is closed. Each step
records who, when and a note (`ReferralEvent`); nothing goes back.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from directory.models.referral import ReferralStatus as S


class Side(enum.StrEnum):
    SENDER = "sender"  # the sending info point
    RECEIVER = "receiver"  # the receiving organisation


@dataclass(frozen=True)
class Step:
    to: S
    side: Side
    needs_reason: bool = False  # a decline says why
    needs_outcome: bool = False  # a closed case says how it ended


_RECEIVED = Step(S.RECEIVED, Side.RECEIVER)
_ACCEPT = Step(S.ACCEPTED, Side.RECEIVER)
_DECLINE = Step(S.DECLINED, Side.RECEIVER, needs_reason=True)
_START = Step(S.IN_PROGRESS, Side.RECEIVER)
_COMPLETE = Step(S.COMPLETED, Side.RECEIVER, needs_outcome=True)
_FAIL = Step(S.FAILED, Side.RECEIVER, needs_outcome=True)
_CANCEL = Step(S.CANCELLED, Side.SENDER)
_WITHDRAW = Step(S.CONSENT_WITHDRAWN, Side.SENDER)

STEPS: dict[S, tuple[Step, ...]] = {
    S.REQUESTED: (_RECEIVED, _ACCEPT, _DECLINE, _CANCEL, _WITHDRAW),
    S.RECEIVED: (_ACCEPT, _DECLINE, _CANCEL, _WITHDRAW),
    S.ACCEPTED: (_START, _COMPLETE, _FAIL, _CANCEL, _WITHDRAW),
    S.IN_PROGRESS: (_COMPLETE, _FAIL, _CANCEL, _WITHDRAW),
}

CLOSED = frozenset({S.DECLINED, S.COMPLETED, S.FAILED, S.CANCELLED, S.CONSENT_WITHDRAWN})
# Not yet acknowledged by the receiving organisation: counts against the response target.
UNACKNOWLEDGED = frozenset({S.REQUESTED})
# Neither accepted nor declined yet.
UNANSWERED = frozenset({S.REQUESTED, S.RECEIVED})


class TransitionError(ValueError):
    """A step the rules do not allow; nothing changes. `problem` says which rule:
    "not_allowed", "needs_reason", "needs_outcome", "notes_closed" or "empty_note"."""

    def __init__(self, problem: str, detail: str = "") -> None:
        super().__init__(f"{problem}: {detail}" if detail else problem)
        self.problem = problem


def next_steps(status: S, side: Side) -> tuple[Step, ...]:
    return tuple(step for step in STEPS.get(status, ()) if step.side is side)


def step_to(status: S, to: S, side: Side) -> Step:
    """The step from `status` to `to` for `side`, or TransitionError."""
    for step in STEPS.get(status, ()):
        if step.to is to and step.side is side:
            return step
    raise TransitionError("not_allowed", f"{side} may not move a referral from {status} to {to}")


def is_closed(status: S) -> bool:
    return status in CLOSED
