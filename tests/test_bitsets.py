"""Document sets: the page of results is read off them, near the top and far down."""

from __future__ import annotations

import random

import pytest

from search import bitsets


@pytest.mark.parametrize("seed", range(5))
def test_first_docnums_reads_the_set_in_order_from_any_offset(seed):
    rng = random.Random(seed)
    size = 50_000
    docnums = sorted(rng.sample(range(size), rng.choice([0, 1, 30, 700, 5000])))
    mask = bitsets.from_docnums(docnums, size)
    assert mask.bit_count() == len(docnums)
    for skip, take in [(0, 20), (20, 20), (490, 20), (0, 600), (4000, 20), (len(docnums), 5)]:
        assert bitsets.first_docnums(mask, skip, take) == docnums[skip : skip + take]


def test_sets_mix_with_plain_integers():
    mask = bitsets.from_docnums([3, 5, 64], 100)
    assert (mask | 0) == mask
    assert bitsets.first_docnums(mask & ~bitsets.from_docnums([5], 100), 0, 10) == [3, 64]
    assert bitsets.first_docnums(0, 0, 10) == []
