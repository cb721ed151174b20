"""The optional second factor: a time-based code (RFC 6238) from an authenticator app.

A code is accepted once: the same code given twice within its validity is refused, so a
code seen over someone's shoulder cannot be used after them.
"""

from __future__ import annotations

import re

import pyotp
import segno
from markupsafe import Markup

from directory import clock, ratelimit
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


def verify(secret: str, code: str) -> bool:
    """Whether `code` is right for `secret` now (one step of clock drift either way)."""
    code = code.replace(" ", "")
    if not CODE_PATTERN.match(code):
        return False
    return pyotp.TOTP(secret).verify(code, for_time=clock.now(), valid_window=1)


def accept(account: Account, code: str) -> bool:
    """`verify` for the account's own secret, each code accepted only once."""
    code = code.replace(" ", "")
    if not account.totp_secret or not verify(account.totp_secret, code):
        return False
    # A code stays valid for at most 90 seconds: remembering it for 2 minutes is enough.
    return ratelimit.allow("second-factor-code", f"{account.id}:{code}", "1/2 minutes")
