"""The rendering policy: does a statically fetched page need Chromium to show what a citizen sees?

Pure and cheap (one lxml parse). ``--render auto`` renders a page only when :func:`needs_render`
gives a reason; the reason is stored in ``pages.render_reason``.
"""

from __future__ import annotations

import hashlib
import re

import lxml.html
from lxml import etree

JS_SHELL = "js_shell"  # little visible text, the page is built by script
SCRIPT_MENU = "script_menu"  # navigation built by script (few or no links in the HTML)
SCRIPT_EMAIL = "script_email"  # an e-mail address assembled by script

MIN_TEXT = 200  # visible characters below which a page with scripts is a shell
MIN_LINKS = 3

_EMAIL_IN_SCRIPT = re.compile(
    r"""mailto|['"]\s*@\s*['"]|fromCharCode|\\x40|&#64;|\\u0040|['"]@|@['"]|[\w.+-]@[\w-]+\.\w""",
    re.IGNORECASE,
)
_MENU_IN_SCRIPT = re.compile(
    r"""createElement\(\s*['"]a['"]\s*\)|\.href\s*=|innerHTML\s*[+]?=\s*[^;]*<a\s|insertAdjacentHTML[^;]*<a\s""",
    re.IGNORECASE,
)
_CONCAT = re.compile(r"""['"]\s*\+\s*['"]""")
_APP_ROOT = re.compile(r"^(app|root|__next|__nuxt|main-app|spa)$", re.IGNORECASE)
_CLOUDFLARE = "email-decode"


def _inline_scripts(doc: lxml.html.HtmlElement) -> tuple[int, str]:
    count = 0
    inline: list[str] = []
    for script in doc.iter("script"):
        kind = (script.get("type") or "text/javascript").lower()
        if "json" in kind or "template" in kind:
            continue
        count += 1
        src = script.get("src") or ""
        if _CLOUDFLARE in src:
            count -= 1  # Cloudflare's e-mail decoder: the checks decode data-cfemail statically
            continue
        if script.text:
            inline.append(script.text)
    return count, "\n".join(inline)


def _visible_text(doc: lxml.html.HtmlElement) -> str:
    body = doc.find("body")
    root = body if body is not None else doc
    for bad in root.xpath(".//script|.//style|.//noscript|.//template"):
        bad.drop_tree()
    return " ".join(root.text_content().split())


def needs_render(html: str, url: str = "") -> str | None:
    """Why the page must be rendered (``js_shell``, ``script_menu``, ``script_email``), or None."""
    if not html or not html.strip():
        return None
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    scripts, inline = _inline_scripts(doc)
    if scripts == 0:
        return None
    links = len(doc.xpath("//a[@href] | //area[@href]"))
    joined = _CONCAT.sub("", inline)  # 'mai' + 'lto:' -> 'mailto:'
    if (_EMAIL_IN_SCRIPT.search(inline) or _EMAIL_IN_SCRIPT.search(joined)) and re.search(
        r"document\.write|innerHTML|textContent|createElement|insertAdjacentHTML|\.href",
        inline,
    ):
        return SCRIPT_EMAIL
    text = _visible_text(doc)
    empty_root = any(
        _APP_ROOT.match(el.get("id") or "") and not " ".join(el.text_content().split())
        for el in doc.iter("div", "main", "section")
    )
    if len(text) < MIN_TEXT or empty_root:
        return JS_SHELL
    if links < MIN_LINKS or _MENU_IN_SCRIPT.search(inline):
        return SCRIPT_MENU
    return None


def script_fingerprint(html: str) -> str:
    """A hash of a page's scripts (inline text and external sources), in document order.

    Two pages of one site with the same fingerprint build the same things by script (a footer
    e-mail, a menu): rendering one of them is enough.
    """
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    h = hashlib.sha256()
    for script in doc.iter("script"):
        h.update((script.get("src") or "").encode())
        h.update(b"\0")
        h.update((script.text or "").encode("utf-8", "replace"))
        h.update(b"\1")
    return h.hexdigest()
