"""When a listing counts as fresh: the organisation is asked "is this still right?" six
months after it was last checked, and the listing is marked stale in public (and ranked
lower in search) nine months after. A listing nobody ever checked (the seed catalogue) is
shown as "not checked yet", honestly, and is neither asked nor marked stale until someone
takes it over."""

from __future__ import annotations

from datetime import date, timedelta

ASK_AFTER = timedelta(days=183)  # six months
STALE_AFTER = timedelta(days=274)  # nine months


def is_stale(assured_date: date | None, today: date) -> bool:
    return assured_date is not None and today - assured_date > STALE_AFTER


def is_due_for_asking(assured_date: date | None, today: date) -> bool:
    return assured_date is not None and today - assured_date > ASK_AFTER
