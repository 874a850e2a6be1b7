"""`kill -9` of `pobi crawl` stops its crawl process (and that process's Chromium) within seconds,
and the next `--resume` is accepted. Real `pobi crawl`, real Chromium, a real SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from tests.conftest import POBI
from tests.crawler.engine.helpers import STUB_CHECKS, crawl, crawl_env, one_site_round
from tests.crawler.engine.websites import Site, html
from tests.support.proctree import snapshot, tree

FILLER = "<p>" + "Cổng thông tin điện tử tỉnh. " * 20 + "</p>"


def _slow_site() -> Site:
    links = "".join(f"<a href='/p{i}'>trang {i}</a>" for i in range(40))
    routes = {"/": html(FILLER + links)}
    routes.update({f"/p{i}": html(FILLER + f"<p>{i}</p>") for i in range(40)})
    site = Site(routes)
    site.delay = 0.4  # the crawl is still running when it is killed
    return site.start()


def _wait(predicate, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_kill_9_of_pobi_crawl_stops_the_crawl_process_and_its_browser(tmp_path: Path) -> None:
    site = _slow_site()
    try:
        home, sites_file = one_site_round(tmp_path, f"{site.base}/")
        env = {
            **os.environ,
            **crawl_env(home, POBI_CRAWL_CHECKS=STUB_CHECKS),
            "COLUMNS": "200",
            "NO_COLOR": "1",
        }
        cli = subprocess.Popen(
            [POBI, "crawl", "--round", "t", "--sites", str(sites_file), "--render", "always"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            # wait until the crawl process runs its browser: the whole tree is there
            def browser_up() -> bool:
                return any(
                    "chrom" in _cmd(p.pid) or "headless" in _cmd(p.pid) for p in tree(cli.pid)[1:]
                )

            assert _wait(browser_up, 60), "the crawl never started its browser"
            # past the start page: links queued, no progress line due until the site ends
            assert _wait(lambda: len(site.hits) >= 6, 30), site.hits
            below = [p.pid for p in tree(cli.pid)[1:]]
            assert below, "no crawl process"
            os.kill(cli.pid, signal.SIGKILL)
            cli.wait(timeout=10)
            killed_at = time.monotonic()

            def all_gone() -> bool:
                alive = snapshot()
                return not [pid for pid in below if pid in alive and _alive(pid)]

            assert _wait(all_gone, 10), [(_cmd(p), p) for p in below if _alive(p)]
            assert time.monotonic() - killed_at < 10
        finally:
            if cli.poll() is None:
                cli.kill()
        hits = len(site.hits)
        time.sleep(1.0)
        assert len(site.hits) == hits  # nothing crawls any more
        site.delay = 0.0
        again = crawl(
            home, sites_file, "--render", "never", "--resume", POBI_CRAWL_CHECKS=STUB_CHECKS
        )
        assert "Another crawl" not in again.stdout + again.stderr
        assert again.returncode == 0, again.stdout + again.stderr
    finally:
        site.stop()


def _cmd(pid: int) -> str:
    try:
        return (
            Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        )
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for its (re)parent to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
