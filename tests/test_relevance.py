"""People find the right door: the issue's examples and our relevance set, on the seed
catalogue (`bench/relevance.py` prints the same figures)."""

from __future__ import annotations

import pytest

from bench import relevance
from directory import clock, schema
from directory.indexing import sync
from search import SearchRequest
from tests.conftest import seeded_app

# The level reached (hit@5 over bench/relevance_queries.toml); a change that loses a right
# door out of the first five, on balance, fails here. Raise it when ranking improves.
HIT_AT_5 = 0.96


@pytest.fixture(scope="module")
def catalogue(scratch, tmp_path_factory):
    url = scratch.create()
    schema.upgrade(url)
    app = seeded_app(url, tmp_path_factory.mktemp("relevance"))
    yield app
    app.extensions["database.engine"].dispose()


def first_five(app, text: str) -> list[str]:
    with app.app_context():
        result = sync.search_index(app).search(SearchRequest(text=text, limit=5, now=clock.now()))
    return [card.id for card in result.listings]


# What people typed in the search issue; their right answers are those of the relevance set.
ISSUE_EXAMPLES = [
    "lonely",
    "isolement",
    "eenzaam",
    "Accolgae",
    "Kureghem",
    "dokter",
    "boodschapen",
    "Molenbek",
    "التسوّق",
    "تسوق",
    "kursy językowe",
    "déclaration d'impôts",
    "hulp bij boodschappen Anderlecht",
    "mijn buurvrouw is eenzaam en komt niet meer buiten, ze woont in Vorst",
]


@pytest.mark.parametrize("text", ISSUE_EXAMPLES)
def test_the_issue_examples_find_the_right_door_in_the_first_five(catalogue, text):
    (query,) = [q for q in relevance.read_queries() if q.text == text]
    assert query.answers & set(first_five(catalogue, text))


def test_hit_at_5_over_the_relevance_set_holds_its_level(catalogue):
    scores = relevance.evaluate(catalogue, relevance.read_queries())
    misses = [o.query.text for o in scores.outcomes if o.rank is None or o.rank > 5]
    assert scores.hit_at_5 >= HIT_AT_5, misses


def test_every_answer_of_the_relevance_set_is_a_seed_listing(catalogue):
    with catalogue.app_context():
        indexed = sync.search_index(catalogue).indexed_ids()
    answers = {a for query in relevance.read_queries() for a in query.answers}
    assert answers <= indexed
