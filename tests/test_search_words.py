"""The words people type (`seeds/search_terms.toml`, `query_words.toml`,
`place_names.toml`): well formed, and naming only what the reference data holds."""

from __future__ import annotations

import tomllib

import pytest

from directory.i18n import SUPPORTED_LOCALES
from directory.seeding import search_words
from tests.conftest import SEEDS


def _toml(name: str) -> dict:
    with (SEEDS / name).open("rb") as file:
        return tomllib.load(file)


def test_every_kind_of_help_has_words_in_every_language_and_no_unknown_code():
    taxonomy = _toml("taxonomy.toml")
    codes = {t["code"] for t in taxonomy["term"]} | {d["code"] for d in taxonomy["domain"]}
    terms = _toml("search_terms.toml")
    assert set(terms) == codes
    for code, by_language in terms.items():
        assert set(by_language) == set(SUPPORTED_LOCALES), code
        assert all(by_language.values()), code


def test_place_names_name_known_places_and_stop_words_cover_every_language():
    nis_codes = {m["nis_code"] for m in _toml("places/municipalities.toml")["municipality"]}
    local = {n["name_nl"] for n in _toml("places/neighbourhoods.toml")["local_name"]}
    places = _toml("place_names.toml")
    assert set(places["municipality"]) <= nis_codes
    assert set(places["local_name"]) <= local
    assert set(_toml("query_words.toml")) == set(SUPPORTED_LOCALES)


def test_no_word_people_use_for_a_need_is_dropped_as_a_stop_word():
    """A stop word never hides a need: a word that is both would be read as the need (the
    lexicon wins), but in one language it then means nothing to someone else."""
    loaded = search_words.load(SEEDS)
    stop = {w.casefold() for w in loaded.stop_words}
    single = {w.casefold() for words in loaded.terms.values() for w in words if " " not in w}
    assert not (single & stop)


def test_a_malformed_file_says_which_file_and_what(tmp_path):
    for name in search_words.FILES:
        (tmp_path / name).write_text((SEEDS / name).read_text())
    (tmp_path / "search_terms.toml").write_text('[shopping]\nnl = "boodschappen"\n')
    with pytest.raises(search_words.SearchWordsError, match=r"search_terms.toml: \[shopping\]"):
        search_words.load(tmp_path)
