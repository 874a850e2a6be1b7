"""Scale check: one crawl of 300+ simulated sites stays under 1 GiB (process tree, Chromium included).

    .venv/bin/python benchmarks/crawl/bench_scale.py [--countries 3] [--delay 0.05]
    .venv/bin/python benchmarks/crawl/bench_scale.py --processes 2     # pobi crawl --distributed

Serves ``--countries`` simulated legacy-era countries (``build_country("legacy", seed)``: the
portal and the Department of Finance site of each of the 63 provinces, with every feature of the
calibrated country: dead sites, a moved domain, JavaScript menus, script-only shells, traps...),
each country on its own block of loopback addresses (``127.0.K.X``), from a separate process.
Three countries are 378 sites on 381 hosts: the size of a survey of every provincial portal,
finance department and four more departments per province.

Then runs ``pobi crawl --render auto`` on all of them (or ``--processes N`` processes of
``pobi crawl --distributed`` sharing the sites through a local ``redis-server``) into a fresh
SQLite store, samples every 0.5 s the memory of each command's whole process tree (the CLI, the
crawl process, Chromium and its renderers) from ``/proc``, and prints sites, pages, wall time,
peak RSS and PSS, and precision/recall of every channel against the worlds' truth.

RSS counts pages shared between Chromium's processes once per process (an over-estimate); PSS
divides shared pages among their users (the real footprint). The 1 GiB target is checked on
PSS. With ``--keep``, ``timeline.json`` in the work folder holds the first tree's PSS by kind
of process every 0.5 s.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing as mp
import os
import platform
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.support import proctree  # noqa: E402

GIB = 2**30


def _serve(countries: int, latency_ms: int, folder: str, queue: Any, stop: Any) -> None:
    from pobi.sandbox.web import Farm
    from pobi.sandbox.world import build_country

    farms = []
    rows: list[tuple[str, str, str]] = []
    for k in range(countries):
        farm = Farm(build_country("legacy", seed=2026 + k), latency_ms=latency_ms, block=10 + k)
        farm.start()
        farms.append(farm)
        rows.extend(farm.site_urls())
        farm.write_truth(Path(folder) / f"truth-{k}.csv")
    queue.put((rows, sum(len(f.world.hosts) for f in farms)))
    stop.wait()
    for farm in farms:
        farm.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_redis(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    import redis

    port = free_port()
    proc = subprocess.Popen(
        [
            *(shutil.which("redis-server") or "/usr/bin/redis-server", "--bind", "127.0.0.1"),
            *("--port", str(port), "--save", "", "--appendonly", "no", "--dir", str(folder)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(200):
        try:
            client.ping()
            return proc, url
        except redis.ConnectionError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("redis-server did not start")


def run(args: argparse.Namespace) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="pobi-bench-scale-"))
    home = tmp / "home"
    home.mkdir()
    ctx = mp.get_context("spawn")
    queue, stop = ctx.Queue(), ctx.Event()
    server = ctx.Process(
        target=_serve, args=(args.countries, args.latency_ms, str(tmp), queue, stop), daemon=True
    )
    server.start()
    rows, hosts = queue.get(timeout=300)
    sites_csv = tmp / "sites.csv"
    with sites_csv.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["province_code", "site_kind", "url"])
        w.writerows(rows)
    env = {
        **os.environ,
        "POBI_HOME": str(home),
        "POBI_CRAWL_ALLOW_PRIVATE_ADDRESSES": "true",
        "POBI_CRAWL_BROWSER_LOOPBACK_ONLY": "true",
        "POBI_CRAWL_DOWNLOAD_DELAY": str(args.delay),
        "COLUMNS": "200",
        "NO_COLOR": "1",
    }
    if args.chromium_arg:
        # an experiment, not a setting: extra Chromium switches for the crawl process only
        (tmp / "sitecustomize.py").write_text(
            f"import crawler.browser\ncrawler.browser.LAUNCH_ARGS.extend({args.chromium_arg!r})\n",
            encoding="utf-8",
        )
        env["PYTHONPATH"] = os.pathsep.join([str(tmp), str(REPO), env.get("PYTHONPATH", "")])
    pobi = str(Path(sys.executable).parent / "pobi")
    subprocess.run(
        [pobi, "round", "create", "scale", "--era", "legacy"],
        env=env,
        check=True,
        capture_output=True,
    )
    redis_proc = None
    cmd = [pobi, "crawl", "--round", "scale", "--sites", str(sites_csv)]
    if args.processes > 1:
        redis_proc, url = start_redis(tmp)
        cmd += ["--distributed", url]
    peaks: list[dict[str, Any]] = [
        {"rss": 0, "pss": 0, "procs": 0, "parts": {}, "pss_parts": {}}
        for _ in range(args.processes)
    ]
    timeline: list[dict[str, Any]] = []  # the first process tree's PSS by kind, every sample
    peak_total = {"rss": 0, "pss": 0}
    start = time.monotonic()
    procs = [
        subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(args.processes)
    ]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss_sum = pss_sum = 0
            for i, p in enumerate(procs):
                parts: dict[str, int] = {}
                pss_parts: dict[str, int] = {}
                rss, pss, n = proctree.tree_memory(p.pid, parts, pss_parts)
                if rss > peaks[i]["rss"]:
                    peaks[i]["parts"] = {k: round(v / 2**20) for k, v in sorted(parts.items())}
                if pss > peaks[i]["pss"]:
                    peaks[i]["pss_parts"] = {
                        k: round(v / 2**20) for k, v in sorted(pss_parts.items())
                    }
                if i == 0:
                    timeline.append(
                        {
                            "t": round(time.monotonic() - start, 1),
                            "pss": round(pss / 2**20),
                            **{k: round(v / 2**20) for k, v in sorted(pss_parts.items())},
                        }
                    )
                peaks[i]["rss"] = max(peaks[i]["rss"], rss)
                peaks[i]["pss"] = max(peaks[i]["pss"], pss)
                peaks[i]["procs"] = max(peaks[i]["procs"], n)
                rss_sum, pss_sum = rss_sum + rss, pss_sum + pss
            peak_total["rss"] = max(peak_total["rss"], rss_sum)
            peak_total["pss"] = max(peak_total["pss"], pss_sum)
            time.sleep(0.5)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    outs = [p.communicate()[0] for p in procs]
    wall = time.monotonic() - start
    done.set()
    t.join()
    for p, out in zip(procs, outs, strict=True):
        if p.returncode != 0:
            raise SystemExit(f"pobi crawl failed ({p.returncode}):\n{out[-3000:]}")
    phases = [float(m.group(1)) for o in outs if (m := re.search(r"Crawled in ([\d.]+) s", o))]
    out_dir = tmp / "export"
    subprocess.run(
        [pobi, "export", "--round", "scale", "--out", str(out_dir)],
        env=env,
        check=True,
        capture_output=True,
    )
    from pobi.sandbox.truth import compare, read_found, read_truth

    truth = [r for k in range(args.countries) for r in read_truth(tmp / f"truth-{k}.csv")]
    result = compare(read_found(out_dir / "channels.csv"), truth, rendered=True, obey_robots=True)
    table = result.table()
    db = sqlite3.connect(home / "pobi.sqlite")
    sites_n = db.execute("SELECT count(*) FROM crawl_sites").fetchone()[0]
    ok_sites = db.execute("SELECT count(*) FROM crawl_sites WHERE fetch_status='ok'").fetchone()[0]
    pages = db.execute("SELECT count(*), sum(rendered) FROM pages WHERE status='ok'").fetchone()
    findings = db.execute("SELECT count(*) FROM findings").fetchone()[0]
    db.close()
    stop.set()
    server.join(timeout=30)
    if redis_proc is not None:
        redis_proc.terminate()
        redis_proc.wait(timeout=20)
    report = {
        "machine": f"{os.cpu_count()} CPU, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, load average at end "
        + " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "countries": args.countries,
        "extra_chromium_args": args.chromium_arg,
        "processes": args.processes,
        "sites": sites_n,
        "sites_ok": ok_sites,
        "hosts": hosts,
        "pages_ok": pages[0],
        "pages_rendered": pages[1] or 0,
        "findings": findings,
        "delay_s": args.delay,
        "wall_s": round(wall, 1),
        "crawl_phase_s": phases,
        "pages_per_s": round(pages[0] / wall, 1),
        "peak_rss_mib_per_process_tree": [round(p["rss"] / 2**20) for p in peaks],
        "peak_pss_mib_per_process_tree": [round(p["pss"] / 2**20) for p in peaks],
        "peak_processes_per_tree": [p["procs"] for p in peaks],
        "rss_mib_by_process_at_peak": [p["parts"] for p in peaks],
        "pss_mib_by_process_at_pss_peak": [p["pss_parts"] for p in peaks],
        "peak_rss_mib_all": round(peak_total["rss"] / 2**20),
        "peak_pss_mib_all": round(peak_total["pss"] / 2**20),
        "under_1_gib": all(p["pss"] < GIB for p in peaks),
        "min_precision": min(r["precision"] for r in table),
        "min_recall": min(r["recall"] for r in table),
        "workdir": str(tmp),
    }
    (tmp / "timeline.json").write_text(json.dumps(timeline), encoding="utf-8")
    return report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--countries", type=int, default=3, help="legacy countries (126 sites each)")
    ap.add_argument("--delay", type=float, default=0.05, help="per-host download delay, s")
    ap.add_argument("--latency-ms", type=int, default=0, help="added to every response")
    ap.add_argument("--processes", type=int, default=1, help=">1: pobi crawl --distributed")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument(
        "--chromium-arg",
        action="append",
        default=[],
        help="experiment: an extra Chromium switch (e.g. --renderer-process-limit=2)",
    )
    args = ap.parse_args()
    report = run(args)
    print(json.dumps(report, indent=1))
    print(
        f"\n{report['sites']} sites ({report['sites_ok']} reachable), {report['pages_ok']} pages "
        f"({report['pages_rendered']} rendered), {report['processes']} process(es): "
        f"wall {report['wall_s']} s, peak RSS {report['peak_rss_mib_per_process_tree']} MiB "
        f"(PSS {report['peak_pss_mib_per_process_tree']} MiB) per crawl process tree, "
        f"precision >= {report['min_precision']:.3f}, recall >= {report['min_recall']:.3f}"
    )
    if not args.keep:
        shutil.rmtree(report["workdir"], ignore_errors=True)


if __name__ == "__main__":
    main()
