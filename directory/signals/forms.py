"""The public signal form, the steps of the inbox, a coordinator's forwarding and an info
point's places, validated on the server with translated messages.

The public form asks the minimum: what was noticed, where, the person's language, whether
they know, and, if the signaller wishes, how to reach them. Never the person's name or
address. It carries the error reports' spam signals (`directory.feedback.spam`).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import EmailField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from directory.feedback import spam
from directory.feedback.forms import PublicForm
from directory.forms import email_check, no_control_characters, phone_check
from directory.signals.labels import AWARE_LABELS, OBSERVATION_LABELS

TEXT_MAX = 1000
NOTE_MAX = 1000


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _at_most(maximum: int) -> Length:
    return Length(max=maximum, message=_l("At most %(max)d characters."))


def _typed_text(_form, field) -> None:
    """Line breaks are welcome; a NUL byte cannot be stored (PostgreSQL refuses it)."""
    if isinstance(field.data, str) and "\x00" in field.data:
        raise ValidationError(_l("This contains characters that cannot be typed."))


def _few_links(_form, field) -> None:
    if spam.count_links(field.data) > spam.MAX_LINKS:
        raise ValidationError(_l("Please include at most %(max)d links.", max=spam.MAX_LINKS))


class SignalForm(PublicForm):
    # A double click or a resubmission carries the same key and stores nothing new.
    submission_key = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}$")])
    observations = SelectMultipleField(
        _l("What have you noticed?"),
        choices=[SelectChoice(value, label) for value, label in OBSERVATION_LABELS.items()],
        description=_l("Tick what applies, or say it in your own words below."),
    )
    text = TextAreaField(
        _l("In your own words (optional)"),
        description=_l("What worries you, and since when. At most 1,000 characters."),
        validators=[Optional(), _at_most(TEXT_MAX), _few_links, _typed_text],
        filters=[_strip],
    )
    postcode = StringField(
        _l("Postcode"),
        description=_l("Where the person lives, for example 1080."),
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": "4"},
        validators=[Optional(), Regexp(r"^\d{4}$", message=_l("A postcode has four digits."))],
        filters=[_strip],
    )
    neighbourhood = SelectField(
        _l("Neighbourhood (if you know it)"), choices=[], validate_choice=True, default=""
    )
    person_language = SelectField(
        _l("Which language does the person speak?"), choices=[], validate_choice=True, default=""
    )
    person_aware = RadioField(
        _l("Does the person know you are telling us?"),
        choices=[SelectChoice(value, label) for value, label in AWARE_LABELS.items()],
        validators=[InputRequired(message=_l("Say whether the person knows."))],
    )
    signaller_email = EmailField(
        _l("Your email address (optional)"),
        description=_l(
            "We send you one message when an info point takes up your signal, and the info "
            "point may write to you if it needs to know more."
        ),
        render_kw={"autocomplete": "email", "spellcheck": "false"},
        validators=[
            Optional(),
            Length(max=254, message=_l("This email address is too long.")),
            email_check(_l("Enter an email address like name@example.org.")),
            no_control_characters,
        ],
        filters=[_strip],
    )
    signaller_phone = StringField(
        _l("Your phone number (optional)"),
        description=_l("Only if the info point may call you to ask how to find the person."),
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
        validators=[Optional(), Length(max=40), phone_check(), no_control_characters],
        filters=[_strip],
    )

    def __init__(self, *args, known_postcodes: dict[str, set[str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # postcode -> the numbers of the neighbourhoods of the municipalities it covers
        self.known_postcodes = known_postcodes or {}

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.observations.data and not self.text.data:
            self.observations.errors.append(_l("Tick what you noticed, or say it in a few words."))
            valid = False
        postcode, neighbourhood = self.postcode.data, self.neighbourhood.data
        if not postcode and not neighbourhood:
            self.postcode.errors.append(_l("Give the postcode or choose the neighbourhood."))
            valid = False
        elif postcode and not self.postcode.errors:
            if postcode not in self.known_postcodes:
                self.postcode.errors.append(_l("This is not a postcode of the Brussels region."))
                valid = False
            elif neighbourhood and neighbourhood not in self.known_postcodes[postcode]:
                self.neighbourhood.errors.append(
                    _l("This neighbourhood is not in the municipality of that postcode.")
                )
                valid = False
        return valid


class StepForm(FlaskForm):
    to = HiddenField(validators=[DataRequired()])
    outcome = TextAreaField(_l("Outcome"), validators=[Optional(), _at_most(NOTE_MAX), _typed_text])
    note = TextAreaField(
        _l("Note for your colleagues (optional)"),
        validators=[Optional(), _at_most(NOTE_MAX), _typed_text],
    )


class ForwardForm(FlaskForm):
    organization = SelectField(
        _l("Send it to the info point"),
        choices=[],
        validators=[InputRequired(message=_l("Choose an info point."))],
    )
    note = TextAreaField(
        _l("Note for the info point (optional)"),
        validators=[Optional(), _at_most(NOTE_MAX), _typed_text],
    )


class DoorForm(FlaskForm):
    """The first step of a hand-over: which service to refer the person to (a GET form)."""

    class Meta:
        csrf = False

    service = SelectField(
        _l("Refer the person to"),
        choices=[],
        validators=[InputRequired(message=_l("Choose a service."))],
    )


class PlacesForm(FlaskForm):
    areas = SelectMultipleField(_l("Places your info point takes signals for"), choices=[])
