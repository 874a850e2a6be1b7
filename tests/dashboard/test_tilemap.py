"""The tile-grid layouts: every province of each era has its own square, roughly in place."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from dashboard.tilemap import layout, tile_chart
from pobi.config import data_dir
from pobi.registry import provinces


@pytest.mark.parametrize(("era", "count"), [("legacy", 63), ("current", 34)])
def test_one_square_per_province(era: str, count: int) -> None:
    grid = layout(era)
    assert sorted(grid) == sorted(p.code for p in provinces(era))
    assert len(grid) == count
    assert len(set(grid.values())) == count, "two provinces share a square"
    assert min(c for c, _ in grid.values()) == 0 and min(r for _, r in grid.values()) == 0


@pytest.mark.parametrize("era", ["legacy", "current"])
def test_squares_keep_the_country_shape(era: str) -> None:
    """North is up: Hà Nội above Huế above Hồ Chí Minh City above Cà Mau; the Mekong delta is
    west of the Southeast; the far north-west (Lai Châu, Điện Biên) is west of Hà Nội."""
    g = layout(era)
    assert g["01"][1] < g["46"][1] < g["79"][1] < g["96"][1]
    assert g["92"][0] < g["79"][0]
    assert g["12"][0] < g["01"][0] and g["11"][0] < g["01"][0]
    assert g["22"][0] > g["01"][0]  # Quảng Ninh east of Hà Nội


def test_centroids_file_lists_every_legacy_province() -> None:
    with (data_dir() / "map" / "centroids_legacy.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(r["code"] for r in rows) == sorted(p.code for p in provinces("legacy"))
    for r in rows:
        assert 8.3 < float(r["lat"]) < 23.5 and 102 < float(r["lon"]) < 110, r


def test_chart_is_offline_vega_lite() -> None:
    df = pd.DataFrame({"code": [p.code for p in provinces("current")], "label": "x", "band": "A"})
    spec = tile_chart(
        df,
        "current",
        colour="band",
        domain=["A"],
        colours=["#000"],
        legend_title="Band",
        tooltip=[],
    ).to_dict()
    text = str(spec)
    assert "http" not in text.replace("https://vega.github.io/schema", "")  # no remote data/tiles
    assert len(spec["datasets"][next(iter(spec["datasets"]))]) == 34
