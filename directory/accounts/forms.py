"""The account forms. Every field is checked here, on the server, with a translated message;
the browser's own checks are only a help."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    ValidationError,
)
from wtforms.fields import EmailField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from directory.accounts import passwords, second_factor
from directory.forms import email_check, no_control_characters
from directory.i18n import SUPPORTED_LOCALES, ui_languages
from directory.labels import ROLE_LABELS
from directory.models import Role


def _email_field() -> EmailField:
    return EmailField(
        _l("Email address"),
        render_kw={"autocomplete": "email", "spellcheck": "false"},
        validators=[
            DataRequired(message=_l("Enter your email address.")),
            Length(max=254, message=_l("This email address is too long.")),
            email_check(_l("Enter an email address like name@example.org.")),
            no_control_characters,
        ],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    password = PasswordField(
        _l("New password"),
        description=_l("At least %(min)d characters.", min=passwords.MIN_LENGTH),
        render_kw={"autocomplete": "new-password"},
        validators=[
            DataRequired(message=_l("Choose a password.")),
            Length(
                min=passwords.MIN_LENGTH,
                max=passwords.MAX_LENGTH,
                message=_l(
                    "Your password needs %(min)d to %(max)d characters.",
                    min=passwords.MIN_LENGTH,
                    max=passwords.MAX_LENGTH,
                ),
            ),
        ],
    )
    confirm = PasswordField(
        _l("New password again"),
        render_kw={"autocomplete": "new-password"},
        validators=[
            DataRequired(message=_l("Type the same password again.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
    )
    return password, confirm


class SignInForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        render_kw={"autocomplete": "current-password"},
        validators=[
            DataRequired(message=_l("Enter your password.")),
            Length(max=passwords.MAX_LENGTH, message=_l("This password is too long.")),
        ],
    )
    next = HiddenField()


class SecondFactorForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app"),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
        validators=[
            DataRequired(message=_l("Enter the 6-digit code.")),
            Regexp(r"^\s*[0-9 ]{6,7}\s*$", message=_l("The code has 6 digits.")),
        ],
    )
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = _email_field()


class NewPasswordForm(FlaskForm):
    password, confirm = _new_password_fields()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        render_kw={"autocomplete": "current-password"},
        validators=[
            DataRequired(message=_l("Enter your current password.")),
            Length(max=passwords.MAX_LENGTH, message=_l("This password is too long.")),
        ],
    )
    password, confirm = _new_password_fields()


class EnableSecondFactorForm(FlaskForm):
    secret = HiddenField()
    code = SecondFactorForm.code

    def validate_secret(self, field: HiddenField) -> None:
        if not second_factor.is_valid_secret(field.data or ""):
            raise ValidationError(_l("Something went wrong. Please start again."))


class DisableSecondFactorForm(FlaskForm):
    current_password = ChangePasswordForm.current_password


def _role_choices() -> list[tuple[str, object]]:
    return [(role.value, ROLE_LABELS[role]) for role in Role]


def _locale_choices() -> list[tuple[str, str]]:
    return [(language.code, language.native_name) for language in ui_languages()]


class InviteForm(FlaskForm):
    email = _email_field()
    display_name = StringField(
        _l("Name"),
        render_kw={"autocomplete": "off"},
        validators=[
            DataRequired(message=_l("Enter the person's name.")),
            Length(max=120, message=_l("A name has at most 120 characters.")),
            no_control_characters,
        ],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )
    role = SelectField(
        _l("Role"),
        choices=_role_choices,
        validators=[DataRequired(message=_l("Choose a role."))],
        validate_choice=False,
    )
    organizations = SelectMultipleField(
        _l("Acts for these organisations"),
        description=_l(
            "An info-point worker: exactly one. An organisation member: one or more. "
            "A coordinator: none. Hold Ctrl (or Cmd) to choose more than one."
        ),
        choices=[],
        validate_choice=False,
    )
    locale = SelectField(
        _l("Language of the emails"),
        choices=_locale_choices,
        validate_choice=False,
    )

    def validate_role(self, field: SelectField) -> None:
        if field.data not in {role.value for role in Role}:
            raise ValidationError(_l("Choose a role."))

    def validate_locale(self, field: SelectField) -> None:
        if field.data not in SUPPORTED_LOCALES:
            raise ValidationError(_l("Choose a language."))

    def validate_organizations(self, field: SelectMultipleField) -> None:
        known = {value for value, _label in field.choices}
        chosen = field.data or []
        if any(value not in known for value in chosen):
            raise ValidationError(_l("Choose organisations from the list."))
        role = self.role.data
        if role == Role.INFO_POINT_WORKER.value and len(chosen) != 1:
            raise ValidationError(_l("An info-point worker acts for exactly one info point."))
        if role == Role.ORGANIZATION_MEMBER.value and not chosen:
            raise ValidationError(_l("Choose at least one organisation."))
        if role == Role.COORDINATOR.value and chosen:
            raise ValidationError(_l("A coordinator acts for no organisation in particular."))

    def organization_ids(self) -> list[uuid.UUID]:
        return [uuid.UUID(value) for value in self.organizations.data or []]
