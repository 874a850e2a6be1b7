"""Provinces of both eras, the crosswalk, regions, and the registry's sites.

- ``legacy``: the 63 provincial units in force until 2025-06-30;
- ``current``: the 34 units from 2025-07-01 (Resolution 202/2025/QH15).

Codes are the official two-digit codes as strings ("01", "79"). Names and the crosswalk come from
the ``vietnam-provinces`` package. That package derives its crosswalk from ward transfers, so one
legacy unit (82, Tiền Giang) has wards in two current units; its *successor* is the unit the
Resolution merged it into, i.e. the current unit that carries its code when there is one,
otherwise the only candidate. ``related_codes`` follow that rule both ways.

Regions are the six socio-economic regions of the General Statistics Office; a current unit takes
the region of the legacy unit whose code it kept.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from pobi.config import data_dir
from pobi.errors import CsvRowError, InputError, NotFoundError
from pobi.models import Era, SiteKind, UrlSource

MERGER_DATE = date(2025, 7, 1)

REGIONS: dict[str, dict[str, str]] = {
    "northern_mountains": {
        "vi": "Trung du và miền núi phía Bắc",
        "en": "Northern Midlands and Mountains",
    },
    "red_river_delta": {"vi": "Đồng bằng sông Hồng", "en": "Red River Delta"},
    "central_coast": {
        "vi": "Bắc Trung Bộ và Duyên hải miền Trung",
        "en": "North Central and Central Coast",
    },
    "central_highlands": {"vi": "Tây Nguyên", "en": "Central Highlands"},
    "southeast": {"vi": "Đông Nam Bộ", "en": "Southeast"},
    "mekong_delta": {"vi": "Đồng bằng sông Cửu Long", "en": "Mekong River Delta"},
}

_LEGACY_REGION_CODES = {
    "red_river_delta": "01 22 26 27 30 31 33 34 35 36 37",
    "northern_mountains": "02 04 06 08 10 11 12 14 15 17 19 20 24 25",
    "central_coast": "38 40 42 44 45 46 48 49 51 52 54 56 58 60",
    "central_highlands": "62 64 66 67 68",
    "southeast": "70 72 74 75 77 79",
    "mekong_delta": "80 82 83 84 86 87 89 91 92 93 94 95 96",
}
LEGACY_REGION: dict[str, str] = {
    code: region for region, codes in _LEGACY_REGION_CODES.items() for code in codes.split()
}


def ascii_name(text: str) -> str:
    """'Thành phố Hồ Chí Minh' -> 'Thanh pho Ho Chi Minh' (đ -> d, diacritics dropped)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def short_name(name: str) -> str:
    """Drop the unit type: 'Tỉnh Lào Cai' -> 'Lào Cai', 'Thành phố Huế' -> 'Huế'."""
    return re.sub(r"^(Tỉnh|Thành phố)\s+", "", name)


@dataclass(frozen=True)
class Province:
    code: str
    name: str  # official, with diacritics: 'Tỉnh Lào Cai'
    era: Era
    codename: str  # 'lao_cai'
    related_codes: tuple[str, ...]  # legacy: (successor,); current: legacy sources
    region: str

    @property
    def name_ascii(self) -> str:
        return ascii_name(self.name)

    @property
    def short(self) -> str:
        return short_name(self.name)


def _fmt(code: int | str) -> str:
    return f"{int(code):02d}"


@cache
def _build() -> dict[Era, dict[str, Province]]:
    from vietnam_provinces import Province as CurrentProvince
    from vietnam_provinces._province_conversion_2025 import OLD_TO_NEW
    from vietnam_provinces.legacy import Province as LegacyProvince

    current_codes = {_fmt(p.code) for p in CurrentProvince.iter_all()}
    successor: dict[str, str] = {}
    for old, entry in OLD_TO_NEW.items():
        candidates = [_fmt(n.code) for n in entry.new_provinces]
        old_code = _fmt(old)
        if old_code in candidates:
            successor[old_code] = old_code
        elif len(candidates) == 1:
            successor[old_code] = candidates[0]
        else:  # pragma: no cover - the 2026 data has no such case
            raise RuntimeError(f"ambiguous successor for legacy unit {old_code}: {candidates}")
    sources: dict[str, list[str]] = {c: [] for c in current_codes}
    for old_code, new_code in successor.items():
        sources[new_code].append(old_code)

    legacy = {
        _fmt(p.code): Province(
            code=_fmt(p.code),
            name=p.name,
            era=Era.LEGACY,
            codename=p.codename,
            related_codes=(successor[_fmt(p.code)],),
            region=LEGACY_REGION[_fmt(p.code)],
        )
        for p in LegacyProvince.iter_all()
    }
    current = {
        _fmt(p.code): Province(
            code=_fmt(p.code),
            name=p.name,
            era=Era.CURRENT,
            codename=p.codename,
            related_codes=tuple(sorted(sources[_fmt(p.code)])),
            region=LEGACY_REGION[_fmt(p.code)],
        )
        for p in CurrentProvince.iter_all()
    }
    return {Era.LEGACY: dict(sorted(legacy.items())), Era.CURRENT: dict(sorted(current.items()))}


def provinces(era: Era | str) -> list[Province]:
    return list(_build()[Era(era)].values())


def province(era: Era | str, code: str) -> Province:
    table = _build()[Era(era)]
    try:
        return table[_fmt(code)]
    except (KeyError, ValueError) as exc:
        raise NotFoundError(f"No {Era(era).value} province with code {code!r}") from exc


def successor(legacy_code: str) -> Province:
    return province(Era.CURRENT, province(Era.LEGACY, legacy_code).related_codes[0])


def legacy_sources(current_code: str) -> list[Province]:
    return [province(Era.LEGACY, c) for c in province(Era.CURRENT, current_code).related_codes]


def era_on(day: date) -> Era:
    return Era.CURRENT if day >= MERGER_DATE else Era.LEGACY


def parse_codes(spec: str, era: Era | str) -> list[str]:
    """'01,79' or '1 79' -> ['01', '79'], each checked against the era."""
    out = []
    for part in re.split(r"[,\s]+", spec.strip()):
        if part:
            out.append(province(era, part).code)
    return out


# --------------------------------------------------------------------------- sites


@dataclass(frozen=True)
class Site:
    province_code: str
    site_kind: SiteKind
    url: str
    era: Era | None = None
    source: UrlSource = UrlSource.USER
    verified_on: date | None = None
    note: str = ""


SITE_COLUMNS = ["province_code", "site_kind", "url"]
# optional columns after the three of a sites file (``pobi sites verify --write`` writes them)
PROVENANCE_COLUMNS = ["era", "source", "verified_on", "note"]
REGISTRY_COLUMNS = ["era", "province_code", "site_kind", "url", "source", "verified_on", "note"]


def registry_sites(era: Era | str | None = None, path: Path | None = None) -> list[Site]:
    """The bundled registry (``data/sites.csv``), optionally one era."""
    path = path or data_dir() / "sites.csv"
    sites = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != REGISTRY_COLUMNS:
            raise InputError(f"{path}: expected header {','.join(REGISTRY_COLUMNS)}")
        problems: list[tuple[int, str]] = []
        for number, row in enumerate(reader, start=2):
            try:
                site = Site(
                    province_code=row["province_code"],
                    site_kind=SiteKind(row["site_kind"]),
                    url=row["url"],
                    era=Era(row["era"]),
                    source=UrlSource(row["source"]),
                    verified_on=(
                        date.fromisoformat(row["verified_on"]) if row["verified_on"] else None
                    ),
                    note=row["note"] or "",
                )
                reason = _check_url(site.url)
                if reason is None and site.province_code not in _build()[site.era]:
                    reason = f"unknown {site.era.value} province code {site.province_code!r}"
            except (ValueError, TypeError) as exc:
                reason = str(exc)
            if reason:
                problems.append((number, reason))
                continue
            if era is None or site.era == Era(era):
                sites.append(site)
        if problems:
            raise CsvRowError(str(path), problems)
    return sites


def _check_url(url: str) -> str | None:
    if not url:
        return "empty url"
    if any(c.isspace() for c in url):
        return f"url {url!r} contains whitespace"
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        return f"url {url!r} must start with http:// or https://"
    if not parts.hostname:
        return f"url {url!r} has no host name"
    return None


def read_sites_file(path: Path, era: Era | str | None = None) -> list[Site]:
    """A user's site list: header ``province_code,site_kind,url`` (DESIGN.md §6).

    Optional columns after them, by name: ``era`` (a row of another era than ``era`` is skipped),
    ``source``, ``verified_on``, ``note`` — the provenance ``pobi sites verify --write`` keeps.

    Every bad row is reported with its line number (all of them at once, not just the first);
    province codes are checked against ``era`` when given, else against either era.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    lines = text.splitlines()
    if not lines:
        raise CsvRowError(
            str(path), [(1, "empty file: expected the header province_code,site_kind,url")]
        )
    header = [h.strip() for h in next(csv.reader([lines[0]]))]
    if header[:3] != SITE_COLUMNS:
        raise CsvRowError(
            str(path), [(1, f"header must be province_code,site_kind,url (got {','.join(header)})")]
        )
    problems: list[tuple[int, str]] = []
    sites: list[Site] = []
    seen: dict[tuple[str, str, str], int] = {}
    eras = [Era(era)] if era else [Era.CURRENT, Era.LEGACY]
    kinds = ", ".join(k.value for k in SiteKind)
    extra = {name: header.index(name) for name in PROVENANCE_COLUMNS if name in header}
    for number, row in enumerate(csv.reader(lines[1:]), start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) < 3:
            problems.append(
                (number, f"expected 3 columns (province_code,site_kind,url), got {len(row)}")
            )
            continue
        code_raw, kind_raw, url = (c.strip() for c in row[:3])
        reason = None
        code = ""
        known = {k: (row[i].strip() if i < len(row) else "") for k, i in extra.items()}
        row_eras = eras
        if known.get("era"):
            try:
                row_era = Era(known["era"])
            except ValueError:
                problems.append((number, f"era {known['era']!r} is not legacy or current"))
                continue
            if era and row_era != Era(era):
                continue  # a row of the other era (a file from pobi sites verify --write)
            row_eras = [row_era]
        try:
            code = _fmt(code_raw)
            if not any(code in _build()[e] for e in row_eras):
                reason = (
                    f"unknown province code {code_raw!r} for era {'/'.join(e.value for e in eras)}"
                )
        except ValueError:
            reason = f"province code {code_raw!r} is not a number"
        if reason is None and kind_raw not in {k.value for k in SiteKind}:
            reason = f"site_kind {kind_raw!r} is not one of {kinds}"
        if reason is None:
            reason = _check_url(url)
        if reason is None:
            key = (code, kind_raw, url)
            if key in seen:
                reason = f"duplicate of line {seen[key]}"
            else:
                seen[key] = number
        provenance: dict[str, object] = {}
        if reason is None:
            try:
                if known.get("era"):
                    provenance["era"] = Era(known["era"])
                if known.get("source"):
                    provenance["source"] = UrlSource(known["source"])
                if known.get("verified_on"):
                    provenance["verified_on"] = date.fromisoformat(known["verified_on"])
                if "note" in known:
                    provenance["note"] = known["note"]
            except ValueError as exc:
                reason = f"bad provenance column: {exc}"
        if reason:
            problems.append((number, reason))
            continue
        sites.append(
            Site(
                province_code=code,
                site_kind=SiteKind(kind_raw),
                url=url,
                **{"source": UrlSource.USER, **provenance},  # type: ignore[arg-type]
            )
        )
    if problems:
        raise CsvRowError(str(path), problems)
    return sites


def write_provinces_csv(rows: Iterable[Province], fh) -> None:  # type: ignore[no-untyped-def]
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(["code", "name", "name_ascii", "era", "related_codes"])
    for p in rows:
        writer.writerow([p.code, p.name, p.name_ascii, p.era.value, ";".join(p.related_codes)])
