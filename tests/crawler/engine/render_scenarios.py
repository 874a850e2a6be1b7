"""Run by tests/crawler/engine/test_chromium.py in its own process (scrapy-playwright needs
Twisted's asyncio reactor installed, which must not leak into the test process): render requests
through the crawler's :class:`~crawler.chromium.SharedHandler` with a time limit of 10 s.

- ``frozen``: one request, then Chromium is frozen (SIGSTOP) and a second one is sent; prints
  whether the first worked, how long the second took and how it ended;
- ``queue``: one page at a time (``POBI_BROWSER_PAGES = 1``) and three requests at once for pages
  that keep polling the network (each render waits the full 5 s settle): together longer than
  the limit; prints how each ended;
- ``refresh``: an archived page whose meta refresh and script both try to leave it for the live
  site; prints whether the rendered DOM is still the archived page, and its URL.

    python -m tests.crawler.engine.render_scenarios BASE_URL CHROMIUM frozen|queue|refresh
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from typing import Any

from scrapy.utils.reactor import install_reactor

install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")

from scrapy import Spider  # noqa: E402
from scrapy.utils.test import get_crawler  # noqa: E402

from crawler import chromium  # noqa: E402
from crawler.browser import LAUNCH_ARGS, LOOPBACK_ONLY_ARGS  # noqa: E402
from tests.support import proctree  # noqa: E402

NAV_MS = 2000
chromium.BROWSER_MARGIN_S = 3.0  # the limit is then 2 + 10 + 5 + 3 = 20 s


POLLING = "<script>setInterval(() => fetch('/poll?' + Math.random()), 200)</script>"


def page(title: str, extra: str = "") -> bytes:
    return f"<!doctype html><title>{title}</title><h1>{title}</h1>{extra}".encode()


async def main(base: str, executable: str, scenario: str) -> dict[str, object]:
    crawler = get_crawler(
        Spider,
        {
            "PLAYWRIGHT_LAUNCH_OPTIONS": {
                "executable_path": executable,
                "headless": True,
                "args": LAUNCH_ARGS + LOOPBACK_ONLY_ARGS,
            },
            "PLAYWRIGHT_MAX_CONTEXTS": 1,
            "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 10_000,  # as crawler.settings
            "POBI_BROWSER_PAGES": 1 if scenario == "queue" else 6,
            "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": NAV_MS,
        },
    )
    spider = Spider(name="frozen")
    crawler.spider = spider
    handler = chromium.SharedHandler.from_crawler(crawler)
    await handler._launch()  # what the engine-started signal does in a crawl

    def request(name: str, extra: str = "") -> object:
        return chromium.browser_request(
            f"{base}/{name}",
            body=page(name, extra),
            content_type="text/html",
            meta={},
            callback=None,
            errback=None,
        )

    if scenario == "queue":
        return await queue(handler, spider, request)
    if scenario == "refresh":
        leave = (  # while loading (a portal root's redirect), after it, and by meta refresh
            "<script>location.href = '/live3';</script>"
            "<meta http-equiv='refresh' content='0;url=/live'>"
            "<script>setTimeout(() => { location.href = '/live2'; }, 50)</script>"
        )
        response = await handler._download_request(request("archived", leave), spider)
        await asyncio.sleep(1)  # time for a late navigation to reach the site
        closed = await close(handler)
        return {
            "archived": b"<h1>archived</h1>" in response.body,
            "url": response.url,
            "left_for": response.meta.get(chromium.LEFT_FOR, []),
            "closed": closed,
        }
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
    closed = await close(handler)
    return {
        "closed": closed,
        "first_ok": b"<h1>a</h1>" in first.body,
        "frozen": len(frozen),
        "took": took,
        "limit": handler.browser_limit(),
        "outcome": outcome,
    }


async def queue(handler: Any, spider: Spider, request: Any) -> dict[str, object]:
    async def one(name: str) -> str:
        try:
            response = await handler._download_request(request(name, POLLING), spider)
            return "ok" if f"<h1>{name}</h1>".encode() in response.body else "wrong page"
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"

    start = time.monotonic()
    outcomes = await asyncio.gather(*(one(n) for n in ("a", "b", "c")))
    took = time.monotonic() - start
    closed = await close(handler)
    return {"outcomes": outcomes, "took": took, "limit": handler.browser_limit(), "closed": closed}


async def close(handler: Any) -> str:
    """How closing went (reported, not raised: the scenarios are about the requests)."""
    try:
        await handler.close()
        return "ok"
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


if __name__ == "__main__":
    result = asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3]))
    print(json.dumps(result), flush=True)
