"""The time in Brussels. Tests set `FIXED_NOW` in the app config to control it."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

BRUSSELS = ZoneInfo("Europe/Brussels")


def now() -> datetime:
    if has_app_context() and (fixed := current_app.config.get("FIXED_NOW")):
        return fixed.astimezone(BRUSSELS)
    return datetime.now(BRUSSELS)


def utc_now() -> datetime:
    """`now()` in UTC: what to store (SQLite keeps no offset, so stored times are UTC)."""
    return now().astimezone(UTC)


def as_utc(value: datetime) -> datetime:
    """A time read back from the database, aware: SQLite returns it without its offset."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
