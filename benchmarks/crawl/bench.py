"""Crawl benchmark: pobi's polite parallel crawl vs the ideal polite schedule and a naive crawler.

    .venv/bin/python benchmarks/crawl/bench.py [--provinces 17] [--delay 0.5] [--latency-ms 50]

Serves part of the simulated country (``build_country``: portals and Department of Finance sites
of the first N provinces, each host on its own loopback address, ``--latency-ms`` added to every
response) in a separate process, then measures, in one session on this machine:

- pobi's crawl (``pobi crawl``, a subprocess, render auto): wall time of the crawl phase and of the
  whole command, CPU time of the process tree (Python + Chromium) per page, peak RSS of the tree,
  share of pages rendered;
- the ideal polite schedule: the busiest host's requests x the per-host delay;
- a naive sequential crawler (requests + BeautifulSoup) with the same delay, budget and depth.

Prints a JSON report and a Markdown table (for benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from benchmarks.crawl import naive  # noqa: E402
from tests.support import proctree  # noqa: E402


def _serve(n_provinces: int, latency_ms: int, queue: mp.Queue, stop: mp.Event) -> None:
    from pobi.sandbox.web import Farm
    from pobi.sandbox.world import World, build_country

    country = build_country(document_files=True)  # the budget documents' real bytes
    codes = sorted({s.province_code for s in country.sites})[:n_provinces]
    sites = [s for s in country.sites if s.province_code in codes]
    keys = {s.host for s in sites}
    keys |= {country.hosts[k].redirect_all_to for k in keys if country.hosts[k].redirect_all_to}
    world = World(
        name="bench",
        era=country.era,
        seed=country.seed,
        hosts={k: country.hosts[k] for k in keys},
        sites=sites,
        documents=[d for d in country.documents if d.province_code in codes],
    )
    with Farm(world, latency_ms=latency_ms) as farm:
        queue.put(farm.site_urls())
        stop.wait()


def run_pobi(sites_csv: Path, home: Path, delay: float, max_pages: int) -> dict:
    env = {
        **os.environ,
        "POBI_HOME": str(home),
        "POBI_CRAWL_ALLOW_PRIVATE_ADDRESSES": "true",
        "POBI_CRAWL_BROWSER_LOOPBACK_ONLY": "true",
        "POBI_CRAWL_DOWNLOAD_DELAY": str(delay),
        "POBI_CRAWL_MAX_PAGES": str(max_pages),
        "COLUMNS": "200",
    }
    pobi = str(Path(sys.executable).parent / "pobi")
    subprocess.run([pobi, "round", "create", "bench"], env=env, check=True, capture_output=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = {"rss": 0, "pss": 0}
    start = time.monotonic()
    proc = subprocess.Popen(
        [pobi, "crawl", "--round", "bench", "--sites", str(sites_csv)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    done = threading.Event()
    parts: dict[int, tuple[str, float]] = {}

    def sample() -> None:
        while not done.is_set():
            rss, pss, _ = proctree.tree_memory(proc.pid)
            peak["rss"] = max(peak["rss"], rss)
            peak["pss"] = max(peak["pss"], pss)
            proctree.tree_cpu(proc.pid, parts)
            time.sleep(0.2)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    out, _ = proc.communicate()
    wall = time.monotonic() - start
    done.set()
    t.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"pobi crawl failed ({proc.returncode}):\n{out[-3000:]}")
    found = re.search(r"Crawled in ([\d.]+) s \(engine ([\d.]+) s\)", out)
    crawl_process, crawl_phase = float(found.group(1)), float(found.group(2))
    db = sqlite3.connect(home / "pobi.sqlite")
    pages = db.execute("SELECT count(*), sum(rendered) FROM pages WHERE status = 'ok'").fetchone()
    per_host: dict[str, int] = {}
    # every request a polite crawler spaces on a host: its pages and its budget documents
    for (final_url,) in db.execute(
        "SELECT final_url FROM pages WHERE http_status IS NOT NULL"
        " UNION ALL SELECT coalesce(final_url, url) FROM documents WHERE http_status IS NOT NULL"
    ):
        host = urlsplit(final_url).netloc
        per_host[host] = per_host.get(host, 0) + 1
    findings = db.execute("SELECT count(*) FROM findings").fetchone()[0]
    first, last = db.execute(
        "SELECT min(julianday(fetched_at)), max(julianday(fetched_at)) FROM pages"
    ).fetchone()
    shots = db.execute(
        "SELECT count(*), max(julianday(stored_at)) FROM evidence WHERE kind = 'screenshot'"
    ).fetchone()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    busiest = max(per_host.values()) + 1  # + robots.txt
    return {
        "wall_s": round(wall, 2),
        "crawl_phase_s": crawl_phase,  # Scrapy's elapsed_time_seconds: engine open -> close
        "crawl_process_s": crawl_process,  # the crawl process from loading Scrapy to its end
        "pages_ok": pages[0],
        "pages_rendered": pages[1] or 0,
        "rendered_share": round((pages[1] or 0) / pages[0], 4),
        "findings": findings,
        "hosts": len(per_host),
        "busiest_host_requests": busiest,
        "ideal_s": round(busiest * delay, 2),
        "pages_span_s": round((last - first) * 86400, 2),  # first to last page stored
        "screenshots": shots[0],
        "evidence_tail_s": round(max(0.0, ((shots[1] or last) - last) * 86400), 2),
        "cpu_s": round(cpu, 2),
        "cpu_ms_per_page": round(1000 * cpu / pages[0], 1),
        "cpu_s_by_part_sampled": {
            part: round(sum(c for p, c in parts.values() if p == part), 2)
            for part in sorted({p for p, _ in parts.values()})
        },
        "cpu_s_busiest_process_sampled": round(max((c for _, c in parts.values()), default=0), 2),
        "peak_rss_mib": round(peak["rss"] / 2**20, 1),
        "peak_pss_mib": round(peak["pss"] / 2**20, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--provinces", type=int, default=17)
    ap.add_argument("--delay", type=float, default=0.5)
    ap.add_argument("--latency-ms", type=int, default=50)
    ap.add_argument("--max-pages", type=int, default=60)
    ap.add_argument("--skip-naive", action="store_true")
    ap.add_argument("--keep", type=Path, help="keep the workspace (store, logs) in this folder")
    args = ap.parse_args()

    queue: mp.Queue = mp.Queue()
    stop = mp.Event()
    server = mp.Process(target=_serve, args=(args.provinces, args.latency_ms, queue, stop))
    server.start()
    try:
        rows = queue.get(timeout=60)
        with tempfile.TemporaryDirectory(prefix="pobi-bench-") as tmp:
            sites_csv = Path(tmp) / "sites.csv"
            sites_csv.write_text(
                "province_code,site_kind,url\n" + "".join(f"{c},{k},{u}\n" for c, k, u in rows)
            )
            home = args.keep or Path(tmp) / "home"
            home.mkdir(parents=True, exist_ok=True)
            ours = run_pobi(sites_csv, home, args.delay, args.max_pages)
            report: dict = {
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                    "load_avg_at_start": os.getloadavg(),
                },
                "setup": {**vars(args), "sites": len(rows)},
                "pobi": ours,
                "ratio_ideal_over_crawl_phase": round(ours["ideal_s"] / ours["crawl_phase_s"], 3),
                "ratio_ideal_over_crawl_process": round(
                    ours["ideal_s"] / ours["crawl_process_s"], 3
                ),
                "ratio_ideal_over_whole_command": round(ours["ideal_s"] / ours["wall_s"], 3),
            }
            if not args.skip_naive:
                start = time.monotonic()
                fetched = naive.crawl(
                    [u for _, _, u in rows], delay=args.delay, max_pages=args.max_pages, max_depth=3
                )
                naive_wall = time.monotonic() - start
                report["naive"] = {
                    "wall_s": round(naive_wall, 2),
                    "pages": sum(fetched.values()),
                    "pages_per_s": round(sum(fetched.values()) / naive_wall, 3),
                }
                ours_rate = ours["pages_ok"] / ours["wall_s"]
                report["speedup_pages_per_s_vs_naive"] = round(
                    ours_rate / report["naive"]["pages_per_s"], 2
                )
                report["speedup_wall_vs_naive"] = round(naive_wall / ours["wall_s"], 2)
    finally:
        stop.set()
        server.join(timeout=20)
    print(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
