"""Whole pages modelled on real portal families (VNPT, Viettel, Liferay, SharePoint, DotNetNuke,
WordPress, Joomla, custom ASP.NET; each file named after its quirk and saying in its header that
it is modelled, not captured): every check together must find exactly what the page's JSON
sidecar lists, nothing more. Optional sidecar keys: ``render`` (the rendering policy's reason
code, or null), ``qa_details`` (the page's own Q&A finding), ``details`` (channel -> value ->
detail keys), ``province_code``. ``pobi crawl fixture`` writes new ones from a real crawl."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.checks import run_checks_with_errors
from crawler.page import PageView
from pobi.models import Channel, SiteKind

PAGES = Path(__file__).parent / "pages"


@pytest.mark.parametrize("name", sorted(p.stem for p in PAGES.glob("*.html")))
def test_whole_page(name: str) -> None:
    spec = json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))
    if "stub" in spec:
        pytest.fail(f"{name}.json is a ground-truth stub (pobi crawl fixture): {spec['stub']}")
    html = (PAGES / f"{name}.html").read_bytes().decode(spec["encoding"])
    page = PageView(
        url=spec["url"],
        site_url=spec["url"],
        site_kind=SiteKind(spec["site_kind"]),
        province_code=spec.get("province_code", "01"),
        html=html,
        encoding=spec["encoding"],
        rendered=spec.get("rendered", False),
    )
    drafts, errors = run_checks_with_errors(page)
    assert errors == []
    found = {c.value: sorted(d.value for d in drafts if d.channel == c) for c in Channel}
    expected = {c.value: sorted(spec["expected"].get(c.value, [])) for c in Channel}
    assert found == expected
    if "qa_details" in spec:
        (section,) = [
            d for d in drafts if d.channel == Channel.QA_SECTION and d.value == spec["url"]
        ]
        assert {k: section.details[k] for k in spec["qa_details"]} == spec["qa_details"]
    if "render" in spec:
        from crawler.render import needs_render

        assert needs_render(html, spec["url"]) == spec["render"]
    for channel, by_value in spec.get("details", {}).items():
        for value, want in by_value.items():
            (d,) = [d for d in drafts if d.channel.value == channel and d.value == value]
            assert {k: d.details.get(k) for k in want} == want, (channel, value)
    for address, presentation in spec.get("email_presentation", {}).items():
        (d,) = [d for d in drafts if d.channel == Channel.EMAIL and d.value == address]
        assert d.details["presentation"] == presentation
        assert d.details["rendered"] is spec.get("rendered", False)
