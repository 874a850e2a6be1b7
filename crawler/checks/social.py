"""Shared parsing of links to social networks (used by facebook.py, zalo.py, youtube.py).

An account counts when the official site itself points at it, the way portals really do it:

- ``link``: an ``<a>``/``<area>`` (icons, menus, footers; an image link or a QR-code image
  wrapped in a link is still a link);
- ``script_link``: a non-link element that navigates by script (``onclick="window.open('…')"``);
- ``page_plugin``: Facebook's page plugin, ``<div class="fb-page" data-href="…">`` or an
  ``<iframe src="https://www.facebook.com/plugins/page.php?href=…">``;
- ``zalo_widget``: Zalo's follow/chat widgets, ``<div class="zalo-follow-button" data-oaid="…">``;
- ``channel_embed``: a YouTube embed of a channel's uploads (``embed?listType=user_uploads``,
  ``list=UU…``, which is the channel ``UC…``);
- ``qr_image``: a QR-code image generated from the account's URL (``…/create-qr-code/?data=``,
  ``chart?cht=qr&chl=``).

Share, like, send and comment buttons never count (their target is what is shared or liked).
Every account's details say why it is taken as the agency's own: ``official`` ("linked from the
official site" and how), ``zone``, ``label``, and ``name_match``: whether the account's name or
label carries the province's name (noted, not required).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import parse_qs, unquote, urlsplit

from crawler.checks.dom import Doc
from crawler.page import PageView

Normaliser = Callable[[str, str, str], str]

STRENGTH = {"link": 0, "page_plugin": 1, "zalo_widget": 1, "channel_embed": 2, "script_link": 3,
            "qr_image": 4}  # fmt: skip
OFFICIAL = {
    "link": "linked from the official site",
    "script_link": "linked from the official site (a script link)",
    "page_plugin": "embedded on the official site as Facebook's page plugin",
    "zalo_widget": "placed on the official site as a Zalo Official Account widget",
    "channel_embed": "the channel's uploads embedded on the official site",
    "qr_image": "shown on the official site as a QR code of the account's address",
}
QR_PARAMS = ("data", "chl", "text", "url", "content", "d")


def account_links(doc: Doc) -> list[tuple[str, str, str]]:
    """(host, path, query) of absolute http(s) ``<a>``/``<area>`` links (iframes are embeds).

    Links inside long paragraphs of body text are left out: an article that mentions a
    newspaper's fan page is not the agency's account; icons, menus and footers are.
    """
    out = []
    for link in doc.links:
        if link.tag not in ("a", "area", "script_nav") or not link.url or link.in_prose:
            continue
        parts = _split(link.url)
        if parts:
            out.append(parts)
    return out


def _split(url: str) -> tuple[str, str, str] | None:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    return (parts.hostname or "").lower(), unquote(parts.path), parts.query


def candidates(doc: Doc) -> list[tuple[str, str, str, str, str, str]]:
    """(url, how, zone, label) -> as (host, path, query, how, zone, label) of every place the
    page points at a social account."""
    out: list[tuple[str, str, str, str, str, str]] = []

    def add(url: str, how: str, zone: str, label: str) -> None:
        parts = _split(url)
        if parts:
            out.append((*parts, how, zone, label))

    for link in doc.links:
        if not link.url or link.in_prose:
            continue
        if link.tag in ("a", "area"):
            add(link.url, "link", link.zone, link.text)
        elif link.tag == "script_nav":
            add(link.url, "script_link", link.zone, link.text)
        elif link.tag in ("iframe", "frame"):
            parts = _split(link.url)
            if not parts:
                continue
            host, path, query = parts
            if "facebook.com" in host and path.rstrip("/").endswith("/plugins/page.php"):
                add(_param(query, "href"), "page_plugin", link.zone, link.text)
            elif "youtube" in host and path.startswith("/embed"):
                listed = _param(query, "list")
                if _param(query, "listType") == "user_uploads" and listed:
                    add(f"https://www.youtube.com/user/{listed}", "channel_embed", link.zone, "")
                elif listed.startswith("UU") and len(listed) > 10:
                    add(f"https://www.youtube.com/channel/UC{listed[2:]}", "channel_embed",
                        link.zone, "")  # fmt: skip
    for w in doc.widgets:
        if w.cls == "fb-page" and w.attrs.get("data-href"):
            add(w.attrs["data-href"], "page_plugin", w.zone, w.text)
        elif w.cls.startswith("zalo-") and "share" not in w.cls and w.attrs.get("data-oaid"):
            add(f"https://zalo.me/{w.attrs['data-oaid'].strip()}", "zalo_widget", w.zone, w.text)
    for img in doc.images:
        parts = _split(img.src)
        if not parts or not parts[2]:
            continue
        for name in QR_PARAMS:
            value = _param(parts[2], name)
            if value.startswith(("http://", "https://")) and ("qr" in img.src.lower()):
                add(value, "qr_image", "", img.alt)
                break
    return out


def _param(query: str, name: str) -> str:
    values = parse_qs(query).get(name) or [""]
    return values[0].strip()


def accounts(page: PageView, doc: Doc, normalise: Normaliser) -> dict[str, dict[str, object]]:
    """value -> details (how, official, zone, label, name_match, rendered) of the page's accounts
    of one network; the strongest presentation is kept when an account appears several ways."""
    found: dict[str, dict[str, object]] = {}
    for host, path, query, how, zone, label in candidates(doc):
        value = normalise(host, path, query)
        if not value:
            continue
        current = found.get(value)
        if current is not None and STRENGTH[str(current["how"])] <= STRENGTH[how]:
            continue
        found[value] = {
            "how": how,
            "official": OFFICIAL[how],
            "zone": zone,
            "label": label[:120],
            "name_match": name_match(page.province_code, value, label),
            "rendered": page.rendered,
        }
    return found


def name_match(province_code: str, value: str, label: str) -> str:
    """The province name found in the account's address or label ('' when none): noted as
    supporting evidence, never required (agencies name accounts after themselves)."""
    from crawler.text import fold_lower

    names = _province_names(province_code)
    if not names:
        return ""
    hay_url = fold_lower(unquote(value)).replace("-", "").replace(".", "").replace("_", "")
    hay_label = fold_lower(label)
    for name in names:
        squeezed = name.replace(" ", "")
        if len(squeezed) >= 4 and squeezed in hay_url:
            return f"address contains '{squeezed}'"
        if name and f" {name} " in f" {hay_label} ":
            return f"label contains '{name}'"
    return ""


@lru_cache(maxsize=256)
def _province_names(code: str) -> tuple[str, ...]:
    """The province's short names, folded (current and legacy era); asked for every link to
    another host, so kept per code."""
    from crawler.text import fold_lower
    from pobi.errors import PobiError
    from pobi.models import Era
    from pobi.registry import province

    out = []
    for era in (Era.CURRENT, Era.LEGACY):
        try:
            out.append(fold_lower(province(era, code).short))
        except (PobiError, ValueError, KeyError):
            continue
    return tuple(n for n in dict.fromkeys(out) if n)


def segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def query_param(query: str, name: str) -> str:
    values = parse_qs(query).get(name) or [""]
    return values[0]
