"""Reading a query (`search.reading`): normalised words, what they name, typos."""

from __future__ import annotations

import pytest

from search.reading import Vocabulary, edit_distance, tokens

WORDS = Vocabulary(
    help_words={
        "shopping": ["Boodschappen", "courses", "التسوق", "alışveriş"],
        "paperwork": ["déclaration d'impôts", "papiers"],
        "care": ["Care"],
    },
    place_words={
        ("n", "22"): ["Quartier Brabant", "Brabantwijk"],
        ("m", "21001"): ["Anderlecht", "1070"],
        ("n", "60"): ["Porte de Hal", "Hallepoort"],
    },
    stop_words=["mijn", "moeder", "de", "d", "pour", "ma", "mère", "أمي", "في", "help"],
)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("التسوّق", ["تسوق"]),  # shadda and the article
        ("تسوق", ["تسوق"]),
        ("وبالتسوق", ["وبالتسوق"]),  # two letters before the article: kept as typed
        ("أمي إمي امي", ["امي", "امي", "امي"]),  # alef forms
        ("مدرسة مدرسه", ["مدرسه", "مدرسه"]),  # teh marbuta
        ("ALIŞVERİŞ alisveris alışveriş", ["alisveris"] * 3),  # dotted and dotless i
        ("Déclaration D'IMPÔTS", ["declaration", "d", "impots"]),
        ("Łódź", ["lodz"]),
    ],
)
def test_words_are_normalised_the_same_way_however_typed(typed, read):
    assert tokens(typed) == read


def test_a_swap_of_two_neighbouring_letters_is_one_edit():
    assert edit_distance("accolgae", "accolage", 2) == 1
    assert edit_distance("kureghem", "kuregem", 2) == 1
    assert edit_distance("abc", "xyz", 1) == 2  # anything above the limit is limit + 1


def test_the_longest_name_is_read_first_and_stop_words_drop_out():
    reading = WORDS.read("pour ma mère: déclaration d'impôts à la Porte de Hal")
    assert [m.codes for m in reading.needs] == [{"paperwork"}]
    assert [m.codes for m in reading.places] == [{("n", "60")}]
    assert {"pour", "ma", "mere"} <= set(reading.dropped)
    assert reading.free == ["a", "la"]  # short words are kept, never corrected


def test_a_word_of_a_longer_place_name_is_a_partial_mention():
    reading = WORDS.read("brabant")
    assert [(m.codes, m.partial) for m in reading.places] == [({("n", "22")}, True)]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("boodschapen", "boodschappen"),  # one letter missing
        ("Anderlect", "anderlecht"),
        ("Hallepoot", "hallepoort"),
        ("papeirs", "papiers"),  # a swap
        ("bodschapen", "boodschappen"),  # two edits in a long word
    ],
)
def test_a_typo_in_a_kind_of_help_or_a_place_is_corrected(typed, meant):
    reading = WORDS.read(typed)
    assert reading.corrections == {tokens(typed)[0]: meant}
    assert reading.needs or reading.places


def test_short_words_allow_no_edit_and_known_words_are_never_corrected():
    assert WORDS.read("cars").corrections == {"cars": "care"}  # four letters: one edit
    assert WORDS.read("car").corrections == {}  # three: none
    assert WORDS.read("cars", is_known=lambda word: True).corrections == {}


@pytest.mark.parametrize(
    ("typed", "place"),
    [
        ("Brabantwijk", ("n", "22")),  # a name of its own
        ("Anderlechtwijk", ("m", "21001")),
        ("hallepoortbuurt", ("n", "60")),
        ("Hallepoortswijk", ("n", "60")),  # with a linking s
    ],
)
def test_a_dutch_compound_of_a_place_and_wijk_or_buurt_names_the_place(typed, place):
    (mention,) = WORDS.read(f"boodschappen {typed}").places
    assert mention.codes == {place}
    assert not mention.partial


def test_a_word_ending_in_wijk_names_no_place_unless_the_rest_is_one():
    assert WORDS.read("uitwijk").places == []
    assert WORDS.read("wijk").places == []
