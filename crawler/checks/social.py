"""Shared parsing of links to social networks (used by facebook.py, zalo.py, youtube.py)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from crawler.checks.dom import Doc


def account_links(doc: Doc) -> list[tuple[str, str, str]]:
    """(host, path, query) of absolute http(s) ``<a>``/``<area>`` links (iframes are embeds).

    Links inside long paragraphs of body text are left out: an article that mentions a
    newspaper's fan page is not the agency's account; icons, menus and footers are.
    """
    out = []
    for link in doc.links:
        if link.tag not in ("a", "area") or not link.url or link.in_prose:
            continue
        try:
            parts = urlsplit(link.url)
        except ValueError:
            continue
        out.append(((parts.hostname or "").lower(), parts.path, parts.query))
    return out


def segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def query_param(query: str, name: str) -> str:
    values = parse_qs(query).get(name) or [""]
    return values[0]
