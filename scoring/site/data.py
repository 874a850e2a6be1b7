"""What the site's pages show, read from the round's export files and the store: numbers
formatted per language, findings with their evidence files copied into the site, replies'
aggregates, replay links. Used by :mod:`scoring.site.build`."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.errors import EvidenceError, NotFoundError
from pobi.evidence import EvidenceStore, sha256_bytes
from pobi.reviews import rejected_finding_ids
from pobi.store.tables import Finding
from pobi.webarchive import is_gzip


def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def num(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def fmt_number(value: float | None, lang: str, digits: int = 1) -> str:
    if value is None:
        return "–"
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "vi" else text


def fmt_pct(value: float | None, lang: str) -> str:
    return "–" if value is None else fmt_number(value * 100, lang, 0) + "%"


def fmt_size(n: int, lang: str) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return fmt_number(n / 1024, lang) + " KiB"
    return fmt_number(n / 1024 / 1024, lang) + " MiB"


# --------------------------------------------------------------------------- data for the pages

REPLAYWEB = "https://replayweb.page/"


def replay_link(base_url: str, wacz_name: str, url: str, ts: str) -> str:
    """ReplayWeb.page opening the hosted WACZ at the archived page (empty without a base URL or
    when the page is not in the package)."""
    if not base_url or not ts:
        return ""
    stamp = re.sub(r"[^0-9]", "", ts)[:14]
    source = quote(f"{base_url}/downloads/{wacz_name}", safe="")
    return f"{REPLAYWEB}?source={source}#view=pages&url={quote(url, safe='')}&ts={stamp}"


def evidence_files(
    session: Session, round_id: str, evidence: EvidenceStore, target: Path, unreadable: list[str]
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, str]]:
    """Findings per province (not rejected), and hash -> site path of each evidence file copied."""
    rejected = rejected_finding_ids(session, round_id)
    findings = [
        f
        for f in session.scalars(select(Finding).where(Finding.round_id == round_id))
        if f.id not in rejected
    ]
    findings.sort(key=lambda f: (f.province_code, f.channel, f.value, f.found_on, f.id))
    copied: dict[str, str] = {}
    wanted: list[tuple[str, str]] = []
    for f in findings:
        wanted += [(f.evidence_sha256, "warc.gz"), (f.screenshot_sha256, "png")]
    for sha, ext in wanted:
        if not sha or sha in copied or sha in unreadable:
            continue
        try:
            data = evidence.read(sha)
        except (NotFoundError, EvidenceError):
            unreadable.append(sha)
            continue
        if sha256_bytes(data) != sha:
            unreadable.append(sha)
            continue
        if ext == "warc.gz" and not is_gzip(data):
            ext = "warc"
        name = f"evidence/{sha}.{ext}"
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes(data)
        copied[sha] = name
    by_province: dict[str, list[dict[str, Any]]] = defaultdict(list)
    seen: set[tuple[str, str, str, str]] = set()
    for f in findings:
        key = (f.province_code, f.channel, f.value, f.found_on)
        if key in seen:
            continue
        seen.add(key)
        by_province[f.province_code].append(
            {
                "channel": f.channel,
                "site_kind": f.site_kind,
                "value": f.value,
                "found_on": f.found_on,
                "warc": copied.get(f.evidence_sha256, ""),
                "warc_sha256": f.evidence_sha256,
                "screenshot": copied.get(f.screenshot_sha256, ""),
            }
        )
    return by_province, copied


def reply_aggregates(
    requests: list[dict[str, str]], replies: list[dict[str, str]]
) -> dict[str, dict[str, Counter[str]]]:
    province_of = {r["request_id"]: r["province_code"] for r in requests}
    out: dict[str, dict[str, Counter[str]]] = defaultdict(
        lambda: {"deadline": Counter(), "kind": Counter(), "coding": Counter()}
    )
    for r in requests:
        out[r["province_code"]]["deadline"][r["deadline_status"]] += 1
    for m in replies:
        code = province_of.get(m["request_id"])
        if code:
            out[code]["kind"][m["kind"]] += 1
            if m["kind"] == "human":
                out[code]["coding"][m["coding"]] += 1
    return out
