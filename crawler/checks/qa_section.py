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


RELATIVE = re.compile(
    r"(\d{1,3})\s*(phut|gio|ngay|tuan|thang|nam)\s*(truoc|qua\b)|\b(hom qua|hom nay|vua xong)\b"
)
UNIT_DAYS = {"phut": 0, "gio": 0, "ngay": 1, "tuan": 7, "thang": 30, "nam": 365}
# a header's "Thứ năm, ngày 03/12/2026" is today's date, not a question's
TODAY_LINE = re.compile(r"\b(thu (hai|ba|tu|nam|sau|bay)|chu nhat|hom nay|cap nhat luc)\b")
ANSWERED_MARK = re.compile(r"(da tra loi|da phan hoi|da giai dap|tra loi\s*:|noi dung tra loi|"
                           r"co quan tra loi|don vi tra loi)")  # fmt: skip
UNANSWERED_MARK = re.compile(r"(chua tra loi|cho tra loi|chua duoc tra loi|chua co cau tra loi|"
                             r"dang xu ly|chua phan hoi)")  # fmt: skip
ITEM_KEY = re.compile(r"(item_?id|id|qid|cauhoi_?id|idcauhoi|question_?id|hoidap_?id|cauhoi|q)")
LIST_FILTER = re.compile(r"(cat|linhvuc|chuyenmuc|type|sort|order|tag|group|nhom)")
STATUS_ANSWERED = re.compile(r"(?<!chua )(da tra loi|da phan hoi|da giai dap)")
SAYS_EMPTY = re.compile(
    r"(chua co (cau hoi|du lieu|noi dung)|khong co (cau hoi|du lieu|ban ghi|noi dung)|"
    r"khong tim thay (du lieu|cau hoi|ket qua)|danh sach trong|no (data|records|questions)|"
    r"no items found)"
)
ERROR_PAGE = re.compile(
    r"(server error in '/' application|runtime error|an error occurred while processing|"
    r"loi he thong|da xay ra loi|trang (ban tim )?khong ton tai|khong tim thay trang|"
    r"404 not found|page not found|service unavailable|database error|loi ket noi co so du lieu|"
    r"exception of type|stack trace)"
)
FORM_LINK = re.compile(r"^(gui|dat) (cau hoi|cau hoi moi|y kien|thac mac)|^hoi moi$|^dat cau hoi")
JSON_DATE_KEY = re.compile(
    r'"(?P<k>[A-Za-z_]*(?:ngay|Ngay|date|Date|created|Created|answer|Answer|traloi|TraLoi|gui|Gui)'
    r'[A-Za-z_]*)"\s*:\s*"(?P<v>[^"]{6,40})"'
)
JSON_QUESTION_KEY = re.compile(
    r'"(cauhoi|CauHoi|cau_hoi|question|Question|TieuDe|tieude|title|Title)"\s*:'
)
MS_DATE = re.compile(r"/Date\((\d{10,13})")


def relative_age_days(text: str) -> tuple[int, str] | None:
    """The youngest relative date on the page ('2 ngày trước' -> 2), with the words as written."""
    best: tuple[int, str] | None = None
    for m in RELATIVE.finditer(fold_lower(text)):
        if m.group(4):
            days = {"hom qua": 1, "hom nay": 0, "vua xong": 0}[m.group(4)]
        else:
            days = int(m.group(1)) * UNIT_DAYS[m.group(2)]
        if best is None or days < best[0]:
            best = (days, m.group(0))
    return best


def unlabelled_dates(text: str) -> list[date]:
    """Dates in the page's lines that are not a header's 'today' (for lists that print dates
    without a label: '12/03/2025 - Hỏi về thủ tục ...')."""
    out: list[date] = []
    for line in fold_lower(text).split("\n"):
        for cell in line.split("\t"):  # a table row: each cell on its own
            if TODAY_LINE.search(cell) or len(cell) > 400:
                continue
            out += parse_dates(cell)
    return out


def json_items(scripts: list[str]) -> tuple[int, list[date], list[date]]:
    """Questions and dates in JSON the page carries (an inline data island or state object)."""
    count = 0
    asked: list[date] = []
    answered: list[date] = []
    for body in scripts:
        if "{" not in body:
            continue
        count += len(JSON_QUESTION_KEY.findall(body))
        for m in JSON_DATE_KEY.finditer(body):
            raw, key = m.group("v"), fold_lower(m.group("k"))
            ms = MS_DATE.search(raw)
            if ms:
                from datetime import UTC, datetime

                stamp = int(ms.group(1))
                found = [
                    datetime.fromtimestamp(stamp / (1000 if stamp > 10**11 else 1), UTC).date()
                ]
            else:
                found = parse_dates(raw)
            target = answered if ("answer" in key or "traloi" in key) else asked
            target.extend(found)
    return count, asked, answered


def _item_query(query: str) -> bool:
    """A query that names one item (``ItemID=12``, ``id=5``, ``qid=100``), not a page of the list."""
    from urllib.parse import parse_qsl

    from crawler.checks.section import PAGING_PARAMS

    keys = [k.lower() for k, _v in parse_qsl(query, keep_blank_values=True)]
    if not keys or any(k in PAGING_PARAMS or LIST_FILTER.search(k) for k in keys):
        return False  # a page of the list, or the list filtered by category
    return any(ITEM_KEY.fullmatch(k) for k in keys)


def qa_details(page: PageView, doc: Doc, value: str) -> dict[str, object]:
    from crawler.render import JS_SHELL, PLACEHOLDER, SCRIPT_LIST, render_reason

    folded = fold_lower(doc.text)
    asked = labelled_dates(doc.text, ASKED)
    answered = labelled_dates(doc.text, ANSWERED)
    evidence: list[str] = []
    parts = urlsplit(value)
    below = parts.path.removesuffix(".aspx").rstrip("/") + "/"
    detail_links = set()
    form_page = ""
    for link in doc.links:
        if link.tag not in ("a", "script_nav") or not link.url or link.url == value:
            continue
        lp = urlsplit(link.url)
        if lp.netloc != parts.netloc:
            continue
        if not form_page and FORM_LINK.search(fold_lower(link.text).strip()):
            form_page = link.url
        if parts.query:  # '?page_id=12' -> '?page_id=12&qid=100'
            if lp.path == parts.path and lp.query.startswith(parts.query + "&"):
                detail_links.add(link.url)
        elif below != "/" and lp.path.startswith(below) and len(lp.path) > len(below):
            detail_links.add(link.url)
        elif lp.path == parts.path and lp.query and _item_query(lp.query):
            detail_links.add(link.url)  # ASP.NET/SharePoint: 'hoi-dap.aspx?ItemID=1204'
    json_count, json_asked, json_answered = json_items(doc.scripts)
    answered_marks = len(ANSWERED_MARK.findall(folded))
    unanswered_marks = len(UNANSWERED_MARK.findall(folded))
    listed = max(
        len(asked),
        len(re.findall(r"\bcau hoi\s*[:#]", folded)),
        len(detail_links),
        json_count,
        len(UNANSWERED_MARK.findall(folded)) + len(STATUS_ANSWERED.findall(folded)),
    )
    dates_labelled = bool(asked or answered)
    if asked or answered:
        evidence.append(f"{len(asked)} 'sent' and {len(answered)} 'answered' date(s) after labels")
    if json_asked or json_answered:
        asked += json_asked
        answered += json_answered
        evidence.append(f"{json_count} question(s) in JSON the page carries")
    loose: list[date] = []
    if not asked and not answered and listed:
        loose = unlabelled_dates(doc.text)
        if loose:
            evidence.append(f"{len(loose)} unlabelled date(s) in the list")
    if detail_links:
        evidence.append(f"{len(detail_links)} question link(s) under {below}")
    relative = relative_age_days(doc.text) if listed or not (asked or answered or loose) else None
    if relative:
        evidence.append(f"relative date '{relative[1]}'")
    has_form = any(f.has_textarea for f in doc.forms) or doc.textareas > 0
    # what the list shows, and the evidence for it (scoring judges 'empty or broken' on this only)
    error = ERROR_PAGE.search(folded)
    says_empty = SAYS_EMPTY.search(folded)
    if error:
        state, shown = "error", f"the page shows an error: '{error.group(0)}'"
    elif listed:
        state, shown = "listed", f"{listed} question(s) listed"
    elif says_empty:
        state, shown = "says_empty", f"the page says '{says_empty.group(0)}'"
    else:
        why = None if page.rendered else render_reason(page.html, page.url)
        if why and why.code in (SCRIPT_LIST, PLACEHOLDER, JS_SHELL):
            state, shown = "script_loaded", f"the list is loaded by script ({why.text})"
        elif page.rendered:
            state, shown = "none_seen", "no question listed on the page rendered in Chromium"
        else:
            state, shown = "none_seen", "no question listed, and the page loads nothing by script"
    evidence.insert(0, shown)
    details: dict[str, object] = {
        "label": doc.headings[0] if doc.headings else doc.title,
        "has_form": has_form,
        "questions_listed": listed,
        "answered_count": answered_marks if answered_marks else (len(answered) or None),
        "unanswered_count": unanswered_marks,
        "newest_question_date": max(asked).isoformat() if asked else None,
        "newest_answer_date": max(answered).isoformat() if answered else None,
        "dates_labelled": dates_labelled,
        "list_state": state,
        "evidence": evidence,
        "rendered": page.rendered,
    }
    if loose:
        details["newest_date"] = max(loose).isoformat()
    if relative:
        details["newest_age_days"] = relative[0]
        details["newest_relative"] = relative[1]
    if form_page and not has_form:
        details["form_page"] = form_page
    return details


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
    from crawler.checks.external_system import systems

    for draft in systems(page, Channel.QA_SECTION):  # Q&A systems on other hosts
        drafts.setdefault(draft.value, draft)
    return list(drafts.values())
