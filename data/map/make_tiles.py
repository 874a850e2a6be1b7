"""Build the tile-grid layouts in this folder from the approximate province centroids.

Run: ``.venv/bin/python data/map/make_tiles.py`` (re-creates ``tiles_legacy.csv`` and
``tiles_current.csv``; the output is committed, the dashboard only reads it).

Method: each province's centroid (``centroids_legacy.csv``, hand-entered approximate latitude and
longitude, rounded to 0.05°) is projected onto a square grid (``col = (lon - LON0) / STEP``,
``row = (LAT0 - lat) / STEP``); a current (2025) unit's centroid is the mean of its legacy
sources' centroids (crosswalk from ``pobi.registry``). Provinces are then placed one per cell by
an optimal assignment (Hungarian algorithm, ``scipy.optimize.linear_sum_assignment``) that
minimises the total squared distance between each province's projected centroid and its cell, so
the grid keeps the country's shape while no two squares overlap.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from pobi.registry import provinces  # noqa: E402

LAT0, LON0 = 23.4, 102.1
STEPS = {"legacy": 0.52, "current": 0.8}


def centroids() -> dict[str, tuple[float, float]]:
    with (HERE / "centroids_legacy.csv").open(encoding="utf-8") as fh:
        return {r["code"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(fh)}


def targets(era: str) -> dict[str, tuple[float, float]]:
    legacy = centroids()
    if era == "legacy":
        return legacy
    out = {}
    for p in provinces("current"):
        pts = [legacy[c] for c in p.related_codes]
        out[p.code] = (sum(a for a, _ in pts) / len(pts), sum(b for _, b in pts) / len(pts))
    return out


def layout(era: str) -> list[tuple[str, int, int]]:
    step = STEPS[era]
    pts = targets(era)
    codes = sorted(pts)
    xy = np.array([((pts[c][1] - LON0) / step, (LAT0 - pts[c][0]) / step) for c in codes])
    cols = range(int(xy[:, 0].min()) - 2, int(xy[:, 0].max()) + 3)
    rows = range(int(xy[:, 1].min()) - 2, int(xy[:, 1].max()) + 3)
    cells = np.array([(c, r) for c in cols for r in rows], dtype=float)
    cost = ((xy[:, None, :] - (cells[None, :, :] + 0.5)) ** 2).sum(axis=2)
    pi, ci = linear_sum_assignment(cost)
    placed = {codes[i]: (int(cells[j][0]), int(cells[j][1])) for i, j in zip(pi, ci, strict=True)}
    min_c = min(c for c, _ in placed.values())
    min_r = min(r for _, r in placed.values())
    return sorted((code, c - min_c, r - min_r) for code, (c, r) in placed.items())


def show(era: str, rows: list[tuple[str, int, int]]) -> str:
    width = max(c for _, c, _ in rows) + 1
    height = max(r for _, _, r in rows) + 1
    grid = [["  "] * width for _ in range(height)]
    for code, c, r in rows:
        grid[r][c] = code
    return f"{era}:\n" + "\n".join(" ".join(line) for line in grid)


def main() -> None:
    for era in ("legacy", "current"):
        rows = layout(era)
        with (HERE / f"tiles_{era}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["code", "col", "row"])
            writer.writerows(rows)
        print(show(era, rows))


if __name__ == "__main__":
    main()
