"""The API's query parameters, read strictly: a value our OpenAPI document does not allow is
a `BadParameter` (a JSON 400 naming the parameter), never a guess and never a 500.

The OpenAPI document (`exchange.openapi`) describes these same rules; the tests fuzz one
against the other.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from werkzeug.datastructures import MultiDict

from directory.i18n import SUPPORTED_LOCALES
from directory.pagination import MAX_PAGE

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100
MAX_SEARCH_CHARS = 200
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
POSTCODE_PATTERN = r"^[0-9]{4}$"
# RFC 3339 date-time (what OpenAPI's `date-time` means), or a plain date.
_DATE_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2}))?",
    re.ASCII,
)
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class BadParameter(ValueError):
    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def single(args: MultiDict, name: str) -> str | None:
    """The parameter's one value: given twice is a mistake we do not guess about."""
    values = args.getlist(name)
    if len(values) > 1:
        raise BadParameter(name, f"{name} may be given once")
    return values[0] if values else None


def paging(args: MultiDict) -> Paging:
    return Paging(
        page=_integer(args, "page", 1, MAX_PAGE, default=1),
        per_page=_integer(args, "per_page", 1, MAX_PER_PAGE, default=DEFAULT_PER_PAGE),
    )


def _integer(args: MultiDict, name: str, lowest: int, highest: int, default: int) -> int:
    raw = single(args, name)
    if raw is None:
        return default
    if not re.fullmatch(r"[+-]?[0-9]{1,9}", raw):
        raise BadParameter(name, f"{name} must be a whole number from {lowest} to {highest}")
    number = int(raw)
    if not lowest <= number <= highest:
        raise BadParameter(name, f"{name} must be a whole number from {lowest} to {highest}")
    return number


def identifier(raw: str, name: str = "id") -> uuid.UUID:
    """A UUID written the usual way (36 characters with hyphens), as HSDS ids are."""
    if not re.fullmatch(UUID_PATTERN, raw):
        raise BadParameter(name, f"{name} must be a UUID")
    return uuid.UUID(raw)


def optional_identifier(args: MultiDict, name: str) -> uuid.UUID | None:
    raw = single(args, name)
    return None if raw is None else identifier(raw, name)


def search_text(args: MultiDict) -> str | None:
    """Free text; control characters are dropped (no database stores a NUL)."""
    raw = single(args, "search")
    if raw is None:
        return None
    text = _CONTROL_CHARACTERS.sub(" ", raw).strip()[:MAX_SEARCH_CHARS]
    return text or None


def modified_after(args: MultiDict) -> datetime | None:
    """An RFC 3339 date-time (UTC when it says no offset) or a date (its midnight, UTC)."""
    raw = single(args, "modified_after")
    if raw is None:
        return None
    match = _DATE_TIME.fullmatch(raw)
    if match is None:
        raise BadParameter("modified_after", "modified_after must be a date-time (RFC 3339)")
    try:
        return _moment(match)
    except ValueError as error:
        raise BadParameter(
            "modified_after", f"modified_after is not a real time: {error}"
        ) from None


def _moment(match: re.Match) -> datetime:
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    day_of = date(int(year), int(month), int(day))
    if hour is None:
        return datetime.combine(day_of, time(), UTC)
    # A leap second (":60") is the last moment of its minute.
    at = time(
        int(hour), int(minute), min(int(second), 59), int((fraction or "0")[:6].ljust(6, "0"))
    )
    moment = datetime.fromisoformat(f"{day_of.isoformat()}T{at.isoformat()}{_offset(offset)}")
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        # Before year 1 or after year 9999 once in UTC: every record is after, or none is.
        return (
            datetime.min.replace(tzinfo=UTC)
            if moment.year == 1
            else datetime.max.replace(tzinfo=UTC)
        )


def _offset(offset: str) -> str:
    return "+00:00" if offset in ("Z", "z") else offset


def postcode(args: MultiDict) -> str | None:
    raw = single(args, "postcode")
    if raw is None:
        return None
    if not re.fullmatch(POSTCODE_PATTERN, raw):
        raise BadParameter("postcode", "postcode must be a Belgian postcode of four digits")
    return raw


def language(args: MultiDict, accept_languages) -> str | None:
    """The language the texts are wanted in: `lang`, else the best of Accept-Language, else
    None (each listing in its original language)."""
    raw = single(args, "lang")
    if raw is not None:
        if raw not in SUPPORTED_LOCALES:
            raise BadParameter("lang", f"lang must be one of {', '.join(SUPPORTED_LOCALES)}")
        return raw
    return accept_languages.best_match(SUPPORTED_LOCALES)
