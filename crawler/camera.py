"""Evidence screenshots of archived pages, taken with a small pool of reused Chromium pages.

A page behind a finding is photographed from the bytes the crawl archived: the browser's
navigation to the page's URL is answered from the archive, and the page's own styles and images
load normally (fonts and media are skipped; for real-web crawls, literal private addresses are
refused, as when rendering).

Why not scrapy-playwright, which renders pages: it opens and closes a browser page for every
request and sends *every* sub-request through a route handler written in Python. That handler
runs on the crawl's event loop, which is busy parsing pages; on a 2-core machine a screenshot
then took seconds and the screenshots, not the polite fetching, set the length of a crawl
(benchmarks/README.md). The camera keeps up to ``size`` pages open and reuses them, and each of
its routes is a pattern matched inside the browser, so only the navigation itself (and refused
addresses) ever wait for Python.

The camera never passes the live site off as the archive: the navigation's route is a pattern
that also accepts the forms a browser may give the URL (percent-encoding of characters the
crawler left raw, a default port dropped); if it still missed, the browser fetched the page from
the site (one request), :class:`NotFromArchive` is raised and no screenshot is kept (the spider
retries once through scrapy-playwright, whose route sees every request).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pobi.errors import ExternalServiceError

# hosts given as an address (or as localhost): matched inside the browser, so that only these
# sub-requests reach the Python policy ``refuse`` (crawler.chromium's private-address check)
ADDRESS_LITERAL = re.compile(
    r"^[a-z][a-z0-9+.\-]*://([^/@]*@)?("
    r"localhost|[^/:]*\.localhost|[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+|\[[^\]]*\]"
    r")(:[0-9]+)?([/?#]|$)",
    re.IGNORECASE,
)
# fonts and media, by file name (what crawler.chromium.abort_request skips by resource type)
SKIPPED_FILES = re.compile(
    r"\.(woff2?|ttf|otf|eot|mp4|webm|ogv|mp3|ogg|oga|wav|m4a|m4v|mov|avi|flac)([?#]|$)",
    re.IGNORECASE,
)
# the camera's browser context is replaced after this many screenshots: Playwright's driver keeps
# state for every request a context has seen (its memory grew ~230 KB per screenshot, 150 -> 235
# MiB over 360, and stayed flat with a new context every 60; 150 bounds it at ~35 MiB)
ROLL_SHOTS = 150
LOAD_WAIT_MS = 5000  # after the document, wait at most this long for its images and frames
# a screenshot fails after the navigation timeout, the load wait and this margin: the bound is
# for a browser that will never answer (frozen, crashed), not for a slow one — in the first
# minute of a 378-site crawl the busy event loop held sound screenshots for over 45 s
MARGIN_S = 90.0
DEFAULT_PORTS = {"http": 80, "https": 443}
# characters a browser keeps as they are in a path or query; any other may be percent-encoded
KEPT = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&()*+,;=:@/?")


class NotFromArchive(Exception):
    """The browser's navigation was not answered from the archive; no screenshot was kept."""


def navigation_pattern(url: str) -> re.Pattern[str]:
    """A pattern for the URL the browser requests when asked to open ``url``."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    rest = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    out = [re.escape(f"{scheme}://{netloc}")]
    i = 0
    while i < len(rest):
        c = rest[i]
        escape = rest[i : i + 3]
        if c == "%" and re.fullmatch(r"%[0-9A-Fa-f]{2}", escape):
            out.append("%" + "".join(f"[{h.upper()}{h.lower()}]" for h in escape[1:]))
            i += 3
            continue
        if c in KEPT:
            out.append(re.escape(c))
        else:
            encoded = "".join(f"%{b:02X}" for b in c.encode("utf-8", "surrogatepass"))
            out.append(f"({re.escape(c)}|{re.escape(encoded)})")
        i += 1
    return re.compile("^" + "".join(out) + "$")


@dataclass
class _Roll:
    """One browser context and the pages opened in it (like a roll of film)."""

    context: Any
    shots: int = 0
    open_pages: int = 0


class Camera:
    """Up to ``size`` reusable pages of ``browser``, in a browser context that is replaced after
    :data:`ROLL_SHOTS` screenshots."""

    def __init__(
        self,
        browser: Any,
        context_kwargs: dict[str, Any],
        *,
        size: int,
        timeout_ms: float,
        refuse: Callable[[str], bool] | None,
    ) -> None:
        """``refuse``: URLs a page's sub-requests may not load (None: all may)."""
        self.browser = browser
        self.context_kwargs = context_kwargs
        self.size = size
        self.timeout_ms = timeout_ms
        self.refuse = refuse
        self.margin_s = MARGIN_S
        self.roll: _Roll | None = None  # the roll new pages are opened in
        self.rolls: dict[Any, _Roll] = {}  # page -> its roll
        self.navigations: dict[Any, int] = {}  # page -> main-frame navigations committed
        self.idle: list[Any] = []
        self.slots = asyncio.Semaphore(size)
        self.lock = asyncio.Lock()
        self.shots = 0
        self.pages_opened = 0
        self.contexts_opened = 0

    async def _page(self) -> Any:
        """An idle page of the current roll, or a new page."""
        while self.idle:
            page = self.idle.pop()
            if self.rolls.get(page) is self.roll and not page.is_closed():
                return page
            await self._discard(page)
        return await self._new_page()

    async def _new_page(self) -> Any:
        async with self.lock:
            if self.roll is None:
                context = await self.browser.new_context(**self.context_kwargs)
                context.set_default_navigation_timeout(self.timeout_ms)
                context.set_default_timeout(self.timeout_ms)
                self.roll = _Roll(context)
                self.contexts_opened += 1
            roll = self.roll
            roll.open_pages += 1
        try:
            page = await roll.context.new_page()
            self.navigations[page] = 0
            page.on("framenavigated", lambda frame: self._navigated(page, frame))
            await page.route(SKIPPED_FILES, _abort)
            if self.refuse is not None:
                await page.route(ADDRESS_LITERAL, self._guard)
        except Exception:
            roll.open_pages -= 1
            raise
        self.rolls[page] = roll
        self.pages_opened += 1
        return page

    def _navigated(self, page: Any, frame: Any) -> None:
        if frame == page.main_frame:
            self.navigations[page] = self.navigations.get(page, 0) + 1

    async def _discard(self, page: Any) -> None:
        """Close a page; close its context too when it is an old roll with no page left."""
        roll = self.rolls.pop(page, None)
        self.navigations.pop(page, None)
        try:
            await page.close()
        except Exception:  # a crashed page or a closed browser: nothing to close
            pass
        if roll is None:
            return
        roll.open_pages -= 1
        if roll is not self.roll and roll.open_pages <= 0:
            try:
                await roll.context.close()
            except Exception:  # the browser went first
                pass

    async def warm(self) -> None:
        """Open the context and the pool's pages before the first screenshot needs them."""
        while self.pages_opened < self.size:
            async with self.slots:
                self.idle.append(await self._new_page())

    async def shoot(self, url: str, body: bytes, content_type: str) -> bytes:
        """A full-page PNG of the archived ``body`` shown as ``url``; :class:`ExternalServiceError` when
        the browser does not answer within the navigation timeout, the load wait and
        :attr:`margin_s` (a frozen or vanished browser must not hold the crawl)."""
        limit = (self.timeout_ms + LOAD_WAIT_MS) / 1000 + self.margin_s
        return await answered_within(self._shoot(url, body, content_type), limit)

    async def _shoot(self, url: str, body: bytes, content_type: str) -> bytes:
        async with self.slots:
            page = await self._page()
            served = {"done": False}

            async def fulfil(route: Any) -> None:
                if route.request.frame != page.main_frame:
                    await route.fallback()  # an iframe of the same address loads normally
                    return
                if served["done"]:  # the page reloading itself (meta refresh, script): a
                    await route.fulfill(status=204)  # 204 keeps the archived document shown
                    return
                served["done"] = True
                await route.fulfill(
                    status=200, headers={"content-type": content_type or "text/html"}, body=body
                )

            pattern = navigation_pattern(url)
            reusable = False
            try:
                await page.route(pattern, fulfil)
                try:
                    await page.goto(url, wait_until="domcontentloaded")
                finally:
                    if not served["done"]:
                        raise NotFromArchive(f"{url} was not served from the archive")
                committed = self.navigations.get(page, 0)
                try:  # a widget of another site must not hold the evidence for long
                    await page.wait_for_load_state("load", timeout=LOAD_WAIT_MS)
                except Exception:  # the page as it stands is the evidence; say nothing more
                    pass
                png: bytes = await page.screenshot(full_page=True, type="png")
                if self.navigations.get(page, 0) != committed:
                    # a script or a meta refresh took the page elsewhere: the picture may show
                    # the live site, not the archive (the spider's retry through
                    # scrapy-playwright sees where the page went and keeps no picture then)
                    raise NotFromArchive(f"{url} left the archived page before its screenshot")
                self.shots += 1
                reusable = True
                return png
            finally:
                await self._release(page, pattern, reusable)

    async def _release(self, page: Any, pattern: Any, reusable: bool) -> None:
        try:
            await page.unroute(pattern)
        except Exception:  # a crashed page or a closed browser
            reusable = False
        roll = self.rolls.get(page)
        if roll is not None:
            roll.shots += 1
            if roll is self.roll and roll.shots >= ROLL_SHOTS:
                self.roll = None  # the next page opens a fresh context
        if reusable and roll is not None and roll is self.roll and not page.is_closed():
            self.idle.append(page)
        else:
            await self._discard(page)

    async def close(self) -> None:
        rolls = {id(r): r for r in [*self.rolls.values(), self.roll] if r is not None}
        self.rolls.clear()
        self.idle.clear()
        self.roll = None
        for roll in rolls.values():
            try:
                await roll.context.close()
            except Exception:  # the browser went first
                pass

    async def _guard(self, route: Any) -> None:
        if self.refuse is not None and self.refuse(route.request.url):
            await route.abort()
        else:
            await route.fallback()


async def answered_within[T](work: Awaitable[T], limit: float) -> T:
    """``work``'s result, or :class:`ExternalServiceError` when Chromium has not answered within
    ``limit`` seconds (a frozen or crashed browser). Not a TimeoutError: Scrapy's retry
    middleware would retry that first, and the spider already retries a browser request once."""
    try:
        return await asyncio.wait_for(work, timeout=limit)
    except TimeoutError:
        raise ExternalServiceError(f"Chromium did not answer within {limit:.0f} s") from None


async def _abort(route: Any) -> None:
    await route.abort()
