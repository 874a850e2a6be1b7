"""`pobi publish` speed and site size on a large synthetic store (issue 18: 10 rounds × 63).

Run:  .venv/bin/python benchmarks/scoring/bench_publish.py [--rounds 10] [--no-evidence]

What it does, in one warm process:
1. builds a synthetic store (``pobi.sandbox.synthetic``) with evidence files: ``rounds - 1``
   legacy rounds (63 units) and one current round (34 units), every province crawled, asked and
   answered; scores every round with the bundled rubric;
2. publishes every round (both languages: index, methodology, downloads, a page per province;
   the exports in public mode; the WACZ; the evidence files the pages show), timing each;
3. publishes the newest legacy round a second time and checks the two sites are byte-identical.

Prints a Markdown table: seconds, pages, files and megabytes per round, with the load average
(timings on a shared machine vary).
"""

from __future__ import annotations

import argparse
import filecmp
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from datetime import UTC, datetime  # noqa: E402

from pobi.config import load_config  # noqa: E402
from pobi.evidence import EvidenceStore  # noqa: E402
from pobi.models import Era  # noqa: E402
from pobi.sandbox.synthetic import populate  # noqa: E402
from pobi.store import Store  # noqa: E402
from scoring.rubric import load_rubric  # noqa: E402
from scoring.scorer import score_round  # noqa: E402
from scoring.site.build import publish_round  # noqa: E402

AS_OF = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


def _same(a: Path, b: Path) -> bool:
    c = filecmp.dircmp(a, b)
    if c.left_only or c.right_only:
        return False
    _ok, bad, err = filecmp.cmpfiles(a, b, c.common_files, shallow=False)
    return not bad and not err and all(_same(a / d, b / d) for d in c.common_dirs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--no-evidence", action="store_true", help="skip writing evidence files")
    args = ap.parse_args()
    import openpyxl  # noqa: F401  (import cost is not publish cost)

    with tempfile.TemporaryDirectory(prefix="pobi-bench-") as tmp:
        home = Path(tmp)
        cfg = load_config(home)
        store = Store.open(cfg, url=f"sqlite:///{home / 'pobi.sqlite'}")
        evidence = EvidenceStore(home / "evidence")
        rounds = [(str(2026 - args.rounds + i), Era.LEGACY) for i in range(args.rounds - 1)]
        rounds.append(("2026", Era.CURRENT))
        t = time.perf_counter()
        with store.session() as s:
            summary = populate(s, evidence, rounds, with_evidence=not args.no_evidence)
        setup = time.perf_counter() - t
        rubric = load_rubric("participation-v1")
        for round_id, _era in rounds:
            with store.session() as s:
                score_round(s, round_id, rubric, at=AS_OF)
        rows = []
        total = 0.0
        for round_id, era in rounds:
            out = home / "sites" / round_id
            t = time.perf_counter()
            with store.session() as s:
                result = publish_round(s, round_id, out, cfg, evidence, at=AS_OF)
            secs = time.perf_counter() - t
            total += secs
            rows.append((round_id, era.value, secs, result.pages, result.files, result.bytes))
        again = home / "again"
        with store.session() as s:
            publish_round(s, rounds[-2][0], again, cfg, evidence, at=AS_OF)
        identical = _same(home / "sites" / rounds[-2][0], again)
        store.close()
    print(
        f"\nSQLite, {summary.sites} sites, {summary.evidence_files} evidence files, "
        f"populate + score {setup:.1f} s, load average {os.getloadavg()[0]:.1f}\n"
    )
    print("| round | era | seconds | pages | files | MB |\n|---|---|---|---|---|---|")
    for round_id, era, secs, pages, files, size in rows:
        print(f"| {round_id} | {era} | {secs:.2f} | {pages} | {files} | {size / 1e6:.1f} |")
    all_bytes = sum(r[5] for r in rows)
    print(f"| all {len(rows)} | | {total:.2f} | {sum(r[3] for r in rows)} | "
          f"{sum(r[4] for r in rows)} | {all_bytes / 1e6:.1f} |")  # fmt: skip
    print(f"\nre-publish of round {rounds[-2][0]} byte-identical: {identical}")
    if not identical:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
