"""`make bench`: run every benchmark in one session on this machine and print their reports.

Each benchmark compares against a baseline run in the same session (see its own docstring):
- benchmarks/crawl/bench.py — pobi's crawl vs the ideal polite schedule and a naive crawler;
- benchmarks/dashboard/bench_overview.py — first render of the overview on a 5 rounds × 63 store;
- benchmarks/documents/bench_documents.py — documents read per second; a 300-page PDF in bounded memory.
Figures go into benchmarks/README.md and benchmarks/DASHBOARD.md by hand, with the machine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = [
    HERE / "crawl" / "bench.py",
    HERE / "dashboard" / "bench_overview.py",
    HERE / "documents" / "bench_documents.py",
]
# issue 14: reply classifier on real mail (accuracy, speed); the 1 GiB mbox import
# (benchmarks/mail/import_mbox.py) takes minutes and is run by hand
BENCHES += [HERE / "mail" / "accuracy.py", HERE / "mail" / "speed.py"]


def main() -> int:
    failed = 0
    for bench in BENCHES:
        if not bench.exists():
            print(f"skip {bench.relative_to(HERE)}: not present", flush=True)
            continue
        print(f"=== {bench.relative_to(HERE)}", flush=True)
        res = subprocess.run([sys.executable, str(bench)], cwd=HERE.parent)
        failed += res.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
