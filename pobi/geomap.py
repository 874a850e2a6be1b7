"""The choropleth map of Vietnam as an SVG string, from the bundled geometry.

Geometry: ``data/map/vietnam_<era>.json`` (63 legacy or 34 current units, made from Natural
Earth's public-domain admin-1 boundaries by ``data/map/make_geometry.py``; see
``data/map/GEOMETRY.md``). Already projected, so drawing is string formatting: no GIS library,
no tiles, nothing fetched. Every province is one ``<path data-province-code="NN">``; the Hoàng Sa
(Paracel) and Trường Sa (Spratly) archipelagos are drawn, framed and labelled as Vietnam's, in the
colour of the province they belong to (Đà Nẵng, Khánh Hòa).

Used by the static site (``scoring/site``) and the dashboard (``dashboard/views``), which is why it
lives in the core.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from html import escape
from typing import Any

from pobi.config import data_dir
from pobi.models import Era

NO_DATA = "#d9d9d9"

ARCHIPELAGO_LABELS = {
    "hoang_sa": {
        "vi": ("Quần đảo Hoàng Sa", "(Đà Nẵng, Việt Nam)"),
        "en": ("Hoàng Sa (Paracel) Islands", "(Đà Nẵng, Viet Nam)"),
    },
    "truong_sa": {
        "vi": ("Quần đảo Trường Sa", "(Khánh Hòa, Việt Nam)"),
        "en": ("Trường Sa (Spratly) Islands", "(Khánh Hòa, Viet Nam)"),
    },
}


@dataclass(frozen=True)
class Shade:
    """How one province is drawn: its fill, its tooltip/accessible name, an optional link."""

    fill: str
    title: str
    href: str | None = None


@cache
def geometry(era: Era | str) -> dict[str, Any]:
    path = data_dir() / "map" / f"vietnam_{Era(era).value}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def province_codes(era: Era | str) -> list[str]:
    return sorted(geometry(era)["units"])


def svg_map(
    era: Era | str,
    shades: dict[str, Shade],
    *,
    lang: str = "vi",
    title: str = "",
    element_id: str = "map",
) -> str:
    """An inline SVG. Provinces missing from ``shades`` are drawn grey, titled by their code."""
    geo = geometry(era)
    width, height = geo["view_box"]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(element_id)}" class="pobi-map" '
        f'viewBox="0 0 {width:g} {height:g}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        '<g class="units" stroke="#ffffff" stroke-width="0.6" stroke-linejoin="round">',
    ]
    for code, unit in sorted(geo["units"].items()):
        shade = shades.get(code, Shade(NO_DATA, code))
        path = (
            f'<path data-province-code="{code}" fill="{escape(shade.fill)}" d="{unit["d"]}">'
            f"<title>{escape(shade.title)}</title></path>"
        )
        if shade.href:
            path = f'<a href="{escape(shade.href)}" aria-label="{escape(shade.title)}">{path}</a>'
        out.append(path)
    out.append("</g>")
    out.append('<g class="archipelagos" font-family="sans-serif" font-size="11" fill="#333333">')
    for key, arch in sorted(geo["archipelagos"].items()):
        owner = arch["province_code"]
        shade = shades.get(owner, Shade(NO_DATA, owner))
        line1, line2 = ARCHIPELAGO_LABELS[key]["en" if lang == "en" else "vi"]
        left, top, right, bottom = arch["frame"]
        x = min((left + right) / 2, width - 80)
        out.append(
            f'<g data-archipelago="{key}" data-belongs-to="{owner}">'
            f"<title>{escape(line1)} {escape(line2)}</title>"
            f'<path fill="{escape(shade.fill)}" stroke="{escape(shade.fill)}" stroke-width="1.5" '
            f'd="{arch["d"]}"/>'
            f'<rect x="{left:g}" y="{top:g}" width="{right - left:g}" height="{bottom - top:g}" '
            'fill="none" stroke="#888888" stroke-dasharray="3 3" rx="6"/>'
            f'<text x="{x:g}" y="{top - 18:g}" text-anchor="middle">{escape(line1)}</text>'
            f'<text x="{x:g}" y="{top - 5:g}" text-anchor="middle">{escape(line2)}</text></g>'
        )
    out.append("</g></svg>")
    return "".join(out)
