"""What a budget document is: its type, fiscal year, period, own date and forms, each explained.

Classification reads, in order, the link's title on the publishing page, the file name, and the
first part of the document's text; the first source that names a document type decides, and every
decision is written down (``reasons``) in plain words a researcher can check. Matching is done on a
folded form of the text (NFC, lower case, diacritics dropped, ``đ`` -> ``d``, separators to
spaces) so "Dự toán", "DỰ TOÁN", "Du toan", "du-toan" and NFD text all match the same patterns.

The patterns follow how provinces title their publications (Circular 343/2016/TT-BTC forms and
the decisions that publish them), e.g.:

- "Quyết định về việc công bố công khai dự toán ngân sách năm 2025" -> estimate as decided;
- "Báo cáo dự toán ngân sách địa phương năm 2025 (trình HĐND tỉnh)" -> estimate submitted;
- "Công khai tình hình thực hiện dự toán ngân sách quý I năm 2025" -> quarterly execution, q1;
- "Quyết định công bố công khai quyết toán ngân sách địa phương năm 2023" -> final accounts;
- "Ngân sách công dân năm 2025" -> citizen budget;
- "Kế hoạch tài chính - ngân sách nhà nước 03 năm 2025-2027" -> medium-term plan.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from pobi.models import DocType
from pobi.registry import ascii_name

CONTENT_HEAD = 3000  # the heading of a document is where its title and date are


def fold(text: str) -> str:
    """Lower case, no diacritics, separators as spaces: 'Dự-toán_NS' -> 'du toan ns'."""
    text = ascii_name(unicodedata.normalize("NFC", text or "")).lower()
    text = re.sub(r"[_\-–—+.,;:()\[\]/\\|]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


# folded patterns
_CITIZEN = re.compile(r"\bngan sach (?:danh )?(?:cho )?cong dan\b|\bcitizen s? budget\b|\bnscd\b")
_AUDIT = re.compile(
    r"\bket qua kiem toan\b|\bkiem toan nha nuoc\b|\bbao cao kiem toan\b|\bkien nghi (cua )?kiem toan\b"
    r"|\bthuc hien kien nghi kiem toan\b"
)
_MEDIUM = re.compile(
    r"\bke hoach tai chinh\b.{0,40}\b(0?3|0?5|ba|nam) nam\b|\bke hoach tai chinh ngan sach\b"
    r"|\bke hoach tai chinh 5 nam\b|\btrung han\b.{0,30}\btai chinh\b"
)
_EXECUTION = re.compile(
    r"\b(tinh hinh )?thuc hien (du toan )?(thu chi )?(ngan sach|ns|nsnn|nsdp|du toan)\b"
    r"|\buoc thuc hien\b|\bthuc hien du toan\b"
)
_FINAL = re.compile(r"\bquyet toan\b")
_ESTIMATE = re.compile(r"\bdu toan\b")
_SUBMITTED = re.compile(
    r"\bto trinh\b|\btrinh (hoi dong nhan dan|hdnd|ky hop)\b|\bdu thao\b|\bde nghi phe chuan\b"
    r"|\bkem theo to trinh\b|\btrinh hoi dong\b"
)
_DECIDED = re.compile(
    r"\bcong bo cong khai\b|\bda duoc (hoi dong nhan dan|hdnd)\b|\bquyet dinh giao\b"
    r"|\bphe chuan\b|\bnghi quyet\b|\bduoc phe duyet\b"
)
_QUARTER = re.compile(r"\bquy (iv|iii|ii|i|1|2|3|4)\b|\b(0?3) thang\b|\bq ?([1-4])\b")
_HALF = re.compile(r"\b(0?6|sau) thang\b")
_NINE = re.compile(r"\b(0?9|chin) thang\b")
_YEAR = re.compile(r"\bnam (20\d\d)\b")
_ANY_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_RANGE = re.compile(r"(?<!\d)(20\d\d) ?(20\d\d)(?!\d)")
_OWN_DATE = re.compile(r"\bngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})\b")
_FORM = re.compile(r"\bbieu (?:so |mau (?:so )?)?(\d{1,3}) ck nsnn\b|\b(\d{1,3}) ck nsnn\b")
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# An agency's own budget (Circular 61/2017/TT-BTC, Circular 90/2018/TT-BTC: every budget-using unit
# publishes its own estimate, execution and final accounts), e.g. "Công khai dự toán ngân sách năm
# 2025 của Văn phòng Sở Tài chính", "… của Sở Y tế", "… đơn vị dự toán cấp I", or a district's or
# commune's budget. Owner words count only after the budget words ("… ngân sách năm 2025 của Sở
# Y tế"): before them, "Quyết định của UBND tỉnh về việc …" names the issuer, not the owner.
_AGENCY_OWNER = re.compile(
    r"\bcua (?:co quan |don vi )?(?:van phong |giam doc )?"
    r"(?:so|chi cuc|cuc|trung tam|benh vien|truong|vien|ban quan ly|ban|thanh tra|dai|"
    r"hoi (?!dong)|tinh doan|tinh uy|uy ban mat tran|bo chi huy|cong an|van phong)\b"
    r"|\bcua (?:ubnd|uy ban nhan dan) (?:huyen|thi xa|xa|phuong|thi tran)\b"
)
# anywhere in the text: the unit itself speaks ("đơn vị dự toán", "Giám đốc Sở …", "thủ trưởng
# đơn vị"); "các / từng đơn vị dự toán" is the province allocating to its units, not an agency
_AGENCY_ANYWHERE = re.compile(
    r"(?<!cac )(?<!tung )(?<!cho )\bdon vi du toan\b|\bdon vi su dung ngan sach\b"
    r"|\bgiam doc so\b|\bthu truong (co quan|don vi)\b"
)
# approval of final accounts needs evidence: the council's approval ("phê chuẩn", "Nghị quyết …",
# "đã được HĐND … thông qua") or the People's Committee's decision publishing the approved figures
# ("Quyết định công bố công khai quyết toán")
_FINAL_APPROVED = re.compile(
    r"\bphe chuan\b|\bnghi quyet\b|\bcong bo cong khai\b|\bquyet dinh\b.{0,60}\bcong bo\b"
    r"|\bda duoc (?:hoi dong nhan dan|hdnd)\b|\bthong qua\b"
)
# the same, stricter, for a file name or a document's text read after a title without evidence
# (a text may cite "Nghị quyết …" on other matters; it must name the approval of final accounts)
_FINAL_APPROVED_TEXT = re.compile(
    r"\bphe chuan (?:tong )?quyet toan\b|\bcong bo cong khai\b.{0,80}\bquyet toan\b"
    r"|\bda duoc (?:hoi dong nhan dan|hdnd)\b.{0,60}\bphe chuan\b"
)
_FINAL_REPORT = re.compile(r"\bbao cao (?:tong )?quyet toan\b|\bthuyet minh quyet toan\b")


@dataclass
class Classification:
    doc_type: DocType
    fiscal_year: int | None
    period: str  # year | q1..q4 | h1 | 9m | multi | ''
    decided_by: str  # title | file_name | content | ''
    document_date: date | None = None
    forms: list[int] = field(default_factory=list)  # "Biểu số NN/CK-NSNN" numbers present
    reasons: list[str] = field(default_factory=list)


def _type_of(folded: str) -> tuple[DocType | None, str]:
    """A document type and the words that decided it, from one folded text."""
    if m := _CITIZEN.search(folded):
        return DocType.CITIZEN_BUDGET, m.group()
    if m := _AUDIT.search(folded):
        return DocType.AUDIT_REPORT, m.group()
    if m := _MEDIUM.search(folded):
        return DocType.MEDIUM_TERM_PLAN, m.group()
    if m := _EXECUTION.search(folded):
        if _NINE.search(folded):
            return DocType.EXECUTION_NINE_MONTH, f"{m.group()} + 9 tháng"
        if _HALF.search(folded):
            return DocType.EXECUTION_SIX_MONTH, f"{m.group()} + 6 tháng"
        if q := _QUARTER.search(folded):
            return DocType.EXECUTION_QUARTERLY, f"{m.group()} + {q.group()}"
        return DocType.EXECUTION_ANNUAL, f"{m.group()} (no quarter or month count: the year)"
    if m := _FINAL.search(folded):
        if s := _SUBMITTED.search(folded):
            return DocType.FINAL_ACCOUNTS_PROPOSED, f"{m.group()} + {s.group()}"
        if a := _FINAL_APPROVED.search(folded):
            return DocType.FINAL_ACCOUNTS_APPROVED, f"{m.group()} + {a.group()}"
        if r := _FINAL_REPORT.search(folded):
            return DocType.FINAL_ACCOUNTS_PROPOSED, (
                f"{r.group()} (a report of final accounts is what goes to the council for approval)"
            )
        return DocType.FINAL_ACCOUNTS_PROPOSED, (
            f"{m.group()} without evidence of approval (no 'phê chuẩn', 'Nghị quyết', 'công bố "
            "công khai'): read as submitted, so unproven approval earns no credit"
        )
    if m := _ESTIMATE.search(folded):
        if s := _SUBMITTED.search(folded):
            return DocType.ESTIMATE_PROPOSED, f"{m.group()} + {s.group()}"
        d = _DECIDED.search(folded)
        return DocType.ESTIMATE_APPROVED, m.group() + (f" + {d.group()}" if d else "")
    return None, ""


_BUDGET_TYPES = {
    DocType.ESTIMATE_PROPOSED, DocType.ESTIMATE_APPROVED, DocType.EXECUTION_QUARTERLY,
    DocType.EXECUTION_SIX_MONTH, DocType.EXECUTION_NINE_MONTH, DocType.EXECUTION_ANNUAL,
    DocType.FINAL_ACCOUNTS_PROPOSED, DocType.FINAL_ACCOUNTS_APPROVED,
}  # fmt: skip


# rules about budgets, not budgets: "Ban hành Quy chế xem xét, quyết định dự toán …", "Quy định
# phân cấp nguồn thu, nhiệm vụ chi …", "… định mức phân bổ dự toán …", "nguyên tắc, tiêu chí …"
_RULES = re.compile(
    r"\bban hanh (?:kem theo )?quy (?:che|dinh)\b|\bquy che\b|\bdinh muc phan bo\b"
    r"|\bnguyen tac tieu chi\b|\bphan cap nguon thu\b|\bty le phan tram phan chia\b"
)

# reports on the publication itself: "Tình hình thực hiện công khai dự toán ngân sách nhà nước năm
# 2023 của tỉnh …", "Kết quả thực hiện công khai ngân sách" (a summary of who published, not a budget)
_ABOUT_PUBLICATION = re.compile(r"\b(?:tinh hinh|ket qua) (?:thuc hien )?cong khai\b")

_BUDGET_WORDS = re.compile(r"\b(?:du toan|quyet toan|thuc hien|ngan sach|nsnn|nsdp)\b")


def _agency(folded: str) -> str:
    """The words showing a budget is an agency's (or district's) own, not the province's; ''."""
    if m := _AGENCY_ANYWHERE.search(folded):
        return m.group()
    start = _BUDGET_WORDS.search(folded)
    if start and (m := _AGENCY_OWNER.search(folded, start.end())):
        return m.group()
    return ""


# file-name abbreviations: CKNS = công khai ngân sách, DT = dự toán, QT = quyết toán, TH(DT) =
# thực hiện (dự toán), TTr = tờ trình, NQ = nghị quyết, QĐ/CBCK = quyết định / công bố công khai;
# Q1–Q4, 3T/6T/9T/12T = quý, 3/6/9/12 tháng. "CKNS_Q1_2025.pdf", "CKNS-6T-2024.xlsx",
# "DT2025_HDND.pdf", "QT2023.pdf", "TTr_QT_2023.pdf".
_BUDGET_ABBR = {"ckns", "cknsnn", "ckdt", "ckqt", "ns", "nsnn", "nsdp", "th", "thdt", "thns"}
_PERIOD_ABBR = {"q1": "q1", "q2": "q2", "q3": "q3", "q4": "q4", "3t": "q1", "6t": "h1", "9t": "9m"}


def _abbreviated(folded: str) -> tuple[DocType | None, str, str]:
    """Type, period and the tokens that decided them, from an abbreviated file name; (None, '', '')."""
    spaced = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d{4})(?=[a-z])", " ", folded)
    spaced = re.sub(r"\bq (?=[1-4]\b)", "q", spaced)  # "q 1" -> "q1"
    tokens = spaced.split()
    has = set(tokens)
    year = any(re.fullmatch(r"20\d\d", t) for t in tokens)
    period = next((_PERIOD_ABBR[t] for t in tokens if t in _PERIOD_ABBR), "")
    full_year = "12t" in has or "cn" in has  # 12 tháng / cả năm
    words = [t for t in tokens if t in _BUDGET_ABBR | _PERIOD_ABBR.keys() | {"dt", "qt", "12t"}]
    why = " + ".join(words) + " (file-name abbreviations)"
    submitted = has & {"ttr", "trinh", "dthao"}
    approved = has & {"nq", "qd", "cbck", "pc", "phechuan"}
    if ("qt" in has and year) or "ckqt" in has:
        if submitted:
            return DocType.FINAL_ACCOUNTS_PROPOSED, "year", why + f" + {min(submitted)}"
        if approved:
            return DocType.FINAL_ACCOUNTS_APPROVED, "year", why + f" + {min(approved)}"
        return (
            DocType.FINAL_ACCOUNTS_PROPOSED,
            "year",
            (why + ": no sign of approval (NQ, QĐ, CBCK), read as submitted"),
        )
    budget = has & _BUDGET_ABBR
    if period and (budget or "dt" in has) and year:
        kind = {
            "h1": DocType.EXECUTION_SIX_MONTH, "9m": DocType.EXECUTION_NINE_MONTH,
        }.get(period, DocType.EXECUTION_QUARTERLY)  # fmt: skip
        return kind, period, why
    if full_year and budget and year:
        return DocType.EXECUTION_ANNUAL, "year", why
    if ("dt" in has or "ckdt" in has) and year:
        if submitted:
            return DocType.ESTIMATE_PROPOSED, "year", why + f" + {min(submitted)}"
        return DocType.ESTIMATE_APPROVED, "year", why
    return None, "", ""


def _period(doc_type: DocType, folded: str) -> str:
    if doc_type == DocType.EXECUTION_QUARTERLY:
        q = _QUARTER.search(folded)
        if q is None:
            return ""
        n = ROMAN.get(q.group(1) or q.group(3) or "1", 1)
        return f"q{n}"
    if doc_type == DocType.EXECUTION_SIX_MONTH:
        return "h1"
    if doc_type == DocType.EXECUTION_NINE_MONTH:
        return "9m"
    if doc_type == DocType.MEDIUM_TERM_PLAN:
        return "multi"
    if doc_type == DocType.OTHER:
        return ""
    return "year"


def _year(doc_type: DocType, folded: str) -> int | None:
    folded = _OWN_DATE.sub(
        " ", folded
    )  # "ngày 10 tháng 12 năm 2024" dates the paper, not the budget
    if doc_type == DocType.MEDIUM_TERM_PLAN and (r := _RANGE.search(folded)):
        return int(r.group(1))
    if m := _YEAR.search(folded):
        return int(m.group(1))
    years = [int(y) for y in _ANY_YEAR.findall(folded)]
    return years[0] if years else None


def own_date(text: str) -> date | None:
    """The document's own date ("…, ngày 10 tháng 12 năm 2024") from its heading."""
    for m in _OWN_DATE.finditer(fold(text[:CONTENT_HEAD])):
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            continue
    return None


def forms_in(text: str) -> list[int]:
    """Numbers of the Circular 343 forms ("Biểu số 46/CK-NSNN") a document contains."""
    found = set()
    for m in _FORM.finditer(fold(text)):
        found.add(int(m.group(1) or m.group(2)))
    return sorted(found)


def classify(title: str, file_name: str, text: str = "") -> Classification:
    sources = (("title", title), ("file_name", file_name), ("content", text[:CONTENT_HEAD]))
    reasons: list[str] = []
    doc_type: DocType | None = None
    decided_by = ""
    folded_decider = ""
    period_hint = ""
    for name, raw in sources:
        folded = fold(raw)
        if not folded:
            continue
        kind, why = _type_of(folded)
        if kind is None and name != "content":
            kind, period_hint, why = _abbreviated(folded)
        if kind is not None:
            doc_type, decided_by, folded_decider = kind, name, folded
            reasons.append(f"type {kind.value} from the {name.replace('_', ' ')}: '{why}'")
            if kind in _BUDGET_TYPES and (meta := _ABOUT_PUBLICATION.search(folded)):
                doc_type, period_hint = DocType.OTHER, ""
                reasons.insert(
                    0,
                    f"type other from the {name.replace('_', ' ')}: a report on the publication, "
                    f"not the budget ('{meta.group()}'; it would otherwise be {kind.value})",
                )
                break
            if kind in _BUDGET_TYPES and (rule := _RULES.search(folded)):
                doc_type, period_hint = DocType.OTHER, ""
                reasons.insert(
                    0,
                    f"type other from the {name.replace('_', ' ')}: a rule about budgets, not a "
                    f"budget ('{rule.group()}'; it would otherwise be {kind.value})",
                )
                break
            if kind in _BUDGET_TYPES and (owner := _agency(folded)):
                doc_type, period_hint = DocType.OTHER, ""
                reasons.insert(
                    0,
                    f"type other from the {name.replace('_', ' ')}: an agency's own budget, not "
                    f"the province's ('{owner}'; it would otherwise be {kind.value})",
                )
            break
    if doc_type == DocType.FINAL_ACCOUNTS_PROPOSED and not _SUBMITTED.search(folded_decider):
        # read as submitted only for want of evidence: the file name or the text may show approval
        for name, raw in sources:
            folded = fold(raw)
            if name == decided_by or not folded:
                continue
            if s := _SUBMITTED.search(folded):
                reasons.append(f"stays submitted: the {name.replace('_', ' ')} says '{s.group()}'")
                break
            if a := _FINAL_APPROVED_TEXT.search(folded):
                doc_type = DocType.FINAL_ACCOUNTS_APPROVED
                reasons.insert(
                    0,
                    f"type final_accounts_approved: the {name.replace('_', ' ')} shows the "
                    f"approval ('{a.group()}')",
                )
                break
    if doc_type is None:
        doc_type = DocType.OTHER
        reasons.append(
            "type other: neither the title, the file name nor the text names a budget document"
        )
    # year and period: from the deciding source, else from the others in order
    year = _year(doc_type, folded_decider) if folded_decider else None
    period = _period(doc_type, folded_decider) if folded_decider else ""
    period = period_hint or period
    year_from = decided_by if year is not None else ""
    if year is None:
        for name, raw in sources:
            folded = fold(raw)
            if folded and (y := _year(doc_type, folded)) is not None:
                year, year_from = y, name
                break
    if year is not None:
        reasons.append(f"fiscal year {year} from the {year_from.replace('_', ' ')}")
    elif doc_type in _BUDGET_TYPES:
        # a budget publication names its year; budget words without one are news ("HĐND … hủy
        # dự toán 266 công trình"), notices or rules, and could not be placed in a round anyway
        reasons.insert(
            0,
            f"type other: budget words but no fiscal year in the title, the file name or the text "
            f"(it would otherwise be {doc_type.value})",
        )
        doc_type, period, period_hint = DocType.OTHER, "", ""
    else:
        reasons.append("fiscal year unknown")
    if doc_type == DocType.EXECUTION_QUARTERLY and not period:
        period = "q1"
        reasons.append("quarter not named: q1 assumed")
    if period:
        reasons.append(f"period {period}")
    own = own_date(text) if text else None
    if own:
        reasons.append(f"document dated {own.isoformat()} (ngày … tháng … năm … in its heading)")
    forms = forms_in(text) if text else []
    if forms:
        reasons.append("forms " + ", ".join(f"{n}/CK-NSNN" for n in forms))
    return Classification(doc_type, year, period, decided_by, own, forms, reasons)
