"""The public forms (an error report, a claim, a proposal) and the coordinators' decisions,
validated on the server with translated messages.

Every public form carries the two invisible spam signals of `spam`: a honeypot and a signed
stamp. They are read by the view, never shown as an error.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields import EmailField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from directory.feedback import spam
from directory.feedback.labels import ERROR_KIND_LABELS
from directory.forms import email_check, no_control_characters
from directory.labels import KIND_LABELS

MESSAGE_MAX = 2000
REASON_MAX = 1000


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _few_links(_form: FlaskForm, field: StringField) -> None:
    if spam.count_links(field.data) > spam.MAX_LINKS:
        raise ValidationError(_l("Please include at most %(max)d links.", max=spam.MAX_LINKS))


def _no_nul(_form: FlaskForm, field: TextAreaField) -> None:
    """Line breaks are welcome in a message, a NUL byte cannot be stored (PostgreSQL refuses
    it in text)."""
    if isinstance(field.data, str) and "\x00" in field.data:
        raise ValidationError(_l("This contains characters that cannot be typed."))


def _at_most(maximum: int) -> Length:
    return Length(max=maximum, message=_l("At most %(max)d characters."))


class PublicForm(FlaskForm):
    """The spam signals every public form carries."""

    # The honeypot: hidden from people and screen readers; its label says to leave it empty
    # for anyone who meets it anyway (a text browser, a style sheet that did not load).
    website = StringField(_l("Leave this field empty"))
    stamp = HiddenField()


def _email(label, required: bool, description=None) -> EmailField:
    first = DataRequired(message=_l("Enter your email address.")) if required else Optional()
    return EmailField(
        label,
        description=description,
        render_kw={"autocomplete": "email", "spellcheck": "false"},
        validators=[
            first,
            Length(max=254, message=_l("This email address is too long.")),
            email_check(_l("Enter an email address like name@example.org.")),
            no_control_characters,
        ],
        filters=[_strip],
    )


class ReportForm(PublicForm):
    what = RadioField(
        _l("What is wrong?"),
        choices=[SelectChoice(value, label) for value, label in ERROR_KIND_LABELS.items()],
        validators=[InputRequired(message=_l("Choose what is wrong."))],
    )
    message = TextAreaField(
        _l("What should it say?"),
        description=_l(
            "For example the right opening hours or phone number. At most 2,000 characters."
        ),
        validators=[
            DataRequired(message=_l("Tell us what is wrong.")),
            _at_most(MESSAGE_MAX),
            _few_links,
            _no_nul,
        ],
        filters=[_strip],
    )
    reporter_email = _email(
        _l("Your email address (optional)"),
        required=False,
        description=_l(
            "Only to answer you or to ask a question about your report. We use it for nothing "
            "else and delete it once the report is handled."
        ),
    )


class ClaimantFields(PublicForm):
    """Who asks: the minimum to check a claim and to invite them."""

    name = StringField(
        _l("Your name"),
        render_kw={"autocomplete": "name"},
        validators=[
            DataRequired(message=_l("Enter your name.")),
            _at_most(120),
            no_control_characters,
        ],
        filters=[_strip],
    )
    email = _email(
        _l("Your email address"),
        required=True,
        description=_l("We send the invitation to manage the listing to this address."),
    )
    role_in_organization = StringField(
        _l("Your role in the organisation (optional)"),
        description=_l("For example: coordinator, volunteer, staff member."),
        validators=[Optional(), _at_most(200), no_control_characters],
        filters=[_strip],
    )
    message = TextAreaField(
        _l("Anything that helps us check (optional)"),
        description=_l(
            "For example a phone number or website where we can confirm you work there."
        ),
        validators=[Optional(), _at_most(MESSAGE_MAX), _few_links, _no_nul],
        filters=[_strip],
    )


class ClaimForm(ClaimantFields):
    pass


class ProposeForm(ClaimantFields):
    proposed_name = StringField(
        _l("Name of the organisation or group"),
        validators=[
            DataRequired(message=_l("Enter the name of the organisation.")),
            _at_most(300),
            no_control_characters,
        ],
        filters=[_strip],
    )
    proposed_kind = RadioField(
        _l("What kind of organisation is it?"),
        choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()],
        validators=[InputRequired(message=_l("Choose the kind of organisation."))],
    )
    proposed_description = TextAreaField(
        _l("What does it do, for whom, and where?"),
        description=_l("In a few sentences. At most 2,000 characters."),
        validators=[
            DataRequired(message=_l("Describe what the organisation does.")),
            _at_most(MESSAGE_MAX),
            _few_links,
            _no_nul,
        ],
        filters=[_strip],
    )


class ReportDecisionForm(FlaskForm):
    action = HiddenField(validators=[InputRequired(message=_l("Choose resolved or dismissed."))])
    note = TextAreaField(
        _l("Note (optional)"),
        description=_l("What was changed, or why it is not an error. Coordinators only."),
        validators=[Optional(), _at_most(MESSAGE_MAX), _no_nul],
        filters=[_strip],
    )

    def validate_action(self, field: HiddenField) -> None:
        if field.data not in ("resolve", "dismiss"):
            raise ValidationError(_l("Choose resolved or dismissed."))


class ClaimDecisionForm(FlaskForm):
    action = HiddenField(validators=[InputRequired(message=_l("Choose to approve or reject."))])
    reason = TextAreaField(
        _l("Reason for rejecting"),
        description=_l("Sent to the person who asked. Needed only to reject."),
        validators=[_at_most(REASON_MAX), _no_nul],
        filters=[_strip],
    )

    def validate_action(self, field: HiddenField) -> None:
        if field.data not in ("approve", "reject"):
            raise ValidationError(_l("Choose to approve or reject."))

    def validate_reason(self, field: TextAreaField) -> None:
        if self.action.data == "reject" and not field.data:
            raise ValidationError(_l("Give a reason: it is sent to the person who asked."))
