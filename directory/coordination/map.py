"""The map of the 145 neighbourhoods, drawn on the server as SVG: no tiles, no script.

The outlines come from `seeds/map/outlines.toml`, written by `scripts/map_outlines.py` from
the boundary files (see the README for their source and licence); the app reads only that
file. Each neighbourhood is a link to its page, named by its name, its municipality and the
figure shown; its fill shows the figure's band as a shade and as a pattern, so the map
reads without colour; the table beside it holds every figure.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask_babel import gettext as _

from directory.catalogue.search_params import Place
from directory.config import PROJECT_ROOT
from directory.coordination.privacy import SMALLEST_SHOWN, is_hidden, shown
from directory.coordination.report import Table
from directory.rendering.formats import format_count

OUTLINES = PROJECT_ROOT / "seeds" / "map" / "outlines.toml"


@dataclass(frozen=True)
class Outlines:
    view_box: str
    region: str  # the region's edge
    borders: str  # the lines between municipalities
    neighbourhoods: dict[str, str]  # number -> SVG path
    labels: dict[str, tuple[int, int]]  # NIS code -> where its name goes


@cache
def outlines(path: Path = OUTLINES) -> Outlines:
    """Read once per process."""
    data = tomllib.loads(path.read_text())
    return Outlines(
        " ".join(str(v) for v in data["view_box"]),
        data["region"],
        data["borders"],
        {str(n["number"]): n["outline"] for n in data["neighbourhood"]},
        {m["nis_code"]: tuple(m["label"]) for m in data["municipality"]},
    )


Band = tuple[int, int]  # lowest and highest value


def bands_for(values: list[int], about_people: bool) -> list[Band]:
    """The bands the map shades: the first holds what there is nothing to show of (no
    service; a count of people that `privacy` hides), the others cut the rest at its
    quartiles (or give each value its own band when there are four or fewer), so the map
    shows where a neighbourhood stands among the others whatever the filters."""
    floor = SMALLEST_SHOWN if about_people else 1
    bands: list[Band] = [(0, floor - 1)]
    rest = sorted(value for value in values if value >= floor)
    distinct = sorted(set(rest))
    if len(distinct) <= 4:
        return bands + [(value, value) for value in distinct]
    cuts = sorted({rest[len(rest) * quarter // 4] for quarter in (1, 2, 3)})
    low = rest[0]
    for cut in cuts:
        if cut > low:
            bands.append((low, cut - 1))
            low = cut
    return [*bands, (low, rest[-1])]


def band_of(value: int, bands: list[Band], about_people: bool) -> int:
    if is_hidden(value, about_people):
        return 0
    return next(number for number, (low, high) in enumerate(bands) if low <= value <= high)


def band_label(band: Band, about_people: bool) -> str:
    low, high = band
    if about_people and low == 0:
        return shown(low, about_people)  # "fewer than 5", as everywhere
    if low == high:
        # I18N: the map's band of neighbourhoods where no service serves.
        return _("no service") if low == 0 else format_count(low)
    return _("%(low)s to %(high)s", low=format_count(low), high=format_count(high))


def pattern_of(band: int, count: int) -> int:
    """Which of the five patterns a band wears: spread from the lightest (nothing) to the
    darkest (the most), so two bands never look alike."""
    return 0 if count < 2 else round(band * 4 / (count - 1))


@dataclass(frozen=True)
class Area:
    key: str
    outline: str
    band: int
    pattern: int
    label: str  # the link's name: the place and its figure
    url: str


@dataclass(frozen=True)
class LegendEntry:
    band: int
    pattern: int
    label: str
    count: int  # neighbourhoods in this band


@dataclass(frozen=True)
class GapMap:
    title: str
    view_box: str
    region: str
    borders: str
    areas: list[Area]
    legend: list[LegendEntry]
    labels: list[tuple[int, int, str]]


def short_name(municipality: Place, locale: str) -> str:
    """A municipality's name on the map: in the reader's official language, or else the
    shorter official name (a label must fit; the links and the table give both)."""
    if locale == "nl":
        return municipality.name_nl
    if locale == "fr":
        return municipality.name_fr
    return min(municipality.name_fr, municipality.name_nl, key=len)


LABEL_SIZE = 30  # map units, as the stylesheet sets it (.gap-labels text)


def _label(x: int, y: int, text: str, width: int) -> tuple[int, int, str]:
    """A label moved sideways, if need be, to stay inside the map (its width guessed)."""
    half = len(text) * LABEL_SIZE * 0.3
    return round(min(max(x, half), width - half)), y, text


def gap_map(
    table: Table,
    measure: str,
    municipalities: dict[str, Place],
    locale: str,
    url_for_place: Callable[[str], str],
) -> GapMap:
    """The table of neighbourhoods (`report`) as a map shaded by the column `measure`;
    areas in the table's order, so the keyboard meets them as the table lists them."""
    shapes = outlines()
    index = [c.key for c in table.columns].index(measure)
    column = table.columns[index]
    values = {row.key: row.values[index] or 0 for row in table.rows}
    bands = bands_for(list(values.values()), column.about_people)
    areas = []
    for row in table.rows:
        value = values[row.key]
        band = band_of(value, bands, column.about_people)
        name, municipality = row.names
        areas.append(
            Area(
                row.key,
                shapes.neighbourhoods[row.key],
                band,
                pattern_of(band, len(bands)),
                _(
                    "%(place)s (%(municipality)s) – %(measure)s: %(value)s",
                    place=name,
                    municipality=municipality,
                    measure=column.label,
                    value=shown(value, column.about_people, format_count),
                ),
                url_for_place(row.key),
            )
        )
    counted = Counter(area.band for area in areas)
    width = int(shapes.view_box.split()[2])
    return GapMap(
        column.label,
        shapes.view_box,
        shapes.region,
        shapes.borders,
        areas,
        [
            LegendEntry(
                number,
                pattern_of(number, len(bands)),
                band_label(band, column.about_people),
                counted[number],
            )
            for number, band in enumerate(bands)
        ],
        [
            _label(x, y, short_name(municipalities[nis], locale), width)
            for nis, (x, y) in shapes.labels.items()
            if nis in municipalities
        ],
    )
