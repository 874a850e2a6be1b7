"""URLs: site identity, canonical form for de-duplication, link extraction and trap guards."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.html
from lxml import etree
from w3lib.url import canonicalize_url, safe_url_string

MAX_URL_LENGTH = 500
MAX_QUERY_VARIANTS = 8  # distinct query strings per path and site (calendars, filters, paging)
MAX_SEGMENT_REPEAT = 2  # /a/b/a/b/a/... is a trap
SESSION_PARAMS = frozenset(
    {"jsessionid", "phpsessid", "sid", "sessionid", "session_id", "aspsessionid", "cfid", "cftoken"}
)
SKIP_EXTENSIONS = frozenset(
    [
        "7z",
        "aac",
        "avi",
        "bin",
        "bmp",
        "bz2",
        "css",
        "csv",
        "dmg",
        "doc",
        "docx",
        "exe",
        "flv",
        "gif",
        "gz",
        "ico",
        "iso",
        "jar",
        "jpeg",
        "jpg",
        "js",
        "json",
        "m4a",
        "m4v",
        "mkv",
        "mov",
        "mp3",
        "mp4",
        "mpeg",
        "mpg",
        "msi",
        "odp",
        "ods",
        "odt",
        "ogg",
        "pdf",
        "png",
        "ppt",
        "pptx",
        "ps",
        "rar",
        "rss",
        "svg",
        "swf",
        "tar",
        "tgz",
        "tif",
        "tiff",
        "ttf",
        "wav",
        "webm",
        "webp",
        "wma",
        "wmv",
        "woff",
        "woff2",
        "xls",
        "xlsx",
        "xml",
        "zip",
    ]
)


def host_key(url: str) -> str:
    """The site identity of a URL: lower-case host without 'www.', with a non-default port."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    try:
        port = parts.port
    except ValueError:
        port = None
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return f"{host}:{port}" if port and port != default else host


def same_host(a: str, b: str) -> bool:
    """Hosts compared case-insensitively, 'www.' ignored (used for the registry comparison)."""
    return (urlsplit(a).hostname or "").lower().removeprefix("www.").rstrip(".") == (
        urlsplit(b).hostname or ""
    ).lower().removeprefix("www.").rstrip(".")


# clean() and canonical() are pure and asked for the same menu links on every page of a site
@lru_cache(maxsize=32768)
def clean(url: str) -> str:
    """The URL we request: no fragment, session-id parameters removed, safe characters."""
    parts = urlsplit(safe_url_string(url.strip()))
    path = re.sub(r";(jsessionid|phpsessid|sid)=[^/?#]*", "", parts.path, flags=re.IGNORECASE)
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if k.lower() not in SESSION_PARAMS]
        if len(kept) != len(pairs):
            query = urlencode(kept)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path or "/", query, ""))


@lru_cache(maxsize=32768)
def canonical(url: str) -> str:
    """De-duplication key: cleaned, query sorted, 'www.' and case of the host ignored."""
    c = canonicalize_url(clean(url), keep_fragments=False)
    parts = urlsplit(c)
    return urlunsplit((parts.scheme, host_key(c), parts.path, parts.query, ""))


def is_trap(url: str) -> str | None:
    """Why following this URL looks like a crawler trap, or None."""
    if len(url) > MAX_URL_LENGTH:
        return "url too long"
    segments = [s for s in urlsplit(url).path.split("/") if s]
    for seg in set(segments):
        if segments.count(seg) > MAX_SEGMENT_REPEAT:
            return f"path segment {seg!r} repeats"
    return None


def skip_by_extension(url: str) -> bool:
    path = urlsplit(url).path.lower()
    if "." not in path.rsplit("/", 1)[-1]:
        return False
    return path.rsplit(".", 1)[-1] in SKIP_EXTENSIONS


@dataclass(frozen=True)
class Link:
    url: str  # absolute, cleaned
    text: str  # anchor text (or title), whitespace collapsed
    tag: str  # a | area | iframe | frame


def extract_links(html: str, base_url: str) -> list[Link]:
    """Every followable http(s) link of a page, in document order, without duplicates."""
    if not html.strip():
        return []
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    base = base_url
    for b in doc.iter("base"):
        if b.get("href"):
            base = urljoin(base_url, b.get("href").strip())
            break
    out: list[Link] = []
    seen: set[str] = set()
    for el in doc.iter("a", "area", "iframe", "frame"):
        raw = el.get("src") if el.tag in ("iframe", "frame") else el.get("href")
        if not raw:
            continue
        raw = raw.strip()
        if not raw or raw.startswith("#"):
            continue
        try:
            absolute = urljoin(base, raw)
        except ValueError:
            continue
        if urlsplit(absolute).scheme not in ("http", "https"):
            continue
        try:
            url = clean(absolute)
        except ValueError:
            continue
        key = canonical(url)
        if key in seen:
            continue
        seen.add(key)
        text = " ".join((el.text_content() or el.get("title") or "").split())[:300]
        out.append(Link(url=url, text=text, tag=str(el.tag)))
    _script_links(doc, base, seen, out)
    return out


def _script_links(doc: Any, base: str, seen: set[str], out: list[Link]) -> None:
    """Targets of ``onclick``/``javascript:``/``data-href`` navigation (crawler.scriptnav)."""
    from crawler.scriptnav import lxml_targets

    for el, raw, _how in lxml_targets(doc):
        try:
            absolute = urljoin(base, raw.strip())
            if urlsplit(absolute).scheme not in ("http", "https"):
                continue
            url = clean(absolute)
        except ValueError:
            continue
        key = canonical(url)
        if key in seen:
            continue
        seen.add(key)
        text = " ".join((el.text_content() or el.get("title") or "").split())[:300]
        out.append(Link(url=url, text=text, tag="script_nav"))


def query_variant_key(url: str) -> tuple[str, str]:
    """(site+path, query): the trap guard counts distinct queries per path."""
    parts = urlsplit(canonical(url))
    return f"{parts.netloc}{parts.path}", parts.query
