"""The words people type, written by us in `seeds/`, for the index's lexicon:

- `search_terms.toml`: per kind of help (and life domain) and language, the everyday words,
  synonyms and closely related needs that should find it;
- `query_words.toml`: per language, the words that carry no need and no place in a query
  ("my mother", "someone", "who can", "need");
- `place_names.toml`: names people use for a municipality or a local area beside the
  official French and Dutch ones (short forms, Arabic script).

They are read when the lexicon is made (every index build and every change applied), so
an edit takes effect with the next change or `flask search rebuild`; no code changes.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from directory import config
from directory.i18n import SUPPORTED_LOCALES

SEEDS_DIR = config.PROJECT_ROOT / "seeds"


class SearchWordsError(ValueError):
    """A file of search words does not hold what it should (the message says where)."""


@dataclass(frozen=True)
class SearchWords:
    terms: dict[str, tuple[str, ...]]  # kind of help code -> words, all languages
    stop_words: tuple[str, ...]
    municipality_names: dict[str, tuple[str, ...]]  # NIS code -> other names
    local_names: dict[str, tuple[str, ...]]  # a local name's Dutch name -> other names


_cache: dict[Path, tuple[tuple[float, ...], SearchWords]] = {}


def load(seeds_dir: Path = SEEDS_DIR) -> SearchWords:
    """The three files, read again only when one of them changed."""
    paths = [seeds_dir / name for name in FILES]
    stamp = tuple(path.stat().st_mtime if path.exists() else 0.0 for path in paths)
    cached = _cache.get(seeds_dir)
    if cached is None or cached[0] != stamp:
        cached = _cache[seeds_dir] = (stamp, _read(*paths))
    return cached[1]


FILES = ("search_terms.toml", "query_words.toml", "place_names.toml")


def _read(terms_path: Path, words_path: Path, places_path: Path) -> SearchWords:
    terms = {
        code: tuple(word for lang in SUPPORTED_LOCALES for word in _strings(by_lang, lang, where))
        for code, by_lang in _toml(terms_path).items()
        for where in [f"{terms_path.name}: [{code}]"]
    }
    stop = tuple(
        word
        for lang in SUPPORTED_LOCALES
        for word in _strings(
            _toml(words_path).get(lang, {}), "words", f"{words_path.name}: [{lang}]"
        )
    )
    places = _toml(places_path)
    return SearchWords(
        terms=terms,
        stop_words=stop,
        municipality_names={
            nis: tuple(_strings(entry, "names", f"{places_path.name}: [municipality.{nis}]"))
            for nis, entry in places.get("municipality", {}).items()
        },
        local_names={
            name: tuple(_strings(entry, "names", f"{places_path.name}: [local_name.{name}]"))
            for name, entry in places.get("local_name", {}).items()
        },
    )


def _toml(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except tomllib.TOMLDecodeError as error:
        raise SearchWordsError(f"{path.name}: {error}") from error


def _strings(table, key: str, where: str) -> list[str]:
    if not isinstance(table, dict):
        raise SearchWordsError(f"{where}: expected a table")
    values = table.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise SearchWordsError(f"{where}: {key} must be a list of words")
    return values
