"""The referral form and the answer forms, validated on the server with translated messages.

What the client is asked is the minimum a warm handover needs; what they agree to share is
an explicit step whose text, version and language are recorded (see `consent`).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from directory.forms import is_email, is_phone
from directory.models import ContactChannel, DeclineReason, Urgency
from directory.referrals.labels import CHANNEL_LABELS, REASON_LABELS, URGENCY_LABELS

NEED_TEXT_MAX = 1000
NOTE_MAX = 1000


def _no_control_characters(_form, field) -> None:
    """Text is stored as given and printed escaped, but a NUL byte cannot be stored at all
    (PostgreSQL refuses it in text)."""
    if isinstance(field.data, str) and "\x00" in field.data:
        raise ValidationError(_l("Remove the invisible control characters from this field."))


class ReferralForm(FlaskForm):
    submission_key = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}$")])
    service = HiddenField()  # the first door, from the listing or search result
    second_service = SelectField(
        _l("Also refer to (optional)"), choices=[], validate_choice=True, default=""
    )
    on_behalf_of = SelectField(_l("On behalf of the info point"), choices=[])

    client_name = StringField(
        _l("Client's first name or initials"),
        validators=[
            InputRequired(_l("Give the client's first name or initials.")),
            Length(max=80, message=_l("At most %(max)d characters.")),
            _no_control_characters,
        ],
        description=_l("No family name: the first name or initials are enough."),
    )
    contact_channel = RadioField(
        _l("How can the organisation reach the client?"),
        choices=[SelectChoice(channel.value, label) for channel, label in CHANNEL_LABELS.items()],
        validators=[InputRequired(_l("Choose how the client can be reached."))],
    )
    client_phone = StringField(
        _l("Client's phone number"),
        validators=[Length(max=40), _no_control_characters],
    )
    client_email = StringField(
        _l("Client's email address"),
        validators=[Length(max=254), _no_control_characters],
    )
    reachable_when = StringField(
        _l("When can the client be reached?"),
        validators=[
            Optional(),
            Length(max=200, message=_l("At most %(max)d characters.")),
            _no_control_characters,
        ],
        description=_l("For example: weekday mornings, not on Friday."),
    )
    client_languages = SelectMultipleField(
        _l("Languages the client speaks"),
        choices=[],
        validators=[InputRequired(_l("Choose at least one language."))],
    )
    need_terms = SelectMultipleField(
        _l("Kinds of help needed"),
        choices=[],
        validators=[InputRequired(_l("Choose at least one kind of help."))],
    )
    need_text = TextAreaField(
        _l("The need, in a few words"),
        validators=[
            Optional(),
            Length(max=NEED_TEXT_MAX, message=_l("At most %(max)d characters.")),
            _no_control_characters,
        ],
        description=_l(
            "Only what the organisation needs to know to help. At most 1,000 characters."
        ),
    )
    urgency = RadioField(
        _l("How urgent is it?"),
        choices=[SelectChoice(urgency.value, label) for urgency, label in URGENCY_LABELS.items()],
        default=Urgency.ROUTINE.value,
        validators=[InputRequired(_l("Choose how urgent it is."))],
    )
    consent_locale = SelectField(_l("Language in which the client heard the consent text"))
    consent_shares_contact = BooleanField(
        _l("The client agrees that the organisation contacts them directly.")
    )
    consent_shares_need = BooleanField(
        _l("The client agrees that the organisation reads the need as written above.")
    )
    consent_given = BooleanField(
        _l("The client heard the text above and agrees to this referral."),
        validators=[DataRequired(_l("Without the client's consent there is no referral."))],
    )

    def validate_client_phone(self, field) -> None:
        if self.contact_channel.data == ContactChannel.PHONE.value:
            if not field.data:
                raise ValidationError(_l("Give a phone number, or choose another way."))
            if not is_phone(field.data):
                raise ValidationError(_l("This does not look like a phone number."))

    def validate_client_email(self, field) -> None:
        if self.contact_channel.data == ContactChannel.EMAIL.value:
            if not field.data:
                raise ValidationError(_l("Give an email address, or choose another way."))
            if not is_email(field.data):
                raise ValidationError(_l("This does not look like an email address."))

    def validate_consent_shares_contact(self, field) -> None:
        direct = self.contact_channel.data in (ContactChannel.PHONE, ContactChannel.EMAIL)
        if direct and not field.data:
            raise ValidationError(
                _l(
                    "The client did not agree to be contacted directly: choose "
                    "\u201conly through the info point\u201d."
                )
            )

    def validate_second_service(self, field) -> None:
        if field.data and field.data == self.service.data:
            raise ValidationError(_l("Choose another organisation than the first one."))


class StatusForm(FlaskForm):
    to = HiddenField(validators=[DataRequired()])
    reason = SelectField(
        _l("Reason"),
        choices=[SelectChoice("", "")]
        + [SelectChoice(reason.value, label) for reason, label in REASON_LABELS.items()],
        validators=[Optional()],
    )
    outcome = TextAreaField(
        _l("Outcome"),
        validators=[Optional(), Length(max=NOTE_MAX), _no_control_characters],
    )
    note = TextAreaField(
        _l("Note for the other side (optional)"),
        validators=[
            Optional(),
            Length(max=NOTE_MAX, message=_l("At most %(max)d characters.")),
            _no_control_characters,
        ],
    )

    def decline_reason(self) -> DeclineReason | None:
        return DeclineReason(self.reason.data) if self.reason.data else None


class NoteForm(FlaskForm):
    note = TextAreaField(
        _l("Note"),
        validators=[
            InputRequired(_l("Write a note first.")),
            Length(max=NOTE_MAX, message=_l("At most %(max)d characters.")),
            _no_control_characters,
        ],
    )
