"""Reading a query the way a person meant it.

A query is normalised (case, accents, Arabic letter forms and the article, Turkish dotted and
dotless i), cut into words, and read left to right against the lexicon: the longest run of
words that names a kind of help or a place is a *mention* of it ("maison de repos", "Porte
de Hal", "1080"); a word that carries no meaning in any of our languages ("my", "mother",
"someone", "need") is dropped; what is left are *free* words, matched in the listings'
texts. A word that names nothing and is in no listing is corrected to the nearest word the
index knows (one edit, a swap of two neighbouring letters included; two edits for words of
eight letters or more).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

WORD = re.compile(r"\w+", re.UNICODE)
MAX_PHRASE = 6  # words in the longest name of a kind of help or a place
# Dutch writes "the X neighbourhood" as one word: Karreveldwijk, Matongebuurt, Stationswijk
# (with a linking s). Such a word names the place X.
PLACE_COMPOUNDS = ("wijk", "buurt", "kwartier")
# Arabic: the article and the conjunctions or prepositions written onto it.
ARTICLES = ("وال", "بال", "فال", "كال", "لل", "ال")
# What NFKD does not take apart: letters people type without their marks.
FOLD = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ة": "ه",
        "ى": "ي",
        "ـ": None,  # tatweel
        "ک": "ك",
        "ی": "ي",
    }
)


def normalise(text: str) -> str:
    """Lower case without accents or marks; Arabic diacritics and letter variants folded."""
    text = unicodedata.normalize("NFKD", text.casefold()).translate(FOLD)
    return "".join(c for c in text if not unicodedata.combining(c))


def _without_article(word: str) -> str:
    for article in ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            return word[len(article) :]
    return word


def tokens(text: str) -> list[str]:
    """The normalised words of `text`."""
    return [_without_article(word) for word in WORD.findall(normalise(text))]


@dataclass(frozen=True)
class Mention:
    """Words of the query that name kinds of help (codes) or places (("n", number),
    ("m", NIS code), ("region", ""))."""

    words: tuple[str, ...]
    codes: frozenset
    partial: bool = False  # one word of a longer name, not the whole of one


@dataclass
class Reading:
    needs: list[Mention] = field(default_factory=list)
    places: list[Mention] = field(default_factory=list)
    free: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # stop words
    corrections: dict[str, str] = field(default_factory=dict)  # as typed -> as read


class Vocabulary:
    """The lexicon ready for reading: every name of a kind of help and of a place as a
    sequence of words, the stop words, and the words typos are corrected to."""

    def __init__(
        self,
        help_words: dict[str, Iterable[str]],
        place_words: dict[tuple[str, str], Iterable[str]],
        stop_words: Iterable[str],
    ) -> None:
        self.phrases: dict[tuple[str, ...], tuple[set, set]] = {}
        self.parts: dict[str, tuple[set, set]] = {}
        for code, names in help_words.items():
            for name in names:
                self._add(tokens(name), code, 0)
        for code, names in place_words.items():
            for name in names:
                self._add(tokens(name), code, 1)
        self.stop = {word for text in stop_words for word in tokens(text)} - {
            words[0] for words in self.phrases if len(words) == 1
        }
        self.known = {word for words in self.phrases for word in words} - self.stop
        self._deletes: dict[str, set[str]] | None = None

    def _add(self, words: list[str], code, slot: int) -> None:
        if not words:
            return
        entry = self.phrases.setdefault(tuple(words[:MAX_PHRASE]), (set(), set()))
        entry[slot].add(code)
        if len(words) > 1:
            for word in words:
                self.parts.setdefault(word, (set(), set()))[slot].add(code)

    def read(
        self, text: str, is_known=lambda word: False, near_words=None, max_words: int = 24
    ) -> Reading:
        """`is_known(word)`: whether a listing holds it (then it is not corrected);
        `near_words(word, edits)`: further words within that many edits to correct to (the
        listings' names)."""
        words = tokens(text)[:max_words]
        reading = Reading()
        index = 0
        while index < len(words):
            for size in range(min(MAX_PHRASE, len(words) - index), 0, -1):
                run = tuple(words[index : index + size])
                found = self.phrases.get(run)
                if found is not None:
                    self._mention(reading, run, found, partial=False)
                    index += size
                    break
            else:
                word = words[index]
                index += 1
                if word in self.stop:
                    reading.dropped.append(word)
                elif (place := self._compound_place(word)) is not None:
                    self._mention(reading, (word,), place, partial=False)
                elif word in self.parts and len(_codes(self.parts[word])) <= 4:
                    self._mention(reading, (word,), self.parts[word], partial=True)
                    if is_known(word):
                        reading.free.append(word)
                elif is_known(word) or len(word) < 4 or word.isdigit():
                    reading.free.append(word)
                else:
                    corrected = self.correct(word, near_words)
                    if corrected is None:
                        reading.free.append(word)
                        continue
                    reading.corrections[word] = corrected
                    found = self.phrases.get((corrected,))
                    if found is not None:
                        self._mention(reading, (corrected,), found, partial=False)
                    elif corrected in self.parts:
                        self._mention(reading, (corrected,), self.parts[corrected], True)
                    else:
                        reading.free.append(corrected)
        return reading

    def _compound_place(self, word: str) -> tuple[set, set] | None:
        """The place a Dutch compound such as "karreveldwijk" names, if any."""
        for suffix in PLACE_COMPOUNDS:
            stem = word.removesuffix(suffix)
            if stem == word or len(stem) < 3:
                continue
            for candidate in (stem, stem.removesuffix("s")):
                found = self.phrases.get((candidate,))
                if found is not None and found[1]:
                    return set(), found[1]
        return None

    @staticmethod
    def _mention(reading: Reading, words, found: tuple[set, set], partial: bool) -> None:
        needs, places = found
        if needs:
            reading.needs.append(Mention(words, frozenset(needs), partial))
        if places:
            reading.places.append(Mention(words, frozenset(places), partial))

    # typos ------------------------------------------------------------------------------

    def correct(self, word: str, near_words=None) -> str | None:
        """The nearest known word within the edits allowed for `word`'s length, preferring
        names of kinds of help and places to other words; None when there is none."""
        allowed = allowed_edits(word)
        best: tuple[int, int, str] | None = None
        for candidate in self._candidates(word, allowed):
            distance = edit_distance(word, candidate, allowed)
            if distance <= allowed:
                ranked = (distance, 0, candidate)
                best = ranked if best is None or ranked < best else best
        if near_words is not None and (best is None or best[0] > 1):
            # A swap is two edits for the index's automaton, one for us.
            for candidate in near_words(word, min(allowed + 1, 2)):
                distance = edit_distance(word, candidate, allowed)
                if distance <= allowed:
                    ranked = (distance, 1, candidate)
                    best = ranked if best is None or ranked < best else best
        return best[2] if best else None

    def _candidates(self, word: str, allowed: int) -> set[str]:
        if self._deletes is None:
            self._deletes = {}
            for known in self.known:
                if len(known) >= 3:
                    for variant in deletions(known, allowed_edits(known)):
                        self._deletes.setdefault(variant, set()).add(known)
        found: set[str] = set()
        for variant in deletions(word, allowed):
            found |= self._deletes.get(variant, set())
        return found


def _codes(found: tuple[set, set]) -> set:
    return found[0] | found[1]


def allowed_edits(word: str) -> int:
    if len(word) >= 8:
        return 2
    return 1 if len(word) >= 4 else 0


def deletions(word: str, depth: int) -> set[str]:
    """`word` and every word made from it by deleting up to `depth` letters."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (optimal string alignment: a swap of two neighbouring
    letters is one edit); anything above `limit` is reported as limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[len(b)]
