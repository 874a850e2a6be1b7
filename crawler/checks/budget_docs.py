"""Budget publication on a page: is the page a budget-publication section, which of its links are
budget documents (with the title and the listing date beside each), and which links lead to more
of them (sub-sections, the province's document system).

Pure functions of a :class:`~crawler.page.PageView`, like every check. A document link is a link
to a file (PDF, DOC/DOCX, XLS/XLSX, ODS/ODT, ZIP/RAR by extension, or a download URL whose anchor
names a file) that either sits on a budget-publication page or whose title or file name speaks of
the budget. A portal's hundreds of other attachments (news photos, forms for citizens) are left
alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from crawler.checks.dom import Doc, absolute, host_of, is_article_url, parse, strip_fragment
from crawler.doctext import file_name, kind_from_name
from crawler.doctype import fold
from crawler.page import PageView

SECTION_LABELS = (
    "cong khai ngan sach",
    "cong khai tai chinh ngan sach",
    "cong khai tai chinh",
    "cong khai ngan sach nha nuoc",
    "cong khai ngan sach dia phuong",
    "cong khai du toan",
    "cong khai quyet toan",
    "du toan",
    "du toan ngan sach",
    "quyet toan",
    "quyet toan ngan sach",
    "bao cao tinh hinh thuc hien",
    "tinh hinh thuc hien ngan sach",
    "thuc hien du toan",
    "ngan sach cong dan",
    "thong tin ngan sach",
    "tai chinh ngan sach",
    "ngan sach nha nuoc",
)
SECTION_SLUG = re.compile(
    r"(cong-?khai-?(tai-?chinh-?)?ngan-?sach|cong-?khai-?(du|quyet)-?toan|ngan-?sach-?cong-?dan|"
    r"(^|/)(du-?toan|quyet-?toan)(-ngan-?sach)?(/|$)|tinh-?hinh-?thuc-?hien|congkhaingansach|"
    r"cong-?khai-?tai-?chinh)",
    re.I,
)
DOCSYSTEM_LABELS = (
    "he thong van ban",
    "van ban",
    "van ban phap luat",
    "van ban chi dao dieu hanh",
    "he thong quan ly van ban",
    "tai lieu",
    "thu vien tai lieu",
    "xem tai lieu",
    "xem van ban",
    "tai ve",
    "chi tiet",
)
BUDGET_WORDS = re.compile(
    r"\b(ngan sach|nsnn|nsdp|du toan|quyet toan|thu chi|tai chinh ngan sach|ck nsnn|"
    r"cong khai so lieu|thuc hien du toan|kiem toan)\b"
)
LISTING_DATE = re.compile(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-](20\d\d)(?!\d)")
DOC_HREF = re.compile(r"\.(pdf|docx?|xlsx?|xlsm|ods|odt|zip|rar|7z|csv)(\?|$)", re.I)
DOWNLOAD_HREF = re.compile(r"(download|tai-?ve|getfile|attachment|dinh-?kem|file\.aspx)", re.I)


@dataclass(frozen=True)
class DocLink:
    url: str
    title: str  # the anchor text, or the row's text when the anchor only says "Tải về"
    listing_date: date | None  # the date printed beside the link, if any
    on_budget_page: bool
    why: str


@dataclass(frozen=True)
class MoreLink:
    url: str
    text: str
    reason: str  # budget_section | docsystem


def is_section_label(text: str) -> bool:
    key = fold(text)
    if not key or len(key) > 90:
        return False
    key = re.sub(r"^(muc |chuyen muc |danh muc )", "", key)
    return key in SECTION_LABELS


def page_is_budget_section(page: PageView, doc: Doc) -> bool:
    path = urlsplit(page.url).path
    if SECTION_SLUG.search(path) and not is_article_url(page.url):
        return True
    if page.link_text and is_section_label(page.link_text):
        return True
    if any(is_section_label(h) for h in doc.headings[:3]):
        return True
    return any(is_section_label(part) for part in re.split(r"\s[-|–:]\s", doc.title))


def _row_of(a: Tag) -> Tag:
    for parent in a.parents:
        if isinstance(parent, Tag) and parent.name in ("tr", "li", "article", "p", "dd"):
            return parent
        if isinstance(parent, Tag) and parent.name == "div" and len(parent.get_text()) < 600:
            return parent
    return a


def _row_title(row: Tag, anchor: Tag) -> str:
    """The longest cell (or text piece) of the link's row that is not the link, a date or a
    number: the "Trích yếu" of a listing table."""
    cells = row.find_all(["td", "th"]) if row.name == "tr" else []
    pieces = [c.get_text(" ", strip=True) for c in cells if anchor not in c.descendants]
    if not pieces:
        anchor_text = anchor.get_text(" ", strip=True)
        pieces = [s.strip() for s in row.stripped_strings if s.strip() != anchor_text]
    pieces = [" ".join(LISTING_DATE.sub(" ", p).split()) for p in pieces]
    pieces = [p.strip(" -–|()") for p in pieces if len(fold(p)) >= 12]
    return max(pieces, key=len)[:500] if pieces else ""


def _listing_date(text: str) -> date | None:
    for m in LISTING_DATE.finditer(text):
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            continue
    return None


def _is_doc_href(url: str, text: str) -> bool:
    path = urlsplit(url).path
    if DOC_HREF.search(path) or DOC_HREF.search(urlsplit(url).query or ""):
        return True
    return bool(DOWNLOAD_HREF.search(url) and kind_from_name(text.strip()))


def _soup(page: PageView) -> BeautifulSoup:
    return BeautifulSoup(page.html[:3_000_000], "lxml")


def scan(page: PageView) -> tuple[bool, list[DocLink], list[MoreLink]]:
    """(page is a budget section, its budget document links, links to more budget pages).

    Reads the page's shared parse (:func:`crawler.checks.dom.parse`, cached for every check);
    the HTML is parsed again only on pages with file links, for each link's row (its title and
    listing date)."""
    doc = parse(page)
    section = page_is_budget_section(page, doc)
    more: dict[str, MoreLink] = {}
    files = []
    for link in doc.links:
        url = link.url
        if link.tag != "a" or not url.startswith(("http://", "https://")):
            continue
        text = link.text
        if _is_doc_href(url, text):
            files.append(url)
            continue
        if is_article_url(url) and not section:
            continue
        if is_section_label(text) or (
            SECTION_SLUG.search(urlsplit(url).path) and len(text) <= 90 and not is_article_url(url)
        ):
            more.setdefault(url, MoreLink(url, text, "budget_section"))
        elif (section and fold(text) in DOCSYSTEM_LABELS) or (
            section and host_of(url) != host_of(page.url) and BUDGET_WORDS.search(fold(text))
        ):
            more.setdefault(url, MoreLink(url, text, "docsystem"))
    if not files:
        return section, [], list(more.values())
    return section, _documents(page, section, set(files)), list(more.values())


def _documents(page: PageView, section: bool, wanted: set[str]) -> list[DocLink]:
    soup = _soup(page)
    docs: dict[str, DocLink] = {}
    for a in soup.find_all("a", href=True):
        href = str(a.get("href") or "").strip()
        try:
            url = strip_fragment(absolute(page.url, href))
        except ValueError:
            continue
        if url not in wanted or url in docs:
            continue
        text = " ".join(a.get_text(" ", strip=True).split()) or str(a.get("title") or "")
        row = _row_of(a)
        row_text = " ".join(row.get_text(" ", strip=True).split())
        title = text
        if len(fold(text)) < 12 or kind_from_name(text.strip()):  # "Tải về", "file.pdf"
            title = _row_title(row, a) or text
        name = file_name(url)
        budgety = bool(BUDGET_WORDS.search(fold(f"{title} {name} {row_text[:300]}")))
        if not (section or budgety):
            continue
        why = "on a budget-publication page" if section else "title or file name names the budget"
        docs[url] = DocLink(url, title[:500], _listing_date(row_text), section, why)
    return list(docs.values())
