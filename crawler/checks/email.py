"""email: contact e-mail addresses. Value: the lower-cased address.

Presentations (``details.presentation``): ``mailto`` links (query stripped, several addresses per
link), plain ``text``, ``obfuscated`` forms ("x(at)y(dot)vn", "x [at] y [.] vn", "x(a)y.vn",
"x （a） y.vn", "x @ y.vn" with spaces, "x at y dot vn"; ``details.as_written`` keeps the form), ``cloudflare`` (``data-cfemail`` and ``/cdn-cgi/l/email-protection#hex``:
the first byte is the XOR key), ``script`` (the engine rendered the page and the address was
assembled by a script on it) and ``image``: an address shown only as a picture next to
"Email:"/"Thư điện tử:" is reported as ``image:<image URL>`` and never guessed.
False positives avoided: image names like ``logo@2x.png``, ``example.com``, package references
(``jquery@3.6``), addresses inside scripts and styles (unless rendered into the page).
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from crawler.checks.dom import Doc, parse
from crawler.page import FindingDraft, PageView
from crawler.text import fold_lower
from pobi.models import Channel

LOCAL = r"[a-z0-9](?:[a-z0-9._%+\-]{0,62}[a-z0-9_%+\-])?"
DOMAIN = r"(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}"
EMAIL = re.compile(rf"(?<![a-z0-9._%+\-@])({LOCAL})@({DOMAIN})(?![a-z0-9\-]|\.[a-z0-9])", re.I)
EXACT = re.compile(rf"{LOCAL}@{DOMAIN}", re.I)

BAD_TLDS = {
    "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "tif", "tiff", "js", "css", "map",
    "pdf", "doc", "docx", "xls", "xlsx", "zip", "rar", "mp4", "mp3", "php", "aspx", "html", "htm",
    "json", "xml", "woff", "woff2", "ttf", "eot", "min",
}  # fmt: skip
BAD_DOMAINS = re.compile(
    r"(^|\.)(example\.(com|org|net|vn)|domain\.(com|vn)|yourdomain\.\w+|email\.com|"
    r"sentry\.io|wixpress\.com|mysite\.com|test\.com)$"
)
BAD_LOCAL = re.compile(r"^(\d+x|u00[0-9a-f]{2}.*|[0-9a-f]{24,})$")

AT = r"\s*(?:\(\s*(?:at|a|@)\s*\)|\[\s*(?:at|a|@)\s*\]|\{\s*(?:at|a|@)\s*\}|<\s*at\s*>)\s*"
DOT = r"\s*(?:\(\s*(?:dot|cham|\.)\s*\)|\[\s*(?:dot|cham|\.)\s*\]|\{\s*(?:dot|\.)\s*\})\s*"
OBF = re.compile(
    rf"(?<![a-z0-9._%+\-])({LOCAL}){AT}((?:[a-z0-9\-]+(?:{DOT}|\.| ?\. ?))+[a-z]{{2,24}})\b", re.I
)
# "vanphong @ tinh.gov.vn", "vanphong @tinh.gov.vn" (a contact table's cell, typed by hand)
SPACED = re.compile(
    rf"(?<![a-z0-9._%+\-@])({LOCAL})(?:\s+@\s*|\s*@\s+)({DOMAIN})(?![a-z0-9\-]|\.[a-z0-9])", re.I
)
FULLWIDTH = str.maketrans({"（": "(", "）": ")", "＠": "@", "［": "[", "］": "]", "．": "."})
WORDY = re.compile(
    rf"(?<![a-z0-9._%+\-])({LOCAL})\s+(?:at|a cong)\s+((?:[a-z0-9\-]+\s+(?:dot|cham)\s+)+[a-z]{{2,24}})\b",
    re.I,
)
WORDY_TLDS = {"vn", "test"}  # "x at y dot com" is too often English prose
IMAGE_LABEL = re.compile(r"(e-?mail|thu dien tu|hop thu)[^:]{0,40}:?\s*$")
LABEL_ANYWHERE = re.compile(r"(e-?mail|thu dien tu|hop thu)[^:]{0,40}:")
IMAGE_HINT = re.compile(r"(e-?mail|mail|thu-?dien-?tu|hopthu|lien-?he)", re.I)
PRIORITY = {"mailto": 0, "cloudflare": 1, "text": 2, "obfuscated": 3, "image": 4}


def valid(address: str) -> bool:
    address = address.lower()
    if not EXACT.fullmatch(address) or len(address) > 254:
        return False
    local, domain = address.rsplit("@", 1)
    tld = domain.rsplit(".", 1)[-1]
    if tld in BAD_TLDS or BAD_DOMAINS.search(domain) or BAD_LOCAL.match(local):
        return False
    return ".." not in address


def cf_decode(hexed: str) -> str:
    """Cloudflare's e-mail protection: first byte is the key, then every byte XOR the key."""
    hexed = hexed.strip()
    if len(hexed) < 4 or len(hexed) % 2 or not re.fullmatch(r"[0-9a-fA-F]+", hexed):
        return ""
    data = bytes.fromhex(hexed)
    key = data[0]
    try:
        return bytes(b ^ key for b in data[1:]).decode("utf-8")
    except UnicodeDecodeError:
        return ""


def _deobfuscate(local: str, domain: str) -> str:
    domain = re.sub(DOT, ".", domain, flags=re.I)
    domain = re.sub(r"\s+(?:dot|cham)\s+", ".", domain, flags=re.I)
    domain = re.sub(r"\s*\.\s*", ".", domain)
    return f"{local}@{domain}".lower()


def from_mailto(href: str) -> list[str]:
    body = href.split(":", 1)[1] if ":" in href else ""
    body = unquote(body.split("?", 1)[0])
    return [a.strip().lower() for a in re.split(r"[,;\s]+", body) if a.strip()]


def scripted(address: str, doc: Doc) -> bool:
    """Did a script on this (rendered) page assemble the address?"""
    local, domain = address.split("@", 1)
    for body in doc.scripts:
        low = body.lower()
        if address in low or (local in low and domain in low):
            return True
    return False


def find_addresses(doc: Doc, written: dict[str, str] | None = None) -> dict[str, str]:
    """address -> presentation (the plainest one when an address appears several ways);
    ``written`` receives how an obfuscated address was written on the page."""
    found: dict[str, str] = {}
    written = {} if written is None else written

    def add(address: str, how: str) -> None:
        address = address.strip().strip(".").lower()
        if valid(address) and PRIORITY[how] < PRIORITY.get(found.get(address, "image"), 9):
            found[address] = how

    for link in doc.links:
        if link.scheme == "mailto":
            for a in from_mailto(link.href):
                add(a, "mailto")
        elif "/cdn-cgi/l/email-protection#" in link.href:
            add(cf_decode(link.href.rsplit("#", 1)[1]), "cloudflare")
    for hexed in doc.cf_emails:
        add(cf_decode(hexed), "cloudflare")
    text = doc.text
    for m in EMAIL.finditer(text):
        add(f"{m.group(1)}@{m.group(2)}", "text")
    for m in SPACED.finditer(text):
        add(f"{m.group(1)}@{m.group(2)}", "obfuscated")
        written.setdefault(f"{m.group(1)}@{m.group(2)}".lower(), m.group(0))
    folded = fold_lower(text.translate(FULLWIDTH))
    for m in OBF.finditer(folded):
        add(_deobfuscate(m.group(1), m.group(2)), "obfuscated")
        written.setdefault(_deobfuscate(m.group(1), m.group(2)), m.group(0))
    for m in WORDY.finditer(folded):
        domain = _deobfuscate(m.group(1), m.group(2)).split("@", 1)[1]
        if domain.count(".") >= 2 or domain.rsplit(".", 1)[-1] in WORDY_TLDS:
            add(_deobfuscate(m.group(1), m.group(2)), "obfuscated")
    return found


def image_addresses(doc: Doc) -> list[tuple[str, str]]:
    """(image URL, why) of images that stand for an e-mail address no text gives.

    An image counts when the text just before it ends with an e-mail label ("Email:",
    "Thư điện tử của bộ phận một cửa:"), or when its file name or alt text says mail and its
    block carries an e-mail label; never when its block also shows a readable address, nor when
    it is the icon of a mailto link.
    """
    out = []
    for img in doc.images:
        if img.in_link.lower().startswith("mailto:"):
            continue
        context = fold_lower(img.context)
        if EMAIL.search(img.context) or OBF.search(context):
            continue  # an icon next to a readable address
        name = img.src.rsplit("/", 1)[-1]
        alt = fold_lower(img.alt)
        label_before = bool(IMAGE_LABEL.search(fold_lower(img.before)))
        hinted = bool(IMAGE_HINT.search(name)) or bool(IMAGE_HINT.search(alt))
        icon_alt = bool(alt.strip()) and not hinted  # 'logo', 'fb': a picture of something else
        if (label_before and not icon_alt) or (hinted and LABEL_ANYWHERE.search(context)):
            out.append((img.src, "label" if label_before else "name"))
    return out


def check(page: PageView) -> list[FindingDraft]:
    doc = parse(page)
    drafts = []
    written: dict[str, str] = {}
    for address, how in find_addresses(doc, written).items():
        presentation = "script" if page.rendered and scripted(address, doc) else how
        details: dict[str, object] = {"presentation": presentation, "rendered": page.rendered}
        if how == "obfuscated" and address in written:
            details["as_written"] = " ".join(written[address].split())[:120]
        drafts.append(FindingDraft(Channel.EMAIL, address, details))
    for src, why in image_addresses(doc):
        drafts.append(
            FindingDraft(
                Channel.EMAIL,
                "image:" + src,
                {
                    "presentation": "image",
                    "shown_as_image": True,
                    "why": why,
                    "rendered": page.rendered,
                },
            )
        )
    return drafts
