"""Whole pages modelled on real portal templates (Liferay, a VNPT-style portal, a WordPress
finance department saved in windows-1258): every check together must find exactly what the
page's JSON sidecar lists, nothing more."""

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
    html = (PAGES / f"{name}.html").read_bytes().decode(spec["encoding"])
    page = PageView(
        url=spec["url"],
        site_url=spec["url"],
        site_kind=SiteKind(spec["site_kind"]),
        province_code="01",
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
    for address, presentation in spec.get("email_presentation", {}).items():
        (d,) = [d for d in drafts if d.channel == Channel.EMAIL and d.value == address]
        assert d.details["presentation"] == presentation
        assert d.details["rendered"] is spec.get("rendered", False)
