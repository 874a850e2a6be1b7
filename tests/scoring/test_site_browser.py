"""The published site in the system Chromium, opened from file:// (Playwright): the map's shapes
carry their province codes and lead to the province pages, the ranking sorts, screenshots load,
the language switch works, nothing is requested outside the site's folder and no script error or
Content-Security-Policy violation happens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pobi.config import find_chromium
from scoring.site.build import publish_round
from tests.scoring.conftest import AS_OF, Built

CHROMIUM = find_chromium() or "/usr/bin/chromium-headless-shell"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Debian package 'chromium-headless-shell' is not installed",
    ),
]


@pytest.fixture(scope="module")
def site(scored: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser-site") / "site"
    with scored.store.session() as s:
        publish_round(s, "2021", out, scored.cfg, scored.evidence, at=AS_OF)
    return out


@pytest.fixture(scope="module")
def page(site: Path) -> Iterator[tuple[object, list[str], list[str]]]:
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pg = browser.new_page()
        pg.on("request", lambda r: requests.append(r.url))
        pg.on("pageerror", lambda e: problems.append(str(e)))
        pg.on(
            "console",
            lambda m: problems.append(m.text) if m.type in ("error", "warning") else None,
        )
        # anything not on file:// is refused here (and recorded above), so a leak cannot pass
        pg.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith("file://") else route.abort()
            ),
        )
        yield pg, requests, problems
        browser.close()


def test_site_works_from_file_urls_without_any_outside_request(site: Path, page) -> None:  # type: ignore[no-untyped-def]
    pg, requests, problems = page
    pg.goto((site / "index.html").as_uri())
    shapes = pg.locator("svg.pobi-map path[data-province-code]")
    assert shapes.count() == 63  # round 2021 is a legacy (63-unit) round
    codes = pg.eval_on_selector_all(
        "svg.pobi-map path[data-province-code]", "els => els.map(e => e.dataset.provinceCode)"
    )
    assert len(set(codes)) == 63
    fills = pg.eval_on_selector_all(
        "svg.pobi-map path[data-province-code]", "els => els.map(e => e.getAttribute('fill'))"
    )
    assert len(set(fills)) > 1  # a choropleth, not one grey
    assert pg.locator("svg.pobi-map [data-archipelago]").count() == 2
    assert "Quần đảo Hoàng Sa" in (pg.locator("svg.pobi-map").text_content() or "")
    box = pg.locator('svg.pobi-map path[data-province-code="01"]').bounding_box()
    assert box and box["width"] > 5 and box["height"] > 5  # drawn, visible

    # the ranking sorts by index when its header is clicked (the page's only script)
    header = pg.locator("#ranking-table thead th").nth(4)
    header.click()
    header.click()  # descending
    first = pg.locator("#ranking-table tbody tr").first.get_attribute("data-province-code")
    values = pg.eval_on_selector_all(
        "#ranking-table tbody tr td:nth-child(5)",
        "els => els.map(e => parseFloat(e.textContent.replace(',', '.')))",
    )
    numbers = [v for v in values if v == v]  # drop NaN ("–")
    assert numbers == sorted(numbers, reverse=True)

    # a province shape leads to its page, whose screenshot loads
    pg.locator(f'svg.pobi-map a:has(path[data-province-code="{first}"])').click()
    pg.wait_for_url(f"**/provinces/{first}.html")
    assert pg.locator("h1").get_attribute("data-province-code") == first
    shots = pg.locator("img.shot")
    if shots.count():
        shots.first.scroll_into_view_if_needed()
        assert pg.eval_on_selector("img.shot", "img => img.complete && img.naturalWidth > 0")

    # the language switch leads to the same page in English
    pg.locator("nav a.lang").click()
    pg.wait_for_url(f"**/en/provinces/{first}.html")
    assert pg.locator("html").get_attribute("lang") == "en"
    pg.goto((site / "en" / "methodology.html").as_uri())
    pg.goto((site / "downloads.html").as_uri())

    outside = [u for u in requests if not u.startswith("file://")]
    assert not outside, outside
    assert not problems, problems
