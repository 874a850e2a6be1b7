"""A tiny reference crawler for the farm tests (not the engine): requests + BeautifulSoup.

It follows in-site links (``<a>``, ``<iframe>``) breadth-first up to depth 3, obeys robots.txt,
decodes pages by their declared charset (windows-1258 included), renders pages that build their
content with scripts in Chromium (Playwright, /usr/bin/chromium), runs every check and returns
``channels.csv``-shaped rows. It lets the checks and the farm be measured without the engine.
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import requests

from crawler.checks import run_checks_with_errors
from crawler.checks.dom import parse
from crawler.page import PageView
from pobi.models import SiteKind

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCRIPTED = re.compile(r"createElement|innerHTML|<script[^>]+src=", re.I)


@dataclass
class Stats:
    pages: int = 0
    rendered: int = 0
    errors: list[str] = field(default_factory=list)


def decode(resp: requests.Response) -> str:
    ctype = resp.headers.get("Content-Type", "")
    m = re.search(r"charset=([\w\-]+)", ctype, re.I)
    charset = m.group(1) if m else ""
    if not charset:
        m = re.search(rb'charset=["\']?([\w\-]+)', resp.content[:2048], re.I)
        charset = m.group(1).decode() if m else "utf-8"
    if charset.lower() in ("windows-1258", "cp1258"):
        charset = "cp1258"
    return resp.content.decode(charset, errors="replace")


class Renderer:
    """Chromium for the crawl: ``browsers`` instances, each driven from its own thread
    (Playwright's sync API is bound to the thread that started it); renders go round-robin."""

    def __init__(self, executable: str, browsers: int = 1) -> None:
        self._workers = [_Browser(executable) for _ in range(browsers)]
        self._next = itertools.count()

    def render(self, url: str) -> str:
        return self._workers[next(self._next) % len(self._workers)].render(url)

    def close(self) -> None:
        for w in self._workers:
            w.close()


class _Browser:
    def __init__(self, executable: str) -> None:
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="chromium")
        self._thread.submit(self._start, executable).result()

    def _start(self, executable: str) -> None:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        self._context = self._browser.new_context()
        self._context.route(
            "**/*",
            lambda route: (
                route.abort()
                if route.request.resource_type in ("image", "stylesheet", "font", "media")
                else route.continue_()
            ),
        )

        self._page = self._context.new_page()

    def _render(self, url: str) -> str:
        self._page.goto(url, wait_until="domcontentloaded", timeout=45000)
        return self._page.content()

    def render(self, url: str) -> str:
        return self._thread.submit(self._render, url).result()

    def _stop(self) -> None:
        self._context.close()
        self._browser.close()
        self._pw.stop()

    def close(self) -> None:
        self._thread.submit(self._stop).result()
        self._thread.shutdown()


def crawl_site(
    province_code: str,
    site_kind: str,
    start: str,
    renderer: Renderer | None,
    stats: Stats,
    max_depth: int = 3,
    max_pages: int = 60,
) -> list[dict[str, str]]:
    session = requests.Session()
    session.headers["User-Agent"] = "pobi-test-minicrawl"
    try:
        first = session.get(start, timeout=30)
    except requests.RequestException as exc:
        stats.errors.append(f"{start}: {type(exc).__name__}")
        return []
    if first.status_code >= 400:
        return []
    final = first.url
    netloc = urlsplit(final).netloc
    robots = RobotFileParser()
    try:
        r = session.get(f"{urlsplit(final).scheme}://{netloc}/robots.txt", timeout=10)
        robots.parse(r.text.splitlines() if r.status_code == 200 else [])
    except requests.RequestException:
        robots.parse([])
    rows: dict[tuple[str, str], dict[str, str]] = {}
    seen = {final}
    queue: deque[tuple[str, int, str, requests.Response | None]] = deque([(final, 0, "", first)])
    while queue and stats.pages < 10**6:
        url, depth, link_text, resp = queue.popleft()
        if len(seen) > max_pages * 3:
            break
        if resp is None:
            if not robots.can_fetch("pobi-test-minicrawl", url):
                continue
            try:
                resp = session.get(url, timeout=30)
            except requests.RequestException:
                continue
        if resp.status_code >= 400 or "html" not in resp.headers.get("Content-Type", ""):
            continue
        html = decode(resp)
        stats.pages += 1
        rendered = False
        if renderer is not None and SCRIPTED.search(html):
            html = renderer.render(resp.url)
            rendered = True
            stats.rendered += 1
        view = PageView(
            url=resp.url,
            site_url=start,
            site_kind=SiteKind(site_kind),
            province_code=province_code,
            html=html,
            rendered=rendered,
            depth=depth,
            link_text=link_text,
        )
        drafts, errors = run_checks_with_errors(view)
        stats.errors += errors
        for d in drafts:
            if "has_form" in d.details and (d.channel.value, d.value) in rows:
                rows[(d.channel.value, d.value)]["details"] = d.details  # type: ignore[assignment]
            rows.setdefault(
                (d.channel.value, d.value),
                {
                    "province_code": province_code,
                    "site_kind": site_kind,
                    "site_url": start,
                    "channel": d.channel.value,
                    "value": d.value,
                    "found_on": resp.url,
                    "evidence_sha256": "",
                    "details": d.details,  # type: ignore[dict-item]
                },
            )
        if depth >= max_depth:
            continue
        for link in parse(view).links:
            if link.tag not in ("a", "iframe", "frame") or not link.url:
                continue
            if urlsplit(link.url).netloc != netloc or link.url in seen:
                continue
            seen.add(link.url)
            queue.append((link.url, depth + 1, link.text, None))
    return list(rows.values())


def crawl(
    sites: list[tuple[str, str, str]], renderer: Renderer | None, workers: int = 8
) -> tuple[list[dict[str, str]], Stats]:
    stats = Stats()
    rows: list[dict[str, str]] = []
    with ThreadPoolExecutor(workers) as pool:
        for found in pool.map(lambda s: crawl_site(s[0], s[1], s[2], renderer, stats), sites):
            rows += found
    return rows, stats
