"""Small helpers for check tests: a PageView from an HTML snippet."""

from __future__ import annotations

import unicodedata

from crawler.page import FindingDraft, PageView
from pobi.models import Channel, SiteKind

BASE = "http://portal.example-tinh.gov.vn/"


def view(
    body: str,
    *,
    url: str = BASE,
    site_url: str = BASE,
    kind: SiteKind = SiteKind.PORTAL,
    title: str = "Cổng thông tin điện tử tỉnh",
    rendered: bool = False,
    link_text: str = "",
    nfd: bool = False,
    raw: bool = False,
) -> PageView:
    html = (
        body
        if raw
        else (
            f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body>{body}</body></html>"
        )
    )
    if nfd:
        html = unicodedata.normalize("NFD", html)
    return PageView(
        url=url,
        site_url=site_url,
        site_kind=kind,
        province_code="01",
        html=html,
        rendered=rendered,
        link_text=link_text,
    )


def values(drafts: list[FindingDraft], channel: Channel | None = None) -> set[str]:
    return {d.value for d in drafts if channel is None or d.channel == channel}


def by_value(drafts: list[FindingDraft]) -> dict[str, FindingDraft]:
    return {d.value: d for d in drafts}
