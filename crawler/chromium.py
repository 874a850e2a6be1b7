"""Chromium glue for scrapy-playwright: render requests, screenshots of archived pages.

A page is rendered from the bytes the static fetch already archived: the browser's first
navigation is answered from the archive (so the rendered DOM and the screenshot belong to the
same evidence, and the site is not asked twice); the page's own scripts, styles and images load
normally. Audio, video and fonts are not loaded.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from contextlib import suppress
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler
from scrapy_playwright.page import PageMethod

from crawler.camera import Camera, answered_within
from crawler.settings import EVIDENCE_SLOT
from pobi.errors import ExternalServiceError

logger = logging.getLogger(__name__)
ABORTED_TYPES = frozenset({"media", "font", "websocket", "eventsource", "manifest"})
CONTEXT: dict[str, Any] = {}  # browser context settings, filled by the spider from the settings
SETTLE_MS = 5000  # after the load event, wait at most this long for the network to go quiet
# a browser request (a render, or a screenshot retried through scrapy-playwright) fails after its
# navigation timeout, the settle wait and this margin: when Chromium crashes, Playwright's driver
# can leave a call unanswered for ever (seen: BrowserContext.new_page on the dead browser's
# context), and one such request held the whole crawl open. Generous, as the camera's: in the
# first minute of a 378-site crawl the busy event loop held sound renders for over 65 s
BROWSER_MARGIN_S = 90.0
# the request's Playwright page, closed if the request times out (not a ``pobi_`` key: those are
# copied into a retried request, and a page cannot be serialised into a shared queue)
LIVE_PAGE = "_pobi_live_page"
# where a rendered page's scripts or meta refresh took the browser after the archived document
LEFT_FOR = "_pobi_left_for"
CLOSE_LIMIT_S = 30.0  # closing the camera or the browser at the end of a crawl


async def settle(page: Any) -> None:
    """Let scripts finish fetching (menus, e-mails loaded by XHR); never fail on a busy page."""
    try:
        await page.wait_for_load_state("networkidle", timeout=SETTLE_MS)
    except Exception:  # a page that keeps polling is still worth reading
        return


class SharedHandler(ScrapyPlaywrightDownloadHandler):
    """One handler (so one Chromium) for both http and https; closed once. Evidence
    screenshots (``pobi_camera`` in the request's meta) go to a :class:`Camera` of reused pages
    in the same browser; rendering goes through scrapy-playwright."""

    camera: Camera | None = None
    _warming: asyncio.Future[None] | None = None

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self._camera_lock = asyncio.Lock()
        self._pages = asyncio.Semaphore(crawler.settings.getint("POBI_BROWSER_PAGES", 6))

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedHandler:
        shared = getattr(crawler, "_pobi_playwright_handler", None)
        if shared is None:
            shared = cls(crawler)
            crawler._pobi_playwright_handler = shared
        return shared

    async def download_request(self, request: Request) -> Response:  # type: ignore[override]
        if request.meta.get("pobi_camera"):
            return await self._maybe_future_from_coro(self._photograph(request))
        return await super().download_request(request)

    def browser_limit(self) -> float:
        """Seconds a browser request may take, all retries included."""
        nav = float(self.config.navigation_timeout_ms or 30_000) / 1000
        return nav + SETTLE_MS / 1000 + BROWSER_MARGIN_S

    async def _download_request(self, request: Request, spider: Any = None) -> Response:
        limit = self.browser_limit()
        async with self._pages:  # waiting for a free page is not part of the limit
            try:
                return await answered_within(super()._download_request(request, spider), limit)
            except ExternalServiceError:
                page = request.meta.get(LIVE_PAGE)
                if page is not None:  # close it if the browser still answers
                    with suppress(Exception):
                        await asyncio.wait_for(page.close(), timeout=5)
                raise

    async def _launch(self) -> None:
        await super()._launch()
        # open the camera's pages now, while the crawl is still fetching robots.txt files: the
        # first findings come with the first pages, when the event loop is busiest
        self._warming = asyncio.ensure_future(self._warm())

    async def _warm(self) -> None:
        try:
            await (await self._camera()).warm()
        except Exception as exc:  # the first screenshot will try again and report
            logger.warning("could not open the evidence camera early: %s", exc)

    async def _camera(self) -> Camera:
        async with self._camera_lock:
            if self.camera is not None and not self.camera.browser.is_connected():
                self.camera = None  # Chromium went away (a crash): a new browser, a new camera
            if self.camera is None:
                await self._maybe_launch_browser()
                slots = self._crawler.settings.getdict("DOWNLOAD_SLOTS")
                self.camera = Camera(
                    self.browser,
                    CONTEXT,
                    size=int(slots.get(EVIDENCE_SLOT, {}).get("concurrency", 2)),
                    timeout_ms=float(self.config.navigation_timeout_ms or 30_000),
                    refuse=None if POLICY["allow_private"] else private_literal,
                )
            return self.camera

    async def _photograph(self, request: Request) -> Response:
        camera = await self._camera()
        png = await camera.shoot(
            request.url, request.meta["pobi_body"], request.meta.get("pobi_content_type", "")
        )
        request.meta["pobi_png"] = png
        return Response(request.url, status=200, request=request, flags=["pobi-camera"])

    async def close(self) -> None:
        if getattr(self, "_pobi_closed", False):
            return
        self._pobi_closed = True
        if self._warming is not None and not self._warming.done():
            self._warming.cancel()
        if self.camera is not None:
            with suppress(TimeoutError):
                await asyncio.wait_for(self.camera.close(), timeout=CLOSE_LIMIT_S)
        try:
            await asyncio.wait_for(super().close(), timeout=CLOSE_LIMIT_S)
        except TimeoutError:  # the process exits anyway; the driver then ends Chromium
            logger.warning("Chromium did not close within %.0f s; leaving it", CLOSE_LIMIT_S)


POLICY = {"allow_private": True}  # set by the spider from [crawl] allow_private_addresses


def private_literal(url: str) -> bool:
    """The URL's host is literally a private, loopback, link-local or reserved address, or
    localhost (no name is looked up). The one policy for rendering and for the camera."""
    host = (urlsplit(url).hostname or "").strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return False
    return addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved


def abort_request(request: Any) -> bool:
    """Skip media and fonts; for real-web crawls, never let a page's scripts reach private or
    loopback addresses given literally (names are checked only for the crawler's own requests)."""
    if request.resource_type in ABORTED_TYPES:
        return True
    return not POLICY["allow_private"] and private_literal(request.url)


async def serve_archived(page: Any, request: Request) -> None:
    request.meta[LIVE_PAGE] = page
    body: bytes | None = request.meta.get("pobi_body")
    if body is None:
        return
    headers = {"content-type": request.meta.get("pobi_content_type") or "text/html"}
    served = {"done": False}

    async def handler(route: Any) -> None:
        req = route.request
        if req.is_navigation_request() and req.frame == page.main_frame:
            if served["done"]:  # a script or meta refresh leaving the archived page: what the
                # browser then shows is the live site, so the spider keeps neither its DOM nor
                # its picture, and fetches the target itself as a link of this page. (Refusing
                # the navigation is not an option here: Playwright then never sees the page
                # load, and scrapy-playwright waits for that after every page method.)
                request.meta.setdefault(LEFT_FOR, []).append(req.url)
                await route.fallback()
                return
            served["done"] = True
            await route.fulfill(status=200, headers=headers, body=body)
        else:
            await route.fallback()

    await page.route("**/*", handler)


def browser_request(
    url: str,
    *,
    body: bytes,
    content_type: str,
    meta: dict[str, Any],
    callback: Any,
    errback: Any,
    evidence_only: bool = False,
    priority: int = 0,
) -> Request:
    """A request that opens ``url`` in Chromium with the archived ``body`` and screenshots it."""
    shot = PageMethod("screenshot", full_page=True, type="png")
    methods = [shot] if evidence_only else [PageMethod(settle), shot]
    goto = {"wait_until": "load"}
    m = {
        **meta,
        "playwright": True,
        "playwright_page_methods": methods,
        "playwright_page_init_callback": serve_archived,
        "playwright_page_goto_kwargs": goto,
        "pobi_body": body,
        "pobi_content_type": content_type,
        "playwright_context": "pobi",
        "playwright_context_kwargs": CONTEXT,
    }
    if evidence_only:
        m["download_slot"] = EVIDENCE_SLOT
        # the camera's reused pages; a retry goes through scrapy-playwright's own page
        m["pobi_camera"] = not meta.get("pobi_browser_retry")
        # nothing here reaches the site: AutoThrottle must not raise this slot's delay to the
        # per-host politeness delay (it did, and screenshots queued one per 0.5 s after the crawl)
        m["autothrottle_dont_adjust_delay"] = True
    return Request(
        url, meta=m, callback=callback, errback=errback, dont_filter=True, priority=priority
    )


def screenshot_of(response: Any) -> bytes | None:
    png = response.meta.get("pobi_png")
    if isinstance(png, bytes):
        return png
    for method in response.meta.get("playwright_page_methods") or []:
        if getattr(method, "method", "") == "screenshot" and isinstance(method.result, bytes):
            return method.result
    return None
