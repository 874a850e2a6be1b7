"""qa_section: the Q&A section ("Hỏi đáp"). Value: the section's absolute URL.

Found two ways: a link inside the site whose label is a Q&A label ('Hỏi đáp', 'Hỏi - Đáp trực
tuyến', 'Hỏi | Đáp', 'Câu hỏi thường gặp', 'Gửi câu hỏi', 'Hỏi đáp pháp luật', ...) or whose last
path segment is a Q&A slug (/hoi-dap, /hoi-ap, /Hoi-dap-phap-luat.aspx, /cau-hoi-thuong-gap);
or the page itself being the section (slug, heading, title, or the label of the link that led
here). Then the details: a question form, how many questions are listed, the newest question and
answer dates. News articles whose headline contains "hỏi đáp" are not sections.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from crawler.checks.dom import Doc, parse
from crawler.checks.section import SectionSpec, page_is_section, section_links
from crawler.page import FindingDraft, PageView
from crawler.text import fold_lower
from pobi.models import Channel

QA = SectionSpec(
    labels=(
        "Hỏi đáp",
        "Hỏi đáp trực tuyến",
        "Hỏi - Đáp trực tuyến",
        "Câu hỏi thường gặp",
        "Gửi câu hỏi",
        "Hỏi đáp pháp luật",
        "Hỏi đáp chính sách",
        "Hỏi đáp thủ tục hành chính",
        "Hỏi đáp - Góp ý",
        "Hỏi đáp cử tri",
        "Hỏi đáp công dân",
        "Hỏi đáp doanh nghiệp",
        "Hỏi đáp trực tuyến",
        "Hỏi và đáp",
        "Giải đáp thắc mắc",
        "Giải đáp vướng mắc",
        "Giải đáp chính sách",
        "Giải đáp pháp luật",
        "Hỏi ap",
        "FAQ",
        "FAQs",
    ),
    slug=re.compile(
        r"(hoi-?d?ap|hoi-va-dap|hoidap|cau-hoi-thuong-gap|gui-cau-hoi|faqs?"
        r"|giai-dap-(thac-mac|vuong-mac|chinh-sach|phap-luat))(-[a-z]+){0,3}"
    ),
    extra_words=2,
    prefixes=("Chuyên mục", "Chuyên trang", "Trang"),
)

DATE_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
DATE_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
DATE_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
ASKED = re.compile(r"(ngay\s*(gui|hoi|dat cau hoi|tao)|gui\s*ngay|thoi gian gui|ngay dang)")
ANSWERED = re.compile(r"(ngay\s*(tra\s*loi|phan\s*hoi|dap)|tra\s*loi\s*ngay|thoi gian tra loi)")


def parse_dates(text: str) -> list[date]:
    """dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd and 'ngày 5 tháng 3 năm 2025'."""
    folded = fold_lower(text)
    out: list[date] = []
    for m in DATE_DMY.finditer(folded):
        out += _mk(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    for m in DATE_ISO.finditer(folded):
        out += _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    for m in DATE_WORDS.finditer(folded):
        out += _mk(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return out


def _mk(y: int, m: int, d: int) -> list[date]:
    try:
        if 1990 <= y <= 2100:
            return [date(y, m, d)]
    except ValueError:
        pass
    return []


def labelled_dates(text: str, label: re.Pattern[str]) -> list[date]:
    """Dates that follow a label ('Ngày gửi: 03/04/2025') within the same line."""
    out = []
    for line in fold_lower(text).split("\n"):
        for m in label.finditer(line):
            window = line[m.end() : m.end() + 40]
            found = parse_dates(window)
            if found:
                out.append(found[0])
    return out


def qa_details(page: PageView, doc: Doc, value: str) -> dict[str, object]:
    folded = fold_lower(doc.text)
    asked = labelled_dates(doc.text, ASKED)
    answered = labelled_dates(doc.text, ANSWERED)
    parts = urlsplit(value)
    below = parts.path.removesuffix(".aspx").rstrip("/") + "/"
    detail_links = set()
    for link in doc.links:
        if link.tag != "a" or not link.url or link.url == value:
            continue
        lp = urlsplit(link.url)
        if lp.netloc != parts.netloc:
            continue
        if parts.query:  # '?page_id=12' -> '?page_id=12&qid=100'
            if lp.path == parts.path and lp.query.startswith(parts.query + "&"):
                detail_links.add(link.url)
        elif below != "/" and lp.path.startswith(below) and len(lp.path) > len(below):
            detail_links.add(link.url)
    listed = max(len(asked), len(re.findall(r"\bcau hoi\s*[:#]", folded)), len(detail_links))
    return {
        "label": doc.headings[0] if doc.headings else doc.title,
        "has_form": any(f.has_textarea for f in doc.forms) or doc.textareas > 0,
        "questions_listed": listed,
        "newest_question_date": max(asked).isoformat() if asked else None,
        "newest_answer_date": max(answered).isoformat() if answered else None,
        "rendered": page.rendered,
    }


def check(page: PageView) -> list[FindingDraft]:
    doc = parse(page)
    drafts: dict[str, FindingDraft] = {}
    itself = page_is_section(page, doc, QA)
    if itself:
        value, how = itself
        details = qa_details(page, doc, value)
        details["how"] = how
        drafts[value] = FindingDraft(Channel.QA_SECTION, value, details)
    for link, value, how in section_links(page, doc, QA):
        if value not in drafts:
            drafts[value] = FindingDraft(
                Channel.QA_SECTION,
                value,
                {
                    "how": f"link_{how}",
                    "label": link.text,
                    "zone": link.zone,
                    "rendered": page.rendered,
                },
            )
    return list(drafts.values())
