"""crawler.chromium's SharedHandler with a real Chromium: a browser that stops answering does not
hold a render request (and so the crawl) for ever."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from typing import Any

import pytest

from pobi.config import find_chromium
from tests.conftest import REPO
from tests.crawler.engine.websites import Site

pytestmark = pytest.mark.browser


LIVE = (200, {"Content-Type": "text/html"}, b"<h1>LIVE SITE</h1>")


def scenario(name: str, hits: list[str] | None = None) -> dict[str, Any]:
    """Run ``tests.crawler.engine.render_scenarios``'s scenario against a loopback site; the
    paths the site was asked for go to ``hits``."""
    path = find_chromium()
    assert path, "the crawler's tests need Chromium (scripts/bootstrap.sh --system)"
    site = Site(
        routes={"/poll": (204, {}, b""), "/live": LIVE, "/live2": LIVE, "/live3": LIVE}
    ).start()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.crawler.engine.render_scenarios", site.base, path, name],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so that a hang is cleaned up with its (stopped) Chromium
    )
    try:
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        site.stop()
        if hits is not None:
            hits.extend(site.hits)
    assert proc.returncode == 0, err[:3000] + "\n...\n" + err[-3000:]
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def test_a_render_request_to_a_frozen_browser_fails_in_bounded_time() -> None:
    """Chromium stopped (SIGSTOP) between two render requests: Playwright's ``new_page`` has no
    timeout of its own and waited for ever (as it did for a crashed browser in a real crawl);
    the handler's limit ends the request with an error the spider records."""
    result = scenario("frozen")
    assert result["first_ok"] and result["frozen"] >= 2
    assert result["outcome"].startswith("ExternalServiceError: Chromium did not answer"), result
    assert result["limit"] - 1 <= result["took"] <= result["limit"] + 5, result


def test_waiting_for_a_free_page_does_not_count_against_the_limit() -> None:
    """One page at a time and three slow renders at once (together longer than the limit): each
    is timed from when it gets its page, so all three succeed. (Timed from the request, the
    queued ones failed in a 378-site crawl, and a request cancelled inside scrapy-playwright's
    ``new_page`` then leaked one of its page permits, until no render could start.)"""
    result = scenario("queue")
    assert result["outcomes"] == ["ok", "ok", "ok"], result
    assert result["took"] > result["limit"], result  # the scenario did need the queue


def test_a_rendered_page_that_leaves_the_archive_is_reported() -> None:
    """An archived page whose script sends the browser elsewhere while loading: the handler
    records where it went (the spider then keeps neither that DOM nor its picture, and crawls
    the target as a link: test_script_redirect.py)."""
    result = scenario("refresh")
    assert [u.rsplit("/", 1)[-1] for u in result["left_for"]] == ["live3"], result
