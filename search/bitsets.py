"""Sets of document numbers as integers: bit n set means document n is in the set.

AND, OR and counting over tens of thousands of documents then take microseconds, which is
what makes facet counts cheap. The sets are GMP integers (gmpy2's mpz), which have the
operators and methods of Python's int (&, |, ~, ^, >>, bit_count, bit_length, to_bytes)
and do them two to three times faster on sets of 50,000 documents; they mix freely with
Python ints (0 is the empty set).
"""

from __future__ import annotations

from collections.abc import Iterable

from gmpy2 import mpz

SCAN_AT_MOST = 512
_BITS_OF_BYTE = [tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256)]


def from_docnums(docnums: Iterable[int], size: int) -> mpz:
    buffer = bytearray((size >> 3) + 1)
    for docnum in docnums:
        buffer[docnum >> 3] |= 1 << (docnum & 7)
    return mpz(int.from_bytes(buffer, "little"))


def first_docnums(mask: int, skip: int, take: int) -> list[int]:
    """The docnums of `mask` in order, after skipping `skip` of them."""
    result: list[int] = []
    if mask <= 0 or take <= 0:
        return result
    if skip + take <= SCAN_AT_MOST:
        # A page near the top: find the set bits one after the other (GMP's bit scan, in C)
        # rather than walk every byte of a large, sparse set in Python.
        mask = mpz(mask)
        position = mask.bit_scan1(0)
        while position is not None:
            if skip:
                skip -= 1
            else:
                result.append(position)
                if len(result) == take:
                    break
            position = mask.bit_scan1(position + 1)
        return result
    for index, value in enumerate(mask.to_bytes((mask.bit_length() + 7) >> 3, "little")):
        if not value:
            continue
        bits = _BITS_OF_BYTE[value]
        if skip >= len(bits):
            skip -= len(bits)
            continue
        base = index << 3
        for bit in bits[skip:]:
            result.append(base + bit)
            if len(result) == take:
                return result
        skip = 0
    return result


class SlicedCounter:
    """A small whole number per document, kept as bit slices (slice i holds bit i of every
    document's number), so adding a weight to a set of documents is a few big-integer
    operations whatever the number of documents."""

    def __init__(self, width: int = 8) -> None:
        self.slices = [0] * width

    def add(self, mask: int, weight: int) -> None:
        for bit in range(len(self.slices)):
            if not weight >> bit & 1:
                continue
            carry = mask
            for index in range(bit, len(self.slices)):
                if not carry:
                    break
                self.slices[index], carry = self.slices[index] ^ carry, self.slices[index] & carry

    def levels(self, within: int) -> list[tuple[int, int]]:
        """(value, documents of `within` holding it), highest value first, empty ones left
        out."""
        groups = [(0, within)]
        for index in reversed(range(len(self.slices))):
            split = []
            for value, mask in groups:
                high = mask & self.slices[index]
                if high:
                    split.append((value | 1 << index, high))
                if mask & ~high:
                    split.append((value, mask & ~high))
            groups = split
        return groups
