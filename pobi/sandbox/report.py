"""The demo's closing report: headline results from the exported files, and the tool checked
against the simulated world's ground truth.

Everything here is computed from what a researcher publishes (the export folder) plus the
sandbox's truth files, so the check covers the whole path: crawl → store → export.

- channels: precision and recall per channel (``pobi.sandbox.truth.compare``);
- replies: for every message the agencies sent, was it stored, classified as the right kind,
  matched to the right request, coded as the simulated researcher coded it, and how far is its
  ``working_days`` from the truth;
- requests: agreement of ``deadline_status`` with the truth at the end of the survey.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from pobi.models import Era, ReplyKind
from pobi.sandbox.truth import compare, read_found, read_truth
from pobi.workdays import Calendar


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _mid(value: str) -> str:
    return value.strip().strip("<>").lower()


def demo_report(
    exports: Path, truth_csv: Path, ground_truth: Any, *, end: str, era: Era
) -> dict[str, Any]:
    report: dict[str, Any] = {"exports": str(exports), "survey_end": end}

    # --- channels ---------------------------------------------------------------------------
    found = read_found(exports / "channels.csv")
    cmp = compare(found, read_truth(truth_csv))
    report["channels"] = {
        name: {
            "precision": round(c.precision, 4),
            "recall": round(c.recall, 4),
            "found_required": c.found_required,
            "required": c.required,
            "false_positives": c.false_positives,
        }
        for name, c in cmp.channels.items()
    }
    report["channel_misses"] = [
        f"{m.province_code} {m.site_kind} {m.channel} {m.value}" for m in cmp.misses
    ][:20]
    report["channel_false_positives"] = [
        f"{f.get('province_code')} {f.get('site_kind')} {f.get('channel')} {f.get('value')}"
        for f in cmp.false_positives
    ][:20]

    # --- replies ------------------------------------------------------------------------------
    replies = {_mid(r["message_id"]): r for r in _rows(exports / "replies.csv")}
    per_kind: dict[str, Counter[str]] = {k.value: Counter() for k in ReplyKind}
    day_errors: list[int] = []
    coded = Counter()
    for req in ground_truth.requests:
        request_id = f"{req.round_id}-{req.n}"
        for exp in req.replies:
            c = per_kind[exp.kind]
            c["expected"] += 1
            got = replies.get(_mid(exp.message_id))
            if got is None:
                c["missing"] += 1
                continue
            c["stored"] += 1
            c["kind_ok"] += got["kind"] == exp.kind
            c["matched_ok"] += got["request_id"] == request_id
            if exp.kind == ReplyKind.HUMAN.value:
                coded["expected"] += 1
                coded["ok"] += got["coding"] == exp.coding
            if got["working_days"] != "" and got["request_id"] == request_id:
                day_errors.append(abs(int(got["working_days"]) - int(exp.working_days)))
    report["replies"] = {
        kind: {
            "expected": c["expected"],
            "stored": c["stored"],
            "kind_accuracy": round(c["kind_ok"] / c["expected"], 4) if c["expected"] else None,
            "match_accuracy": round(c["matched_ok"] / c["expected"], 4) if c["expected"] else None,
        }
        for kind, c in per_kind.items()
    }
    report["coding_agreement"] = (
        round(coded["ok"] / coded["expected"], 4) if coded["expected"] else None
    )
    report["working_days"] = {
        "compared": len(day_errors),
        "exact": sum(1 for e in day_errors if e == 0),
        "max_abs_error": max(day_errors, default=0),
        "mean_abs_error": round(sum(day_errors) / len(day_errors), 3) if day_errors else 0.0,
    }

    # --- requests -----------------------------------------------------------------------------
    requests = {r["request_id"]: r for r in _rows(exports / "requests.csv")}
    at = datetime.fromisoformat(end)
    cal = Calendar()
    agree = total = 0
    confusion: Counter[str] = Counter()
    for req in ground_truth.requests:
        got = requests.get(f"{req.round_id}-{req.n}")
        expected = req.deadline_status(at, cal)
        total += 1
        if got and got["deadline_status"] == expected:
            agree += 1
        else:
            confusion[f"{expected} -> {got['deadline_status'] if got else 'missing'}"] += 1
    report["deadline_status"] = {
        "agreement": round(agree / total, 4) if total else None,
        "requests": total,
        "disagreements": dict(confusion),
    }

    # --- headline results ---------------------------------------------------------------------
    stats = _rows(exports / "statistics.csv")
    headline = {}
    for r in stats:
        if r["group"] == "all" and r["measure"].endswith("_rate"):
            headline[f"{r['unit']}:{r['measure']}"] = {
                "k": r["k"],
                "n": r["n"],
                "value": r["value"],
                "ci_low": r["ci_low"],
                "ci_high": r["ci_high"],
            }
    report["headline"] = headline
    sites = _rows(exports / "sites.csv")
    by_kind: dict[str, set[str]] = {}
    for s in sites:
        by_kind.setdefault(s["site_kind"], set()).add(s["province_code"])
    have: dict[tuple[str, str], set[str]] = {}
    for f in found:
        have.setdefault((f["site_kind"], f["channel"]), set()).add(f["province_code"])
    report["coverage"] = {
        f"{kind}:{channel}": [len(have.get((kind, channel), set())), len(by_kind.get(kind, set()))]
        for kind in ("portal", "finance")
        for channel in ("qa_section", "email", "info_access", "feedback_form")
    }
    all_ranks = _rows(exports / "rankings.csv")
    # rankings.csv ranks every index (participation, transparency): each is counted on its own
    ranks = [r for r in all_ranks if r.get("rubric", "").startswith("participation")]
    ranks.sort(key=lambda r: int(r["rank"]))
    report["bands"] = dict(sorted(Counter(r["band"] for r in ranks if r["band"]).items()))
    report["bands_transparency"] = dict(
        sorted(
            Counter(
                r["band"]
                for r in all_ranks
                if r["band"] and r.get("rubric", "").startswith("transparency")
            ).items()
        )
    )
    report["top"] = [(r["rank"], r["province_name"], r["index"], r["band"]) for r in ranks[:3]]
    report["bottom"] = [(r["rank"], r["province_name"], r["index"], r["band"]) for r in ranks[-3:]]
    report["era"] = era.value
    report["provinces"] = len({s["province_code"] for s in sites})
    # two simulated blind coders (issue 17): their agreement as exported
    agreement = exports / "agreement.csv"
    if agreement.exists():
        report["coder_agreement"] = {
            f"{r['measure']}:{r['category']}": [r["value"], r["n"]]
            for r in _rows(agreement)
            if r["category"] == "all"
        }
    return report


def _pct(v: Any) -> str:
    return "–" if v in (None, "") else f"{float(v) * 100:.0f}%"


def print_report(console: Console, report: dict[str, Any], *, home: Path, exports: Path) -> None:
    head = Table(title="Headline results (simulated country) / Kết quả chính (mô phỏng)")
    head.add_column("measure")
    head.add_column("k / n", justify="right")
    head.add_column("rate", justify="right")
    head.add_column("95% CI (Wilson)", justify="right")
    labels = {
        "province:any_reply_rate": "provinces with any reply",
        "province:human_reply_rate": "provinces with a human reply",
        "province:substantive_reply_rate": "provinces with a substantive reply",
        "request:any_reply_rate": "requests with any reply",
        "request:substantive_reply_rate": "requests answered substantively",
        "request:on_time_rate": "requests answered on time (3 working days)",
    }
    for key, label in labels.items():
        h = report["headline"].get(key)
        if h:
            head.add_row(
                label,
                f"{h['k']} / {h['n']}",
                _pct(h["value"]),
                f"{_pct(h['ci_low'])} – {_pct(h['ci_high'])}",
            )
    for key, (k, n) in report["coverage"].items():
        kind, channel = key.split(":")
        if channel in {"qa_section", "email"}:
            head.add_row(
                f"{kind} sites listing {channel.replace('_', ' ')}",
                f"{k} / {n}",
                _pct(k / n if n else None),
                "",
            )
    console.print(head)
    console.print(
        "Bands (participation index): "
        + ", ".join(f"{b}: {n}" for b, n in report["bands"].items())
        + "; transparency index: "
        + (", ".join(f"{b}: {n}" for b, n in report.get("bands_transparency", {}).items()) or "—")
        + ".  Top: "
        + "; ".join(f"{r[1]} {r[2]} ({r[3]})" for r in report["top"])
    )

    check = Table(
        title="The tool checked against the simulation's ground truth / Đối chiếu với dữ liệu gốc"
    )
    check.add_column("channel")
    check.add_column("precision", justify="right")
    check.add_column("recall", justify="right")
    check.add_column("found / required", justify="right")
    for name, c in report["channels"].items():
        check.add_row(
            name,
            f"{c['precision']:.3f}",
            f"{c['recall']:.3f}",
            f"{c['found_required']} / {c['required']}",
        )
    console.print(check)
    rnd = report.get("rendering")
    if rnd:
        console.print(
            f"Rendered in Chromium: {rnd['rendered']} of {rnd['pages']} pages "
            f"({_pct(rnd['share'])}; goal ≤ {_pct(rnd['goal'])}) — "
            + (", ".join(f"{k}: {v}" for k, v in rnd["by_reason"].items()) or "none")
        )
    if "documents" in report:
        d = report["documents"]
        console.print(
            f"Budget documents / Tài liệu ngân sách: {d['found_rows']} found of {d['published']} "
            f"published; finding P {d['finding']['precision']:.3f} R {d['finding']['recall']:.3f}; "
            f"classifying P {d['precision']:.3f} R {d['recall']:.3f}; format agreement "
            f"{d['format_agreement']:.3f}"
        )
    rep = Table(title="Replies: classification and matching")
    rep.add_column("kind")
    rep.add_column("sent by agencies", justify="right")
    rep.add_column("stored", justify="right")
    rep.add_column("kind accuracy", justify="right")
    rep.add_column("matched to the right request", justify="right")
    for kind, r in report["replies"].items():
        acc = "–" if r["kind_accuracy"] is None else f"{r['kind_accuracy']:.3f}"
        mat = "–" if r["match_accuracy"] is None else f"{r['match_accuracy']:.3f}"
        rep.add_row(kind, str(r["expected"]), str(r["stored"]), acc, mat)
    console.print(rep)
    wd = report["working_days"]
    ds = report["deadline_status"]
    console.print(
        f"Working days to reply: {wd['exact']} of {wd['compared']} exact, largest error {wd['max_abs_error']} day(s). "
        f"Deadline status agrees with the truth for {_pct(ds['agreement'])} of {ds['requests']} requests. "
        f"Coding imported for {_pct(report['coding_agreement'])} of human replies."
    )
    if report["channel_misses"] or report["channel_false_positives"]:
        console.print(
            f"Missed: {report['channel_misses'][:5]}  False positives: {report['channel_false_positives'][:5]}"
        )
    console.print(
        f"\nExports: [bold]{exports}[/bold] (CSV, XLSX, datapackage.json, CODEBOOK.md)\n"
        f"Evidence: {home / 'evidence'}   Report: {home / 'sandbox' / 'demo-report.json'}"
    )
