"""The optional second factor: a time-based code (RFC 6238) from an authenticator app.

A code is accepted once: the same code given twice within its validity is refused, so a
code seen over someone's shoulder cannot be used after them. The database remembers the
last step accepted, so this holds across workers and app hosts.
"""

from __future__ import annotations

import hmac
import re

import pyotp
import segno
from markupsafe import Markup
from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from directory import clock
from directory.models import Account

ISSUER = "Nabij"
SECRET_PATTERN = re.compile(r"^[A-Z2-7]{32}$")
CODE_PATTERN = re.compile(r"^[0-9]{6}$")


def new_secret() -> str:
    return pyotp.random_base32()


def is_valid_secret(secret: str) -> bool:
    return bool(SECRET_PATTERN.match(secret))


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(secret: str, email: str) -> Markup:
    """The enrolment QR code as inline SVG (works without JavaScript and without a request
    to anyone else). segno writes the SVG itself from a URI we built."""
    qr = segno.make(provisioning_uri(secret, email), error="m")
    return Markup(qr.svg_inline(scale=4, border=2, dark="#000", light="#fff"))  # noqa: S704


STEP_SECONDS = 30  # RFC 6238's default, what authenticator apps use
DRIFT_STEPS = 1  # a code of the step before or after still counts (clocks drift)


def matching_step(secret: str, code: str) -> int | None:
    """The time step whose code `code` is, now or one step either way; None if none."""
    code = code.replace(" ", "")
    if not CODE_PATTERN.match(code):
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    now = clock.now()
    current = totp.timecode(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def verify(secret: str, code: str) -> bool:
    """Whether `code` is right for `secret` now (one step of clock drift either way)."""
    return matching_step(secret, code) is not None


def accept(session: Session, account: Account, code: str) -> bool:
    """`verify` for the account's own secret, each code accepted only once, by whichever
    worker or app host sees it first: the step is recorded with a conditional UPDATE, which
    the database lets only one request win (later steps only, so an older code seen over
    someone's shoulder is refused too)."""
    if not account.totp_secret:
        return False
    step = matching_step(account.totp_secret, code)
    if step is None:
        return False
    used = session.execute(
        update(Account)
        .where(
            Account.id == account.id,
            or_(Account.totp_last_step.is_(None), Account.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        return False
    account.totp_last_step = step
    return True
