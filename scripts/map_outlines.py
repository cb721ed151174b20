"""Derive the coordinators' map (`seeds/map/outlines.toml`) from the boundary files.

    .venv/bin/python scripts/map_outlines.py [GEO_DIR] [--output PATH]

GEO_DIR (default `../shared/geo`) holds `monitoring_quartiers_full.geojson` (the 145
neighbourhoods of the Wijkmonitoring, UrbIS "UrbAdm MD") and `brussels_communes_19.geojson`
(the 19 municipalities, CC0). The running app never reads them: it draws the map from what
this script writes, which is small enough to commit and is written again the same way from
the same files (a test checks that).

What it does:
1. projects both layers onto a flat plane: a local equirectangular projection centred on
   the region (at this size it differs from the Belgian Lambert 72 by well under a metre
   per kilometre), y pointing down as on screen, in units of 10 m;
2. makes the neighbourhoods a clean coverage: every boundary is noded against the others
   and the pieces are given back to the neighbourhood holding them (the slivers between two
   neighbourhoods, about a square metre in all, go to the one they share most border with),
   so two neighbours share exactly one line;
3. simplifies that coverage as a whole (shared lines stay shared, no gaps or overlaps) to
   about 40 m, and writes each neighbourhood as an SVG path;
4. keeps, of the municipal layer, only the lines between two municipalities (its outer edge
   is coarser than the neighbourhoods'), and a point inside each municipality for its label.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GEO = ROOT.parent / "shared" / "geo"
DEFAULT_OUTPUT = ROOT / "seeds" / "map" / "outlines.toml"
EARTH_RADIUS_M = 6_371_008.8
UNIT_M = 10  # one unit of the map's coordinates
SIMPLIFY_M = 40
MARGIN = 20  # units around the region


def read_layer(path: Path, key: str) -> dict[str, shapely.Geometry]:
    features = json.loads(path.read_text())["features"]
    return {str(f["properties"][key]): shape(f["geometry"]) for f in features}


class Projection:
    """Longitude and latitude to map units (x east, y south), origin at the top left."""

    def __init__(self, bounds: tuple[float, float, float, float]) -> None:
        west, south, east, north = bounds
        self.west, self.north = west, north
        self.x_scale = math.cos(math.radians((south + north) / 2))

    def __call__(self, geometry: shapely.Geometry) -> shapely.Geometry:
        per_degree = math.pi / 180 * EARTH_RADIUS_M / UNIT_M

        def flat(coordinates: np.ndarray) -> np.ndarray:
            x = (coordinates[:, 0] - self.west) * per_degree * self.x_scale + MARGIN
            y = (self.north - coordinates[:, 1]) * per_degree + MARGIN
            return np.column_stack([x, y])

        return shapely.transform(geometry, flat)


def clean_coverage(polygons: list[shapely.Geometry]) -> list[shapely.Geometry]:
    """The same areas, with every shared border noded the same on both sides."""
    lines = shapely.node(shapely.union_all([polygon.boundary for polygon in polygons]))
    faces = shapely.get_parts(shapely.polygonize(list(shapely.get_parts(lines))))
    tree = shapely.STRtree(polygons)
    pieces: list[list[shapely.Geometry]] = [[] for _ in polygons]
    slivers = []
    for face in faces:
        holders = tree.query(face.representative_point(), predicate="within")
        if len(holders):
            pieces[int(holders[0])].append(face)
        else:
            slivers.append(face)
    covered = [shapely.union_all(parts) for parts in pieces]
    for sliver in slivers:
        near = tree.query(sliver, predicate="dwithin", distance=0.01)

        def shared(i: int, sliver=sliver) -> float:
            return sliver.boundary.intersection(covered[i].boundary).length

        best = max((int(i) for i in near), key=shared)
        covered[best] = shapely.union_all([covered[best], sliver])
    return covered


def path_data(geometry: shapely.Geometry) -> str:
    """An SVG path: each ring as a move, relative lines in whole units, and a close."""
    commands = []
    for polygon in shapely.get_parts(geometry):
        for ring in (polygon.exterior, *polygon.interiors):
            points = np.rint(np.asarray(ring.coords)[:-1]).astype(int)
            kept = [points[0]]
            for point in points[1:]:
                if (point != kept[-1]).any():
                    kept.append(point)
            if len(kept) < 3:
                continue
            steps = [f"{dx} {dy}" for dx, dy in np.diff(np.array(kept), axis=0)]
            commands.append(f"M{kept[0][0]} {kept[0][1]}l{' '.join(steps)}z")
    return "".join(commands)


def lines_data(geometry: shapely.Geometry) -> str:
    commands = []
    for line in shapely.get_parts(shapely.line_merge(geometry)):
        points = np.rint(np.asarray(line.coords)).astype(int)
        kept = [points[0]]
        for point in points[1:]:
            if (point != kept[-1]).any():
                kept.append(point)
        if len(kept) < 2:
            continue
        steps = [f"{dx} {dy}" for dx, dy in np.diff(np.array(kept), axis=0)]
        commands.append(f"M{kept[0][0]} {kept[0][1]}l{' '.join(steps)}")
    return "".join(commands)


def build(geo: Path) -> str:
    neighbourhoods = read_layer(geo / "monitoring_quartiers_full.geojson", "mdrc")
    municipalities = read_layer(geo / "brussels_communes_19.geojson", "nis")
    project = Projection(shapely.union_all(list(neighbourhoods.values())).bounds)
    numbers = sorted(neighbourhoods, key=int)
    flat = [project(neighbourhoods[number]) for number in numbers]
    simplified = shapely.coverage_simplify(clean_coverage(flat), SIMPLIFY_M / UNIT_M)
    region = shapely.union_all(list(simplified))
    west, north, east, south = region.bounds

    nis_codes = sorted(municipalities)
    areas = {nis: project(municipalities[nis]).buffer(0) for nis in nis_codes}
    # The lines between two municipalities: each boundary where it runs along another's.
    inner = shapely.union_all(
        [
            areas[a].boundary.intersection(areas[b].boundary.buffer(0.5))
            for i, a in enumerate(nis_codes)
            for b in nis_codes[i + 1 :]
            if areas[a].distance(areas[b]) < 0.5
        ]
    )
    borders = shapely.simplify(inner.intersection(region), SIMPLIFY_M / UNIT_M)

    width = math.ceil(east + MARGIN)
    height = math.ceil(south + MARGIN)
    out = [
        "# The coordinators' map of the 145 neighbourhoods, written by scripts/map_outlines.py:",
        '# do not edit by hand. See README, "Where help is missing", for where it comes from.',
        "#",
        "# Neighbourhood outlines: derived from Brussels UrbIS (UrbAdm MD, Monitoring des",
        "# Quartiers / Wijkmonitoring), (c) Paradigm, Brussels-Capital Region, open data",
        "# licence. Borders between municipalities: bmesuere/belgium-topojson, CC0.",
        f"# Local equirectangular projection, 1 unit = {UNIT_M} m, y down; outlines simplified",
        f"# to about {SIMPLIFY_M} m with shared borders kept shared.",
        "",
        f"view_box = [0, 0, {width}, {height}]",
        f'region = "{path_data(region)}"',
        f'borders = "{lines_data(borders)}"',
    ]
    for number, outline in zip(numbers, simplified, strict=True):
        out += ["", "[[neighbourhood]]", f"number = {number}", f'outline = "{path_data(outline)}"']
    for nis in nis_codes:
        point = areas[nis].intersection(region).point_on_surface()
        out += [
            "",
            "[[municipality]]",
            f'nis_code = "{nis}"',
            f"label = [{round(point.x)}, {round(point.y)}]",
        ]
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("geo", nargs="?", type=Path, default=DEFAULT_GEO)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    arguments = parser.parse_args()
    text = build(arguments.geo)
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(text)
    print(f"{arguments.output}: {len(text.encode()) // 1024} KiB")


if __name__ == "__main__":
    main()
