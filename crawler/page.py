"""The contract between the crawl engine and the checks.

The engine fetches (and, when needed, renders) a page, decodes it and hands a :class:`PageView`
to every check in :data:`crawler.checks.ALL_CHECKS`. A check is a pure function
``PageView -> list[FindingDraft]``: no I/O, no network, no store. The engine stores drafts as
``findings`` rows (one per site, channel and value), with the page's evidence hashes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pobi.models import Channel, SiteKind


@dataclass(frozen=True)
class PageView:
    url: str  # the page's final URL (after redirects)
    site_url: str  # the site's start URL exactly as the registry or sites file gives it
    site_kind: SiteKind
    province_code: str
    html: str  # decoded text (charset detected: UTF-8, windows-1258, ... ; NFC not applied)
    encoding: str = "utf-8"
    content_type: str = "text/html"
    rendered: bool = False  # True when the HTML is Chromium's DOM after scripts ran
    depth: int = 0
    link_text: str = ""  # the anchor text of the link that led here ('' for the start page)


@dataclass(frozen=True)
class FindingDraft:
    channel: Channel
    value: str  # DESIGN.md §6: URL, lower-cased e-mail, phone digits, account URL
    details: dict[str, Any] = field(default_factory=dict)  # JSON-serialisable


@dataclass(frozen=True)
class LinkHint:
    """A link worth following early (the engine crawls hinted links before others)."""

    url: str
    reason: str  # e.g. 'qa_label', 'contact_label'
    priority: int = 10
