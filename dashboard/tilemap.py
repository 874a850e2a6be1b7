"""The province map without a tile server: one square per province on a grid that keeps the
country's shape (layouts in ``data/map/tiles_<era>.csv``, made by ``data/map/make_tiles.py``),
drawn with Altair/Vega-Lite, which Streamlit bundles and renders offline."""

from __future__ import annotations

import csv
from functools import cache

import altair as alt
import pandas as pd

from pobi.config import data_dir

BAND_COLOURS = {"A": "#1a9850", "B": "#91cf60", "C": "#fc8d59", "D": "#d73027", "": "#bdbdbd"}
STATUS_COLOURS = {
    "substantive": "#1a9850",
    "human": "#91cf60",
    "auto": "#fee08b",
    "bounced": "#d73027",
    "none": "#fc8d59",
    "not_asked": "#bdbdbd",
}


@cache
def layout(era: str) -> dict[str, tuple[int, int]]:
    """province code -> (col, row) for an era ('legacy' 63 units, 'current' 34)."""
    path = data_dir() / "map" / f"tiles_{era}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["code"]: (int(r["col"]), int(r["row"])) for r in csv.DictReader(fh)}


def tile_chart(
    df: pd.DataFrame,
    era: str,
    *,
    colour: str,
    domain: list[str],
    colours: list[str],
    legend_title: str,
    tooltip: list[alt.Tooltip],
    size: int | None = None,
) -> alt.Chart:
    """``df`` has one row per province with ``code``, ``label`` and the ``colour`` column."""
    grid = layout(era)
    size = size or (22 if len(grid) > 40 else 30)
    data = df.copy()
    data["col"] = [grid[c][0] for c in data["code"]]
    data["row"] = [grid[c][1] for c in data["code"]]
    width = (max(c for c, _ in grid.values()) + 1) * size
    height = (max(r for _, r in grid.values()) + 1) * size
    x = alt.X("col:O", axis=None, scale=alt.Scale(domain=list(range(width // size))))
    y = alt.Y("row:O", axis=None, scale=alt.Scale(domain=list(range(height // size))))
    base = alt.Chart(data).encode(x=x, y=y)
    tiles = base.mark_rect(stroke="white", strokeWidth=2, cornerRadius=3).encode(
        color=alt.Color(
            f"{colour}:N",
            scale=alt.Scale(domain=domain, range=colours),
            legend=alt.Legend(title=legend_title, orient="bottom", columns=1),
        ),
        tooltip=tooltip,
    )
    labels = base.mark_text(fontSize=8 if size < 26 else 10, color="#111").encode(
        text="label:N", tooltip=tooltip
    )
    return (tiles + labels).properties(width=width, height=height).configure_view(strokeWidth=0)
