"""The bundled map geometry and its SVG: one shape per unit, codes match the registry, the
archipelagos are drawn and labelled as Vietnam's."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

from pobi.geomap import NO_DATA, Shade, geometry, svg_map
from pobi.registry import province, provinces

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(("era", "count"), [("legacy", 63), ("current", 34)])
def test_every_unit_of_the_era_has_one_shape(era: str, count: int) -> None:
    svg = svg_map(era, {}, title="map")
    root = ElementTree.fromstring(svg)
    codes = [p.get("data-province-code") for p in root.iter(f"{SVG}path")]
    codes = [c for c in codes if c]
    assert len(codes) == count == len(set(codes))
    assert sorted(codes) == [p.code for p in provinces(era)]


def test_shapes_are_where_the_provinces_are() -> None:
    # Hà Nội (01) is north of Hồ Chí Minh City (79); Lai Châu (12) is west of Quảng Ninh (22).
    geo = geometry("legacy")
    assert geo["units"]["01"]["label"][1] < geo["units"]["79"]["label"][1]
    assert geo["units"]["12"]["label"][0] < geo["units"]["22"]["label"][0]
    for unit in geo["units"].values():
        assert re.fullmatch(r"(M[-\d.,L]+Z)+", unit["d"])


def test_current_units_cover_their_legacy_sources() -> None:
    # The merged unit's outline spans its sources: 79 (HCMC + Bình Dương + Bà Rịa–Vũng Tàu).
    def xs(d: str) -> list[float]:
        return [float(n.split(",")[0]) for n in re.findall(r"[-\d.]+,[-\d.]+", d)]

    cur = xs(geometry("current")["units"]["79"]["d"])
    for code in province("current", "79").related_codes:
        legacy = xs(geometry("legacy")["units"][code]["d"])
        assert min(cur) <= min(legacy) + 0.2 and max(cur) >= max(legacy) - 0.2


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_archipelagos_are_labelled_and_coloured_as_their_province(lang: str) -> None:
    svg = svg_map(
        "current", {"48": Shade("#123456", "Đà Nẵng"), "56": Shade("#654321", "KH")}, lang=lang
    )
    root = ElementTree.fromstring(svg)
    groups = {
        g.get("data-archipelago"): g for g in root.iter(f"{SVG}g") if g.get("data-archipelago")
    }
    assert set(groups) == {"hoang_sa", "truong_sa"}
    assert groups["hoang_sa"].get("data-belongs-to") == "48"
    assert groups["truong_sa"].get("data-belongs-to") == "56"
    assert groups["hoang_sa"].find(f"{SVG}path").get("fill") == "#123456"
    text = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Hoàng Sa" in text and "Trường Sa" in text
    assert ("Quần đảo" in text) == (lang == "vi")


def test_shades_links_and_escaping() -> None:
    svg = svg_map(
        "legacy", {"01": Shade("#1a9850", "Hà Nội <b>", href="provinces/01.html")}, title="a&b"
    )
    root = ElementTree.fromstring(svg)  # well-formed despite the markup in the title
    link = next(a for a in root.iter(f"{SVG}a"))
    assert link.get("href") == "provinces/01.html"
    assert link.find(f"{SVG}path").get("fill") == "#1a9850"
    grey = [p for p in root.iter(f"{SVG}path") if p.get("data-province-code") == "79"]
    assert grey[0].get("fill") == NO_DATA
    assert svg == svg_map(
        "legacy", {"01": Shade("#1a9850", "Hà Nội <b>", href="provinces/01.html")}, title="a&b"
    )
