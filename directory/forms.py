"""What every form of the app shares: the email, phone and enterprise-number checks, typed
text without control characters, a bare confirmation, and the one-click page that a
single-use emailed link opens (opening a link changes nothing, so a mail scanner that follows
every link cannot use it up: the person clicks a button, which posts the token)."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, ValidationError

from directory import phones

# Deliberately loose: one @, something on both sides, a dot in the domain. The link or the
# message we send is the real check.
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def is_email(text: str) -> bool:
    return bool(EMAIL.match(text.strip()))


def is_phone(text: str) -> bool:
    """A valid Belgian or international number, written with the separators people use."""
    return len(text) <= 40 and phones.is_valid(text)


class Check:
    """A field validator from a test of its text; an empty field passes (say DataRequired
    where one is needed)."""

    def __init__(self, test: Callable[[str], bool], message) -> None:
        self.test, self.message = test, message

    def __call__(self, _form, field) -> None:
        if field.data and not self.test(field.data):
            raise ValidationError(self.message)


def kbo_number(text: str) -> str | None:
    """A KBO/BCE enterprise number written as "0123.456.789", or None when `text` is not one.

    Ten digits (an old nine-digit number gets its leading 0), starting with 0 or 1, whose last
    two are 97 minus the first eight modulo 97: a typo in one digit never passes."""
    digits = "".join(c for c in text.upper().removeprefix("BE") if c.isdigit())
    if len(text.strip()) > 20 or any(c.isalpha() for c in text.upper().removeprefix("BE")):
        return None
    if len(digits) == 9:
        digits = "0" + digits
    if len(digits) != 10 or digits[0] not in "01":
        return None
    if 97 - int(digits[:8]) % 97 != int(digits[8:]):
        return None
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def kbo_check(message=None) -> Check:
    return Check(
        lambda text: kbo_number(text) is not None,
        message or _l("This is not a valid enterprise number: check its ten digits."),
    )


def email_check(message=None) -> Check:
    return Check(is_email, message or _l("This does not look like an email address."))


def phone_check(message=None) -> Check:
    return Check(is_phone, message or _l("This does not look like a phone number."))


def no_control_characters(_form, field) -> None:
    """Typed text never holds control characters (PostgreSQL refuses NUL outright)."""
    if isinstance(field.data, str) and CONTROL_CHARACTERS.search(field.data):
        raise ValidationError(_l("This contains characters that cannot be typed."))


class ConfirmForm(FlaskForm):
    """A POST with nothing but the CSRF token (sign out, export, erase, approve)."""


class LinkForm(FlaskForm):
    """The button behind a single-use link: the token travels in the form, not the URL."""

    token = HiddenField()
