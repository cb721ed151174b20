"""Our table of Brussels places agrees with the official boundaries in ../shared/geo."""

from __future__ import annotations

import csv
import json
import tomllib
import unicodedata

import pytest

from tests.conftest import SEEDS, SHARED

GEO = SHARED / "geo"
pytestmark = pytest.mark.skipif(not GEO.exists(), reason="../shared/geo is not beside the repo")


def plain(name: str) -> str:
    """Lower case, no accents, no punctuation: how the geo file spells names."""
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c)).lower()
    return "".join(c for c in name if c.isalnum())


def seeds(path: str) -> dict:
    return tomllib.loads((SEEDS / path).read_text())


def test_neighbourhood_names_are_the_official_ones_with_accents_restored():
    features = json.loads((GEO / "monitoring_quartiers_full.geojson").read_text())["features"]
    official = {f["properties"]["mdrc"]: f["properties"] for f in features}
    ours = {n["number"]: n for n in seeds("places/neighbourhoods.toml")["neighbourhood"]}
    assert ours.keys() == official.keys()
    assert len(ours) == 145
    for number, record in ours.items():
        assert plain(record["name_fr"]) == plain(official[number]["name_fr"]), number
        assert plain(record["name_nl"]) == plain(official[number]["name_nl"]), number
        assert record["name_fr"][0].isupper(), number
        assert record["name_nl"][0].isupper(), number
    accented = [r for r in ours.values() if any(ord(c) > 127 for c in r["name_fr"])]
    assert len(accented) >= 15


def test_each_neighbourhood_lies_mostly_in_its_municipality():
    shapely = pytest.importorskip("shapely.geometry")
    communes = json.loads((GEO / "brussels_communes_19.geojson").read_text())["features"]
    shapes = {c["properties"]["nis"]: shapely.shape(c["geometry"]).buffer(0) for c in communes}
    features = json.loads((GEO / "monitoring_quartiers_full.geojson").read_text())["features"]
    ours = {n["number"]: n for n in seeds("places/neighbourhoods.toml")["neighbourhood"]}
    for feature in features:
        area = shapely.shape(feature["geometry"]).buffer(0)
        shares = {nis: area.intersection(s).area / area.area for nis, s in shapes.items()}
        record = ours[feature["properties"]["mdrc"]]
        # Near-ties (within 0.01) may be settled by local knowledge, as the record says.
        assert shares[record["municipality"]] >= max(shares.values()) - 0.01, record


def test_postcodes_and_municipalities_match_the_official_list():
    with (GEO / "brussels_postcodes.csv").open() as handle:
        official = {row["postcode"]: row for row in csv.DictReader(handle)}
    ours = {p["code"]: p for p in seeds("places/postcodes.toml")["postcode"]}
    assert ours.keys() == official.keys()
    for code, record in ours.items():
        assert record["municipality"] == official[code]["municipality_nis"]
        assert record["locality_nl"] == official[code]["locality_nl"]
    communes = json.loads((GEO / "brussels_communes_19.geojson").read_text())["features"]
    names = {c["properties"]["nis"]: c["properties"] for c in communes}
    for municipality in seeds("places/municipalities.toml")["municipality"]:
        assert municipality["name_fr"] == names[municipality["nis_code"]]["name_fr"]
        assert municipality["name_nl"] == names[municipality["nis_code"]]["name_nl"]
