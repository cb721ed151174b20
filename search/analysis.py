"""How text is analysed: per-language stemming and stop words for nl, fr and en; case and
accent folding for every language; the index schema."""

from __future__ import annotations

from whoosh.analysis import (
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.lang import has_stemmer, has_stopwords
from whoosh.support.charset import accent_map

STEMMED_LANGUAGES = ("nl", "fr", "en")


def _folding():
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def _language(lang: str):
    assert has_stemmer(lang)
    assert has_stopwords(lang)
    # Stem with the accents a stemmer expects, then fold so "ecole" finds "école".
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | StopFilter(lang=lang)
        | StemFilter(lang=lang)
        | CharsetFilter(accent_map)
    )


def build_schema() -> Schema:
    fields = {
        "id": ID(stored=True, unique=True),
        # Free text. No positions (phrase=False): we never ask for phrases, and they cost
        # index time. The words of kinds of help and places are not here: the `Lexicon`
        # maps them to the codes below.
        "name": TEXT(analyzer=_folding(), phrase=False),
        "text_any": TEXT(analyzer=_folding(), phrase=False),  # texts in other languages
        # Facets and filters (exact values).
        "help": KEYWORD(commas=True),
        "exact_n": KEYWORD(commas=True),
        "exact_m": KEYWORD(commas=True),
        "lang": KEYWORD(commas=True),
        "kind": ID(),
        "formality": ID(),
        "line": ID(),
        "free": ID(),
        "region": ID(),
        "checked_on": ID(),  # ISO date of the last confirmation, absent when none
        # Opening hours (`Period.token`, `Closed.token`), read when a search asks "open now"
        # or "open on", or counts those open now.
        "period": KEYWORD(commas=True),
        "closed": KEYWORD(commas=True),
        # The whole document, for showing results.
        "card": STORED(),
        # The digest of everything the listing was indexed from (`content_digest`): the
        # index's fingerprint is kept up to date with it, write after write.
        "digest": STORED(),
    }
    for lang in STEMMED_LANGUAGES:
        fields[f"text_{lang}"] = TEXT(analyzer=_language(lang), phrase=False)
    return Schema(**fields)


def query_terms(schema: Schema, field: str, word: str) -> list[str]:
    """The terms `word` becomes in `field` (none when it is a stop word there)."""
    return [token.text for token in schema[field].analyzer(word, mode="query")]
