"""The demo report's ``documents`` entry: an export's ``documents.csv`` against the budget
documents the simulated world publishes (:attr:`pobi.sandbox.world.World.documents`).

Two measures, each with precision and recall:

- ``finding``: was each published file found and downloaded (matched by province and file name);
- ``classifying``: does the export name the right document — (province, doc_type, fiscal_year,
  period) — for the files it found (the ``precision``/``recall`` of the entry are these).

Plus ``format_agreement``: of the files found, the share whose format (table, text, scanned,
archive, unreadable) is the one the world published.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit


def _ratio(num: int, den: int) -> float:
    return 1.0 if den == 0 else round(num / den, 4)


def read_documents(path: Path) -> list[dict[str, str]]:
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def compare_documents(rows: Iterable[Mapping[str, str]], truth: Iterable[Any]) -> dict[str, Any]:
    truth = list(truth)
    downloaded = [
        r for r in rows if r.get("sha256") or r.get("format") == "too_large"
    ]  # a link that answered 404 is not a publication
    t_files = {(d.province_code, d.file_name): d for d in truth}
    f_files = {
        (r["province_code"], unquote(urlsplit(r["url"]).path.rsplit("/", 1)[-1])): r
        for r in downloaded
    }
    found_files = set(f_files) & set(t_files)
    t_keys = {(d.province_code, d.doc_type, str(d.fiscal_year), d.period) for d in truth}
    f_keys = {
        (r["province_code"], r["doc_type"], str(r.get("fiscal_year") or ""), r.get("period", ""))
        for r in downloaded
    }
    right = f_keys & t_keys
    formats = sum(1 for k in found_files if f_files[k]["format"] == t_files[k].format)
    misses = sorted(t_keys - f_keys)
    wrong = sorted(f_keys - t_keys)
    return {
        "precision": _ratio(len(right), len(f_keys)),
        "recall": _ratio(len(right), len(t_keys)),
        "published": len(truth),
        "found_rows": len(downloaded),
        "finding": {
            "precision": _ratio(len(found_files), len(f_files)),
            "recall": _ratio(len(found_files), len(t_files)),
        },
        "classifying": {
            "precision": _ratio(len(right), len(f_keys)),
            "recall": _ratio(len(right), len(t_keys)),
        },
        "format_agreement": _ratio(formats, len(found_files)),
        "on_document_systems": sum(1 for d in truth if d.on_docsystem),
        "missed": ["/".join(k) for k in misses[:20]],
        "misclassified_or_extra": ["/".join(k) for k in wrong[:20]],
    }
