"""Tables written out: CSV files (the page's downloads and `flask gaps report --csv`) and
plain text for a terminal. Both write each count through `privacy.shown`."""

from __future__ import annotations

import csv
import io
import unicodedata

from directory.coordination.report import Table


def to_csv(table: Table) -> str:
    """The table as CSV (RFC 4180, a header row, every count as shown), starting with a
    byte-order mark so spreadsheet programs read the accents of place names right."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.header())
    writer.writerows(table.records())
    return out.getvalue()


def csv_name(table: Table, place: str = "") -> str:
    return f"gaps-{table.name}{f'-{place}' if place else ''}.csv"


def _width(text: str) -> int:
    """Columns a text takes in a terminal (wide characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def to_text(table: Table) -> str:
    """The table aligned in columns under its title: names to the start, counts to the end."""
    lines = [table.header(), *table.records()]
    numeric = len(table.name_labels) + 1
    widths = [max(_width(line[i]) for line in lines) for i in range(len(lines[0]))]

    def cell(i: int, text: str) -> str:
        pad = " " * (widths[i] - _width(text))
        return pad + text if i >= numeric else text + pad

    rendered = ["  ".join(cell(i, text) for i, text in enumerate(line)).rstrip() for line in lines]
    return "\n".join([table.title, "=" * _width(table.title), *rendered]) + "\n"
