"""The search engine behind a small interface: write listings, remove them, rebuild, query.

Text matching and scoring are Whoosh's. Filters and their counts are sets of document
numbers kept as integers (`search.bitsets`), built once per index generation from the
index's own postings, so a search with three filters and every count costs a few bit
operations instead of a pass over the documents.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from time import monotonic

from whoosh import index as whoosh_index

from search import bitsets, store
from search.analysis import STEMMED_LANGUAGES, build_schema, query_terms
from search.bitsets import SlicedCounter
from search.documents import Closed, Lexicon, ListingDocument, Period
from search.reading import Mention, Reading, Vocabulary, tokens

MAX_QUERY_CHARS = 200
MAX_WORDS = 24
WORD = re.compile(r"\w+", re.UNICODE)
TEXT_FIELDS = (*(f"text_{lang}" for lang in STEMMED_LANGUAGES), "text_any", "name")
FIELD_GROUPS = {name: "name" if name == "name" else "text" for name in TEXT_FIELDS}
# Ranking (see `_Snapshot.search`): a kind of help the query names outweighs any one free
# word; a free word weighs by how rare it is (BM25's idf), three times more in a name than
# in a description.
NEED_WEIGHT = 24
PARTIAL_NEED_WEIGHT = 12  # one word of a longer name of a kind of help
DESCRIBED_WEIGHT = 12  # the listing's own texts hold every word of the need's name
FIELD_WEIGHTS = {"name": 3, "text": 1}
PARTIAL_PLACE_WEIGHT = 4  # one word of a longer place name ("heembeek"): ranks, never keeps
BROAD = 0.5  # a need met by more than this share of the listings decides nothing
SCORE_BITS = 12
# What the index files a listing under, by facet field. A page that shows every result
# counts its filter values on these (a dozen cards) instead of over the whole index.
FACET_VALUES: dict[str, Callable[[ListingDocument], tuple[str, ...]]] = {
    "help": lambda listing: listing.help_codes,
    "exact_n": lambda listing: listing.exact_neighbourhoods,
    "exact_m": lambda listing: listing.exact_municipalities,
    "lang": lambda listing: listing.languages,
    "kind": lambda listing: (listing.kind,),
    "formality": lambda listing: ("informal" if listing.informal else "formal",),
    "line": lambda listing: (listing.line,),
    "free": lambda listing: ({True: "yes", False: "no", None: "unknown"}[listing.free],),
    "region": lambda listing: ("yes" if listing.region_wide else "no",),
}
FACET_FIELDS = tuple(FACET_VALUES)
# What each indexing process may hold before it sorts postings through files on disk:
# 50,000 listings on two processes then sort in memory (about 390 MB per process at
# peak, for the length of a rebuild), a fifth faster than with 128.
BUILD_MEMORY_MB = 256
CARDS_KEPT = 1000  # a few MB per process
# Other processes' changes reach a search within this (the target is 2 s).
FRESHNESS_CHECK = 0.5

OccursOn = Callable[[Period, date], bool]


class IndexUnavailable(RuntimeError):
    """There is no index, or it cannot be read: rebuild it."""


@dataclass(frozen=True)
class Filters:
    neighbourhoods: frozenset[str] = frozenset()
    municipalities: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    help: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    formality: frozenset[str] = frozenset()
    lines: frozenset[str] = frozenset()
    free: bool = False
    open_now: bool = False
    open_on: date | None = None


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    filters: Filters = field(default_factory=Filters)
    offset: int = 0
    limit: int = 20
    now: datetime | None = None  # required for open_now
    # The neighbourhoods whose counts the caller shows (None: all of them). A page offers a
    # few; counting all 145 on every search is work nobody reads.
    count_neighbourhoods: frozenset[str] | None = None
    # Listings last checked before this day rank after the others with the same place tier
    # and text score (None: freshness plays no part).
    stale_before: date | None = None


@dataclass
class SearchResult:
    listings: list[ListingDocument]  # the requested page, in ranking order
    total: int
    counts: dict[str, dict[str, int]]  # group -> value -> results with that value
    without: dict[str, int]  # active group -> results if that filter were dropped
    loose: bool = False  # no listing matched every word; these match some of them
    # The index version read: within one version a listing id always has the same card.
    version: str = ""
    # The listings of the page open at the request's moment (as the "open now" filter
    # decides); a listing without opening hours is neither open nor closed.
    open_now: frozenset[str] = frozenset()
    # The query as it was read when words in it were corrected ("" when none was): the
    # results are those of this text.
    corrected: str = ""
    # Only a place was understood and the other words are in no listing: the results are
    # the place's listings, and the words found nothing (a need we lack, for gap analysis).
    unmatched: bool = False


def content_digest(document: ListingDocument) -> int:
    """A 128-bit digest of everything a listing is indexed from."""
    return int.from_bytes(hashlib.blake2b(repr(document).encode(), digest_size=16).digest())


def fingerprint(documents: Iterable[ListingDocument]) -> str:
    """The index's content in one value: its listings' digests combined (order does not
    matter, and a listing's digest can be taken out again when it changes)."""
    combined = 0
    for document in documents:
        combined ^= content_digest(document)
    return f"{combined:032x}"


def words_of(text: str) -> list[str]:
    """The words of a query: no syntax, bounded length, a lone '*' is no word at all."""
    return WORD.findall(text[:MAX_QUERY_CHARS].casefold())[:MAX_WORDS]


def corrected_text(text: str, corrections: dict[str, str]) -> str:
    """`text` with each corrected word replaced by what it was read as."""
    if not corrections:
        return ""
    return " ".join(corrections.get(next(iter(tokens(word)), ""), word) for word in words_of(text))


class SearchIndex:
    def __init__(self, root: Path, occurs_on: OccursOn) -> None:
        self.root = Path(root)
        self.schema = build_schema()
        self.occurs_on = occurs_on
        self._snapshot: _Snapshot | None = None
        self._checked_at = 0.0  # when the snapshot was last compared with the disk
        self._lock = threading.Lock()
        self._vocabulary: tuple[str, Vocabulary] | None = None  # per lexicon, kept across

    def vocabulary(self, generation: Path, lexicon: Lexicon) -> Vocabulary:
        """The lexicon ready for reading queries; it changes far less often than the index,
        so it is made again only when its text changes."""
        text = store.read_lexicon(generation) or ""
        if self._vocabulary is None or self._vocabulary[0] != text:
            self._vocabulary = (text, reading_vocabulary(lexicon))
        return self._vocabulary[1]

    # --- writing (the caller holds `store.writer_lock`) -----------------------------------

    def writer_lock(self, timeout: float = 60.0):
        return store.writer_lock(self.root, timeout)

    def check_lock(self):
        """Held by the one process of a host that compares this index with the database at
        start; the others do not wait (raises LockTimeout at once)."""
        return store.writer_lock(self.root, 0, name="check.lock")

    def rebuild_lock(self, timeout: float = 600.0):
        """Held for a whole rebuild (not the writer lock: changes keep being applied)."""
        return store.writer_lock(self.root, timeout, name="rebuild.lock")

    def applied_upto(self) -> int | None:
        generation = store.current_generation(self.root)
        return store.read_marker(generation) if generation else None

    def fingerprint(self) -> str | None:
        """`fingerprint` of what the current index holds (None: unknown)."""
        generation = store.current_generation(self.root)
        return store.read_fingerprint(generation) if generation else None

    def doc_count(self) -> int:
        """Listings in the current index; raises IndexUnavailable if it cannot be read or was
        built with other fields (by an older version: searches would miss what it lacks)."""
        generation = store.current_generation(self.root)
        ix = self._open(generation)
        try:
            built_with = set(whoosh_index.open_dir(str(generation)).schema.names())
        except Exception as error:  # as in `_open`
            raise IndexUnavailable(f"search index {generation} cannot be read: {error}") from error
        if built_with != set(self.schema.names()):
            raise IndexUnavailable(f"search index {generation} was built with other fields")
        _read_lexicon(generation)
        return ix.doc_count()

    def indexed_ids(self) -> set[str]:
        """Every listing id in the current index (for checks, not for searching)."""
        ix = self._open(store.current_generation(self.root))
        with ix.searcher() as searcher:
            return {fields["id"] for fields in searcher.all_stored_fields()}

    def write(
        self,
        documents: Iterable[ListingDocument],
        removed: Iterable[str],
        applied_upto: int,
        lexicon: Lexicon,
        generation: Path | None = None,
    ) -> None:
        """Add or replace `documents`, drop `removed`, remember the outbox id reached, and
        take the lexicon as it is now (a renamed kind of help needs nothing else)."""
        generation = generation or store.current_generation(self.root)
        ix = self._open(generation)
        documents = list(documents)
        combined = int(store.read_fingerprint(generation) or "0", 16)
        with ix.searcher() as searcher:  # take out what the changed listings were
            for listing_id in (*removed, *(d.id for d in documents)):
                old = searcher.document(id=listing_id)
                if old is not None:
                    combined ^= old.get("digest", 0)
        # Before the commit: a search that sees the new listings sees the words they need.
        store.write_lexicon(generation, lexicon.to_json())
        writer = ix.writer()
        try:
            for listing_id in removed:
                writer.delete_by_term("id", listing_id)
            for document in documents:
                fields = self._fields(document)
                combined ^= fields["digest"]
                writer.update_document(**fields)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        store.write_marker(generation, applied_upto, f"{combined:032x}")
        self._checked_at = 0.0  # this process sees its own change at once

    def build_generation(
        self,
        documents: Iterable[ListingDocument],
        applied_upto: int,
        lexicon: Lexicon,
        expected: int = 0,
    ) -> Path:
        """A complete new index beside the current one (not yet searched)."""
        generation = store.new_generation(self.root)
        store.write_lexicon(generation, lexicon.to_json())
        ix = whoosh_index.create_in(str(generation), self.schema)
        # Several indexing processes pay off on a large catalogue (each writes a segment).
        procs = min(os.cpu_count() or 1, 4) if expected > 5000 else 1
        writer = ix.writer(limitmb=BUILD_MEMORY_MB, procs=procs, multisegment=procs > 1)
        combined = 0
        for document in documents:
            fields = self._fields(document)
            combined ^= fields["digest"]
            writer.add_document(**fields)
        writer.commit()
        store.write_marker(generation, applied_upto, f"{combined:032x}")
        return generation

    def activate(self, generation: Path) -> None:
        store.swap(self.root, generation)
        self._checked_at = 0.0

    def _open(self, generation: Path | None):
        if generation is None:
            raise IndexUnavailable(f"no search index in {self.root}")
        try:
            return whoosh_index.open_dir(str(generation), schema=self.schema)
        except Exception as error:  # Whoosh raises many kinds on a damaged index
            raise IndexUnavailable(f"search index {generation} cannot be read: {error}") from error

    def _fields(self, document: ListingDocument) -> dict:
        texts = (*document.texts, *document.organization_texts)
        fields = {
            "id": document.id,
            "name": " ".join((*(t.name for t in texts), *document.other_names)),
            "text_any": " ".join(
                f"{t.name} {t.summary} {t.description}"
                for t in texts
                if t.locale not in STEMMED_LANGUAGES
            ),
            **{name: ",".join(values(document)) for name, values in FACET_VALUES.items()},
            "period": ",".join(period.token() for period in document.periods),
            "closed": ",".join(closure.token() for closure in document.closures),
            "card": document.as_shown(),
            "digest": content_digest(document),
        }
        if document.checked_on is not None:
            fields["checked_on"] = document.checked_on.isoformat()
        for lang in STEMMED_LANGUAGES:
            fields[f"text_{lang}"] = " ".join(
                f"{t.name} {t.summary} {t.description}" for t in texts if t.locale == lang
            )
        return fields

    # --- reading --------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        with self._lock:
            snapshot = self._current_snapshot()
            return snapshot.search(request)

    def version(self) -> str:
        """The version a search made now reads (`SearchResult.version`): within one version
        the same request gets the same answer."""
        with self._lock:
            return self._current_snapshot().label

    def _current_snapshot(self) -> _Snapshot:
        """The snapshot of the current generation. Whether the disk holds a newer one (a
        change another process applied, or a rebuild) is asked at most every
        FRESHNESS_CHECK seconds: it takes a directory listing, longer than some searches."""
        snapshot = self._snapshot
        if snapshot is not None and monotonic() - self._checked_at < FRESHNESS_CHECK:
            return snapshot
        self._checked_at = monotonic()
        generation = store.current_generation(self.root)
        if generation is None:
            raise IndexUnavailable(f"no search index in {self.root}")
        if snapshot is not None and snapshot.generation == generation and snapshot.fresh():
            return snapshot
        if snapshot is not None:
            snapshot.close()
        self._snapshot = None
        self._snapshot = _Snapshot(generation, self._open(generation), self)
        self._checked_at = monotonic()
        return self._snapshot


@dataclass(frozen=True)
class _Ranking:
    """What orders the listings a search matched (see `_Snapshot._tiers`)."""

    scores: SlicedCounter  # per listing: needs met, free words by rarity
    need: int = 0  # listings meeting a need the query names
    place: tuple[int, int] | None = None  # listings naming, and serving, a place it names


class _Snapshot:
    """One generation of the index as one process reads it, with its filter sets."""

    def __init__(self, generation: Path, ix, owner: SearchIndex) -> None:
        self.generation, self.ix, self.owner = generation, ix, owner
        lexicon = _read_lexicon(generation)
        self.version = ix.latest_generation()
        self.searcher = ix.searcher()
        reader = self.searcher.reader()
        self.size = reader.doc_count_all()
        self.live = bitsets.from_docnums(reader.all_doc_ids(), self.size)
        self.facets: dict[str, dict[str, int]] = {}
        for name in FACET_FIELDS:
            self.facets[name] = {
                term.decode(): self._postings_mask(reader, name, term)
                for term in reader.lexicon(name)
            }
        self._cover_places(lexicon.place_map)
        self.vocabulary = owner.vocabulary(generation, lexicon)
        self.domains = frozenset(lexicon.domains)
        self.checked_on = sorted(
            (date.fromisoformat(term.decode()), self._postings_mask(reader, "checked_on", term))
            for term in reader.lexicon("checked_on")
        )
        self.stale_cache: OrderedDict[date, int] = OrderedDict()
        self.term_cache: OrderedDict[tuple[str, str], int] = OrderedDict()
        self.word_cache: OrderedDict[str, dict[str, int]] = OrderedDict()
        self.cards: OrderedDict[int, ListingDocument] = OrderedDict()
        self._hours: _Hours | None = None

    def _cover_places(self, place_map: dict[str, tuple[str, ...]]) -> None:
        """Who serves each place: those naming it, those naming its municipality (or, for a
        municipality, one of its neighbourhoods), and those serving the whole region."""
        exact_n, exact_m = self.facets["exact_n"], self.facets["exact_m"]
        region = self.facets["region"].get("yes", 0)
        near_n: dict[str, int] = {}
        near_m: dict[str, int] = {nis: mask | region for nis, mask in exact_m.items()}
        for number, municipalities in place_map.items():
            near_n[number] = exact_n.get(number, 0) | exact_m.get(municipalities[0], 0) | region
            for nis in municipalities:
                near_m[nis] = near_m.get(nis, region) | exact_n.get(number, 0)
        self.facets["near_n"], self.facets["near_m"] = near_n, near_m

    def _postings_mask(self, reader, name: str, term: bytes) -> int:
        docs = reader.postings(name, term).all_ids()
        return bitsets.from_docnums(docs, self.size) & self.live

    def fresh(self) -> bool:
        return self.ix.latest_generation() == self.version

    @property
    def label(self) -> str:
        """The version searches of this snapshot report (`SearchResult.version`)."""
        return f"{self.generation.name}/{self.version}"

    def close(self) -> None:
        self.searcher.close()

    # text ------------------------------------------------------------------------------

    def _term_mask(self, field_name: str, term: str) -> int:
        key = (field_name, term)
        mask = self.term_cache.get(key)
        if mask is None:
            reader = self.searcher.reader()
            if (field_name, term) in reader:
                docs = reader.postings(field_name, term).all_ids()
                mask = bitsets.from_docnums(docs, self.size) & self.live
            else:
                mask = 0
            self.term_cache[key] = mask
            if len(self.term_cache) > 4096:
                self.term_cache.popitem(last=False)
        else:
            self.term_cache.move_to_end(key)
        return mask

    def _word_masks(self, word: str) -> dict[str, int]:
        """Where `word` matches in the listings' texts, by group of fields ("name", "text");
        empty when nowhere (or a stop word in every field)."""
        cached = self.word_cache.get(word)
        if cached is not None:
            return cached
        schema = self.owner.schema
        masks: dict[str, int] = {}
        for field_name in TEXT_FIELDS:
            for term in query_terms(schema, field_name, word):
                group = FIELD_GROUPS[field_name]
                if mask := self._term_mask(field_name, term):
                    masks[group] = masks.get(group, 0) | mask
        self.word_cache[word] = masks
        if len(self.word_cache) > 1024:
            self.word_cache.popitem(last=False)
        return masks

    def _near_names(self, word: str, edits: int) -> list[str]:
        """Words of listings' names within `edits` (plain Levenshtein) of `word`."""
        reader = self.searcher.reader()
        return [term for term in reader.terms_within("name", word, edits) if len(term) >= 4]

    def _described(self, words: tuple[str, ...]) -> int:
        """Listings whose texts hold every one of `words` (the name of a need)."""
        found = self.live
        for word in words:
            if len(word) < 3:
                continue
            found &= _union_of(self._word_masks(word).values())
            if not found:
                break
        return found

    def _mention_masks(self, mention: Mention) -> tuple[int, int]:
        """A place mention's listings: (those naming it, those serving it)."""
        exact = near = 0
        region = self.facets["region"].get("yes", 0)
        for kind, code in mention.codes:
            if kind == "n":
                exact |= self.facets["exact_n"].get(code, 0)
                near |= self.facets["near_n"].get(code, region)
            elif kind == "m":
                exact |= self.facets["exact_m"].get(code, 0)
                near |= self.facets["near_m"].get(code, region)
            else:
                exact |= region
                near |= region
        return exact, near

    # filters ---------------------------------------------------------------------------

    def _union(self, name: str, values: Iterable[str]) -> int:
        facet = self.facets[name]
        return _union_of(facet.get(value, 0) for value in values)

    def _group_masks(self, filters: Filters, now: datetime | None) -> dict[str, int]:
        masks: dict[str, int] = {}
        if filters.neighbourhoods or filters.municipalities:
            masks["place"] = self._union("near_n", filters.neighbourhoods) | self._union(
                "near_m", filters.municipalities
            )
        if filters.languages:
            masks["lang"] = self._union("lang", filters.languages)
        if filters.help:
            masks["help"] = self._union("help", filters.help)
        if filters.kinds:
            masks["kind"] = self._union("kind", filters.kinds)
        if filters.formality:
            masks["formality"] = self._union("formality", filters.formality)
        if filters.lines:
            masks["line"] = self._union("line", filters.lines)
        if filters.free:
            masks["free"] = self.facets["free"].get("yes", 0)
        if filters.open_now or filters.open_on:
            masks["open"] = self._open_mask(filters, now)
        return masks

    def _open_mask(self, filters: Filters, now: datetime | None) -> int:
        hours = self._hours_index()
        mask = 0
        if filters.open_now and now is not None:
            mask |= hours.open_now(now)
        if filters.open_on:
            mask |= hours.open_at(filters.open_on, None)
        return mask

    def _hours_index(self) -> _Hours:
        if self._hours is None:
            self._hours = _Hours(self, self.owner.occurs_on)
        return self._hours

    # the search ------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        text = request.text[:MAX_QUERY_CHARS]
        reading = self.vocabulary.read(
            text,
            is_known=lambda word: bool(self._word_masks(word)),
            near_words=self._near_names,
            max_words=MAX_WORDS,
        )
        text_mask, loose, unmatched, ranking = self._read_matches(reading)
        masks = self._group_masks(request.filters, request.now)

        def all_but(group: str | None) -> int:
            result = text_mask
            for name, mask in masks.items():
                if name != group:
                    result &= mask
            return result

        final = all_but(None)
        total = final.bit_count()
        docnums = self._page(final, ranking, request)
        listings = [self._card(docnum) for docnum in docnums]
        # A filter not in use counts over every result: when the page shows them all, that
        # is their cards (a dozen, often) rather than every value's set over the index.
        every_result = listings if len(listings) == total else None
        counts = self._counts(all_but, masks.keys(), every_result, request)
        without = {group: all_but(group).bit_count() for group in masks}
        open_now: frozenset[str] = frozenset()
        if request.now is not None and any(card.periods for card in listings):
            now = request.now
            mask = self._hours_index().open_now(now)
            open_now = frozenset(
                card.id
                for card, docnum in zip(listings, docnums, strict=True)
                if mask >> docnum & 1
            )
        corrected = corrected_text(text, reading.corrections)
        return SearchResult(
            listings, total, counts, without, loose, self.label, open_now, corrected, unmatched
        )

    def _read_matches(self, reading: Reading) -> tuple[int, bool, bool, _Ranking]:
        """The listings a reading matches, whether loosely, whether its words beside a place
        matched nothing at all, their scores, and the sets the ranking's tiers need: those
        meeting a need, and those naming or serving a place.

        A need named in the query (a kind of help) decides what matches; free words then
        only rank, unless they match on their own. Without a need, every free word must
        match (or, when no listing has them all, any of them: a loose match). A place named
        in the query keeps the listings that serve it, when there are any."""
        scores = SlicedCounter(SCORE_BITS)
        size = max(self.live.bit_count(), 1)
        need = 0
        each = []
        for mention in reading.needs:
            mask = self._union("help", mention.codes)
            if mention.codes <= self.domains or mask.bit_count() > size * BROAD:
                # A life domain, or a word of many kinds of help, says little about the need:
                # it matches and ranks like a common word.
                each.append(mask)
                scores.add(mask, max(1, round(_idf(mask.bit_count(), size))))
                continue
            # A listing that describes the need in its own words meets it too, even when it
            # is not tagged with that kind of help ("duos in care homes").
            described = self._described(mention.words)
            if described.bit_count() <= size * BROAD:
                scores.add(described, DESCRIBED_WEIGHT)
                mask |= described
            need |= mask
            scores.add(mask, PARTIAL_NEED_WEIGHT if mention.partial else NEED_WEIGHT)
        for word in reading.free:
            masks = self._word_masks(word)
            if not masks:
                continue
            found = _union_of(masks.values())
            each.append(found)
            idf = _idf(found.bit_count(), size)
            name = masks.get("name", 0)
            scores.add(name, max(1, round(FIELD_WEIGHTS["name"] * idf)))
            scores.add(masks.get("text", 0) & ~name, max(1, round(FIELD_WEIGHTS["text"] * idf)))
        loose = unmatched = False
        every = self.live
        for mask in each:
            every &= mask
        places = [mention for mention in reading.places if not mention.partial]
        if need:
            text_mask = need | every if each else need
        elif each:
            text_mask = every
            if not text_mask and len(each) > 1:
                text_mask, loose = _union_of(each), True
        elif places:
            # Only a place was understood; the other words are in no listing (an age, a
            # name we do not know): the place's listings, said to match part of the query.
            text_mask = self.live
            loose = unmatched = bool(reading.free)
        elif reading.free or reading.needs:
            text_mask = 0  # words that match nothing
        else:
            text_mask = self.live
        exact = near = 0
        for mention in reading.places:
            named, serving = self._mention_masks(mention)
            if mention.partial:  # one word of a longer place name: it only ranks
                scores.add(named, PARTIAL_PLACE_WEIGHT)
                continue
            exact |= named
            near |= serving
        if places:
            if text_mask & near:
                text_mask &= near
            elif text_mask is self.live or not (reading.needs or each):
                text_mask = 0
            else:
                loose = True  # nobody serves that place: the need elsewhere
        place = (exact, near) if places else None
        return text_mask, loose, unmatched, _Ranking(scores, need, place)

    def _counts(
        self,
        all_but,
        in_use: Collection[str],
        every_result: list[ListingDocument] | None,
        request: SearchRequest,
    ) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        place_base = all_but("place")
        near_n = self.facets["near_n"]
        if request.count_neighbourhoods is not None:
            near_n = {n: near_n[n] for n in request.count_neighbourhoods if n in near_n}
        counts["neighbourhood"] = _count(near_n, place_base)
        counts["municipality"] = _count(self.facets["near_m"], place_base)
        for group in ("lang", "help", "kind", "formality", "line"):
            if every_result is not None and group not in in_use:
                counts[group] = _tally(every_result, FACET_VALUES[group])
            else:
                counts[group] = _count(self.facets[group], all_but(group))
        counts["free"] = {"yes": (all_but("free") & self.facets["free"].get("yes", 0)).bit_count()}
        open_base = all_but("open")
        hours = self._hours_index() if open_base else None
        counts["open"] = {}
        if hours and request.now is not None:
            now = request.now
            counts["open"]["now"] = (open_base & hours.open_now(now)).bit_count()
        if hours and request.filters.open_on:
            counts["open"]["day"] = (
                open_base & hours.open_at(request.filters.open_on, None)
            ).bit_count()
        return counts

    def _tiers(self, final: int, filters: Filters, ranking: _Ranking) -> list[int]:
        """The ranking's tiers, in order. A listing that meets the need named in the query
        in the place asked comes first, then the need met for the municipality or the
        whole region, then looser matches. A place (chosen in the filters or named in the
        query) ranks the listings naming it before those serving it as part of a larger
        area, and those before the ones serving the whole region."""
        exact = near = 0
        if filters.neighbourhoods or filters.municipalities:
            exact = self._union("exact_n", filters.neighbourhoods) | self._union(
                "exact_m", filters.municipalities
            )
            near = final
        if ranking.place is not None:
            exact |= ranking.place[0]
            near |= ranking.place[1]
        region = self.facets["region"].get("yes", 0)
        # Without a place, one tier of every listing (-1: all bits set).
        by_place = [exact, ~exact & ~region, region & ~exact] if exact or near else [-1]
        if need := ranking.need:
            tiers = [final & need & p for p in by_place]
            tiers += [final & ~need & p for p in by_place]
            return tiers
        return [final & p for p in by_place]

    def _checked_before(self, day: date | None) -> int:
        """Listings whose last check is older than `day` (one set per day, kept a while)."""
        if day is None:
            return 0
        mask = self.stale_cache.get(day)
        if mask is None:
            mask = _union_of(docs for checked, docs in self.checked_on if checked < day)
            self.stale_cache[day] = mask
            if len(self.stale_cache) > 8:
                self.stale_cache.popitem(last=False)
        return mask

    def _runs(self, final: int, ranking: _Ranking, request: SearchRequest) -> Iterator[int]:
        """The ranking as consecutive sets, each read in index order: place tiers first, then
        within each tier the text score, highest first, then fresh listings before stale
        ones."""
        stale = self._checked_before(request.stale_before)
        for tier in self._tiers(final, request.filters, ranking):
            if not tier:
                continue
            for _score, level in ranking.scores.levels(tier):
                if level & stale:
                    yield level & ~stale
                    yield level & stale
                else:
                    yield level

    def _page(self, final: int, ranking: _Ranking, request: SearchRequest) -> list[int]:
        """The requested slice of the ranking (document numbers)."""
        skip, take = request.offset, request.limit
        docnums: list[int] = []
        for run in self._runs(final, ranking, request):
            size = run.bit_count()
            if skip >= size:
                skip -= size
                continue
            docnums.extend(bitsets.first_docnums(run, skip, take - len(docnums)))
            skip = 0
            if len(docnums) >= take:
                break
        return docnums

    def _card(self, docnum: int) -> ListingDocument:
        """A listing's stored card. Popular listings show up on many pages and a card never
        changes within a snapshot, so the last few hundred are kept unpickled."""
        card = self.cards.get(docnum)
        if card is None:
            card = self.searcher.reader().stored_fields(docnum)["card"]
            self.cards[docnum] = card
            if len(self.cards) > CARDS_KEPT:
                self.cards.popitem(last=False)
        else:
            self.cards.move_to_end(docnum)
        return card


def _read_lexicon(generation: Path) -> Lexicon:
    text = store.read_lexicon(generation)
    try:
        return Lexicon.from_json(text or "")
    except (ValueError, KeyError, TypeError) as error:
        raise IndexUnavailable(f"search index {generation} has no readable lexicon") from error


def _idf(found: int, size: int) -> float:
    """How rare a word is among the listings (BM25's inverse document frequency)."""
    return math.log(1 + (size - found + 0.5) / (found + 0.5))


def reading_vocabulary(lexicon: Lexicon) -> Vocabulary:
    """How the index reads a query (places, needs, function words) from its lexicon: the
    gap analysis reads recorded searches with the same."""
    places: dict[tuple[str, str], tuple[str, ...]] = {
        ("n", number): words for number, words in lexicon.neighbourhood_words.items()
    }
    places.update(
        {("m", nis): words for nis, words in lexicon.municipality_words.items()},
    )
    places[("region", "")] = lexicon.region_words
    return Vocabulary(lexicon.help_words, places, lexicon.stop_words)


def _union_of(masks: Iterable[int]) -> int:
    result = 0
    for mask in masks:
        result |= mask
    return result


def _count(facet: dict[str, int], base: int) -> dict[str, int]:
    return {value: count for value, mask in facet.items() if (count := (base & mask).bit_count())}


def _tally(listings: list[ListingDocument], values) -> dict[str, int]:
    """What `_count` gives over exactly these listings."""
    counts: dict[str, int] = {}
    for listing in listings:
        for value in values(listing):
            counts[value] = counts.get(value, 0) + 1
    return counts


class _Hours:
    """Who is open when. Listings sharing a period share one set; a question about a moment
    then looks at each distinct period once."""

    def __init__(self, snapshot: _Snapshot, occurs_on: OccursOn) -> None:
        self.occurs_on = occurs_on
        reader = snapshot.searcher.reader()
        self.periods = {
            Period.from_token(term.decode()): snapshot._postings_mask(reader, "period", term)
            for term in reader.lexicon("period")
        }
        self.closures = [
            (Closed.from_token(term.decode()), list(reader.postings("closed", term).all_ids()))
            for term in reader.lexicon("closed")
        ]
        self.size = snapshot.size
        self.cache: OrderedDict[tuple, int] = OrderedDict()

    def open_now(self, now: datetime) -> int:
        """Listings open at `now` (its wall-clock time in its own time zone)."""
        return self.open_at(now.date(), now.time().replace(tzinfo=None))

    def open_at(self, day: date, moment: time | None) -> int:
        """Listings open on `day` at `moment` (at some time that day when moment is None)."""
        key = (day, moment.replace(second=0, microsecond=0) if moment else None)
        if key in self.cache:
            return self.cache[key]
        mask = 0
        for period, docs in self.periods.items():
            if moment is not None and not (period.opens_at <= moment < period.closes_at):
                continue
            if self.occurs_on(period, day):
                mask |= docs
        closed = [
            docs for closure, docs in self.closures if closure.starts_on <= day <= closure.ends_on
        ]
        if closed:
            mask &= ~bitsets.from_docnums((d for docs in closed for d in docs), self.size)
        self.cache[key] = mask
        if len(self.cache) > 1024:
            self.cache.popitem(last=False)
        return mask
