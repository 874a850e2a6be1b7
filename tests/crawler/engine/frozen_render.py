"""Run by tests/crawler/engine/test_chromium.py in its own process (scrapy-playwright needs
Twisted's asyncio reactor installed, which must not leak into the test process): one render
request through the crawler's :class:`~crawler.chromium.SharedHandler`, then Chromium is frozen
(SIGSTOP) and a second one is sent. Prints one JSON line: whether the first worked, how long the
second took and how it ended.

    python -m tests.crawler.engine.frozen_render BASE_URL CHROMIUM
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time

from scrapy.utils.reactor import install_reactor

install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")

from scrapy import Spider  # noqa: E402
from scrapy.utils.test import get_crawler  # noqa: E402

from crawler import chromium  # noqa: E402
from crawler.browser import LAUNCH_ARGS, LOOPBACK_ONLY_ARGS  # noqa: E402
from tests.support import proctree  # noqa: E402

NAV_MS = 2000
chromium.BROWSER_MARGIN_S = 3.0  # the limit is then 2 + 5 + 3 = 10 s


def page(title: str) -> bytes:
    return f"<!doctype html><title>{title}</title><h1>{title}</h1>".encode()


async def main(base: str, executable: str) -> dict[str, object]:
    crawler = get_crawler(
        Spider,
        {
            "PLAYWRIGHT_LAUNCH_OPTIONS": {
                "executable_path": executable,
                "headless": True,
                "args": LAUNCH_ARGS + LOOPBACK_ONLY_ARGS,
            },
            "PLAYWRIGHT_MAX_CONTEXTS": 1,
            "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": NAV_MS,
        },
    )
    spider = Spider(name="frozen")
    crawler.spider = spider
    handler = chromium.SharedHandler.from_crawler(crawler)
    await handler._launch()  # what the engine-started signal does in a crawl

    def request(name: str) -> object:
        return chromium.browser_request(
            f"{base}/{name}",
            body=page(name),
            content_type="text/html",
            meta={},
            callback=None,
            errback=None,
        )

    first = await handler._download_request(request("a"), spider)
    me = os.getpid()
    frozen = [p.pid for p in proctree.tree(me) if proctree.kind(p.pid, me).startswith("chromium")]
    for pid in frozen:
        os.kill(pid, signal.SIGSTOP)
    start = time.monotonic()
    try:
        await handler._download_request(request("b"), spider)
        outcome = "answered"
    except Exception as exc:  # what the spider's errback would record
        outcome = f"{type(exc).__name__}: {exc}"
    took = time.monotonic() - start
    for pid in frozen:
        os.kill(pid, signal.SIGCONT)
    await handler.close()
    return {
        "first_ok": b"<h1>a</h1>" in first.body,
        "frozen": len(frozen),
        "took": took,
        "limit": handler.browser_limit(),
        "outcome": outcome,
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1], sys.argv[2]))), flush=True)
