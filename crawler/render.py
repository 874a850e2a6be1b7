"""The rendering policy: does a statically fetched page need Chromium to show what a citizen sees?

Pure and cheap (one lxml parse). ``--render auto`` renders a page only when :func:`needs_render`
gives a reason. :func:`render_reason` also says what on the page made it needed (the evidence);
``pages.render_reason`` stores ``"<code>: <evidence>"``, e.g. ``"script_nav: 4 elements navigate
by script (onclick=openMenu(3), ...)"``.

What a person sees and a static read misses, as real portals do it:

- ``js_shell``: the page is an empty application root (``#app``/``#root``) or has almost no text;
- ``script_menu``: navigation built by script: fewer than 3 links, a menu container that is
  empty in the HTML (``<ul id="menu"></ul>``), or inline scripts that create links;
- ``script_nav``: navigation through click handlers on non-links (``onclick="openMenu(3)"``,
  ``href="javascript:void(0)"`` with a handler) whose target cannot be read statically
  (targets that can, ``onclick="location.href='/hoi-dap'"``, are read by crawler.scriptnav);
- ``document_write``: inline scripts that ``document.write`` markup into the page;
- ``script_list``: a list filled from JSON (``fetch``/``XMLHttpRequest``/``$.ajax`` feeding
  ``innerHTML``/``append``, client templates, ``ng-repeat``/``v-for``/``data-bind``);
- ``loading_placeholder``: a "Đang tải…"/"Loading…" placeholder a script replaces;
- ``script_email``: an e-mail address assembled by script.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

JS_SHELL = "js_shell"  # little visible text, the page is built by script
SCRIPT_MENU = "script_menu"  # navigation built by script (few or no links in the HTML)
SCRIPT_EMAIL = "script_email"  # an e-mail address assembled by script
SCRIPT_NAV = "script_nav"  # click handlers on non-links navigate, target not readable statically
DOCUMENT_WRITE = "document_write"  # inline script writes markup into the page
SCRIPT_LIST = "script_list"  # a list filled from JSON by script
PLACEHOLDER = "loading_placeholder"  # "Đang tải..." replaced by script
# what a site's shared scripts build the same way on every page: rendering one page is enough
SITE_WIDE = frozenset({SCRIPT_EMAIL, SCRIPT_MENU, SCRIPT_NAV, DOCUMENT_WRITE})

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


@dataclass(frozen=True)
class RenderReason:
    code: str
    evidence: str

    @property
    def text(self) -> str:
        """What ``pages.render_reason`` stores."""
        return f"{self.code}: {self.evidence}" if self.evidence else self.code


def reason_code(stored: str | None) -> str:
    """The code of a stored ``render_reason`` (``"script_nav: ..."`` -> ``"script_nav"``)."""
    return (stored or "").split(":", 1)[0].strip()


def needs_render(html: str, url: str = "") -> str | None:
    """Why the page must be rendered (one of the codes above), or None."""
    why = render_reason(html, url)
    return why.code if why else None


_NAV_WORDS = re.compile(r"location|window\.open|navigate|redirect|go\s*to|goto|href|url", re.I)
_NON_LITERAL_NAV = re.compile(
    r"""(location(\.href)?\s*=\s*(?!['"\s])|location\.(assign|replace)\(\s*(?!['"])|"""
    r"""window\.open\(\s*(?!['"]))""",
    re.I,
)
_CLICK_BINDING = re.compile(
    r"""addEventListener\(\s*['"]click|\.click\(\s*function|\.on\(\s*['"]click|onclick\s*=""",
    re.I,
)
_DOC_WRITE = re.compile(r"""document\.write(?:ln)?\s*\(\s*(?P<arg>[^)]{0,120})""", re.I)
_XHR = re.compile(
    r"\bfetch\s*\(|XMLHttpRequest|\$\.(ajax|getJSON|get|post)\s*\(|axios\.|\.load\s*\(",
)
_FILL = re.compile(
    r"innerHTML|insertAdjacentHTML|\.append\s*\(|\.html\s*\(|appendChild|\.render\s*\(|"
    r"JSON\.parse|\.map\s*\(",
)
_BINDING_ATTRS = ("ng-repeat", "v-for", "data-bind", "x-for", "*ngfor", "data-template")
_TEMPLATE_TYPES = re.compile(r"template|handlebars|mustache|x-tmpl|text/html|jsrender", re.I)
_PLACEHOLDER = re.compile(
    r"^\W*(dang tai|dang cap nhat du lieu|dang tai du lieu|vui long cho|loading|"
    r"dang xu ly)\b[\w\s.…]{0,30}$"
)
_MENU_NAME = re.compile(
    r"(^|[-_ ])(menu|nav|navbar|navigation|mainmenu|topmenu|main-nav)([-_ ]|$)", re.I
)


def _snip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fold(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def _script_nav(doc: lxml.html.HtmlElement, inline: str) -> str:
    from crawler.scriptnav import NAV_ATTRS, target_of

    unresolved: list[str] = []
    for el in doc.xpath("//*[@onclick or @onmousedown or starts-with(@href, 'javascript:')]"):
        if not isinstance(el.tag, str):
            continue
        code = " ".join(el.get(a) or "" for a in NAV_ATTRS)
        href = el.get("href") or ""
        if href.lower().startswith("javascript:"):
            code += " " + href[11:]
        if target_of(code) or (el.tag == "a" and not href.lower().startswith("javascript:")):
            continue  # readable statically, or a real link with a handler on top
        label = " ".join((el.text_content() or "").split())
        if not label or len(label) > 80:
            continue
        if _NAV_WORDS.search(code) or re.search(r"\w+\s*\(\s*['\"]?\w", code):
            unresolved.append(f"{el.tag} '{_snip(label, 30)}' {_snip(code.strip(), 40)}")
    if len(unresolved) >= 3:
        more = f" (+{len(unresolved) - 3} more)" if len(unresolved) > 3 else ""
        return f"{len(unresolved)} elements navigate by script: " + "; ".join(unresolved[:3]) + more
    if _CLICK_BINDING.search(inline) and _NON_LITERAL_NAV.search(inline):
        m = _NON_LITERAL_NAV.search(inline)
        assert m is not None
        return "an inline script sends clicks to computed addresses: " + _snip(
            inline[max(0, m.start() - 20) : m.end() + 30]
        )
    return ""


def _empty_menu(doc: lxml.html.HtmlElement) -> str:
    for el in doc.iter("ul", "nav", "div", "ol"):
        name = f"{el.get('id') or ''} {el.get('class') or ''}".strip()
        if not name or not _MENU_NAME.search(name):
            continue
        if el.xpath(".//a[@href] | .//*[@onclick]"):
            continue
        if " ".join(el.text_content().split()):
            continue
        return f"menu container <{el.tag} {('id=' + el.get('id')) if el.get('id') else 'class=' + (el.get('class') or '')}> is empty in the HTML"
    return ""


def _document_write(inline: str) -> str:
    for m in _DOC_WRITE.finditer(inline):
        arg = m.group("arg")
        low = arg.lower()
        if "<script" in low or ("<img" in low and "track" in low) or "<noscript" in low:
            continue
        # markup, or a variable that holds some (not the copyright year's Date())
        if "<" in arg or re.match(r"\s*\w*(html|menu|nav|list|content|str)\w*\s*[+)]", arg, re.I):
            return "inline script writes into the page: " + _snip(m.group(0))
    return ""


def _script_list(doc: lxml.html.HtmlElement, inline: str) -> str:
    for attr in _BINDING_ATTRS:
        found = doc.xpath(f"//*[@{attr}]") if "*" not in attr else []
        if found:
            return f'list bound to data by script ({attr}="{_snip(found[0].get(attr) or "", 30)}")'
    for script in doc.iter("script"):
        kind = script.get("type") or ""
        if kind and _TEMPLATE_TYPES.search(kind) and (script.text or "").strip():
            return f'client-side template <script type="{kind}">'
    xhr = _XHR.search(inline)
    if xhr and _FILL.search(inline):
        return "list loaded by script: " + _snip(inline[xhr.start() : xhr.start() + 60])
    return ""


def _placeholder(doc: lxml.html.HtmlElement) -> str:
    for el in doc.iter("div", "span", "p", "li", "td", "section", "ul", "tbody"):
        own = " ".join(el.text_content().split())
        if not own or len(own) > 40:
            continue
        if _PLACEHOLDER.match(_fold(own)):
            where = el.get("id") or el.get("class") or el.tag
            return f"placeholder '{own}' in <{el.tag} {_snip(where, 30)}>"
    return ""


def render_reason(html: str, url: str = "") -> RenderReason | None:
    """Why the page must be rendered, with the evidence; None when the static page shows all."""
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
    email = _EMAIL_IN_SCRIPT.search(inline) or _EMAIL_IN_SCRIPT.search(joined)
    if email and re.search(
        r"document\.write|innerHTML|textContent|createElement|insertAdjacentHTML|\.href",
        inline,
    ):
        return RenderReason(
            SCRIPT_EMAIL, f"inline script assembles an address ({_snip(email.group(0), 20)})"
        )
    nav = _script_nav(doc, inline)  # before the text is dropped below
    empty_menu = _empty_menu(doc)
    listed = _script_list(doc, inline)
    placeholder = _placeholder(doc)
    text = _visible_text(doc)
    empty_root = [
        el.get("id")
        for el in doc.iter("div", "main", "section")
        if _APP_ROOT.match(el.get("id") or "") and not " ".join(el.text_content().split())
    ]
    if empty_root:
        return RenderReason(JS_SHELL, f"empty application root #{empty_root[0]}")
    if len(text) < MIN_TEXT:
        return RenderReason(JS_SHELL, f"{len(text)} visible characters and {scripts} script(s)")
    if links < MIN_LINKS:
        return RenderReason(SCRIPT_MENU, f"{links} link(s) in the HTML")
    if listed and listed.startswith("list loaded by script"):
        # fetched data filled into the page (a Q&A list, a menu from JSON): say so first
        return RenderReason(SCRIPT_LIST, listed)
    menu = _MENU_IN_SCRIPT.search(inline)
    if menu:
        return RenderReason(SCRIPT_MENU, "inline script creates links: " + _snip(menu.group(0), 40))
    if empty_menu:
        return RenderReason(SCRIPT_MENU, empty_menu)
    if nav:
        return RenderReason(SCRIPT_NAV, nav)
    written = _document_write(inline)
    if written:
        return RenderReason(DOCUMENT_WRITE, written)
    if listed:
        return RenderReason(SCRIPT_LIST, listed)
    if placeholder:
        return RenderReason(PLACEHOLDER, placeholder)
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
