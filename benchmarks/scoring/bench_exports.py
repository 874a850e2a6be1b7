"""Scoring and export speed on a large synthetic store (issue 8: 10 rounds × 63 provinces).

Run:  .venv/bin/python benchmarks/scoring/bench_exports.py [--rounds 10] [--postgres]
      [--evidence]   (also write evidence files; slower populate, same scoring/exports)

What it does, in one warm process:
1. builds a synthetic store (``pobi.sandbox.synthetic``): ``rounds - 1`` legacy rounds (63 units)
   and one current round (34 units), with crawl, requests, replies and codings for every province;
2. scores every round with the bundled rubric (``scoring.scorer.score_round``);
3. exports the newest legacy round and the current round (``--format all``: every CSV, the data
   package, the codebook and the XLSX workbook), each twice, and checks the two are identical.

Prints a Markdown table with the machine's load average (timings on a shared machine vary).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pobi.config import load_config  # noqa: E402
from pobi.evidence import EvidenceStore  # noqa: E402
from pobi.models import Era  # noqa: E402
from pobi.sandbox.synthetic import populate  # noqa: E402
from pobi.store import Store  # noqa: E402
from scoring.export import export_round  # noqa: E402
from scoring.rubric import load_rubric  # noqa: E402
from scoring.scorer import score_round  # noqa: E402
from tests.support.servers import postgres_server  # noqa: E402

AS_OF = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--evidence", action="store_true")
    args = ap.parse_args()
    import lifelines  # noqa: F401  (import cost is not export cost)
    import openpyxl  # noqa: F401

    rows: list[tuple[str, float]] = []
    with ExitStack() as stack:
        home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pobi-bench-")))
        url = (
            stack.enter_context(postgres_server())
            if args.postgres
            else f"sqlite:///{home / 'pobi.sqlite'}"
        )
        cfg = load_config(home)
        store = Store.open(cfg, url=url)
        rounds = [(str(2026 - args.rounds + i), Era.LEGACY) for i in range(args.rounds - 1)]
        rounds.append(("2026", Era.CURRENT))
        t = time.perf_counter()
        with store.session() as s:
            summary = populate(
                s, EvidenceStore(home / "evidence"), rounds, with_evidence=args.evidence
            )
        rows.append(
            (f"populate {len(rounds)} rounds ({summary.sites} sites)", time.perf_counter() - t)
        )
        rubric = load_rubric("participation-v1")
        t = time.perf_counter()
        for round_id, _era in rounds:
            with store.session() as s:
                score_round(s, round_id, rubric, at=AS_OF)
        rows.append((f"score {len(rounds)} rounds", time.perf_counter() - t))
        for round_id in (rounds[-2][0], "2026"):
            outs = []
            for k in range(2):
                out = home / f"out-{round_id}-{k}"
                t = time.perf_counter()
                with store.session() as s:
                    export_round(s, round_id, out, cfg, at=AS_OF, fmt="all")
                rows.append(
                    (f"export round {round_id} (all formats), run {k + 1}", time.perf_counter() - t)
                )
                outs.append(out)
            for f in sorted(outs[0].iterdir()):
                assert f.read_bytes() == (outs[1] / f.name).read_bytes(), f.name
        store.close()
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"\n{backend}, load average {os.getloadavg()[0]:.1f}\n")
    print("| step | seconds |\n|---|---|")
    for name, secs in rows:
        print(f"| {name} | {secs:.2f} |")


if __name__ == "__main__":
    main()
