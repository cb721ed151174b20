"""The search benchmark's anchor: the same listings in PostgreSQL full-text search.

Most deployments already run PostgreSQL; its full-text search is what our engine has to
beat, or at least not lose to by much. This module loads the documents the index is built
from (`directory.indexing.documents`, the same `ListingDocument`s, built once) into a
schema of its own (`bench_fts_<pid>`, dropped afterwards), and answers a `SearchRequest`
the way a competent developer would in SQL: one statement, one round trip, for the page of
results, the total, every facet count and the "without this filter" counts.

The table: one row per listing, the facet values as arrays (GIN) and columns, and ONE
weighted tsvector: names weight A, the words of its kinds of help and of its places weight
B (from the index's own `Lexicon`), summaries and descriptions weight C; texts in nl, fr
and en through the 'dutch', 'french' and 'english' configurations, other languages and the
lexicon's words through 'simple'; everything unaccented with the `unaccent` extension when
it can be had.

Where SQL cannot say what the engine does, the choice made is the usual one:
- each query word matches in any language (OR of the four configurations), every word
  must match (AND), and when no listing has every word, any word will do (a second query,
  as the engine's "loose" results);
- places: a listing serves the places it names, the neighbourhoods of a municipality it
  names, the municipalities of a neighbourhood it names, and everything when it serves the
  whole region (`served`, worked out at load as the engine works out its place sets);
- ranking: named place first (as the engine's tiers), then ts_rank_cd;
- not done here: one-typo matching of names, the "open now" count and freshness order
  (the engine does them on every search; PostgreSQL has no cheap equivalent).

Cost of the one-tsvector design: the lexicon now holds the words people use for each kind
of help in nine languages, several hundred words per listing, so a tsvector weighs about
12 KB (TOASTed) and ranking a common word decompresses it for every hit. With the labels
alone it is about 3 KB and text-only queries are about twice as fast.
"""

# ruff: noqa: S608 (statements are built from this module's own names: every value is bound)

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass

import psycopg
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from directory.indexing.documents import Reference, all_documents
from search import Lexicon, ListingDocument, SearchRequest, words_of

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# Text search configurations by text language; every other language gets "simple".
CONFIGS = {"nl": "dutch", "fr": "french", "en": "english"}
ALL_CONFIGS = ("dutch", "french", "english", "simple")
STEMMERS = {"dutch": "dutch_stem", "french": "french_stem", "english": "english_stem"}
REGION = "*"  # in `served`: serves the whole region, so every place
# The weighted parts of a listing's tsvector: (weight, configuration).
PARTS = (
    *(("A", config) for config in ALL_CONFIGS),
    ("B", "simple"),
    *(("C", config) for config in ALL_CONFIGS),
)
FACET_COLUMNS = """
    help text[] NOT NULL,        -- kinds of help and their life domains
    langs text[] NOT NULL,
    served text[] NOT NULL,      -- 'n:<number>', 'm:<NIS code>' or '*' (the region)
    named text[] NOT NULL,       -- the places it names ('n:..', 'm:..'), ranked first
    region_wide boolean NOT NULL,
    kind text NOT NULL,
    formality text NOT NULL,
    line text NOT NULL,
    free boolean,
    card jsonb NOT NULL          -- what a page of results shows (as the index stores it)
"""
FACET_NAMES = (
    "help",
    "langs",
    "served",
    "named",
    "region_wide",
    "kind",
    "formality",
    "line",
    "free",
    "card",
)
# The column each filter group tests and counts.
GROUP_COLUMNS = {
    "place": "served",
    "lang": "langs",
    "help": "help",
    "kind": "kind",
    "formality": "formality",
    "line": "line",
    "free": "free",
}


@dataclass
class Loaded:
    documents: int
    built: float  # seconds to build the documents (SQLite reads, Python)
    copied: float  # COPY and the tsvectors
    indexed: float  # GIN indexes and ANALYZE
    megabytes: float  # table, TOAST and indexes
    unaccent: str  # how accents are folded, or why they are not


@dataclass
class Found:
    ids: list[str]
    cards: list[dict]
    total: int
    counts: dict[str, dict[str, int]]
    without: dict[str, int]
    loose: bool = False


def conninfo(url: str) -> str:
    """A libpq connection string from a SQLAlchemy URL (or a libpq one as it is)."""
    if "://" not in url:
        return url
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


class Anchor:
    """One connection, kept for every query; the schema lives as long as the anchor."""

    def __init__(self, connection: psycopg.Connection) -> None:
        self.connection = connection
        self.schema = f"bench_fts_{os.getpid()}"
        self.configs: dict[str, str] = {}  # name -> schema-qualified configuration
        self.neighbourhoods: frozenset[str] = frozenset()  # every neighbourhood number
        self.municipalities: tuple[str, ...] = ()  # every NIS code

    @classmethod
    def connect(cls, url: str) -> Anchor:
        """Raises psycopg.Error (OperationalError when nothing answers)."""
        return cls(psycopg.connect(conninfo(url), autocommit=True, connect_timeout=5))

    def close(self) -> None:
        try:
            self.connection.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")
        finally:
            self.connection.close()

    # --- loading ------------------------------------------------------------------------

    def load(self, database_url: str) -> Loaded:
        """The active listings of the catalogue at `database_url` (the bench's SQLite),
        as the index gets them."""
        started = time.perf_counter()
        engine = create_engine(database_url)
        try:
            with Session(engine) as session:
                reference = Reference.load(session)
                documents = list(all_documents(session, reference))
        finally:
            engine.dispose()
        lexicon = reference.lexicon
        self.neighbourhoods = frozenset(lexicon.place_map)
        self.municipalities = tuple(
            sorted({nis for codes in lexicon.place_map.values() for nis in codes})
        )
        rows = [_row(document, lexicon) for document in documents]
        built = time.perf_counter() - started

        run = self.connection.execute
        schema = self.schema
        run(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        run(f"CREATE SCHEMA {schema}")
        unaccent = self._configurations()
        started = time.perf_counter()
        texts = ",\n".join(f"part_{n} text" for n in range(len(PARTS)))
        run(f"CREATE UNLOGGED TABLE {schema}.staging (id uuid, {FACET_COLUMNS}, {texts})")
        columns = ["id", *FACET_NAMES, *(f"part_{n}" for n in range(len(PARTS)))]
        with self.connection.cursor() as cursor:
            copy_sql = f"COPY {schema}.staging ({', '.join(columns)}) FROM STDIN"
            with cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        vector = " || ".join(
            f"setweight(to_tsvector('{self.configs[config]}', coalesce(part_{n}, '')), '{weight}')"
            for n, (weight, config) in enumerate(PARTS)
        )
        run(
            f"CREATE TABLE {schema}.listings "
            f"(id uuid PRIMARY KEY, {FACET_COLUMNS}, fts tsvector NOT NULL)"
        )
        run(
            f"INSERT INTO {schema}.listings SELECT id, {', '.join(FACET_NAMES)}, {vector} "
            f"FROM {schema}.staging"
        )
        run(f"DROP TABLE {schema}.staging")
        copied = time.perf_counter() - started
        started = time.perf_counter()
        for column in ("fts", "help", "langs", "served"):
            run(f"CREATE INDEX ON {schema}.listings USING gin ({column})")
        # The place filter is `served && ...`; region-wide listings carry '*' in it, so no
        # OR with a second index is needed.
        run(f"VACUUM ANALYZE {schema}.listings")
        indexed = time.perf_counter() - started
        size = run(f"SELECT pg_total_relation_size('{schema}.listings')").fetchone()[0]
        return Loaded(len(rows), built, copied, indexed, size / 1e6, unaccent)

    def _configurations(self) -> str:
        """A configuration per language in the schema, with accents folded when the
        `unaccent` extension is there or can be created. Returns how accents are handled.

        The extension is left installed: it is shared by the database (another run of the
        bench may be using it), and dropping it would cascade to its configurations."""
        run = self.connection.execute
        try:
            run("CREATE EXTENSION IF NOT EXISTS unaccent")
        except psycopg.Error as error:
            note = f"NO unaccent ({first_line(error)}): accents are not folded"
        installed = run(
            "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'"
        ).fetchone()
        if installed is not None:
            note = f"accents folded with {installed[0]}.unaccent"
        for config in ALL_CONFIGS:
            name = f"{self.schema}.{config}"
            run(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{config})")
            if installed is not None:
                dictionary = STEMMERS.get(config, "simple")
                run(
                    f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR "
                    f"hword, hword_part, word WITH {installed[0]}.unaccent, {dictionary}"
                )
            self.configs[config] = name
        return note

    # --- searching ----------------------------------------------------------------------

    def search(self, request: SearchRequest) -> Found:
        words = words_of(request.text)
        found, together = self._run(request, words, loose=False)
        if found.total == 0 and len(words) > 1 and not together:
            # No listing has every word: any of them will do (the engine's loose results).
            found, _ = self._run(request, words, loose=True)
            found.loose = True
        return found

    def _run(self, request: SearchRequest, words: list[str], loose: bool) -> tuple[Found, bool]:
        """The result, and whether some listing has every word."""
        sql, params = self._statement(request, words, loose)
        rows = self.connection.execute(sql, params).fetchall()
        page: list[tuple[int, str, dict]] = []
        raw: dict[str, dict[str, int]] = {}
        total, without, together = 0, {}, True
        for part, value, number, card in rows:
            if part == "page":
                page.append((number, value, card))
            elif part == "total":
                total = number
            elif part == "together":
                together = bool(number)
            elif part.startswith("without:"):
                without[part.removeprefix("without:")] = number
            else:
                raw.setdefault(part, {})[value] = number
        page.sort(key=lambda item: item[0])
        counts = self._counts(raw, sorted(request.count_neighbourhoods or ()))
        found = Found([i for _, i, _ in page], [c for _, _, c in page], total, counts, without)
        return found, together

    def _counts(self, raw: dict[str, dict[str, int]], counted_n: list[str]) -> dict:
        places = raw.pop("place", {})
        region = places.get(REGION, 0)
        counts = {
            "neighbourhood": _nonzero(
                {n: places.get(f"n:{n}", 0) + region for n in counted_n if n in self.neighbourhoods}
            ),
            "municipality": _nonzero(
                {m: places.get(f"m:{m}", 0) + region for m in self.municipalities}
            ),
        }
        for group in ("lang", "help", "kind", "formality", "line", "free"):
            counts[group] = raw.get(group, {})
        return counts

    def _statement(self, request: SearchRequest, words: list[str], loose: bool) -> tuple[str, dict]:
        """One statement: the page, the total, the counts of every facet (each over the
        results without its own filter, as the engine counts), the totals without each
        filter in use, and whether the words match anywhere together."""
        table = f"{self.schema}.listings"
        params: dict = {}
        text, rank = "", "0"
        if words:
            per_word = []
            for n, word in enumerate(words):
                params[f"w{n}"] = word
                per_word.append(
                    "("
                    + " || ".join(
                        f"plainto_tsquery('{self.configs[c]}', %(w{n})s)" for c in ALL_CONFIGS
                    )
                    + ")"
                )
            # A scalar subquery: the query is worked out once per statement, not once per
            # row (as a function of parameters in a prepared statement's generic plan).
            query = "(SELECT " + (" || " if loose else " && ").join(per_word) + ")"
            text = f"fts @@ {query}"
            rank = f"ts_rank_cd(fts, {query})"
        conditions = _conditions(request, params)
        # Listings naming a chosen place first, then those serving a larger area, then the
        # region-wide ones (the engine's tiers).
        if "place" in conditions:
            params["named"] = params["served"][:-1]  # without the region
            tier = "CASE WHEN named && %(named)s THEN 0 WHEN region_wide THEN 2 ELSE 1 END"
        else:
            tier = "0"

        def where(but: str | None) -> str:
            kept = [text] if text else []
            kept += [sql for group, sql in conditions.items() if group != but]
            return " AND ".join(kept) if kept else "true"

        ctes = [
            f"final AS MATERIALIZED (SELECT id, help, langs, served, kind, formality, line, "
            f"free, {tier} AS tier, {rank} AS rank "
            f"FROM {table} WHERE {where(None)})"
        ]
        parts = ["SELECT 'total', NULL, count(*), NULL::jsonb FROM final"]
        for group in conditions:
            ctes.append(
                f"without_{group} AS MATERIALIZED (SELECT {GROUP_COLUMNS[group]} "
                f"FROM {table} WHERE {where(group)})"
            )
            parts.append(f"SELECT 'without:{group}', NULL, count(*), NULL FROM without_{group}")

        def base(group: str) -> str:
            return f"without_{group}" if group in conditions else "final"

        params["counted"] = [
            *(f"n:{n}" for n in sorted(request.count_neighbourhoods or ())),
            *(f"m:{m}" for m in self.municipalities),
            REGION,
        ]
        parts += [
            f"SELECT 'place', v, count(*), NULL FROM {base('place')}, unnest(served) v "
            f"WHERE v = ANY(%(counted)s) GROUP BY v",
            f"SELECT 'lang', v, count(*), NULL FROM {base('lang')}, unnest(langs) v GROUP BY v",
            f"SELECT 'help', v, count(*), NULL FROM {base('help')}, unnest(help) v GROUP BY v",
            *(
                f"SELECT '{group}', {column}, count(*), NULL FROM {base(group)} GROUP BY {column}"
                for group, column in (
                    ("kind", "kind"),
                    ("formality", "formality"),
                    ("line", "line"),
                )
            ),
            f"SELECT 'free', 'yes', count(*), NULL FROM {base('free')} WHERE free",
        ]
        if text and len(words) > 1 and not loose:
            parts.append(
                f"SELECT 'together', NULL, count(*), NULL FROM "
                f"(SELECT 1 FROM {table} WHERE {text} LIMIT 1) one"
            )
        params["offset"], params["limit"] = request.offset, request.limit
        # The cards of the page only: carrying them through every result costs more.
        parts.append(
            f"SELECT 'page', page.id::text, page.n, listing.card FROM (SELECT id, "
            f"row_number() OVER () AS n FROM (SELECT id FROM final ORDER BY tier, rank DESC, "
            f"id OFFSET %(offset)s LIMIT %(limit)s) ranked) page JOIN {table} listing "
            f"ON listing.id = page.id"
        )
        return "WITH " + ",\n".join(ctes) + "\n" + "\nUNION ALL ".join(parts), params


def _conditions(request: SearchRequest, params: dict) -> dict[str, str]:
    """The SQL of each filter group in use, by the engine's group names."""
    filters = request.filters
    if filters.open_now or filters.open_on:
        raise NotImplementedError("the anchor has no opening hours")
    conditions: dict[str, str] = {}
    if filters.neighbourhoods or filters.municipalities:
        params["served"] = [
            *(f"n:{n}" for n in sorted(filters.neighbourhoods)),
            *(f"m:{m}" for m in sorted(filters.municipalities)),
            REGION,
        ]
        conditions["place"] = "served && %(served)s"
    for group, values, sql in (
        ("lang", filters.languages, "langs && %(lang)s"),
        ("help", filters.help, "help && %(help)s"),
        ("kind", filters.kinds, "kind = ANY(%(kind)s)"),
        ("formality", filters.formality, "formality = ANY(%(formality)s)"),
        ("line", filters.lines, "line = ANY(%(line)s)"),
    ):
        if values:
            params[group] = sorted(values)
            conditions[group] = sql
    if filters.free:
        conditions["free"] = "free"
    return conditions


def first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {value: count for value, count in counts.items() if count}


def _row(document: ListingDocument, lexicon: Lexicon) -> tuple:
    """The staging row of a listing: its facets, its card and the texts of each weighted
    part of its tsvector."""
    served: set[str] = set()
    if document.region_wide:
        served.add(REGION)  # every place: no need to list them
    else:
        exact_m = set(document.exact_municipalities)
        for number in document.exact_neighbourhoods:
            served.add(f"n:{number}")
            served.update(f"m:{nis}" for nis in lexicon.place_map.get(number, ()))
        for number, codes in lexicon.place_map.items():
            if codes[0] in exact_m:
                served.add(f"n:{number}")
        served.update(f"m:{nis}" for nis in exact_m)
    named = [
        *(f"n:{n}" for n in document.exact_neighbourhoods),
        *(f"m:{m}" for m in document.exact_municipalities),
    ]
    parts: dict[tuple[str, str], list[str]] = {part: [] for part in PARTS}
    for text in (*document.texts, *document.organization_texts):
        config = CONFIGS.get(text.locale, "simple")
        parts["A", config].append(text.name)
        parts["C", config] += [t for t in (text.summary, text.description) if t]
    # The words of its kinds of help (labels and the words people use, in every language)
    # and of its places, each once: the lexicon holds hundreds per listing, many repeated.
    lexicon_words: dict[str, None] = {}
    for code in document.help_codes:
        lexicon_words.update(dict.fromkeys(lexicon.help_words.get(code, ())))
    for number in document.exact_neighbourhoods:
        lexicon_words.update(dict.fromkeys(lexicon.neighbourhood_words.get(number, ())))
    for nis in document.exact_municipalities:
        lexicon_words.update(dict.fromkeys(lexicon.municipality_words.get(nis, ())))
    if document.region_wide:
        lexicon_words.update(dict.fromkeys(lexicon.region_words))
    parts["B", "simple"] = list(lexicon_words)
    card = json.dumps(asdict(document.as_shown()), default=str, ensure_ascii=False)
    return (
        document.id,
        list(document.help_codes),
        list(document.languages),
        sorted(served),
        named,
        document.region_wide,
        document.kind,
        "informal" if document.informal else "formal",
        document.line,
        document.free,
        card,
        *(" ".join(parts[part]) or None for part in PARTS),
    )
