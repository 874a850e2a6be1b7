"""Regenerate data/sites.csv from the tables below (rows marked ``verified`` are kept as they are).

Every URL says how it is known (``source``):

- ``published``: the unit's own published domain, written here from knowledge of the provinces'
  portals, **not verified by pobi** (``verified_on`` empty). Legacy portals are the domains the 63
  units published until 2025-06-30; current portals the domains of the 34 units since 2025-07-01.
- ``inferred``: a guess from the usual pattern (``stc.<portal domain>``) where nobody here knows
  the department's domain. Never labelled published.
- ``verified``: a person or ``pobi sites verify --write`` saw it work on ``verified_on``; kept.

Most legacy portals of units merged on 2025-07-01 now redirect to their successor's portal (or
are closed); the note of such a row says so, and ``pobi sites verify`` reports it as
``redirects_to_successor``.

A host never carries the unit-type prefix of the package's codename (``tinh``, ``thanhpho``...):
``thanhphohanoi.gov.vn`` does not exist. :func:`check_host` rejects such hosts and the script
refuses to write them. Run: ``python scripts/make_registry_sites.py``.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from pobi.registry import REGISTRY_COLUMNS, provinces, successor

PUBLISHED_NOTE = "published domain, from knowledge of the provinces' portals, not verified by pobi"

# Legacy era (63 units until 2025-06-30): the portal domains the units published.
LEGACY_PORTALS = {
    "01": "hanoi.gov.vn",
    "02": "hagiang.gov.vn",
    "04": "caobang.gov.vn",
    "06": "backan.gov.vn",
    "08": "tuyenquang.gov.vn",
    "10": "laocai.gov.vn",
    "11": "dienbien.gov.vn",
    "12": "laichau.gov.vn",
    "14": "sonla.gov.vn",
    "15": "yenbai.gov.vn",
    "17": "hoabinh.gov.vn",
    "19": "thainguyen.gov.vn",
    "20": "langson.gov.vn",
    "22": "quangninh.gov.vn",
    "24": "bacgiang.gov.vn",
    "25": "phutho.gov.vn",
    "26": "vinhphuc.gov.vn",
    "27": "bacninh.gov.vn",
    "30": "haiduong.gov.vn",
    "31": "haiphong.gov.vn",
    "33": "hungyen.gov.vn",
    "34": "thaibinh.gov.vn",
    "35": "hanam.gov.vn",
    "36": "namdinh.gov.vn",
    "37": "ninhbinh.gov.vn",
    "38": "thanhhoa.gov.vn",
    "40": "nghean.gov.vn",
    "42": "hatinh.gov.vn",
    "44": "quangbinh.gov.vn",
    "45": "quangtri.gov.vn",
    "46": "thuathienhue.gov.vn",  # Thừa Thiên Huế (a city from 2025-01-01, then hue.gov.vn)
    "48": "danang.gov.vn",
    "49": "quangnam.gov.vn",
    "51": "quangngai.gov.vn",
    "52": "binhdinh.gov.vn",
    "54": "phuyen.gov.vn",
    "56": "khanhhoa.gov.vn",
    "58": "ninhthuan.gov.vn",
    "60": "binhthuan.gov.vn",
    "62": "kontum.gov.vn",
    "64": "gialai.gov.vn",
    "66": "daklak.gov.vn",
    "67": "daknong.gov.vn",
    "68": "lamdong.gov.vn",
    "70": "binhphuoc.gov.vn",
    "72": "tayninh.gov.vn",
    "74": "binhduong.gov.vn",
    "75": "dongnai.gov.vn",
    "77": "baria-vungtau.gov.vn",
    "79": "hochiminhcity.gov.vn",
    "80": "longan.gov.vn",
    "82": "tiengiang.gov.vn",
    "83": "bentre.gov.vn",
    "84": "travinh.gov.vn",
    "86": "vinhlong.gov.vn",
    "87": "dongthap.gov.vn",
    "89": "angiang.gov.vn",
    "91": "kiengiang.gov.vn",
    "92": "cantho.gov.vn",
    "93": "haugiang.gov.vn",
    "94": "soctrang.gov.vn",
    "95": "baclieu.gov.vn",
    "96": "camau.gov.vn",
}

# Current era (34 units from 2025-07-01): the merged unit kept the portal of the unit whose name
# it carries (Huế's portal is hue.gov.vn since it became a centrally-run city).
CURRENT_PORTALS = {
    "01": "hanoi.gov.vn",
    "04": "caobang.gov.vn",
    "08": "tuyenquang.gov.vn",
    "11": "dienbien.gov.vn",
    "12": "laichau.gov.vn",
    "14": "sonla.gov.vn",
    "15": "laocai.gov.vn",
    "19": "thainguyen.gov.vn",
    "20": "langson.gov.vn",
    "22": "quangninh.gov.vn",
    "24": "bacninh.gov.vn",
    "25": "phutho.gov.vn",
    "31": "haiphong.gov.vn",
    "33": "hungyen.gov.vn",
    "37": "ninhbinh.gov.vn",
    "38": "thanhhoa.gov.vn",
    "40": "nghean.gov.vn",
    "42": "hatinh.gov.vn",
    "44": "quangtri.gov.vn",
    "46": "hue.gov.vn",
    "48": "danang.gov.vn",
    "51": "quangngai.gov.vn",
    "52": "gialai.gov.vn",
    "56": "khanhhoa.gov.vn",
    "66": "daklak.gov.vn",
    "68": "lamdong.gov.vn",
    "75": "dongnai.gov.vn",
    "79": "hochiminhcity.gov.vn",
    "80": "tayninh.gov.vn",
    "82": "dongthap.gov.vn",
    "86": "vinhlong.gov.vn",
    "91": "angiang.gov.vn",
    "92": "cantho.gov.vn",
    "96": "camau.gov.vn",
}

# Departments of Finance whose own domain is widely published (both forms are in use). Keyed by
# portal domain, so a legacy unit and its same-named current unit share the entry. Every other
# finance row is the guess stc.<portal> and is labelled inferred.
FINANCE_SITES = {
    "hanoi.gov.vn": "sotaichinh.hanoi.gov.vn",
    "hochiminhcity.gov.vn": "stc.hochiminhcity.gov.vn",
    "danang.gov.vn": "stc.danang.gov.vn",
    "haiphong.gov.vn": "stc.haiphong.gov.vn",
    "cantho.gov.vn": "stc.cantho.gov.vn",
    "thuathienhue.gov.vn": "stc.thuathienhue.gov.vn",
    "baria-vungtau.gov.vn": "sotaichinh.baria-vungtau.gov.vn",
    "binhduong.gov.vn": "sotaichinh.binhduong.gov.vn",
    "vinhphuc.gov.vn": "sotaichinh.vinhphuc.gov.vn",
    "laocai.gov.vn": "sotaichinh.laocai.gov.vn",
}

# The unit-type words of the package's codenames ('tinh_ha_giang', 'thanh_pho_ha_noi'): a label
# made of one of them followed by a unit's name is the codename bug, never a published domain.
UNIT_PREFIXES = ("tinh", "thanhpho", "thanh-pho", "tp")


def _unit_names() -> set[str]:
    names = set()
    for era in ("legacy", "current"):
        for p in provinces(era):
            words = p.codename.split("_")
            while words and words[0] in ("tinh", "thanh", "pho"):
                words = words[1:]
            names.add("".join(words))
    return names


def check_host(host: str) -> str | None:
    """Why ``host`` cannot be a registry host (None when it can)."""
    host = host.lower()
    if not host.endswith(".gov.vn"):
        return f"{host}: not a .gov.vn host"
    names = _unit_names()
    for label in host.split(".")[:-2]:
        for prefix in UNIT_PREFIXES:
            rest = label[len(prefix) :].lstrip("-")
            if label.startswith(prefix) and any(rest.startswith(n) for n in names):
                return (
                    f"{host}: label {label!r} carries a unit-type prefix (codename, not a domain)"
                )
    return None


OUT = Path(__file__).resolve().parent.parent / "data" / "sites.csv"


def build_rows() -> list[dict[str, str]]:
    rows = []
    for era, table in (("legacy", LEGACY_PORTALS), ("current", CURRENT_PORTALS)):
        for p in provinces(era):
            portal = table[p.code]
            note = PUBLISHED_NOTE
            if era == "legacy":
                succ = successor(p.code)
                if succ.code != p.code:
                    note += (
                        f"; merged into {succ.name} ({succ.code}) on 2025-07-01: the portal now"
                        f" usually redirects to the successor's portal {CURRENT_PORTALS[succ.code]}"
                    )
                elif CURRENT_PORTALS[succ.code] != portal:
                    note += f"; the unit's portal is {CURRENT_PORTALS[succ.code]} since 2025"
            finance = FINANCE_SITES.get(portal)
            if finance:
                fsource, fnote = "published", PUBLISHED_NOTE
            else:
                finance = f"stc.{portal}"
                fsource = "inferred"
                fnote = (
                    "inferred from the pattern stc.<portal domain>; the department's own domain "
                    "is not known here (stc. or sotaichinh.); not verified"
                )
            for kind, host, source, text in (
                ("portal", portal, "published", note),
                ("finance", finance, fsource, fnote),
            ):
                rows.append(
                    {
                        "era": era,
                        "province_code": p.code,
                        "site_kind": kind,
                        "url": f"https://{host}/",
                        "source": source,
                        "verified_on": "",
                        "note": text,
                    }
                )
    return rows


def main() -> int:
    kept = []
    if OUT.exists():
        with OUT.open(encoding="utf-8", newline="") as fh:
            kept = [r for r in csv.DictReader(fh) if r["source"] == "verified"]
    have = {(r["era"], r["province_code"], r["site_kind"]) for r in kept}
    rows = kept + [
        r for r in build_rows() if (r["era"], r["province_code"], r["site_kind"]) not in have
    ]
    from urllib.parse import urlsplit

    bad = [why for r in rows if (why := check_host(urlsplit(r["url"]).hostname or ""))]
    if bad:
        print("refusing to write:\n  " + "\n  ".join(bad), file=sys.stderr)
        return 1
    rows.sort(key=lambda r: (r["era"], r["province_code"], r["site_kind"]))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=REGISTRY_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
