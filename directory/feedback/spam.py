"""Keeping bots out of the public forms without a third-party captcha.

Three signals, all invisible to people:
- a honeypot field hidden from sight and from screen readers, which only a bot fills in;
- a signed stamp of the time the form was issued: a form sent back within seconds was not
  read, and one whose stamp is missing or tampered with was not issued by us;
- a cap on the number of links in a message (validated in the forms, with a message).

A submission caught by the first two is dropped silently: the sender sees the same thank-you
page as everyone, so a bot learns nothing. A stamp older than a day is not a bot but a page
left open: the form is shown again, filled in, with a fresh stamp.
"""

from __future__ import annotations

import enum
import re
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from directory import clock

MIN_FILL_TIME = timedelta(seconds=3)
MAX_FORM_AGE = timedelta(days=1)
MAX_LINKS = 2
LINK = re.compile(r"https?://|www\.|\[url|<a\s", re.IGNORECASE)
_SALT = "nabij-feedback-form-stamp"


class Verdict(enum.Enum):
    PERSON = "person"
    BOT = "bot"  # drop silently
    STALE = "stale"  # a page left open too long: show the form again


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def issue_stamp(scope: str) -> str:
    """A signed stamp for a form about `scope` (which form, which listing), issued now."""
    return _serializer().dumps({"s": scope, "t": int(clock.utc_now().timestamp())})


def judge(scope: str, stamp: str | None, honeypot: str | None) -> Verdict:
    """What a submission looks like, from its honeypot and its stamp."""
    if honeypot:
        return Verdict.BOT
    try:
        payload = _serializer().loads(stamp or "")
        issued = int(payload["t"])
        same_form = payload["s"] == scope
    except (BadSignature, KeyError, TypeError, ValueError):
        return Verdict.BOT
    if not same_form:
        return Verdict.BOT
    age = clock.utc_now().timestamp() - issued
    if age < MIN_FILL_TIME.total_seconds():
        return Verdict.BOT
    if age > MAX_FORM_AGE.total_seconds():
        return Verdict.STALE
    return Verdict.PERSON


def count_links(text: str | None) -> int:
    return len(LINK.findall(text or ""))
