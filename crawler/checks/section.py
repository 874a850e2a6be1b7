"""Shared logic of section checks (Q&A, Tiếp cận thông tin): is a link, or the page itself, the
section? Strict on purpose: a menu, footer or breadcrumb link whose whole label is the section's
name counts; a headline that merely contains the words does not, nor does an article URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawler.checks.dom import Doc, Link, is_article_url, same_site, strip_fragment
from crawler.page import PageView
from crawler.text import label_matches, slug_key

TITLE_SEPARATORS = re.compile(r"\s+[|–—:»>]\s+|\s+-\s+|\s*::\s*|\s*\|\s*")
PAGING_PARAMS = {"page", "trang", "p_p_id", "start", "offset", "pageindex", "paged", "cur"}


@dataclass(frozen=True)
class SectionSpec:
    labels: tuple[str, ...]
    slug: re.Pattern[str]  # matches slug_key of the last path segment
    extra_words: int = 2
    prefixes: tuple[str, ...] = ()


def last_segment(url: str) -> str:
    try:
        path = urlsplit(url).path
    except ValueError:
        return ""
    segments = [s for s in path.split("/") if s]
    return slug_key(segments[-1]) if segments else ""


def slug_match(url: str, spec: SectionSpec) -> bool:
    return bool(spec.slug.fullmatch(last_segment(url))) and not is_article_url(url)


def label_match(text: str, spec: SectionSpec) -> str | None:
    if not text or len(text) > 80:
        return None
    return label_matches(text, spec.labels, extra_words=spec.extra_words, prefixes=spec.prefixes)


def drop_paging(url: str) -> str:
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k.lower() not in PAGING_PARAMS]  # fmt: skip
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept), ""))


def slug_value(url: str) -> str:
    """A slug-identified section's URL: the query is noise (paging, ids), drop it."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def section_links(page: PageView, doc: Doc, spec: SectionSpec) -> list[tuple[Link, str, str]]:
    """(link, value, reason) for links that point at the section inside this site."""
    out = []
    for link in doc.links:
        if link.tag not in ("a", "area", "script_nav") or not link.url:
            continue
        if not (same_site(link.url, page.url) or same_site(link.url, page.site_url)):
            continue
        if is_article_url(link.url):
            continue
        label = label_match(link.text, spec)
        if label:
            out.append((link, drop_paging(link.url), "label"))
        elif slug_match(link.url, spec) and len(link.text) <= 80:
            out.append((link, slug_value(link.url), "slug"))
    return out


def title_segments(title: str) -> Iterable[str]:
    parts = [p for p in TITLE_SEPARATORS.split(title) if p.strip()]
    yield title
    yield from parts
    for i in range(len(parts) - 1):
        yield parts[i] + " " + parts[i + 1]


def page_is_section(page: PageView, doc: Doc, spec: SectionSpec) -> tuple[str, str] | None:
    """(value, how) when the page itself is the section."""
    url = strip_fragment(page.url)
    if is_article_url(url):
        return None
    if slug_match(url, spec):
        return slug_value(url), "slug"
    if page.link_text and label_match(page.link_text, spec):
        return drop_paging(url), "link_text"
    for heading in doc.headings[:3]:
        if label_match(heading, spec):
            return drop_paging(url), "heading"
    for seg in title_segments(doc.title):
        if label_match(seg, spec):
            return drop_paging(url), "title"
    return None
