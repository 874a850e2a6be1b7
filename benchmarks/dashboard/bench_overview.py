"""Dashboard speed: first render of the Overview with N rounds × 63 provinces in the store.

Run:  .venv/bin/python benchmarks/dashboard/bench_overview.py [--rounds 5] [--repeat 3]
      [--postgres]   (a throwaway PostgreSQL cluster instead of SQLite)

What it does:
1. builds a synthetic store (``pobi.sandbox.synthetic``: crawl, requests, replies, codings for
   every province, legacy era, 63 units per round; evidence files skipped) and writes scores,
   index and ranks for every round (the tests' stand-in for the scoring stage);
2. **server side**: in a fresh Python process per repetition, warms it as ``pobi dashboard``
   does (imports, reference tables), runs ``dashboard/app.py`` with Streamlit's AppTest and times
   the first script run of the Overview (empty caches: every query runs) and a second run
   (cached);
3. **browser**: starts the real ``pobi dashboard`` per repetition (fresh server, empty caches),
   opens it in the system Chromium and times from navigation until the ranking table's caption
   and the map are drawn; then reloads the page (cached queries) and times again.

Prints a Markdown table; figures go into benchmarks/DASHBOARD.md by hand, with the machine's
load average (the timings on a shared machine vary).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pobi.config import find_chromium  # noqa: E402
from pobi.models import Era  # noqa: E402
from tests.dashboard.seed import seed_store  # noqa: E402
from tests.support import proctree  # noqa: E402
from tests.support.servers import free_port, postgres_server, wait_port  # noqa: E402

# the full browser the published figures were measured with; else whatever the crawler would use
CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else (find_chromium() or "")
CHROME_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
POBI = str(Path(sys.executable).parent / "pobi")

SERVER_SIDE = r"""
import sys, time, json, resource
sys.path.insert(0, {root!r})
from streamlit.testing.v1 import AppTest
from dashboard.serve import warm
warm()  # what `pobi dashboard` does before it opens the port
at = AppTest.from_file({app!r}, default_timeout=300)
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
c0 = cpu(); t0 = time.perf_counter(); at.run(); t1 = time.perf_counter(); c1 = cpu()
assert not at.exception, [e.message for e in at.exception]
assert len(at.dataframe[0].value) == 63
at.run(); t2 = time.perf_counter(); c2 = cpu()
print(json.dumps({{"cold": t1 - t0, "warm": t2 - t1, "cold_cpu": c1 - c0, "warm_cpu": c2 - c1}}))
"""


def server_side(env: dict[str, str]) -> dict[str, float]:
    import json

    code = SERVER_SIDE.format(root=str(ROOT), app=str(ROOT / "dashboard" / "app.py"))
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def tree_cpu(root: int, table: dict[int, proctree.Proc]) -> float:
    """CPU seconds used by ``root`` and all its living descendants in ``table``."""
    return sum(p.cpu for p in proctree.tree(root, table))


def baseline(env: dict[str, str], tmp: Path) -> dict[str, float]:
    """The framework's floor: a one-line Streamlit page, same server flags, same browser."""
    from playwright.sync_api import sync_playwright

    from pobi.commands.dashboard import streamlit_command

    app = tmp / "floor.py"
    app.write_text('import streamlit as st\nst.title("Click a column header to sort")\n')
    port = free_port()
    cmd = streamlit_command(app, "127.0.0.1", port, public=False)
    cmd[2] = "streamlit"  # plain Streamlit, no warm-up
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port("127.0.0.1", port, timeout=120)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            me = os.getpid()
            before = proctree.snapshot()
            server0, all0 = tree_cpu(proc.pid, before), tree_cpu(me, before)
            t0 = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/")
            page.get_by_text("Click a column header to sort").first.wait_for(timeout=120_000)
            wall = time.perf_counter() - t0
            after = proctree.snapshot()
            server = tree_cpu(proc.pid, after) - server0
            browser.close()
        return {"wall": wall, "browser_cpu": tree_cpu(me, after) - all0 - server}
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)


def browser_side(env: dict[str, str]) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    port = free_port()
    proc = subprocess.Popen(
        [POBI, "dashboard", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_port("127.0.0.1", port, timeout=120)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            out = {}
            me = os.getpid()
            for label in ("cold", "warm"):
                before = proctree.snapshot()
                server0, all0 = tree_cpu(proc.pid, before), tree_cpu(me, before)
                t0 = time.perf_counter()
                if label == "cold":
                    page.goto(f"http://127.0.0.1:{port}/?lang=en")
                else:
                    page.reload()
                page.get_by_text("Click a column header to sort").first.wait_for(timeout=120_000)
                page.wait_for_selector(".vega-embed canvas, .vega-embed svg", timeout=120_000)
                out[label] = time.perf_counter() - t0
                after = proctree.snapshot()
                server = tree_cpu(proc.pid, after) - server0
                out[label + "_server_cpu"] = server
                # Chromium and Playwright's driver: everything under us but the server
                out[label + "_browser_cpu"] = tree_cpu(me, after) - all0 - server
            browser.close()
        return out
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="pobi-bench-dash-"))
    try:
        with (
            postgres_server()
            if args.postgres
            else _nullcontext(f"sqlite:///{tmp / 'home' / 'pobi.sqlite'}")
        ) as url:
            rounds = [(str(2016 + i), Era.LEGACY) for i in range(args.rounds)]
            t0 = time.perf_counter()
            seeded = seed_store(tmp / "home", rounds, unscored=(), with_evidence=False, url=url)
            build = time.perf_counter() - t0
            print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (before)")
            env = {**os.environ, "POBI_HOME": str(seeded.home), "POBI_DATABASE_URL": url}
            sizes = _sizes(url)
            print(
                f"store: {args.rounds} rounds × 63 provinces on "
                f"{'PostgreSQL' if args.postgres else 'SQLite'}; {sizes}; built in {build:.1f} s"
            )
            runs = [server_side(env) for _ in range(args.repeat)]
            rows = [
                ("server: first run (empty caches), wall", [r["cold"] for r in runs]),
                ("server: first run, CPU", [r["cold_cpu"] for r in runs]),
                ("server: rerun (cached), wall", [r["warm"] for r in runs]),
            ]
            if not args.no_browser and CHROMIUM and Path(CHROMIUM).exists():
                b = [browser_side(env) for _ in range(args.repeat)]
                rows += [
                    ("browser: first render (fresh server), wall", [r["cold"] for r in b]),
                    ("browser: first render, server CPU", [r["cold_server_cpu"] for r in b]),
                    ("browser: first render, Chromium CPU", [r["cold_browser_cpu"] for r in b]),
                    ("browser: reload (cached), wall", [r["warm"] for r in b]),
                    ("browser: reload, server CPU", [r["warm_server_cpu"] for r in b]),
                ]
                floor = [baseline(env, tmp) for _ in range(args.repeat)]
                rows += [
                    ("floor: one-line Streamlit page, wall", [r["wall"] for r in floor]),
                    (
                        "floor: one-line Streamlit page, Chromium CPU",
                        [r["browser_cpu"] for r in floor],
                    ),
                ]
            print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (after)")
            print("| measure | median s | min s | max s |\n|---|---|---|---|")
            for name, values in rows:
                print(
                    f"| {name} | {statistics.median(values):.2f} | {min(values):.2f} |"
                    f" {max(values):.2f} |"
                )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class _nullcontext:
    def __init__(self, value: str) -> None:
        self.value = value

    def __enter__(self) -> str:
        return self.value

    def __exit__(self, *exc: object) -> None:
        return None


def _sizes(url: str) -> str:
    from sqlalchemy import func, select

    from pobi.store import Store
    from pobi.store.tables import Finding, Message, ProbeRequest, Score

    store = Store.open(url=url, migrate_schema=False)
    with store.session() as s:
        counts = {
            t.__tablename__: s.scalar(select(func.count()).select_from(t))
            for t in (Finding, ProbeRequest, Message, Score)
        }
    store.close()
    return ", ".join(f"{v} {k}" for k, v in counts.items())


if __name__ == "__main__":
    main()
