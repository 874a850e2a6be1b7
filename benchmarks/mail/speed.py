"""Messages classified per second on the whole real corpus (../shared/corpora, 207 messages).

    .venv/bin/python benchmarks/mail/speed.py [--rounds 5]

Times parse + classify (what ingest does before storing), every message of both corpora, in
rounds; prints the best and median round. Not a timed test: run it by hand, copy the figures
into benchmarks/mail/README.md with the machine and its load.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
CORPORA = ROOT.parent / "shared" / "corpora"


def main() -> None:
    from probes.classify import classify
    from probes.parse import parse

    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 5
    raws = [
        f.read_bytes()
        for d in sorted(CORPORA.iterdir())
        if d.is_dir()
        for f in sorted(d.iterdir())
        if f.is_file() and f.name not in {"LICENSE", "README.md"}
    ]
    size = sum(len(r) for r in raws)
    for raw in raws:  # warm-up: imports, regex compilation
        classify(parse(raw))
    times, cpu = [], []
    for _ in range(rounds):
        t0, c0 = time.perf_counter(), time.process_time()
        for raw in raws:
            classify(parse(raw))
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    best, med = min(times), statistics.median(times)
    print(
        f"CPU time per round (load-independent): best {min(cpu):.3f} s = "
        f"{len(raws) / min(cpu):.0f} messages per CPU-second"
    )
    print(f"{len(raws)} messages, {size / 1024:.0f} KiB, {rounds} rounds")
    print(f"best round {best:.3f} s = {len(raws) / best:.0f} messages/s")
    print(f"median round {med:.3f} s = {len(raws) / med:.0f} messages/s")
    print(f"load average {os.getloadavg()}, CPUs {os.cpu_count()}")


if __name__ == "__main__":
    main()
