"""A parsed page shared by all checks: links, forms, images, visible text, headings.

Parsing happens once per :class:`~crawler.page.PageView` (a small LRU cache keyed by the view);
checks only read the result. Text is NFC-normalised here, so checks never see NFD.
"""

from __future__ import annotations

import ipaddress
import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag, XMLParsedAsHTMLWarning
from bs4.element import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction

from crawler.page import PageView
from crawler.text import nfc, squash

INVISIBLE = {"script", "style", "noscript", "template", "head", "title", "meta", "svg"}
# the blocks whose text is an image's context (see Image.context)
BLOCKS = {
    "p", "div", "li", "td", "th", "tr", "section", "article", "footer", "header", "nav", "main",
    "aside", "h1", "h2", "h3", "h4", "h5", "h6", "br", "ul", "ol", "table", "form", "dd", "dt",
    "address", "option", "select", "label", "fieldset", "legend", "blockquote", "pre", "body",
}  # fmt: skip
# What a browser lays out on lines of their own (its default style sheet's display: block,
# list-item, table, table-row, table-caption, ...): innerText puts a line break around them.
# <label> is inline in a browser ('Ngày gửi: 03/04/2025' stays one line); <select>/<option> are
# kept as lines so a link directory reads one entry per line.
LINE_BLOCKS = {
    "p", "div", "li", "tr", "section", "article", "footer", "header", "nav", "main", "aside",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dir", "menu", "table", "caption",
    "thead", "tbody", "tfoot", "form", "dd", "dt", "address", "option", "optgroup", "select",
    "fieldset", "legend", "blockquote", "pre", "body", "html", "hr", "center", "figure",
    "figcaption", "details", "summary", "dialog", "hgroup", "search", "listing", "xmp",
    "frameset", "frame",
}  # fmt: skip
CELLS = {"td", "th"}  # innerText separates the cells of a row by a tab: one line per row
# (doc.text keeps that tab, so a check can tell two cells apart: phone numbers never run across)
STYLE_BLOCK = re.compile(r"(?:^|;)\s*display\s*:\s*(block|flex|grid|list-item|table)\b", re.I)
ZONE_WORDS = {
    "nav": ("nav", "menu", "navbar", "navigation", "topbar"),
    "footer": ("footer", "bottom", "chan-trang", "lienket", "lien-ket", "link"),
    "header": ("header", "banner", "top"),
}
MAX_HTML = 3_000_000
BARE_HOST = re.compile(
    r"^(www\.)?[a-z0-9\-]+(\.[a-z0-9\-]+)*\.(vn|com|net|org|test)(:\d+)?(/\S*)?$", re.I
)
SKIP_STRINGS = (Comment, Doctype, Declaration, ProcessingInstruction)
LINK_TAGS = frozenset({"a", "area", "option", "iframe", "frame"})


@dataclass(frozen=True)
class Link:
    url: str  # absolute, without fragment ('' when not http(s))
    href: str  # as written
    text: str  # NFC, squashed (alt text of images when there is no text)
    tag: str  # a | option | area | iframe | frame
    zone: str  # nav | footer | header | main
    scheme: str
    in_prose: bool = False  # inside a long paragraph of body text (an article), not a menu or icon


@dataclass(frozen=True)
class Form:
    has_textarea: bool
    text: str  # NFC text of the form: labels, legends, buttons, placeholders
    heading: str  # the nearest heading before the form
    action: str


@dataclass(frozen=True)
class Image:
    src: str  # absolute
    alt: str
    context: str  # text of the parent block (NFC, squashed)
    in_link: str  # href of an enclosing link, if any
    before: str = ""  # the block's text before the image (and the previous table cell's)


@dataclass(frozen=True)
class Widget:
    """A social-network widget placed by its SDK: ``<div class="fb-page" data-href=...>``,
    ``<div class="zalo-follow-only-button" data-oaid=...>``."""

    cls: str  # the widget's class: fb-page, fb-like, zalo-follow-button, zalo-share-button, ...
    attrs: dict[str, str]  # its data-* attributes
    zone: str
    text: str


WIDGET_CLASS = re.compile(r"^(fb-[a-z-]+|zalo-[a-z-]+)$")
BUTTON_WIDGETS = re.compile(
    r"^(fb-(like|share-button|send|save|comments|comment-embed|quote)|zalo-share-button)$"
)


@dataclass
class Doc:
    url: str
    title: str = ""
    headings: list[str] = field(default_factory=list)  # h1 (then h2) texts
    text: str = ""  # visible text, blocks separated by newlines
    links: list[Link] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)  # inline script bodies
    cf_emails: list[str] = field(default_factory=list)  # data-cfemail values
    textareas: int = 0
    widgets: list[Widget] = field(default_factory=list)


JSESSIONID = re.compile(r";jsessionid=[^?#/]*", re.I)


def strip_fragment(url: str) -> str:
    """The URL without its fragment (and without a Java session id in the path)."""
    parts = urlsplit(JSESSIONID.sub("", url))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def absolute(base: str, href: str) -> str:
    """Absolute http(s) URL without fragment, or '' for other schemes and garbage."""
    href = (href or "").strip()
    if not href or href.startswith(("javascript:", "#", "data:")):
        return ""
    try:
        url = JSESSIONID.sub("", urljoin(base, href))
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return ""
        path = parts.path or "/"
        return urlunsplit((parts.scheme, parts.netloc.lower(), path, parts.query, ""))
    except ValueError:
        return ""


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def netloc_of(url: str) -> str:
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return ""


@lru_cache(maxsize=4096)
def _base_domain(host: str) -> str:
    host = host.removeprefix("www.")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in ("gov", "com", "org", "edu", "net") else 2
    return ".".join(labels[-keep:])


@lru_cache(maxsize=32768)  # asked for every link of every page, by several checks
def same_site(url_a: str, url_b: str) -> bool:
    """Same host and port, or two hosts under the same registrable domain (x.gov.vn)."""
    a, b = netloc_of(url_a), netloc_of(url_b)
    if not a or not b:
        return False
    if a == b:
        return True
    ha, hb = host_of(url_a), host_of(url_b)
    if (
        ha.removeprefix("www.") == hb.removeprefix("www.")
        and ha
        and (urlsplit(url_a).port == urlsplit(url_b).port)
    ):
        return True
    try:
        ipaddress.ip_address(ha)
        return False
    except ValueError:
        pass
    return bool(ha) and _base_domain(ha) == _base_domain(hb) and "." in _base_domain(ha)


def root_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.lower(), "/", "", ""))


ARTICLE_PATTERNS = [
    re.compile(r"[-_/]\d{4,}(\.[a-z]{2,5})?/?$"),  # ...-12345.html, /12345
    re.compile(r"/-/asset_publisher/"),  # Liferay article
    re.compile(r"/content/[^/]+$"),
    re.compile(r"[?&](p|itemid|newsid|id|articleid|tin)=\d{3,}", re.I),
    re.compile(r"/(tin-tuc|tintuc|news|bai-viet|su-kien|thong-bao|chi-tiet)/[^/]+-[^/]+"),
    re.compile(r"/\d{4}/\d{1,2}/"),  # WordPress dated permalinks
]


def is_article_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    tail = parts.path.lower() + ("?" + parts.query.lower() if parts.query else "")
    return any(p.search(tail) for p in ARTICLE_PATTERNS)


def _own_zone(node: Tag) -> str:
    name = node.name or ""
    if name in ("nav", "footer", "header"):
        return name
    attrs = " ".join(
        [str(node.get("id") or ""), *(str(c) for c in (node.get("class") or []))]
    ).lower()
    if attrs:
        for zone, wordlist in ZONE_WORDS.items():
            if any(w in attrs for w in wordlist):
                return zone
    return ""


def _zone(tag: Tag, cache: dict[int, str]) -> str:
    """nav | footer | header | main: the nearest marked ancestor (memoised per element)."""
    chain: list[Tag] = []
    zone = "main"
    node = tag.parent
    while node is not None and node.name not in ("body", "html", "[document]"):
        known = cache.get(id(node))
        if known is not None:
            zone = known
            break
        chain.append(node)
        own = _own_zone(node)
        if own:
            zone = own
            break
        node = node.parent
    for n in chain:
        cache[id(n)] = zone
    return zone


SOCIAL_HOSTS = re.compile(r"(facebook\.com|fb\.com|fb\.me|zalo\.me|youtube\.com)", re.I)
PROSE_CHARS = 250


def _in_prose(tag: Tag) -> bool:
    """Is the link part of a long paragraph of text (an article mentioning someone's page)?"""
    for parent in tag.parents:
        if parent.name in ("p", "li", "td", "blockquote", "article", "div", "section"):
            return len(_text_of(parent)) >= PROSE_CHARS and parent.name != "section"
        if parent.name in ("body", "html"):
            break
    return False


FORM_TEXT_LIMIT = 1500


def _wraps_page(form: Tag) -> bool:
    """ASP.NET WebForms wrap the whole page in one <form>: not a form of its own."""
    if form.find("input", attrs={"name": "__VIEWSTATE"}) is not None:
        return True
    return len(form.find_all("a", limit=25)) >= 25


def _form_containers(forms: list[Tag], textareas: list[Tag]) -> list[Tag]:
    """The forms of a page: real <form>s, and for a text area inside a page-wrapping form, its
    fieldset or the largest block around it that is still small (its own little form)."""
    out: list[Tag] = []
    seen: set[int] = set()
    wrappers = set()
    for form in forms:
        if _wraps_page(form):
            wrappers.add(id(form))
        else:
            out.append(form)
            seen.add(id(form))
    for area in textareas:
        container: Tag | None = None
        node: Tag | None = area
        while node is not None and node.parent is not None:
            parent = node.parent
            if parent.name == "form" and id(parent) not in wrappers:
                container = None  # already listed as a real form
                node = None
                break
            if parent.name == "fieldset":
                container = parent
                break
            if parent.name in ("body", "html", "[document]") or id(parent) in wrappers:
                container = node
                break
            if len(_text_of(parent)) > FORM_TEXT_LIMIT:
                container = node
                break
            node = parent
        if container is not None and id(container) not in seen and container is not area:
            seen.add(id(container))
            out.append(container)
    return out


def _text_before(tag: Tag, block: Tag, limit: int = 200) -> str:
    """Visible text of ``block`` that comes before ``tag`` (at most ``limit`` characters)."""
    parts: list[str] = []
    size = 0
    for el in tag.previous_elements:
        if el is block:
            break
        if isinstance(el, NavigableString) and not isinstance(el, SKIP_STRINGS):
            if el.parent is not None and el.parent.name in INVISIBLE:
                continue
            parts.append(str(el))
            size += len(el)
            if size > limit:
                break
    return squash(nfc("".join(reversed(parts))))[-limit:]


def _text_of(tag: Tag) -> str:
    parts = []
    for s in tag.descendants:
        if isinstance(s, NavigableString) and not isinstance(s, SKIP_STRINGS):
            if s.parent is not None and s.parent.name in INVISIBLE:
                continue
            parts.append(str(s))
    return squash(nfc(" ".join(parts)))


_SPACE_RUN = re.compile(r"\s+")


def _line_block(node: Tag) -> bool:
    if node.name in LINE_BLOCKS:
        return True
    style = node.get("style")
    return isinstance(style, str) and STYLE_BLOCK.search(style) is not None


def _visible_text(soup: BeautifulSoup) -> str:
    """Visible text the way a browser's ``innerText`` gives it: one line per block element
    (``<br>``, ``<hr>``, ``<li>``, ``<p>``, ``<div>``, a table row, ...), the cells of a table row
    separated by a tab, inline elements joined as written (``Hỏi 1<span>2 ngày trước</span>``
    reads as a browser shows it), source line breaks and runs of spaces collapsed to one space
    (kept inside ``<pre>``/``<textarea>``). Invisible subtrees are skipped whole."""
    out: list[str] = []
    # (node, inside <pre>) or a separator string to emit when a block or a cell ends
    stack: list[tuple[object, bool] | str] = [(soup, False)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        node, pre = item
        if isinstance(node, NavigableString):
            if not isinstance(node, SKIP_STRINGS):
                text = str(node).replace("\r\n", "\n")
                out.append(text if pre else _SPACE_RUN.sub(" ", text))
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name
        if name in INVISIBLE or name == "iframe":  # an iframe's fallback text is never shown
            continue
        if name == "br":
            out.append("\n")
            continue
        inner_pre = pre or name in ("pre", "textarea", "listing", "xmp", "plaintext")
        if name in CELLS:
            out.append("\t")
            stack.append("\t")
        elif _line_block(node):
            out.append("\n")
            stack.append("\n")
        stack.extend((child, inner_pre) for child in reversed(node.contents))
    text = nfc("".join(out)).replace("\xa0", " ")
    lines = (_CELL_GAP.sub("\t", _BLANKS.sub(" ", line)).strip(" \t") for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


_BLANKS = re.compile(r"[ \r\f\v]+")
_CELL_GAP = re.compile(r" ?\t[\t ]*")


def parse(page: PageView) -> Doc:
    return _parse(page.url, page.html)


@lru_cache(maxsize=16)
def _parse(url: str, html: str) -> Doc:
    html = html[:MAX_HTML] if html else ""
    html = html.replace("\x00", "")
    with warnings.catch_warnings():  # a page that looks like a URL, or XHTML, is still a page
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(html, "lxml")
    # one walk of the tree, its elements by name in document order (each soup.find_all walks
    # the whole tree through bs4's matching rules: ten of them were most of the parse's time)
    tags = [el for el in soup.descendants if isinstance(el, Tag)]
    named: dict[str, list[Tag]] = {}
    for el in tags:
        named.setdefault(el.name, []).append(el)
    base = url
    base_tag = next((b for b in named.get("base", ()) if b.get("href") is not None), None)
    if isinstance(base_tag, Tag):
        candidate = absolute(url, str(base_tag.get("href") or ""))
        if candidate:
            base = candidate
    doc = Doc(url=strip_fragment(url))
    title = next(iter(named.get("title", ())), None)
    doc.title = squash(nfc(title.get_text(" "))) if isinstance(title, Tag) else ""
    for level in ("h1", "h2"):
        for h in named.get(level, ()):
            text = _text_of(h)
            if text:
                doc.headings.append(text)
    doc.text = _visible_text(soup)
    zones: dict[int, str] = {}
    for tag in (el for el in tags if el.name in LINK_TAGS):
        attr = (
            "value"
            if tag.name == "option"
            else "src"
            if tag.name in ("iframe", "frame")
            else "href"
        )
        href = str(tag.get(attr) or "").strip()
        if not href:
            continue
        text = _text_of(tag)
        if not text:
            alts = [str(i.get("alt") or i.get("title") or "") for i in tag.find_all("img")]
            text = squash(nfc(" ".join([*alts, str(tag.get("title") or "")])))
        if tag.name == "option" and BARE_HOST.match(href):
            href = "http://" + href  # 'stc.hanoi.gov.vn' in a link-directory dropdown
        scheme = href.split(":", 1)[0].lower() if ":" in href[:12] else ""
        zone = _zone(tag, zones)
        doc.links.append(
            Link(
                url=absolute(base, href),
                href=href,
                text=text,
                tag=tag.name,
                zone=zone,
                scheme=scheme,
                in_prose=zone == "main"
                and (SOCIAL_HOSTS.search(href) is not None or href.startswith(("http:", "https:")))
                and _in_prose(tag),
            )
        )
    _script_nav_links(tags, base, doc, zones)
    for container in _form_containers(named.get("form", []), named.get("textarea", [])):
        bits = [_text_of(container)]
        for el in container.find_all(["input", "textarea", "button"]):
            for a in ("placeholder", "value", "title", "aria-label"):
                v = el.get(a)
                if v and not (a == "value" and str(el.get("type") or "").lower() == "hidden"):
                    bits.append(str(v))
        heading = ""
        prev = container.find_previous(["h1", "h2", "h3", "h4", "legend"])
        if isinstance(prev, Tag):
            heading = _text_of(prev)
        doc.forms.append(
            Form(
                has_textarea=container.find("textarea") is not None,
                text=squash(nfc(" ".join(bits))),
                heading=heading,
                action=str(container.get("action") or ""),
            )
        )
    doc.textareas = len(named.get("textarea", ()))
    for img in named.get("img", ()):
        src = absolute(base, str(img.get("src") or img.get("data-src") or ""))
        if not src:
            continue
        parent = img.parent
        block = parent
        while block is not None and block.name not in BLOCKS:
            block = block.parent
        context = _text_of(block) if isinstance(block, Tag) else ""
        before = _text_before(img, block) if isinstance(block, Tag) else ""
        if isinstance(block, Tag) and block.name in ("td", "th", "dd"):
            # a table: the label sits in the previous cell
            prev = block.find_previous_sibling(["td", "th", "dt"])
            if isinstance(prev, Tag):
                context = squash(_text_of(prev) + " " + context)
                before = squash(_text_of(prev) + " " + before)
        link = img.find_parent("a")
        doc.images.append(
            Image(
                src=src,
                alt=squash(nfc(str(img.get("alt") or "") + " " + str(img.get("title") or ""))),
                context=context,
                in_link=str(link.get("href") or "") if isinstance(link, Tag) else "",
                before=before,
            )
        )
    for script in named.get("script", ()):
        body = script.string or script.get_text() or ""
        if body.strip():
            doc.scripts.append(body)
    for el in tags:
        if "class" not in el.attrs:
            continue
        classes = [c for c in el.get_attribute_list("class") or [] if WIDGET_CLASS.match(c)]
        if not classes:
            continue
        doc.widgets.append(
            Widget(
                cls=classes[0],
                attrs={k: _attr(el, k) for k in el.attrs if k.startswith("data-")},
                zone=_zone(el, zones),
                text=_text_of(el),
            )
        )
    for el in tags:
        if el.get("data-cfemail") is None:
            continue
        doc.cf_emails.append(str(el.get("data-cfemail")))
    return doc


def _script_nav_links(tags: list[Tag], base: str, doc: Doc, zones: dict[int, str]) -> None:
    """Elements that navigate by script (``onclick``, ``javascript:``, ``data-href``) as links of
    tag ``script_nav`` (crawler.scriptnav): a menu of ``<li onclick=...>`` is still a menu."""
    from crawler.scriptnav import NAV_ATTRS, element_target

    wanted = {*NAV_ATTRS, "data-href", "data-url", "data-link", "data-navigate", "data-redirect"}
    seen = {link.url for link in doc.links}
    for tag in tags:
        names = set(tag.attrs)
        if not (
            names & wanted or str(tag.get("href") or "").strip().lower().startswith("javascript:")
        ):
            continue
        if tag.name in ("script", "style"):
            continue
        if any(BUTTON_WIDGETS.match(c) for c in tag.get_attribute_list("class") or []):
            continue  # a like or share button's data-href is what is liked, not an account
        raw, _how = element_target(lambda a, t=tag: _attr(t, a))
        if not raw:
            continue
        url = absolute(base, raw)
        if not url or url in seen:
            continue
        seen.add(url)
        text = _text_of(tag) or squash(nfc(str(tag.get("title") or "")))
        doc.links.append(
            Link(
                url=url,
                href=raw,
                text=text,
                tag="script_nav",
                zone=_zone(tag, zones),
                scheme=url.split(":", 1)[0],
            )
        )


def _attr(tag: Tag, name: str) -> str:
    value = tag.get(name)
    if isinstance(value, list):
        return " ".join(value)
    return str(value or "")
