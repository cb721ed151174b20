"""Pieces of HTML rendered once and printed again: result cards, filter rows, the language
switcher, and whole search pages for readers without a session.

A kept piece is only as right as its key. Every cache here is a `FragmentCache` keyed by a
frozen dataclass that holds *every* input the piece is drawn from, and the function that
draws it receives that key and nothing that varies by request: adding an input means adding
a field, which is then part of the key, so a changed input can never be served a stale
piece. What a key names instead of holding (a listing card is named by its index version
and id) must be fixed for that name.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

MARK = "\ue000"  # a private-use character: no name or label holds it

K = TypeVar("K", bound=Hashable)


class Rendered:
    """HTML that one of our templates rendered, kept to be printed again as it is: every
    value in it was escaped and passed `neutralise_bidi` when it was rendered, so it is not
    scanned again (on a search page that is tens of kilobytes, every request). Not a string,
    so nothing can be added to it unchecked."""

    __slots__ = ("html",)

    def __init__(self, html: str) -> None:
        self.html = html

    def __html__(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def cut_at_mark(html) -> list[str]:
    """Rendered HTML cut where `MARK` was printed: a piece rendered once, with slots a page
    fills in (filter rows' counts, the language switcher's address)."""
    return str(html).split(MARK)


class FragmentCache(Generic[K]):
    """Rendered pieces by key, at most `limit` of them. When full it starts again: simpler
    than LRU, safe with threads, and it refills in a few pages."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._kept: dict[Hashable, object] = {}
        self._lock = threading.Lock()

    def get(self, key: K, draw: Callable[[K], object]):
        kept = self.find(key)
        if kept is None:
            kept = draw(key)
            self.keep(key, kept)
        return kept

    def find(self, key: K):
        """The piece kept for `key`, or None (for a caller that decides after drawing
        whether the piece may be kept)."""
        return self._kept.get(key)

    def keep(self, key: K, piece: object) -> None:
        with self._lock:
            if len(self._kept) >= self.limit:
                self._kept.clear()
            self._kept[key] = piece

    def __len__(self) -> int:
        return len(self._kept)
