"""`pobi crawl --distributed redis://...`: two crawl processes sharing one round through a real
Debian redis-server, against the real simulated portal farm, compared with an ordinary crawl."""

from __future__ import annotations

import csv
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.conftest import POBI, run_pobi
from tests.crawler.engine.helpers import (
    channel_rows,
    crawl,
    crawl_env,
    finding_keys,
    new_round,
    query,
    serve_farm,
)

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"

pytestmark = [
    pytest.mark.xdist_group("crawl-distributed"),
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(REDIS_SERVER).exists(),
        reason="redis-server not installed (needs Debian's redis-server)",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("redis")
    port = free_port()
    proc = subprocess.Popen(
        [
            REDIS_SERVER,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise
            time.sleep(0.05)
    yield url
    client.close()
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def farm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    with serve_farm(tmp_path_factory.mktemp("farm")) as files:
        yield files


def _export(home: Path, round_id: str) -> list[dict[str, str]]:
    out = home.parent / f"export-{round_id}"
    r = run_pobi("export", "--round", round_id, "--out", str(out), env={"POBI_HOME": str(home)})
    assert r.returncode == 0, r.stdout + r.stderr
    with (out / "channels.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_two_processes_share_a_round_and_find_what_one_process_finds(
    farm: dict[str, Path], redis_url: str, tmp_path: Path
) -> None:
    shared, single = tmp_path / "shared" / "home", tmp_path / "single" / "home"
    for home in (shared, single):
        home.mkdir(parents=True)
        new_round(home, "d")
    # a small per-process share (8 requests / 2 per host = 4 sites at a time) so both get work
    env = {
        **os.environ,
        **crawl_env(shared, POBI_CRAWL_CONCURRENT_TOTAL="8"),
        "COLUMNS": "200",
        "NO_COLOR": "1",
    }
    cmd = [POBI, "crawl", "--round", "d", "--sites", str(farm["sites"])]
    procs = [
        subprocess.Popen(
            [*cmd, "--distributed", redis_url],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    ordinary = crawl(single, farm["sites"], round_id="d")
    outputs = [p.communicate(timeout=400) for p in procs]
    for p, (out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, out + err
    assert ordinary.returncode == 0, ordinary.stdout + ordinary.stderr

    # work was shared: each process claimed sites, and fetched pages of its own
    total = len(query(shared, "SELECT id FROM crawl_sites WHERE round_id = 'd'"))
    crawled = []
    for out, _ in outputs:
        m = re.search(r"this process crawled (\d+) of (\d+) sites", out)
        assert m, out
        crawled.append(int(m.group(1)))
        requests = re.search(r"Crawled in [\d.]+ s \(engine [\d.]+ s\): (\d+) requests", out)
        assert requests and int(requests.group(1)) > 0, out
    assert all(n > 0 for n in crawled), crawled
    assert sum(crawled) == total
    r = redis.Redis.from_url(redis_url)
    owners = {v.decode() for v in r.hgetall("pobi:crawl:d:owner").values()}
    assert len(owners) == 2
    assert r.scard("pobi:crawl:d:done") == total
    assert r.llen("pobi:crawl:d:requests") == 0
    r.close()

    # the same findings as one ordinary process, in the store and in channels.csv
    assert finding_keys(channel_rows(shared, "d")) == finding_keys(channel_rows(single, "d"))
    assert finding_keys(_export(shared, "d")) == finding_keys(_export(single, "d"))
    assert len(channel_rows(shared, "d")) > 50

    # no duplicate rows, every site finished once, evidence intact
    for sql in (
        "SELECT site_id, url, count(*) AS n FROM pages GROUP BY 1, 2 HAVING n > 1",
        "SELECT site_id, channel, value, count(*) AS n FROM findings GROUP BY 1, 2, 3 HAVING n > 1",
        "SELECT url, site_kind, province_code, count(*) AS n FROM crawl_sites GROUP BY 1, 2, 3 "
        "HAVING n > 1",
    ):
        assert query(shared, sql) == []
    assert query(shared, "SELECT count(*) AS n FROM crawl_sites WHERE finished_at IS NULL") == [
        {"n": 0}
    ]
    pages = {r["url"] for r in query(shared, "SELECT url FROM pages")}
    assert pages == {r["url"] for r in query(single, "SELECT url FROM pages")}
    v = run_pobi("evidence", "verify", env={"POBI_HOME": str(shared)})
    assert v.returncode == 0, v.stdout + v.stderr
    assert "MISSING" not in v.stdout and "MISMATCH" not in v.stdout

    # a process started after the round was shared out finds nothing left and stops at once
    late = run_pobi(*cmd[1:], "--distributed", redis_url, env=crawl_env(shared))
    assert late.returncode == 0, late.stdout + late.stderr
    assert "this process crawled 0 of" in late.stdout


def test_unreachable_redis_is_a_clear_error(farm: dict[str, Path], tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    new_round(home, "d")
    url = f"redis://127.0.0.1:{free_port()}/0"
    r = crawl(home, farm["sites"], "--distributed", url, round_id="d")
    assert r.returncode == 6, r.stdout + r.stderr
    assert f"Cannot reach Redis at {url}" in r.stdout + r.stderr
    assert query(home, "SELECT count(*) AS n FROM pages") == [{"n": 0}]


@pytest.mark.parametrize("url", ["http://127.0.0.1:6379", "redis://", "redis://h:port/0"])
def test_a_bad_redis_url_is_refused(farm: dict[str, Path], tmp_path: Path, url: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    new_round(home, "d")
    r = crawl(home, farm["sites"], "--distributed", url, round_id="d")
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Not a Redis URL" in r.stdout + r.stderr
