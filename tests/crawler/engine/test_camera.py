"""The evidence camera: real Chromium, real loopback sites, pages served from the archive only."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.async_api import async_playwright
from scrapy import Request

from crawler.browser import LAUNCH_ARGS, LOOPBACK_ONLY_ARGS
from crawler.camera import Camera, NotFromArchive, navigation_pattern
from crawler.chromium import private_literal
from pobi.config import find_chromium
from tests.crawler.engine.websites import Site
from tests.support import proctree

PNG = b"\x89PNG\r\n\x1a\n"
CSS = (200, {"Content-Type": "text/css"}, b"body { background: #fde; }")


def archived(title: str, extra: str = "") -> bytes:
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>t</title>"
        "<link rel='stylesheet' href='/static/site.css'></head>"
        f"<body><h1>{title}</h1>{extra}</body></html>"
    ).encode()


@pytest.fixture
def site() -> Iterator[Site]:
    """A loopback site serving the archived pages' stylesheet (and nothing else)."""
    s = Site(routes={"/static/site.css": CSS}).start()
    yield s
    s.stop()


async def _with_camera(
    fn: Any, *, size: int = 2, allow_private: bool = True, extra: list[str] | None = None
) -> Any:
    path = find_chromium()
    assert path, "the crawler's tests need Chromium (Debian's chromium; scripts/bootstrap.sh)"
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=path, args=LAUNCH_ARGS + LOOPBACK_ONLY_ARGS + (extra or [])
        )
        camera = Camera(
            browser,
            {"viewport": {"width": 800, "height": 600}},
            size=size,
            timeout_ms=15_000,
            refuse=None if allow_private else private_literal,
        )
        try:
            return await fn(camera)
        finally:
            await camera.close()
            await browser.close()


@pytest.mark.parametrize(
    "path",
    [
        "/tin-tuc/hoi-dap",
        '/tin-tức/hỏi đáp?q=ngân sách&x="y"',
        "/a/%E1%BB%8F-%c3%a1?page=2",
        "/Pages/Hỏi-Đáp.aspx?ID={42}|x^y`z",
    ],
)
def test_the_page_comes_from_the_archive_and_its_styles_from_the_site(
    path: str, site: Site
) -> None:
    url = Request(site.base + path).url  # as the crawler holds it (Scrapy's safe URL)

    async def go(camera: Camera) -> bytes:
        return await camera.shoot(url, archived("Hỏi đáp"), "text/html; charset=utf-8")

    png = asyncio.run(_with_camera(go))
    assert png.startswith(PNG)
    assert "/static/site.css" in site.hits
    assert len(site.hits) == 1, site.hits  # the page itself was never asked for


def test_pages_are_reused(site: Site) -> None:

    async def go(camera: Camera) -> list[bytes]:
        shots = [
            camera.shoot(f"{site.base}/p{i}", archived(f"trang {i}"), "text/html") for i in range(6)
        ]
        return list(await asyncio.gather(*shots))

    pngs, opened = asyncio.run(_with_camera(lambda c: _and_opened(c, go)))
    assert all(p.startswith(PNG) for p in pngs)
    assert len(set(pngs)) == 6  # six different pages, not one page six times
    assert opened == 2
    assert not any(h.startswith("/p") for h in site.hits)


async def _and_opened(camera: Camera, fn: Any) -> tuple[Any, int]:
    out = await fn(camera)
    return out, camera.pages_opened


def test_widgets_of_other_sites_do_not_hold_the_screenshot(site: Site) -> None:
    """A Facebook iframe and an outside image (loopback-only browser: the names fail at once)."""
    widget = (
        "<iframe src='https://www.facebook.com/plugins/page.php?href=x'></iframe>"
        "<img src='https://cdn.example.org/logo.png'>"
    )

    async def go(camera: Camera) -> tuple[bytes, float]:
        start = time.monotonic()
        png = await camera.shoot(f"{site.base}/", archived("Trang chủ", widget), "text/html")
        return png, time.monotonic() - start

    png, took = asyncio.run(_with_camera(go))
    assert png.startswith(PNG)
    assert took < 4.0


def test_a_page_that_leaves_the_archive_is_not_passed_off_as_evidence() -> None:
    """A meta refresh to another page of the site: the browser leaves the archived document for
    the live site, so the camera keeps no screenshot (the spider retries through
    scrapy-playwright, which keeps the page on the archive: test_chromium.py)."""
    live = Site(routes={"/live": (200, {"Content-Type": "text/html"}, b"<h1>LIVE</h1>")}).start()
    leave = "<meta http-equiv='refresh' content='0;url=/live'>"

    async def go(camera: Camera) -> None:
        await camera.shoot(f"{live.base}/a", archived("a", leave), "text/html")

    try:
        with pytest.raises(NotFromArchive):
            asyncio.run(_with_camera(go))
    finally:
        live.stop()


def test_a_page_reloading_itself_stays_on_the_archive(site: Site) -> None:
    """A meta refresh to the same address: the second navigation is refused, the archived page
    is photographed and the site is never asked for it."""
    reload = "<meta http-equiv='refresh' content='0'>"

    async def go(camera: Camera) -> bytes:
        png = await camera.shoot(f"{site.base}/self", archived("self", reload), "text/html")
        await asyncio.sleep(0.5)
        return png

    assert asyncio.run(_with_camera(go)).startswith(PNG)
    assert "/self" not in site.hits


def test_real_web_policy_refuses_private_addresses_for_sub_requests(site: Site) -> None:

    async def go(camera: Camera) -> bytes:
        return await camera.shoot(f"{site.base}/", archived("x"), "text/html")

    png = asyncio.run(_with_camera(go, allow_private=False))
    assert png.startswith(PNG)  # the archived page itself is shown
    assert site.hits == []  # but its loopback stylesheet was refused


def test_fonts_and_media_are_not_loaded(site: Site) -> None:
    extra = (
        "<style>@font-face{font-family:x;src:url(/f/x.woff2)} h1{font-family:x}</style>"
        "<video src='/v/clip.mp4' autoplay></video>"
    )

    async def go(camera: Camera) -> bytes:
        return await camera.shoot(f"{site.base}/", archived("x", extra), "text/html")

    assert asyncio.run(_with_camera(go)).startswith(PNG)
    assert not any(h.startswith(("/f/", "/v/")) for h in site.hits)


@pytest.mark.parametrize(
    ("given", "requested"),
    [
        ("http://127.0.0.5:8080/a#frag", "http://127.0.0.5:8080/a"),
        ("HTTP://Example.ORG:80/x", "http://example.org/x"),
        ("https://example.org:443", "https://example.org/"),
        ("http://h/t%E1%BB%8F?q=a b", "http://h/t%e1%bb%8F?q=a%20b"),
        ("http://h/hỏi", "http://h/h%E1%BB%8Fi"),
        ("http://h/a{b}", "http://h/a%7Bb%7D"),
    ],
)
def test_navigation_pattern_accepts_the_browsers_forms(given: str, requested: str) -> None:
    assert navigation_pattern(given).match(requested)


def test_navigation_pattern_is_exact() -> None:
    p = navigation_pattern("http://h/a?x=1")
    assert not p.match("http://h/a?x=12")
    assert not p.match("http://h/a")
    assert not p.match("http://evil/a?x=1")


def test_the_context_is_replaced_after_a_roll_of_shots(
    monkeypatch: pytest.MonkeyPatch, site: Site
) -> None:
    """Playwright's driver keeps state per context: a long crawl's camera changes context."""
    monkeypatch.setattr("crawler.camera.ROLL_SHOTS", 3)

    async def go(camera: Camera) -> tuple[list[bytes], int, int]:
        pngs = []
        for i in range(7):
            pngs.append(await camera.shoot(f"{site.base}/r{i}", archived(f"{i}"), "text/html"))
            # an old context is closed as soon as none of its pages is in use
            assert len(camera.browser.contexts) <= 1
        return pngs, camera.contexts_opened, camera.pages_opened

    pngs, contexts, pages = asyncio.run(_with_camera(go, size=1))
    assert all(p.startswith(PNG) for p in pngs)
    assert contexts == 3  # shots 1-3, 4-6, 7
    assert pages == 3


def test_a_frozen_browser_does_not_hold_the_crawl(site: Site) -> None:
    """Chromium stopped (SIGSTOP) mid-crawl: the screenshot fails in bounded time instead of
    waiting for ever (the spider then records it as failed and the site can finish)."""
    import os
    import signal

    frozen: list[int] = []

    def chromium_pids() -> list[int]:
        """This test's own Chromium processes (descendants of this process only: another test
        worker's browser must not be touched)."""
        me = os.getpid()
        return [p.pid for p in proctree.tree(me) if proctree.kind(p.pid, me).startswith("chromium")]

    async def go(camera: Camera) -> float:
        camera.timeout_ms = 2000  # a short navigation timeout and margin for the test
        camera.margin_s = 10
        assert (await camera.shoot(f"{site.base}/a", archived("a"), "text/html")).startswith(PNG)
        mine = set(chromium_pids())
        assert mine
        for pid in mine:
            os.kill(pid, signal.SIGSTOP)
            frozen.append(pid)
        start = time.monotonic()
        with pytest.raises((TimeoutError, Exception)):
            await camera.shoot(f"{site.base}/b", archived("b"), "text/html")
        took = time.monotonic() - start
        for pid in frozen:
            os.kill(pid, signal.SIGCONT)
        return took

    try:
        took = asyncio.run(_with_camera(go))
        assert took < 2 + 5 + 10 + 5  # navigation timeout + load wait + margin
    finally:
        for pid in frozen:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
