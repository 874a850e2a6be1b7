"""Accuracy of the reply classifier on real mail (issue 14): per corpus part, with baselines.

    .venv/bin/python benchmarks/mail/accuracy.py [--baselines] [--errors] [--external DIR [--group G]]

Reads the labels in tests/probes/mail/real/labels.csv (every message of ../shared/corpora/,
labelled by hand with a reason) and classifies each message with pobi's classifier and, with
``--baselines``, with "flufl.bounce + RFC 3834 only" (a bounce when flufl.bounce finds a failed
recipient, else an auto-reply when Auto-Submitted is present and not 'no', else human).

Split by source: ``bounceparser`` is the development part, ``php-bounce-handler`` the test part
(the headline). A message counts as correct when its kind is right and, for a bounce, its bounce
type (permanent/temporary) too; kind-only accuracy is printed beside it.

``--external DIR`` measures the rows of external_labels.csv instead (files kept outside the
repository, DIR/<owner>/<repo>/<path>); ``--group G`` keeps only the rows of group G (the fresh
corpus of 2026-12-03 is split by source into groups A and B). Each part is reported twice: all
its messages, and only those whose ``origin`` is ``real`` (captured mail, perhaps anonymised) —
``written`` rows are test cases the source project's developers wrote or RFC example texts.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

LABELS = ROOT / "tests" / "probes" / "mail" / "real" / "labels.csv"
CORPORA = ROOT.parent / "shared" / "corpora"
PARTS = {
    "bounceparser": "development",
    "php-bounce-handler": "test",
    "written": "written here (not real mail, never in the headline)",
}
KINDS = ("bounce", "auto_reply", "human")


def load_labels() -> list[dict[str, str]]:
    with LABELS.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


EXTERNAL_LABELS = LABELS.parent / "external_labels.csv"
EXTERNAL_DIR: Path | None = (
    None  # --external DIR: DIR/<owner>/<repo>/<path> (not in the repository)
)


def message_path(row: dict[str, str]) -> Path:
    if "@" in row["source"]:  # owner/repo@commit: fetched by hand, never committed here
        assert EXTERNAL_DIR is not None
        return EXTERNAL_DIR / row["source"].split("@", 1)[0] / row["file"]
    if row["source"] == "written":
        return LABELS.parent / "written" / row["file"]
    return CORPORA / row["source"] / row["file"]


def pobi_classifier(raw: bytes) -> tuple[str, str]:
    from probes.classify import classify
    from probes.parse import parse

    c = classify(parse(raw))
    return c.kind.value, c.bounce.bounce_type.value if c.bounce else ""


def flufl_rfc3834(raw: bytes) -> tuple[str, str]:
    import email
    import logging

    from flufl.bounce import all_failures

    logging.getLogger("flufl.bounce").disabled = True
    msg = email.message_from_bytes(raw)
    try:
        temp, perm = all_failures(msg)
    except Exception:
        temp, perm = set(), set()
    if perm:
        return "bounce", "permanent"
    if temp:
        return "bounce", "temporary"
    auto = str(msg.get("Auto-Submitted", "") or "").strip().lower()
    if auto and not auto.startswith("no"):
        return "auto_reply", ""
    return "human", ""


def evaluate(
    rows: list[dict[str, str]], fn: Callable[[bytes], tuple[str, str]]
) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for row in rows:
        key = row["source"].split("@", 1)[0]
        if row.get("group"):
            key = f"{row['group']}: {key}"
        if row.get("origin") == "written":
            key += " (written)"
        part = out.setdefault(
            key,
            {"n": 0, "kind_ok": 0, "ok": 0, "confusion": Counter(), "errors": []},
        )
        kind, btype = fn(message_path(row).read_bytes())
        part["n"] += 1  # type: ignore[operator]
        part["confusion"][(row["kind"], kind)] += 1  # type: ignore[index]
        if kind == row["kind"]:
            part["kind_ok"] += 1  # type: ignore[operator]
            if kind != "bounce" or btype == row["bounce_type"]:
                part["ok"] += 1  # type: ignore[operator]
                continue
        part["errors"].append(  # type: ignore[union-attr]
            f"{row['file']}: labelled {row['kind']} {row['bounce_type']}, got {kind} {btype}"
        )
    return out


def report(name: str, result: dict[str, dict[str, object]], errors: bool) -> None:
    print(f"\n## {name}\n")
    print("| part | source | messages | correct (kind + bounce type) | kind only |")
    print("|---|---|---|---|---|")
    for source, r in result.items():
        n = int(r["n"])  # type: ignore[call-overload]
        ok, kok = int(r["ok"]), int(r["kind_ok"])  # type: ignore[call-overload]
        print(
            f"| {PARTS.get(source, source)} | {source} | {n} | {ok}/{n} = {ok / n:.3f} "
            f"| {kok}/{n} = {kok / n:.3f} |"
        )
    for label, keep in (("real only", lambda s: "(written)" not in s), ("all", lambda s: True)):
        parts = [r for s, r in result.items() if keep(s)]
        n = sum(int(r["n"]) for r in parts)  # type: ignore[call-overload]
        ok = sum(int(r["ok"]) for r in parts)  # type: ignore[call-overload]
        if n and len(result) > 1:
            print(f"| pooled, {label} | | {n} | {ok}/{n} = {ok / n:.3f} | |")
    for source, r in result.items():
        conf: Counter = r["confusion"]  # type: ignore[assignment]
        print(f"\nconfusion, {source} (rows: label, columns: classifier)\n")
        print("| label \\ got | " + " | ".join(KINDS) + " |")
        print("|---|" + "---|" * len(KINDS))
        for a in KINDS:
            print(f"| {a} | " + " | ".join(str(conf[(a, b)]) for b in KINDS) + " |")
        if errors and r["errors"]:
            print()
            for e in r["errors"]:  # type: ignore[union-attr]
                print("  -", e)


def main() -> None:
    global EXTERNAL_DIR
    rows = load_labels()
    if "--external" in sys.argv:
        EXTERNAL_DIR = Path(sys.argv[sys.argv.index("--external") + 1])
        with EXTERNAL_LABELS.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    errors = "--errors" in sys.argv
    if "--group" in sys.argv:
        group = sys.argv[sys.argv.index("--group") + 1]
        rows = [r for r in rows if r.get("group") == group]
    report("pobi", evaluate(rows, pobi_classifier), errors)
    if "--baselines" in sys.argv:
        report("flufl.bounce + RFC 3834 only", evaluate(rows, flufl_rfc3834), errors)


if __name__ == "__main__":
    main()
