"""Full-text search: the only package that imports the search engine (Whoosh).

The rest of the app hands in `ListingDocument`s and asks `SearchRequest`s; it never sees an
engine type. See `search.engine.SearchIndex` for the operations and `search.store` for how
several processes share one index safely.
"""

from search.documents import Closed, Lexicon, ListingDocument, Period, Text
from search.engine import (
    Filters,
    IndexUnavailable,
    SearchIndex,
    SearchRequest,
    SearchResult,
    fingerprint,
    reading_vocabulary,
    words_of,
)
from search.store import LockTimeout

__all__ = [
    "Closed",
    "Filters",
    "IndexUnavailable",
    "Lexicon",
    "ListingDocument",
    "LockTimeout",
    "Period",
    "SearchIndex",
    "SearchRequest",
    "SearchResult",
    "Text",
    "fingerprint",
    "reading_vocabulary",
    "words_of",
]
