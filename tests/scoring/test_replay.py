"""A finding's archived page, from the round's WACZ, opens in the two standard web-archive players
— pywb and ReplayWeb.page — each served on 127.0.0.1 and read in the system Chromium.

Real parts: the published site of a scored synthetic round (real store, real evidence files),
pywb 2.10 (its own venv: its pins conflict with the project's) and ReplayWeb.page 2.5.3 (the npm
package's ui.js and sw.js), both installed by scripts/bootstrap.sh into .tools/. The known text
is read from the evidence store's copy of the finding's WARC, not from the package.

Nothing may leave loopback: Chromium sends every non-loopback request (pages, service worker,
workers alike) to a recording proxy on 127.0.0.1 that refuses it; the test fails on any, and
first proves the proxy does see such a request.
"""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from sqlalchemy import select

from pobi.config import find_chromium
from pobi.store.tables import Finding, Page
from scoring.site.build import publish_round
from tests.scoring.conftest import AS_OF, Built, build
from tests.support.servers import free_port, wait_port

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / ".tools"
WAYBACK = TOOLS / "pywb" / "bin" / "wayback"
WB_MANAGER = TOOLS / "pywb" / "bin" / "wb-manager"
RWP = TOOLS / "replaywebpage"
CHROMIUM = find_chromium() or "/usr/bin/chromium-headless-shell"
OFF_LOOPBACK = "http://198.51.100.7/probe"  # TEST-NET-2: the proxy's self-check

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Debian package 'chromium-headless-shell' is not installed",
    ),
]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.parts.append(data.strip())


CRAWLED_URL = "https://stc.hanoi.gov.vn/hoi-dap/ngan-sach"
CRAWLED_TEXT = "Hỏi đáp về dự toán ngân sách tỉnh năm 2026"


def _crawled_page(built: Built) -> None:
    """A page as the crawler writes it (crawler.archive.build_warc: gzipped request + response
    records), with its finding, in the round: the synthetic pages' WARCs are plain responses."""
    from datetime import UTC, datetime

    from crawler.archive import Exchange, build_warc
    from pobi.evidence import record
    from pobi.store.tables import CrawlSite

    body = (
        f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>Hỏi đáp</title>"
        f"</head><body><h1>{CRAWLED_TEXT}</h1><p>Gửi câu hỏi</p></body></html>"
    ).encode()
    at = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
    warc = build_warc(
        Exchange(
            CRAWLED_URL, 200, [("Content-Type", "text/html; charset=utf-8")], body, fetched_at=at
        )
    )
    with built.store.session() as s:
        site = s.scalars(
            select(CrawlSite).where(CrawlSite.round_id == "2026", CrawlSite.province_code == "01")
        ).first()
        sha = record(s, built.evidence, warc, kind="warc", media_type="application/warc")
        s.add(Page(round_id="2026", site_id=site.id, url=CRAWLED_URL, final_url=CRAWLED_URL,
                   depth=1, status="ok", http_status=200, content_type="text/html; charset=utf-8",
                   size=len(body), warc_sha256=sha, fetched_at=at))  # fmt: skip
        s.add(Finding(round_id="2026", site_id=site.id, province_code="01", site_kind="finance",
                      channel="qa_section", value=CRAWLED_URL, found_on=CRAWLED_URL,
                      evidence_sha256=sha, details={}, found_at=at))  # fmt: skip
        s.commit()


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """The round's WACZ and two findings' archived pages: a synthetic one (plain WARC) and one
    written by the crawler (gzipped). Each page's known text is read from the evidence store's
    WARC, not from the package."""
    from warcio.archiveiterator import ArchiveIterator

    from pobi.models import Era

    home = tmp_path_factory.mktemp("replay")
    built = build(home / "home", f"sqlite:///{home / 'home' / 'pobi.sqlite'}",
                  rounds=(("2026", Era.CURRENT),))  # fmt: skip
    _crawled_page(built)
    out = home / "site"
    pages: dict[str, tuple[str, str]] = {}
    with built.store.session() as s:
        publish_round(s, "2026", out, built.cfg, built.evidence, at=AS_OF)
        synthetic = s.scalars(
            select(Finding.evidence_sha256)
            .join(Page, Page.warc_sha256 == Finding.evidence_sha256)
            .where(Finding.round_id == "2026", Finding.evidence_sha256 != "")
            .order_by(Finding.id)
        ).first()
        crawled = s.scalars(select(Page.warc_sha256).where(Page.url == CRAWLED_URL)).one()
    for name, sha in (("synthetic", synthetic), ("crawled", crawled)):
        assert sha
        for rec in ArchiveIterator(io.BytesIO(built.evidence.read(sha))):
            if rec.rec_type == "response":
                parser = _Text()
                parser.feed(rec.content_stream().read().decode("utf-8"))
                text = max(parser.parts, key=len)  # the page's longest text, e.g. its heading
                assert len(text) > 5
                pages[name] = (rec.rec_headers.get_header("WARC-Target-URI"), text)
                break
    assert pages["crawled"] == (CRAWLED_URL, CRAWLED_TEXT)
    yield {"wacz": out / "downloads" / "pobi-2026.wacz", **pages}
    built.store.close()


class _Proxy(BaseHTTPRequestHandler):
    """Chromium's proxy for everything that is not loopback: records the request, refuses it."""

    seen: ClassVar[list[str]] = []

    def log_message(self, *args: object) -> None:
        pass

    def _refuse(self) -> None:
        _Proxy.seen.append(f"{self.command} {self.path}")
        self.send_error(403, "pobi test: no network")

    do_CONNECT = do_GET = do_POST = do_HEAD = do_PUT = do_OPTIONS = _refuse


class _Static(SimpleHTTPRequestHandler):
    """A static host as GitHub Pages or nginx behave: byte ranges (players read a WACZ by
    ranges), and a folder without index.html is a 404, not a listing."""

    def log_message(self, *args: object) -> None:
        pass

    def list_directory(self, path):  # type: ignore[no-untyped-def]
        self.send_error(404)
        return None

    def end_headers(self) -> None:
        self.send_header("Accept-Ranges", "bytes")
        super().end_headers()

    def send_head(self):  # type: ignore[no-untyped-def]
        path = self.translate_path(self.path)
        wanted = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", "").strip())
        if not wanted or not os.path.isfile(path):
            return super().send_head()
        size = os.path.getsize(path)
        if wanted.group(1):
            start = int(wanted.group(1))
            end = min(int(wanted.group(2)) if wanted.group(2) else size - 1, size - 1)
        else:  # the last N bytes (a ZIP's central directory)
            start, end = max(0, size - int(wanted.group(2))), size - 1
        with open(path, "rb") as fh:
            fh.seek(start)
            data = fh.read(end - start + 1)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


def _serve(handler) -> Iterator[str]:  # type: ignore[no-untyped-def]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    proxy = _serve(_Proxy)
    proxy_url = next(proxy)
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            # every request not to loopback goes to the recording proxy (Chromium never proxies
            # loopback), service workers' and web workers' requests included
            f"--proxy-server={proxy_url}"]  # fmt: skip
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=args)
        page = b.new_page()
        page.goto("about:blank")
        page.evaluate(f"() => fetch('{OFF_LOOPBACK}', {{mode: 'no-cors'}}).catch(() => null)")
        assert any("198.51.100.7" in s for s in _Proxy.seen), "the proxy does not see requests"
        page.close()
        _Proxy.seen.clear()
        yield b
        b.close()
    next(proxy, None)


def _text_in_frames(page, text: str, timeout: float = 60.0) -> str:  # type: ignore[no-untyped-def]
    """Wait until some frame of the page shows ``text``; return that frame's URL."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                shown = frame.evaluate("() => document.body ? document.body.innerText : ''")
            except Exception:  # a frame navigating away
                continue
            if text in shown:
                return frame.url
        page.wait_for_timeout(250)
    raise AssertionError(f"{text!r} not shown in any frame: {[f.url for f in page.frames]}")


@pytest.mark.skipif(not WAYBACK.exists(), reason="pywb not installed: run scripts/bootstrap.sh")
def test_a_findings_page_replays_in_pywb(browser, archived, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wacz = archived["wacz"]
    root = tmp_path / "pywb"
    root.mkdir()
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    for cmd in (["init", "round"], ["add", "--unpack-wacz", "round", str(wacz)]):
        done = subprocess.run(
            [str(WB_MANAGER), *cmd], cwd=root, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert "does not contain" not in done.stderr, done.stderr  # e.g. no index it can read
    port = free_port()
    proc = subprocess.Popen(
        [str(WAYBACK), "--bind", "127.0.0.1", "--port", str(port)],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_port("127.0.0.1", port, timeout=60)
        page = browser.new_page()
        for name in ("synthetic", "crawled"):
            url, text = archived[name]
            # pywb's framed replay of the newest capture, as its collection page links it
            page.goto(f"http://127.0.0.1:{port}/round/{url}")
            frame = _text_in_frames(page, text)
            assert "/round/" in frame and frame.endswith(url), (name, frame)
        page.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert _Proxy.seen == [], f"requests left 127.0.0.1: {_Proxy.seen[:5]}"


@pytest.mark.skipif(
    not (RWP / "sw.js").exists(), reason="ReplayWeb.page not installed: run scripts/bootstrap.sh"
)
def test_a_findings_page_replays_in_replayweb_page(browser, archived, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """ReplayWeb.page's embed, as a journalist would self-host it beside the WACZ: ui.js, and
    replay/sw.js (its service worker), from the same loopback host."""
    wacz = archived["wacz"]
    host = tmp_path / "host"
    (host / "replay").mkdir(parents=True)
    shutil.copy(RWP / "ui.js", host / "ui.js")
    shutil.copy(RWP / "sw.js", host / "replay" / "sw.js")
    shutil.copy(wacz, host / wacz.name)
    for name in ("synthetic", "crawled"):
        url, _text = archived[name]
        (host / f"{name}.html").write_text(
            '<!doctype html><html><head><meta charset="utf-8"><script src="./ui.js"></script>'
            f'</head><body><replay-web-page source="./{wacz.name}" url="{url}"'
            ' replayBase="./replay/" embed="replayonly" style="height:600px;display:block">'
            "</replay-web-page></body></html>",
            encoding="utf-8",
        )
    server = _serve(functools.partial(_Static, directory=str(host)))
    base = next(server)
    try:
        errors: list[str] = []
        for name in ("synthetic", "crawled"):
            url, text = archived[name]
            page = browser.new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{base}/{name}.html")
            frame = _text_in_frames(page, text)
            assert frame.startswith(f"{base}/replay/w/") and frame.endswith(url), (name, frame)
            page.close()
        assert errors == [], errors
    finally:
        next(server, None)
    assert _Proxy.seen == [], f"requests left 127.0.0.1: {_Proxy.seen[:5]}"
