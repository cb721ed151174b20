"""The one rule for showing counts of what people did.

Searches that found nothing and referrals are traces of people: a count of them below five
is shown as "fewer than 5", on the page, on the map, in the CSV files and by `flask gaps
report` alike, so nobody can be recognised from a small number (a count of zero too: that
nobody searched is as telling as that one person did). Counts of services are public facts
(anyone can search the catalogue) and are shown as they are.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

SMALLEST_SHOWN = 5


def is_hidden(value: int, about_people: bool) -> bool:
    """Whether a count may not be shown as it is."""
    return about_people and value < SMALLEST_SHOWN


def shown(value: int | None, about_people: bool, number: Callable[[int], str] = str) -> str:
    """A count as it may be shown (`number` writes a shown one: the page groups its digits
    as the reader's language does); "" when the figure does not apply."""
    if value is None:
        return ""
    if is_hidden(value, about_people):
        return _("fewer than %(number)d", number=SMALLEST_SHOWN)
    return number(value)
