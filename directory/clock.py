"""The time in Brussels. Tests set `FIXED_NOW` in the app config to control it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

BRUSSELS = ZoneInfo("Europe/Brussels")


def now() -> datetime:
    if has_app_context() and (fixed := current_app.config.get("FIXED_NOW")):
        return fixed.astimezone(BRUSSELS)
    return datetime.now(BRUSSELS)
