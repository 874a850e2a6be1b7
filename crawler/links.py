"""Which links the engine should crawl first, and which to leave alone.

:func:`link_hints` returns in-site links worth following early, strongest signal first: the Q&A
section, the "Tiếp cận thông tin" section, contact and feedback pages, frames (forms often live
in iframes), section hubs that lead to them ("Công dân", "Dịch vụ công"), link directories,
"Giới thiệu", budget publication. Traps are never hinted: calendars, print and share views,
login and search pages, files (.pdf, .doc, .zip, images, media). :func:`is_trap` lets the engine
skip them altogether.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.checks.dom import is_article_url, parse, same_site
from crawler.checks.info_access import INFO
from crawler.checks.qa_section import QA
from crawler.checks.section import label_match, slug_match
from crawler.page import LinkHint, PageView
from crawler.text import label_key

FILE_EXT = re.compile(
    r"\.(pdf|docx?|xlsx?|pptx?|odt|ods|rtf|zip|rar|7z|gz|tar|jpe?g|png|gif|bmp|svg|webp|ico|"
    r"mp[34]|avi|mov|wmv|flv|webm|wav|exe|msi|apk|iso|csv|xml|json|txt|js|css)$",
    re.I,
)
TRAP_PATH = re.compile(
    r"(lich-?cong-?tac|lich-?lam-?viec|calendar|/lich/|/print|/in-?an|/share|sharer|/login|"
    r"dang-?nhap|dang-?ky|/signin|/signup|/register|/logout|dang-?xuat|tim-?kiem|/search|"
    r"/rss|/feed|/wp-admin|/wp-login|/admin|/cdn-cgi/|/tag/|/tags/|/print\.aspx|/sitemap)",
    re.I,
)
TRAP_QUERY = re.compile(
    r"(^|&)(ngay|date|day|month|year|thang|nam|print|in|share|keyword|q|s|search|tukhoa|"
    r"replytocom|sort|orderby|lang|view)=",
    re.I,
)
CONTACT = ("Liên hệ", "Liên hệ - Góp ý", "Góp ý", "Phản ánh kiến nghị", "Phản ánh, kiến nghị",
           "Gửi ý kiến", "Ý kiến", "Góp ý - Phản ánh", "Đường dây nóng", "Contact", "Phản ánh")  # fmt: skip
HUBS = ("Công dân", "Dịch vụ công", "Tiện ích", "Dịch vụ", "Tương tác", "Công dân - Doanh nghiệp",
        "Dành cho công dân", "Doanh nghiệp", "Dịch vụ cho công dân", "Thông tin cần biết")  # fmt: skip
DIRECTORY = ("Liên kết website", "Liên kết", "Website liên kết", "Danh bạ website", "Các sở ngành")
ABOUT = ("Giới thiệu", "Giới thiệu chung", "Cơ cấu tổ chức", "Danh bạ", "Danh bạ điện thoại")
BUDGET = ("Công khai ngân sách", "Công khai tài chính", "Công khai ngân sách nhà nước")
CONTACT_SLUG = re.compile(r"(lien-?he|gop-?y|phan-?anh|kien-?nghi|y-?kien|contact|duong-day-nong)")


def is_trap(url: str) -> bool:
    """Calendars, print/share views, login/search pages and files: not worth a page fetch."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return True
    if FILE_EXT.search(parts.path):
        return True
    if TRAP_PATH.search(parts.path):
        return True
    return bool(parts.query and TRAP_QUERY.search(parts.query))


def _score(text: str, url: str) -> tuple[int, str]:
    segment = [s for s in urlsplit(url).path.split("/") if s]
    last = segment[-1].lower() if segment else ""
    if label_match(text, QA) or slug_match(url, QA):
        return 100, "qa"
    if label_match(text, INFO) or slug_match(url, INFO):
        return 90, "info_access"
    key = label_key(text)
    if (key and any(key == label_key(c) for c in CONTACT)) or CONTACT_SLUG.search(last):
        return 80, "contact"
    if key and any(key == label_key(c) for c in HUBS):
        return 50, "hub"
    if key and any(key == label_key(c) for c in DIRECTORY):
        return 45, "directory"
    if key and any(key == label_key(c) for c in ABOUT):
        return 30, "about"
    if key and any(key == label_key(c) for c in BUDGET):
        return 20, "budget"
    return 0, ""


def link_hints(page: PageView) -> list[LinkHint]:
    """In-site links worth crawling first, highest priority first (one hint per URL)."""
    doc = parse(page)
    best: dict[str, LinkHint] = {}
    for link in doc.links:
        if not link.url or link.tag == "option":
            continue
        if not (same_site(link.url, page.url) or same_site(link.url, page.site_url)):
            continue
        if is_trap(link.url):
            continue
        if link.tag in ("iframe", "frame"):
            priority, reason = 70, "frame"
        else:
            if is_article_url(link.url):
                continue
            priority, reason = _score(link.text, link.url)
            if not priority:
                continue
            if link.zone in ("nav", "footer", "header"):
                priority += 5
        current = best.get(link.url)
        if current is None or current.priority < priority:
            best[link.url] = LinkHint(url=link.url, reason=reason, priority=priority)
    from crawler.checks.external_system import hints as system_hints

    for hint in system_hints(page):  # complaint/Q&A systems on other hosts: one hop
        current = best.get(hint.url)
        best[hint.url] = LinkHint(
            hint.url, hint.reason, max(hint.priority, current.priority if current else 0)
        )
    return sorted(best.values(), key=lambda h: (-h.priority, h.url))
