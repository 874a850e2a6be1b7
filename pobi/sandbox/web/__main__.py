"""Run a farm as a process: ``python -m pobi.sandbox.web --farm test|country ...``.

Writes the sites file and the truth file, prints one line ``READY`` when every host listens,
and serves until SIGTERM or SIGINT. Used by the crawl engine's subprocess tests and the demo.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from pobi.models import Era


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pobi.sandbox.web",
        description=(
            "Serve a simulated web (portals and Department of Finance sites) on loopback. / "
            "Chạy các cổng thông tin mô phỏng trên địa chỉ loopback."
        ),
    )
    parser.add_argument("--farm", choices=["test", "country"], default="test")
    parser.add_argument("--era", choices=[e.value for e in Era], default=Era.CURRENT.value)
    parser.add_argument("--seed", type=int, default=None, help="default: 7 (test), 2026 (country)")
    parser.add_argument("--latency-ms", type=int, default=0, help="added to every response")
    parser.add_argument("--sites-out", type=Path, required=True, help="sites file to write")
    parser.add_argument("--truth-out", type=Path, required=True, help="truth CSV to write")
    args = parser.parse_args(argv)

    from pobi.sandbox.web import Farm
    from pobi.sandbox.world import build_country, build_test_farm

    if args.farm == "test":
        world = build_test_farm(seed=7 if args.seed is None else args.seed)
    else:
        world = build_country(
            Era(args.era), seed=2026 if args.seed is None else args.seed, document_files=True
        )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with Farm(world, latency_ms=args.latency_ms) as farm:
        farm.write_sites_csv(args.sites_out)
        farm.write_truth(args.truth_out)
        print("READY", flush=True)
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
