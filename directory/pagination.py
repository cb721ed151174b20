"""Page numbers from untrusted input, and what a page of results needs to show."""

from __future__ import annotations

from dataclasses import dataclass

MAX_PAGE = 10_000


def page_number(raw: str | None) -> int:
    """A page number from the query string; anything malformed or out of range is page 1 or
    the highest page we ever serve."""
    try:
        number = int(raw or "1")
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


@dataclass(frozen=True)
class Page:
    number: int
    per_page: int
    total: int

    @property
    def count(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.count
