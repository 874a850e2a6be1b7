"""Regenerate the *inferred* rows of data/sites.csv (rows marked verified are kept as they are).

Nothing here is verified: a URL is built from the usual pattern — portal ``<name>.gov.vn``,
Department of Finance ``stc.<name>.gov.vn`` — where ``<name>`` is the unit's codename without
underscores, or a commonly published domain from KNOWN_PORTALS. Every generated row has
``source=inferred`` and an empty ``verified_on``; a researcher who checks a URL in a browser sets
``source=verified`` and the date. Run: ``python scripts/make_registry_sites.py``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pobi.registry import REGISTRY_COLUMNS, provinces

# Domains commonly published for these units that do not follow the codename pattern.
KNOWN_PORTALS = {
    ("legacy", "46"): "thuathienhue.gov.vn",
    ("legacy", "77"): "baria-vungtau.gov.vn",
    ("legacy", "79"): "hochiminhcity.gov.vn",
    ("legacy", "66"): "daklak.gov.vn",
    ("legacy", "67"): "daknong.gov.vn",
    ("current", "79"): "hochiminhcity.gov.vn",
    ("current", "66"): "daklak.gov.vn",
    ("current", "46"): "hue.gov.vn",
}

OUT = Path(__file__).resolve().parent.parent / "data" / "sites.csv"


def main() -> None:
    kept = []
    if OUT.exists():
        with OUT.open(encoding="utf-8", newline="") as fh:
            kept = [r for r in csv.DictReader(fh) if r["source"] == "verified"]
    have = {(r["era"], r["province_code"], r["site_kind"]) for r in kept}
    rows = list(kept)
    for era in ("legacy", "current"):
        for p in provinces(era):
            domain = KNOWN_PORTALS.get((era, p.code), p.codename.replace("_", "") + ".gov.vn")
            note_portal = (
                "commonly published domain; not verified by pobi"
                if (era, p.code) in KNOWN_PORTALS
                else "inferred from the pattern <name>.gov.vn; not verified"
            )
            for kind, url, note in (
                ("portal", f"https://{domain}/", note_portal),
                (
                    "finance",
                    f"https://stc.{domain}/",
                    "inferred from the pattern stc.<portal domain>; not verified",
                ),
            ):
                if (era, p.code, kind) not in have:
                    rows.append(
                        {
                            "era": era,
                            "province_code": p.code,
                            "site_kind": kind,
                            "url": url,
                            "source": "inferred",
                            "verified_on": "",
                            "note": note,
                        }
                    )
    rows.sort(key=lambda r: (r["era"], r["province_code"], r["site_kind"]))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=REGISTRY_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
