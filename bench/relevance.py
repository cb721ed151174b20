"""Search relevance: do people find the right door? One command, prints its figures.

    .venv/bin/python bench/relevance.py [--show-misses]

Loads the seed catalogue into a temporary SQLite database, builds the index, and runs every
query of `bench/relevance_queries.toml` (written by the team from the source documents:
needs, sentences, local place names and typos in the nine languages, each with the services
a social worker would name) as the search page does, without filters. Prints hit@1 (a right
answer first), hit@5 (one among the first five) and MRR (the mean of 1/rank of the first
right answer within the first 20), overall, per language and per kind of query.
`tests/test_relevance.py` fails when hit@5 falls below the level reached.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from directory import clock, schema  # noqa: E402
from directory.extensions import db  # noqa: E402
from directory.indexing import sync  # noqa: E402
from directory.seeding.loader import load_seeds, seed_id  # noqa: E402
from search import SearchRequest  # noqa: E402

QUERIES = Path(__file__).resolve().parent / "relevance_queries.toml"
DEPTH = 20


@dataclass(frozen=True)
class Query:
    lang: str
    text: str
    answers: frozenset[str]  # service ids
    kind: str


@dataclass
class Outcome:
    query: Query
    rank: int | None  # of the first right answer, 1-based, within DEPTH
    shown: list[str]  # the first five ids


@dataclass
class Scores:
    outcomes: list[Outcome] = field(default_factory=list)

    def of(self, outcomes: list[Outcome]) -> tuple[float, float, float]:
        count = max(len(outcomes), 1)
        hit1 = sum(1 for o in outcomes if o.rank == 1) / count
        hit5 = sum(1 for o in outcomes if o.rank is not None and o.rank <= 5) / count
        mrr = sum(1 / o.rank for o in outcomes if o.rank) / count
        return hit1, hit5, mrr

    @property
    def hit_at_5(self) -> float:
        return self.of(self.outcomes)[1]


def read_queries(path: Path = QUERIES) -> list[Query]:
    with path.open("rb") as file:
        data = tomllib.load(file)
    return [
        Query(
            q["lang"],
            q["text"],
            frozenset(str(seed_id("service", key)) for key in q["answers"]),
            q.get("kind", ""),
        )
        for q in data["query"]
    ]


def evaluate(app, queries: list[Query]) -> Scores:
    """Every query through the index the app searches, as the search page asks it."""
    scores = Scores()
    with app.app_context():
        index = sync.search_index(app)
        for query in queries:
            result = index.search(SearchRequest(text=query.text, limit=DEPTH, now=clock.now()))
            ids = [card.id for card in result.listings]
            rank = next((i + 1 for i, id_ in enumerate(ids) if id_ in query.answers), None)
            scores.outcomes.append(Outcome(query, rank, ids[:5]))
    return scores


def seeded_app(workdir: Path):
    url = f"sqlite:///{workdir / 'relevance.sqlite3'}"
    schema.upgrade(url)
    app = create_app(
        {
            "DATABASE_URL": url,
            "SEARCH_INDEX_DIR": str(workdir / "index"),
            "SEARCH_CHECK_ON_START": False,
        }
    )
    with app.app_context():
        with db.transaction() as session:
            load_seeds(session, ROOT / "seeds")
        sync.rebuild(app)
    return app


def report(scores: Scores, show_misses: bool, names: dict[str, str]) -> None:
    def line(label: str, outcomes: list[Outcome]) -> None:
        hit1, hit5, mrr = scores.of(outcomes)
        print(f"{label:<10} {len(outcomes):>4}  {hit1:6.1%}  {hit5:6.1%}  {mrr:5.3f}")

    print(f"{'':<10} {'n':>4}  {'hit@1':>6}  {'hit@5':>6}  {'MRR':>5}")
    line("all", scores.outcomes)
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in scores.outcomes:
        groups[outcome.query.lang].append(outcome)
    for lang in sorted(groups):
        line(lang, groups[lang])
    kinds: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in scores.outcomes:
        kinds[outcome.query.kind].append(outcome)
    for kind in sorted(kinds):
        line(kind, kinds[kind])
    if show_misses:
        print("\nNot among the first five:")
        for outcome in scores.outcomes:
            if outcome.rank is None or outcome.rank > 5:
                shown = ", ".join(names.get(i, i) for i in outcome.shown)
                query = outcome.query
                print(f"- [{query.lang}] {query.text!r} (rank {outcome.rank}): {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nabij-relevance-") as workdir:
        app = seeded_app(Path(workdir))
        scores = evaluate(app, read_queries())
        names = _names(app)
        report(scores, args.show_misses, names)
        app.extensions["database.engine"].dispose()


def _names(app) -> dict[str, str]:
    from sqlalchemy import select

    from directory.models import ServiceText

    with app.app_context():
        rows = db.session().execute(
            select(ServiceText.service_id, ServiceText.name).where(ServiceText.locale == "nl")
        )
        return {str(service_id): name for service_id, name in rows}


if __name__ == "__main__":
    main()
