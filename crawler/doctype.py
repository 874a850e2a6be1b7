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
_CITIZEN = re.compile(r"\bngan sach cong dan\b|\bcitizen s? budget\b|\bnscd\b")
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
_QUARTER = re.compile(r"\bquy (iv|iii|ii|i|1|2|3|4)\b|\b(0?3) thang\b")
_HALF = re.compile(r"\b(0?6|sau) thang\b")
_NINE = re.compile(r"\b(0?9|chin) thang\b")
_YEAR = re.compile(r"\bnam (20\d\d)\b")
_ANY_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_RANGE = re.compile(r"(?<!\d)(20\d\d) ?(20\d\d)(?!\d)")
_OWN_DATE = re.compile(r"\bngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})\b")
_FORM = re.compile(r"\bbieu (?:so |mau (?:so )?)?(\d{1,3}) ck nsnn\b|\b(\d{1,3}) ck nsnn\b")
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


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
        return DocType.FINAL_ACCOUNTS_APPROVED, m.group()
    if m := _ESTIMATE.search(folded):
        if s := _SUBMITTED.search(folded):
            return DocType.ESTIMATE_PROPOSED, f"{m.group()} + {s.group()}"
        d = _DECIDED.search(folded)
        return DocType.ESTIMATE_APPROVED, m.group() + (f" + {d.group()}" if d else "")
    return None, ""


def _period(doc_type: DocType, folded: str) -> str:
    if doc_type == DocType.EXECUTION_QUARTERLY:
        q = _QUARTER.search(folded)
        if q is None:
            return ""
        n = ROMAN.get(q.group(1), 1) if q.group(1) in ROMAN else 1
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
    for name, raw in sources:
        folded = fold(raw)
        if not folded:
            continue
        kind, why = _type_of(folded)
        if kind is not None:
            doc_type, decided_by, folded_decider = kind, name, folded
            reasons.append(f"type {kind.value} from the {name.replace('_', ' ')}: '{why}'")
            break
    if doc_type is None:
        doc_type = DocType.OTHER
        reasons.append(
            "type other: neither the title, the file name nor the text names a budget document"
        )
    # year and period: from the deciding source, else from the others in order
    year = _year(doc_type, folded_decider) if folded_decider else None
    period = _period(doc_type, folded_decider) if folded_decider else ""
    year_from = decided_by if year is not None else ""
    if year is None:
        for name, raw in sources:
            folded = fold(raw)
            if folded and (y := _year(doc_type, folded)) is not None:
                year, year_from = y, name
                break
    if year is not None:
        reasons.append(f"fiscal year {year} from the {year_from.replace('_', ' ')}")
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
