"""The edit forms of an organisation and of a service, validated on the server.

Only the fields declared here can change (see `fields`): the owner, status, provenance and
verification of a listing are never form fields, so posting them changes nothing. Every
message is translated; bad input shows the form again with everything typed kept.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from directory import phones as phone_numbers
from directory.forms import email_check, kbo_check, kbo_number, phone_check
from directory.hours import WEEKDAY_CODES
from directory.i18n import SUPPORTED_LOCALES
from directory.listings import fields
from directory.models.location import ACCESSIBILITY_FEATURES

NAME_MAX, SUMMARY_MAX, DESCRIPTION_MAX, LONG_TEXT_MAX = 300, 400, 5000, 2000
PERIODS_PER_DAY = 3
TOO_LONG = _l("At most %(max)d characters.")


def _plain_text(_form, field) -> None:
    """Text is stored as typed and printed escaped, but a NUL byte cannot be stored at all
    (PostgreSQL refuses it)."""
    if isinstance(field.data, str) and "\x00" in field.data:
        raise ValidationError(_l("Remove the invisible control characters from this field."))


def _web_address(_form, field) -> None:
    if not field.data:
        return
    parts = urlsplit(field.data.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in field.data.strip():
        raise ValidationError(_l("Give a web address starting with https:// or http://."))


_email, _phone = email_check(), phone_check()


def _text(value: str | None) -> str | None:
    """What a text input means: stripped, with the browser's line ends made plain."""
    if value is None:
        return None
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return value or None


class TextForm(Form):
    """A listing's name, summary and description in one language."""

    name = StringField(_l("Name"), validators=[Length(max=NAME_MAX, message=TOO_LONG), _plain_text])
    summary = StringField(
        _l("Summary in one sentence"),
        validators=[Length(max=SUMMARY_MAX, message=TOO_LONG), _plain_text],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=DESCRIPTION_MAX, message=TOO_LONG), _plain_text],
        description=_l("What you offer, for whom, and how. At most 5,000 characters."),
    )


class PeriodForm(Form):
    opens = TimeField(_l("Opens at"), validators=[Optional()])
    closes = TimeField(_l("Closes at"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if bool(self.opens.data) != bool(self.closes.data):
            self.closes.errors.append(_l("Give both the opening and the closing time."))
            return False
        if self.opens.data and self.opens.data >= self.closes.data:
            self.closes.errors.append(_l("The closing time must come after the opening time."))
            return False
        return True


class ClosureForm(Form):
    starts_on = DateField(_l("Closed from"), validators=[Optional()])
    ends_on = DateField(_l("Closed until (included)"), validators=[Optional()])
    reason = StringField(
        _l("Reason (optional)"), validators=[Length(max=200, message=TOO_LONG), _plain_text]
    )

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not (self.starts_on.data or self.ends_on.data):
            if _text(self.reason.data):
                self.starts_on.errors.append(_l("Give the dates of the closure."))
                return False
            return True
        if not self.starts_on.data or not self.ends_on.data:
            self.ends_on.errors.append(_l("Give the first and the last day of the closure."))
            return False
        if self.ends_on.data < self.starts_on.data:
            self.ends_on.errors.append(_l("The last day cannot come before the first day."))
            return False
        return True


class WeeklyHours:
    """Opening hours as a table of weekdays with up to three periods each (a service's, a
    location's)."""

    hours = FieldList(
        FormField(PeriodForm),
        min_entries=len(WEEKDAY_CODES) * PERIODS_PER_DAY,
        max_entries=len(WEEKDAY_CODES) * PERIODS_PER_DAY,
    )

    def day_rows(self) -> list[tuple[str, list[FormField]]]:
        """The hours as a table: each weekday with its periods."""
        # By the index in each input's name, not by position: a list compacts missing rows.
        by_index = {int(entry.name.rsplit("-", 1)[1]): entry for entry in self.hours.entries}
        return [
            (
                day,
                [
                    by_index[index]
                    for index in range(i * PERIODS_PER_DAY, (i + 1) * PERIODS_PER_DAY)
                    if index in by_index
                ],
            )
            for i, day in enumerate(WEEKDAY_CODES)
        ]

    def load_hours(self, periods: list[dict[str, str]]) -> None:
        for day, entries in self.day_rows():
            of_day = [p for p in periods if p["byday"] == day]
            for entry, period in zip(entries, of_day, strict=False):
                entry.form.opens.data = _time(period["opens"])
                entry.form.closes.data = _time(period["closes"])

    def hours_values(self) -> list[dict[str, str]]:
        return fields.sort_periods(
            [
                {
                    "byday": day,
                    "opens": entry.form.opens.data.strftime("%H:%M"),
                    "closes": entry.form.closes.data.strftime("%H:%M"),
                }
                for day, entries in self.day_rows()
                for entry in entries
                if entry.form.opens.data and entry.form.closes.data
            ]
        )


class ListingForm(FlaskForm):
    """Texts per language, shared by both forms (`text_nl`, `text_fr`, ... added below)."""

    phones = FieldList(
        StringField(_l("Phone number"), validators=[Length(max=40), _phone]),
        min_entries=2,
        max_entries=8,
    )

    def text_forms(self) -> list[tuple[str, FormField]]:
        return [(locale, self[f"text_{locale}"]) for locale in SUPPORTED_LOCALES]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        named = False
        for _locale, subform in self.text_forms():
            text = subform.form
            if _text(text.name.data):
                named = True
            elif _text(text.summary.data) or _text(text.description.data):
                text.name.errors = [*text.name.errors, _l("Give the name in this language too.")]
                valid = False
        if not named:
            first = self.text_forms()[0][1].form.name
            first.errors = [*first.errors, _l("Give the name in at least one language.")]
            valid = False
        return valid

    def load(self, values: dict[str, Any]) -> None:
        """Fill the form with a listing's values (`fields.snapshot`), for a GET."""
        for locale, subform in self.text_forms():
            for part in fields.TEXT_PARTS:
                subform.form[part].data = values.get(fields.text_field(part, locale))
        self._load_list(self.phones, values.get("phones") or [], spare=1)

    @staticmethod
    def _load_list(field_list: FieldList, items: list, spare: int) -> None:
        while field_list.entries:
            field_list.pop_entry()
        for item in items:
            field_list.append_entry(item)
        for _ in range(max(spare, field_list.min_entries - len(items))):
            if len(field_list.entries) < field_list.max_entries:
                field_list.append_entry()

    def values(self) -> dict[str, Any]:
        """The posted values, as `fields.snapshot` gives them (declared fields only)."""
        values: dict[str, Any] = {}
        for locale, subform in self.text_forms():
            for part in fields.TEXT_PARTS:
                values[fields.text_field(part, locale)] = _text(subform.form[part].data)
        values["phones"] = _unique(_phone_number(entry.data) for entry in self.phones)
        return values


def _phone_number(text: str | None) -> str | None:
    """A checked number, stored in its international form."""
    text = _text(text)
    return phone_numbers.international(text) if text else None


def _unique(items) -> list:
    seen: list = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return seen


for _locale in SUPPORTED_LOCALES:
    setattr(ListingForm, f"text_{_locale}", FormField(TextForm))


class OtherIdForm(Form):
    """The organisation's id in another social map or register."""

    scheme = StringField(
        _l("Social map or register"), validators=[Length(max=120, message=TOO_LONG), _plain_text]
    )
    identifier = StringField(
        _l("Id there"), validators=[Length(max=120, message=TOO_LONG), _plain_text]
    )

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if bool(_text(self.scheme.data)) != bool(_text(self.identifier.data)):
            self.identifier.errors.append(_l("Give both the social map and the id there."))
            return False
        return True


class OrganizationForm(ListingForm):
    email = StringField(_l("Email address"), validators=[Length(max=254), _email])
    website = StringField(
        _l("Website"), validators=[Length(max=500, message=TOO_LONG), _web_address]
    )
    kbo = StringField(
        _l("Enterprise number (KBO/BCE)"),
        validators=[Length(max=20), kbo_check()],
        description=_l("Ten digits, for example 0123.456.789. Leave empty if you have none."),
    )
    other_ids = FieldList(FormField(OtherIdForm), min_entries=1, max_entries=6)
    relay_name = StringField(
        _l("Relay person's name"), validators=[Length(max=120, message=TOO_LONG), _plain_text]
    )
    relay_email = StringField(_l("Relay person's email"), validators=[Length(max=254), _email])
    relay_phone = StringField(
        _l("Relay person's phone number"), validators=[Length(max=40), _phone]
    )
    join_link = StringField(
        _l("Link to join the group"),
        validators=[Length(max=500, message=TOO_LONG), _web_address],
        description=_l(
            "A chat group or sign-up page. Only signed-in info-point workers see it, never the "
            "public."
        ),
    )

    def load(self, values: dict[str, Any]) -> None:
        super().load(values)
        self.email.data = values.get("email")
        self.website.data = values.get("website")
        self.kbo.data = values.get("kbo")
        self._load_list(self.other_ids, values.get("other_ids") or [], spare=1)
        relay = values.get("relay") or {}
        self.relay_name.data = relay.get("name")
        self.relay_email.data = relay.get("email")
        self.relay_phone.data = relay.get("phone")
        self.join_link.data = values.get("join_link")

    def values(self, informal: bool = False) -> dict[str, Any]:
        """The posted values; the relay and the join link only for an informal group."""
        values = super().values()
        values["email"] = _text(self.email.data)
        values["website"] = _text(self.website.data)
        values["kbo"] = kbo_number(self.kbo.data) if _text(self.kbo.data) else None
        values["other_ids"] = sorted(
            (
                {"scheme": scheme, "identifier": identifier}
                for scheme, identifier in {
                    (_text(entry.form.scheme.data), _text(entry.form.identifier.data))
                    for entry in self.other_ids
                }
                if scheme and identifier
            ),
            key=lambda other: (other["scheme"], other["identifier"]),
        )
        if informal:
            values["join_link"] = _text(self.join_link.data)
            relay = {
                "name": _text(self.relay_name.data),
                "email": _text(self.relay_email.data),
                "phone": _phone_number(self.relay_phone.data),
            }
            values["relay"] = relay if any(relay.values()) else None
        return values


FREE_CHOICES = [
    SelectChoice("", _l("The listing does not say")),
    SelectChoice("yes", _l("Free of charge")),
    SelectChoice("no", _l("Not free")),
]


class ServiceForm(WeeklyHours, ListingForm):
    help = SelectMultipleField(_l("Kinds of help"), choices=[])
    languages = SelectMultipleField(_l("Languages in which people are helped"), choices=[])
    areas = SelectMultipleField(
        _l("Where people come from"),
        choices=[],
        description=_l("The whole region, municipalities or neighbourhoods."),
    )
    locations = SelectMultipleField(
        _l("Where the service is offered"),
        choices=[],
        description=_l("Your organisation's addresses. Add an address on the organisation's page."),
    )
    closures = FieldList(FormField(ClosureForm), min_entries=2, max_entries=40)
    email = StringField(_l("Email address"), validators=[Length(max=254), _email])
    url = StringField(_l("Website"), validators=[Length(max=500, message=TOO_LONG), _web_address])
    is_free = RadioField(_l("Is it free of charge?"), choices=FREE_CHOICES, default="")
    application_process = TextAreaField(
        _l("How to apply"),
        validators=[Length(max=LONG_TEXT_MAX, message=TOO_LONG), _plain_text],
        description=_l("For example: walk in, call first, come with an info point."),
    )
    fees_description = TextAreaField(
        _l("Price"), validators=[Length(max=LONG_TEXT_MAX, message=TOO_LONG), _plain_text]
    )

    def load(self, values: dict[str, Any]) -> None:
        super().load(values)
        self.help.data = list(values.get("help") or [])
        self.languages.data = list(values.get("languages") or [])
        self.areas.data = list(values.get("areas") or [])
        self.locations.data = list(values.get("locations") or [])
        self.load_hours(values.get("hours") or [])
        self._load_list(
            self.closures,
            [
                {
                    "starts_on": _date(closure["starts_on"]),
                    "ends_on": _date(closure["ends_on"]),
                    "reason": closure.get("reason"),
                }
                for closure in values.get("closures") or []
            ],
            spare=2,
        )
        self.email.data = values.get("email")
        self.url.data = values.get("url")
        free = values.get("is_free")
        self.is_free.data = "" if free is None else ("yes" if free else "no")
        self.application_process.data = values.get("application_process")
        self.fees_description.data = values.get("fees_description")

    def values(self, keep_hours: bool = False) -> dict[str, Any]:
        """`keep_hours`: the listing has more periods a day than the form shows, so its
        hours are left as they are."""
        values = super().values()
        values["help"] = sorted(set(self.help.data or []))
        values["languages"] = sorted(set(self.languages.data or []))
        values["areas"] = sorted(set(self.areas.data or []))
        values["locations"] = sorted(set(self.locations.data or []))
        if not keep_hours:
            values["hours"] = self.hours_values()
        closures = {
            (c.starts_on.data.isoformat(), c.ends_on.data.isoformat(), _text(c.reason.data))
            for c in (entry.form for entry in self.closures)
            if c.starts_on.data and c.ends_on.data
        }
        values["closures"] = [
            {"starts_on": start, "ends_on": end, "reason": reason}
            for start, end, reason in sorted(closures, key=lambda c: (c[0], c[1]))
        ]
        values["email"] = _text(self.email.data)
        values["url"] = _text(self.url.data)
        values["is_free"] = {"yes": True, "no": False}.get(self.is_free.data)
        values["application_process"] = _text(self.application_process.data)
        values["fees_description"] = _text(self.fees_description.data)
        return values


class LocationForm(WeeklyHours, FlaskForm):
    """One of the organisation's locations: where it is, how to get there and in, how to reach
    it, when it is open. A confidential location's address is kept from the public."""

    name = StringField(
        _l("Name of the location (optional)"),
        validators=[Length(max=200, message=TOO_LONG), _plain_text],
        description=_l("For example: Main office, Day centre."),
    )
    address = StringField(
        _l("Street and number"), validators=[Length(max=200, message=TOO_LONG), _plain_text]
    )
    postcode = SelectField(_l("Postcode"), choices=[])
    neighbourhood = SelectField(
        _l("Neighbourhood"),
        choices=[],
        description=_l("Leave it to the postcode if you do not know."),
    )
    confidential = BooleanField(
        _l("Confidential address (a shelter, a refuge)"),
        description=_l(
            "The address is never shown publicly: only the municipality and how to reach you."
        ),
    )
    description = TextAreaField(
        _l("How to find the entrance"),
        validators=[Length(max=LONG_TEXT_MAX, message=TOO_LONG), _plain_text],
        description=_l("For example: the green door on the left, ring at 'Welcome'."),
    )
    transportation = TextAreaField(
        _l("Public transport"),
        validators=[Length(max=LONG_TEXT_MAX, message=TOO_LONG), _plain_text],
        description=_l("For example: tram 81, stop Bara; metro Clemenceau."),
    )
    step_free = BooleanField(_l("Step-free entrance"))
    lift = BooleanField(_l("Lift"))
    accessible_toilet = BooleanField(_l("Accessible toilet"))
    hearing_loop = BooleanField(_l("Hearing loop"))
    accessibility = TextAreaField(
        _l("More about accessibility"),
        validators=[Length(max=LONG_TEXT_MAX, message=TOO_LONG), _plain_text],
        description=_l("Steps, narrow doors, help on arrival: what a visitor should know."),
    )
    phone = StringField(_l("Phone number"), validators=[Length(max=40), _phone])
    email = StringField(_l("Email address"), validators=[Length(max=254), _email])
    website = StringField(
        _l("Website"), validators=[Length(max=500, message=TOO_LONG), _web_address]
    )

    def __init__(self, *args, neighbourhoods_of: dict[str, set[int]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # postcode -> the neighbourhoods of the municipalities it covers
        self.neighbourhoods_of = neighbourhoods_of or {}

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.postcode.data:  # even a confidential place says its municipality
            self.postcode.errors.append(_l("Choose the postcode of this address."))
            valid = False
        if self.confidential.data and not _text(self.phone.data) and not _text(self.email.data):
            self.phone.errors.append(
                _l("A confidential address needs a phone number or an email to reach you.")
            )
            valid = False
        number = self.neighbourhood.data
        allowed = self.neighbourhoods_of.get(self.postcode.data or "")
        if number and allowed is not None and int(number) not in allowed:
            self.neighbourhood.errors.append(
                _l("This neighbourhood is not in the municipality of that postcode.")
            )
            valid = False
        return valid

    def load(self, value: dict[str, Any]) -> None:
        for name in ("name", "address", "description", "transportation", "accessibility"):
            self[name].data = value.get(name)
        for name in ("phone", "email", "website"):
            self[name].data = value.get(name)
        self.postcode.data = value.get("postcode") or ""
        number = value.get("neighbourhood")
        self.neighbourhood.data = "" if number is None else str(number)
        self.confidential.data = bool(value.get("confidential"))
        for feature in ACCESSIBILITY_FEATURES:
            self[feature].data = bool(value.get(feature))
        self.load_hours(value.get("hours") or [])

    def value(self, location_id: str) -> dict[str, Any]:
        """The location as one value of the organisation's `locations` field."""
        value: dict[str, Any] = {
            "id": location_id,
            "name": _text(self.name.data),
            "address": _text(self.address.data),
            "postcode": self.postcode.data or None,
            "neighbourhood": int(self.neighbourhood.data) if self.neighbourhood.data else None,
            "description": _text(self.description.data),
            "transportation": _text(self.transportation.data),
            "accessibility": _text(self.accessibility.data),
            "confidential": bool(self.confidential.data),
            "phone": _phone_number(self.phone.data),
            "email": _text(self.email.data),
            "website": _text(self.website.data),
            "hours": self.hours_values(),
        }
        # A ticked feature is there; an unticked one is not said (None), not denied.
        value.update({f: True if self[f].data else None for f in ACCESSIBILITY_FEATURES})
        return value


def too_many_periods(values: dict[str, Any]) -> bool:
    days = [period["byday"] for period in values.get("hours") or []]
    return any(days.count(day) > PERIODS_PER_DAY for day in set(days))


def _time(text: str) -> time:
    return time.fromisoformat(text)


def _date(text: str) -> date:
    return date.fromisoformat(text)


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is it rejected?"),
        validators=[Length(max=1000, message=TOO_LONG), _plain_text],
        description=_l("The member reads this. Say what to change."),
    )
