"""Forms shared by several parts of the app: a bare confirmation, and the one-click page that
a single-use emailed link opens (opening a link changes nothing, so a mail scanner that
follows every link cannot use it up: the person clicks a button, which posts the token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField


class ConfirmForm(FlaskForm):
    """A POST with nothing but the CSRF token (sign out, export, erase, approve)."""


class LinkForm(FlaskForm):
    """The button behind a single-use link: the token travels in the form, not the URL."""

    token = HiddenField()
