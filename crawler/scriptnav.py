"""Navigation written in script attributes: where a click on a non-link element goes.

Real portals build menus of ``<li onclick="window.location.href='/hoi-dap'">``,
``<td onclick="GoToPage('/Pages/hoi-dap.aspx')">``, ``<a href="javascript:openLink('…')">`` or
``<div data-href="/lien-he">``: the browser follows them on a click, a link extractor that reads
only ``<a href>`` never sees them. :func:`script_targets` reads the target out of the attribute
(a location assignment, ``location.assign/replace``, ``window.open``, or a call whose first
argument is clearly a URL or a page path); nothing is executed. ``__doPostBack`` (ASP.NET
Web Forms) carries no URL and is not a target.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

NAV_ATTRS = ("onclick", "onmousedown", "onmouseup", "ondblclick")
DATA_ATTRS = ("data-href", "data-url", "data-link", "data-navigate", "data-redirect")
LOCATION = re.compile(
    r"""(?:\b(?:window|document|self|top|parent)\s*\.\s*)?location(?:\s*\.\s*href)?\s*=\s*"""
    r"""(['"])(?P<u>[^'"\s<>]{1,500})\1"""
    r"""|location\s*\.\s*(?:assign|replace)\s*\(\s*(['"])(?P<u2>[^'"\s<>]{1,500})\3"""
    r"""|window\s*\.\s*open\s*\(\s*(['"])(?P<u3>[^'"\s<>]{1,500})\5""",
    re.I,
)
CALL = re.compile(
    r"""\b(?P<f>[A-Za-z_$][\w$.]{0,60})\s*\(\s*(?P<q>['"])(?P<u>[^'"\s<>]{1,500})(?P=q)"""
)
NOT_NAV_CALLS = re.compile(
    r"^(alert|confirm|prompt|console\.\w+|ga|gtag|fbq|_gaq\.push|dataLayer\.push|track\w*|"
    r"\$|jQuery|document\.getElementById|document\.querySelector\w*|setTimeout|setInterval|"
    r"__doPostBack|WebForm_\w+|print|void|fetch|(.*\.)?(load|get|post|ajax|getJSON|html|append|"
    r"prepend|attr|css|addClass|removeClass|toggleClass|src))$",
    re.I,
)
PAGE_EXT = re.compile(r"\.(aspx?|html?|php|jsp|do|cfm)(\?[^'\"]*)?$", re.I)


def _url_like(value: str) -> bool:
    v = value.strip()
    if not v or v.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return False
    if re.match(r"https?://", v, re.I) or v.startswith(("/", "./", "../")):
        return not v.startswith("//") or len(v) > 3
    return bool(PAGE_EXT.search(v))


def target_of(code: str) -> str:
    """The URL a snippet of handler code navigates to ('' when it names none)."""
    if not code:
        return ""
    m = LOCATION.search(code)
    if m:
        value = m.group("u") or m.group("u2") or m.group("u3") or ""
        if _url_like(value) or value.startswith(("http", "/")) or "/" in value:
            return value
    for m in CALL.finditer(code):
        if NOT_NAV_CALLS.match(m.group("f")):
            continue
        if _url_like(m.group("u")):
            return m.group("u")
    return ""


def element_target(get: object) -> tuple[str, str]:
    """(target, how) of an element, given its ``get(attr)`` method; ('', '') when none."""
    getter = get  # a bound ``.get`` of lxml or BeautifulSoup elements
    href = str(getter("href") or "").strip()  # type: ignore[operator]
    if href.lower().startswith("javascript:"):
        t = target_of(href[11:])
        if t:
            return t, "javascript_href"
    for attr in NAV_ATTRS:
        t = target_of(str(getter(attr) or ""))  # type: ignore[operator]
        if t:
            return t, attr
    for attr in DATA_ATTRS:
        value = str(getter(attr) or "").strip()  # type: ignore[operator]
        if _url_like(value) or (value and "/" in value and " " not in value):
            return value, attr
    return "", ""


def lxml_targets(root: etree._Element) -> Iterator[tuple[etree._Element, str, str]]:
    """(element, raw target, how) for lxml elements that navigate by script."""
    xpath = (
        "//*[@onclick or @onmousedown or @onmouseup or @ondblclick or @data-href or @data-url "
        "or @data-link or @data-navigate or @data-redirect or starts-with(@href, 'javascript:')"
        " or starts-with(@href, 'JavaScript:')]"
    )
    for el in root.xpath(xpath):
        if not isinstance(el.tag, str) or el.tag in ("script", "style"):
            continue
        target, how = element_target(el.get)
        if target:
            yield el, target, how
