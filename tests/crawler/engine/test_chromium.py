"""crawler.chromium's SharedHandler with a real Chromium: a browser that stops answering does not
hold a render request (and so the crawl) for ever."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from pobi.config import find_chromium
from tests.conftest import REPO
from tests.crawler.engine.websites import Site

pytestmark = pytest.mark.browser


def test_a_render_request_to_a_frozen_browser_fails_in_bounded_time() -> None:
    """Chromium stopped (SIGSTOP) between two render requests: Playwright's ``new_page`` has no
    timeout of its own and waited for ever (as it did for a crashed browser in a real crawl);
    the handler's limit ends the request with a TimeoutError the spider records."""
    path = find_chromium()
    assert path, "the crawler's tests need Chromium (scripts/bootstrap.sh --system)"
    site = Site(routes={}).start()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.crawler.engine.frozen_render", site.base, path],
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
    assert proc.returncode == 0, err[-3000:]
    result = json.loads(out.strip().splitlines()[-1])
    assert result["first_ok"] and result["frozen"] >= 2
    assert result["outcome"].startswith("TimeoutError: Chromium did not answer"), result
    assert result["limit"] - 1 <= result["took"] <= result["limit"] + 5, result
