"""The real `pobi dashboard` in the system Chromium (Playwright): every page renders, nothing
leaves 127.0.0.1, a hostile reply stays inert, public mode sends no personal data to the browser.

Screenshots of every page are saved to the test's tmp dir (path printed on failure).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from pobi.config import find_chromium
from pobi.sandbox.synthetic import HOSTILE_SCRIPT
from pobi.store.tables import CrawlSite, Message, Page, ProbeRequest
from tests.conftest import POBI
from tests.dashboard.seed import Seeded
from tests.support.servers import free_port, wait_port

CHROMIUM = find_chromium() or "/usr/bin/chromium-headless-shell"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BEACON_HOST = "198.51.100.7"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Debian package 'chromium-headless-shell' is not installed",
    ),
]


@contextmanager
def running_dashboard(home: Path, *extra: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_port()
    env = {**os.environ, "POBI_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "200"}
    env.pop("POBI_DATABASE_URL", None)
    proc = subprocess.Popen(
        [POBI, "dashboard", "--port", str(port), *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # read its output all along: a pipe nobody reads fills up and blocks the writer (Streamlit
    # logs to the stderr it inherits), which looked like a dashboard that ignores Ctrl-C
    output: list[str] = []
    assert proc.stdout is not None
    reader = threading.Thread(target=lambda: output.extend(proc.stdout or []), daemon=True)
    reader.start()
    try:
        wait_port("127.0.0.1", port, timeout=60)
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            pytest.fail("pobi dashboard did not stop on Ctrl-C:\n" + "".join(output[-40:]))
        reader.join(timeout=10)
    assert proc.returncode == 0, "".join(output)
    with socket.socket() as s:  # Streamlit itself stopped too: nothing listens on the port
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is fine
        s.bind(("127.0.0.1", port))


class Recorder:
    """Every request the page makes, every dialog, every websocket frame the server sent."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.frames: list[bytes] = []
        self.errors: list[str] = []

    def attach(self, page) -> None:  # type: ignore[no-untyped-def]
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

        def on_ws(ws) -> None:  # type: ignore[no-untyped-def]
            ws.on(
                "framereceived",
                lambda payload: self.frames.append(
                    payload if isinstance(payload, bytes) else payload.encode()
                ),
            )

        page.on("websocket", on_ws)

    def off_loopback(self) -> list[str]:
        bad = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in {"data", "blob", "about"}:
                continue
            if parts.hostname != "127.0.0.1":
                bad.append(url)
        return bad


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def settle(page, until: str = "", timeout: float = 45_000) -> None:  # type: ignore[no-untyped-def]
    """Wait until Streamlit has drawn the page: ``until`` (a text near the page's end) is shown
    and the script run is over."""
    page.wait_for_selector("h1", timeout=timeout)
    if until:
        page.get_by_text(until, exact=False).first.wait_for(timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout
    )
    page.wait_for_timeout(700)  # charts (Vega) draw after the script run ends


def visit(page, url: str, shots: Path, name: str, until: str = "") -> str:  # type: ignore[no-untyped-def]
    page.goto(url)
    settle(page, until)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    return page.inner_text("body")


URLS = {p: p for p in ("province", "replies", "trends", "data")} | {"overview": ""}
PAGES = {
    # url path: (Vietnamese, English) text near the end of the page, that must be shown
    "overview": ("Bấm tiêu đề cột để sắp xếp", "Click a column header to sort"),
    "province": ("Yêu cầu cung cấp thông tin và phản hồi", "Requests and replies"),
    "replies": ("Thời hạn trả lời", "Deadlines"),
    "trends": ("Bảng đối chiếu 63 → 34", "Crosswalk 63 → 34"),
    "data": ("Sổ tay mã hóa", "Codebook"),
}


# Every element that draws a table or chart on a canvas or as SVG, not as text
CANVAS = ", ".join(
    f'[data-testid="{t}"]'
    for t in ("stDataFrame", "stDataEditor", "stTable", "stVegaLiteChart", "stArrowVegaLiteChart",
              "stPlotlyChart", "stDeckGlJsonChart", "stGraphVizChart", "stPyplot", "stBokehChart")
)  # fmt: skip
UNPAIRED = f"""() => [...document.querySelectorAll('{CANVAS}')].filter(el => {{
    const box = el.closest('[class*="st-key-readable_"]');
    return !box || !box.querySelector('table.pobi-text-table td');
}}).map(el => el.getAttribute('data-testid'))"""


def readable_tables(page, lang: str, path: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Every canvas table or chart on the page sits in a readable container (dashboard/readable.py)
    with its HTML table text; returns problems, including, in Vietnamese, a header that is a raw
    id or an English label (a Data preview's headers are the export file's own column names)."""
    from tests.dashboard.test_vi_walk import NOT_WORDS, RAW_ID, english_labels

    problems = [f"{path} ({lang}): {t} without HTML table text" for t in page.evaluate(UNPAIRED)]
    drawn = page.query_selector_all(CANVAS)
    texts = page.query_selector_all("table.pobi-text-table")
    if drawn and not texts:
        problems.append(f"{path} ({lang}): no HTML table text at all")
    if lang == "vi" and path != "data":
        english = english_labels()
        for th in page.eval_on_selector_all(
            "table.pobi-text-table th", "els => els.map(e => e.textContent)"
        ):
            if RAW_ID.findall(NOT_WORDS.sub(" ", th)) or th.strip() in english:
                problems.append(f"{path} (vi): header {th!r} is a raw id or English")
    return problems


def _hostile_target(seeded: Seeded) -> tuple[str, str]:
    engine = create_engine(seeded.url)
    with Session(engine) as s:
        row = s.execute(
            select(Message.round_id, ProbeRequest.province_code)
            .join(ProbeRequest, ProbeRequest.id == Message.request_id)
            .where(Message.body_text.contains(HOSTILE_SCRIPT))
        ).first()
    engine.dispose()
    assert row is not None, "the seeded store has no hostile reply"
    return row[0], row[1]


MD_BEACON = f"![b](http://{BEACON_HOST}/md.gif)"


def _plant_hostile_page(seeded: Seeded, round_id: str, code: str) -> None:
    """A crawled page whose URL carries Markdown image syntax, with a screenshot: its caption
    on the Province page must stay text."""
    engine = create_engine(seeded.url)
    with Session(engine) as s:
        site = s.scalars(
            select(CrawlSite).where(CrawlSite.round_id == round_id, CrawlSite.province_code == code)
        ).first()
        shot = s.scalars(select(Page.screenshot_sha256).where(Page.screenshot_sha256 != "")).first()
        s.add(
            Page(
                round_id=round_id,
                site_id=site.id,
                url=f"{site.url}tin-tuc{MD_BEACON}",
                status="ok",
                depth=0,
                screenshot_sha256=shot,
                fetched_at=datetime(2021, 3, 2, tzinfo=UTC),
            )
        )
        s.commit()
    engine.dispose()


def test_researcher_mode_every_page_both_languages_offline_and_hostile_reply_inert(
    browser, seeded: Seeded, tmp_path: Path
) -> None:
    shots = tmp_path / "shots"
    shots.mkdir()
    rec = Recorder()
    _plant_hostile_page(seeded, *_hostile_target(seeded))
    with running_dashboard(seeded.home) as (base, _proc):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        rec.attach(page)
        # every page in Vietnamese (the default), the overview in English too (the hostile
        # reply's Province page below is visited in English)
        visits = [("vi", p) for p in PAGES] + [("en", p) for p in PAGES]
        unreadable: list[str] = []
        for lang, path in visits:
            expected = PAGES[path][0 if lang == "vi" else 1]
            text = visit(
                page, f"{base}/{URLS[path]}?lang={lang}", shots, f"{path}-{lang}", expected
            )
            assert expected in text, f"{path} ({lang}): {expected!r} missing"
            assert "Page not found" not in text, f"{path}: no such page"
            assert "Traceback" not in text, f"{path} ({lang}) shows a traceback"
            assert not page.query_selector('[data-testid="stException"]'), path
            unreadable += readable_tables(page, lang, path)
            if path == "overview":  # the map and the ranking table are drawn
                shapes = page.query_selector_all("svg.pobi-map path[data-province-code]")
                assert len(shapes) == 34, "no map of the 34 units"
                assert page.get_by_text("Hoàng Sa", exact=False).count() >= 1
                assert page.query_selector('[data-testid="stDataFrame"]'), "no ranking table"
                # a text search finds every province name in the ranking's HTML text
                # (text_content: the table sits in a collapsed expander, which Chromium's
                # find-in-page opens)
                ranking = page.text_content(".st-key-readable_ranking table.pobi-text-table") or ""
                from pobi.registry import provinces

                missing = [p.short for p in provinces("current") if p.short not in ranking]
                assert missing == [], missing
        review = visit(page, f"{base}/review?lang=vi", shots, "review-vi", "Thư chưa đối chiếu")
        assert "Rà soát và mã hóa" in review and "Thư chưa đối chiếu" in review
        unreadable += readable_tables(page, "vi", "review")
        # the Province page of a round with requests, replies and documents (its tables), too
        for lang in ("vi", "en"):
            page.goto(f"{base}/province?lang={lang}&round=2026&province=01")
            settle(page, PAGES["province"][lang == "en"])
            unreadable += readable_tables(page, lang, "province 2026/01")
        assert unreadable == [], "\n".join(unreadable)

        # the hostile reply: shown as text, its script never runs, its beacon never loads
        round_id, code = _hostile_target(seeded)
        page.goto(f"{base}/province?lang=en&round={round_id}&province={code}")
        settle(page, "Timeline")
        for expander in page.query_selector_all('[data-testid="stExpander"] summary'):
            expander.click()
        page.wait_for_timeout(800)
        page.screenshot(path=str(shots / "province-hostile.png"), full_page=True)
        text = page.inner_text("body")
        assert HOSTILE_SCRIPT in text, "the hostile reply should be visible as plain text"
        assert MD_BEACON in text, "a crawled URL's Markdown should be visible as plain text"
        assert (
            page.evaluate("() => document.querySelectorAll('img[src*=\"198.51.100\"]').length") == 0
        )
    assert rec.dialogs == [], f"a script from a reply ran: {rec.dialogs}"
    assert not [u for u in rec.requests if BEACON_HOST in u], "the beacon was fetched"
    assert rec.off_loopback() == [], f"requests left 127.0.0.1: {rec.off_loopback()[:5]}"
    assert len(rec.requests) > 20  # the recorder saw the app's own traffic
    print(f"screenshots: {shots}")


def test_public_mode_sends_no_personal_data_and_hides_review(
    browser, seeded: Seeded, tmp_path: Path
) -> None:
    shots = tmp_path / "shots"
    shots.mkdir()
    rec = Recorder()
    personal = sorted(seeded.summary.personal_strings)
    assert len(personal) > 10
    round_id, code = _hostile_target(seeded)
    texts = []
    with running_dashboard(seeded.home, "--public") as (base, _proc):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        rec.attach(page)
        unreadable: list[str] = []
        for path in PAGES:
            texts.append(
                visit(page, f"{base}/{URLS[path]}", shots, f"public-{path}", PAGES[path][0])
            )
            unreadable += readable_tables(page, "vi", path)
        assert unreadable == [], "\n".join(unreadable)
        for r in ("2021", "2026"):
            page.goto(f"{base}/province?round={r}&province={code if r == round_id else '01'}")
            settle(page, PAGES["province"][0])
            for expander in page.query_selector_all('[data-testid="stExpander"] summary'):
                expander.click()
            page.wait_for_timeout(500)
            page.screenshot(path=str(shots / f"public-province-{r}.png"), full_page=True)
            texts.append(page.inner_text("body"))
        nav = page.inner_text('[data-testid="stSidebarNav"]')
        assert "Rà soát" not in nav and "Review" not in nav
        page.goto(f"{base}/review")
        page.wait_for_timeout(2500)
        texts.append(page.inner_text("body"))
        assert "Rà soát và mã hóa" not in texts[-1]
    rendered = "\n".join(texts)
    wire = b"\n".join(rec.frames)
    assert len(wire) > 10_000  # the pages' data did come over the websocket
    for s in personal:
        assert s not in rendered, f"personal data on a public page: {s!r}"
        assert s.encode() not in wire, f"personal data sent to the browser: {s!r}"
    assert HOSTILE_SCRIPT not in rendered and HOSTILE_SCRIPT.encode() not in wire
    assert rec.dialogs == []
    assert rec.off_loopback() == [], f"requests left 127.0.0.1: {rec.off_loopback()[:5]}"
