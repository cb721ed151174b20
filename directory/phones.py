"""Phone numbers as people type them, checked and written the way the country writes them.

Google's libphonenumber metadata (the `phonenumbers` package) knows every Belgian and
foreign numbering plan: "02/123.45.67", "0470 12 34 56" and "+33 1 23 45 67 89" are valid,
"02 123" is not. A number without a country code is read as Belgian. We store a number in
its international form, so every page, handout and export shows it the same way, and a
`tel:` link dials it from abroad too.
"""

from __future__ import annotations

import phonenumbers

HOME_REGION = "BE"


def parse(text: str) -> phonenumbers.PhoneNumber | None:
    """The number `text` means, or None when it is not a valid number."""
    try:
        number = phonenumbers.parse(text.strip(), HOME_REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def is_valid(text: str) -> bool:
    return parse(text) is not None


def international(text: str) -> str:
    """ "+32 2 123 45 67" for any way of writing a valid number; other text unchanged (numbers
    stored before numbers were checked are shown as they were typed)."""
    number = parse(text)
    if number is None:
        return text.strip()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def tel_uri(text: str) -> str:
    """The RFC 3966 link a phone dials: "tel:+3221234567"."""
    number = parse(text)
    if number is None:
        return "tel:" + "".join(c for c in text if c.isdigit() or c == "+")
    return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
