"""Classification on titles and file names written the way provinces write them (titles of the
kind found in the "Công khai ngân sách" sections of provincial portals and Departments of
Finance; none is emitted by the sandbox verbatim)."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.doctype import classify, fold, forms_in, own_date
from pobi.models import DocType

CASES = [
    # (title, file name, type, year, period)
    (
        "Quyết định số 3215/QĐ-UBND ngày 25/12/2024 về việc công bố công khai dự toán ngân sách "
        "địa phương năm 2025",
        "",
        DocType.ESTIMATE_APPROVED, 2025, "year",
    ),
    (
        "Báo cáo dự toán ngân sách địa phương và phân bổ ngân sách cấp tỉnh năm 2025 trình Hội "
        "đồng nhân dân tỉnh",
        "",
        DocType.ESTIMATE_PROPOSED, 2025, "year",
    ),
    ("Tờ trình về dự toán thu ngân sách nhà nước trên địa bàn năm 2026", "",
     DocType.ESTIMATE_PROPOSED, 2026, "year"),
    (
        "Công khai tình hình thực hiện dự toán ngân sách địa phương quý I năm 2025",
        "",
        DocType.EXECUTION_QUARTERLY, 2025, "q1",
    ),
    ("CÔNG KHAI THỰC HIỆN DỰ TOÁN THU, CHI NGÂN SÁCH QUÝ III NĂM 2024", "",
     DocType.EXECUTION_QUARTERLY, 2024, "q3"),
    (
        "Báo cáo tình hình thực hiện dự toán ngân sách 6 tháng đầu năm 2025",
        "",
        DocType.EXECUTION_SIX_MONTH, 2025, "h1",
    ),
    ("Tình hình thực hiện ngân sách 9 tháng năm 2025", "", DocType.EXECUTION_NINE_MONTH, 2025, "9m"),
    (
        "Quyết định công bố công khai quyết toán ngân sách địa phương năm 2023",
        "",
        DocType.FINAL_ACCOUNTS_APPROVED, 2023, "year",
    ),
    (
        "Nghị quyết phê chuẩn quyết toán ngân sách nhà nước năm 2023",
        "",
        DocType.FINAL_ACCOUNTS_APPROVED, 2023, "year",
    ),
    (
        "Tờ trình đề nghị phê chuẩn quyết toán ngân sách địa phương năm 2023",
        "",
        DocType.FINAL_ACCOUNTS_PROPOSED, 2023, "year",
    ),
    ("Ngân sách công dân năm 2025", "", DocType.CITIZEN_BUDGET, 2025, "year"),
    (
        "Kế hoạch tài chính - ngân sách nhà nước 03 năm 2025-2027",
        "",
        DocType.MEDIUM_TERM_PLAN, 2025, "multi",
    ),
    (
        "Công khai kết quả kiểm toán ngân sách địa phương năm 2023 của Kiểm toán nhà nước",
        "",
        DocType.AUDIT_REPORT, 2023, "year",
    ),
    # no diacritics, and the file name deciding when the link only says "Tải về"
    ("Tải về", "QD-cong-bo-cong-khai-du-toan-ngan-sach-nam-2025.pdf",
     DocType.ESTIMATE_APPROVED, 2025, "year"),
    ("Tai ve", "bao_cao_thuc_hien_du_toan_quy_1_nam_2025.xlsx",
     DocType.EXECUTION_QUARTERLY, 2025, "q1"),
    ("Tin hoạt động của Sở Tài chính tháng 3", "anh-hoi-nghi.pdf", DocType.OTHER, None, ""),
]  # fmt: skip


@pytest.mark.parametrize(("title", "name", "kind", "year", "period"), CASES)
def test_classify_titles_and_file_names(title, name, kind, year, period) -> None:
    c = classify(title, name)
    assert (c.doc_type, c.fiscal_year, c.period) == (kind, year, period), c.reasons
    assert c.reasons and c.reasons[0].startswith("type ")


def test_nfd_and_upper_case_fold_alike() -> None:
    import unicodedata

    title = "Công khai quyết toán ngân sách năm 2023"
    nfd = unicodedata.normalize("NFD", title.upper())
    assert fold(nfd) == fold(title) == "cong khai quyet toan ngan sach nam 2023"
    assert classify(nfd, "").doc_type == DocType.FINAL_ACCOUNTS_APPROVED


def test_content_decides_when_title_and_name_say_nothing() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NINH\nQuảng Ninh, ngày 10 tháng 4 năm 2025\n"
        "BÁO CÁO\nTình hình thực hiện dự toán ngân sách quý I năm 2025\n"
        "Biểu số 59/CK-NSNN ... Biểu số 60 /CK-NSNN"
    )
    c = classify("Văn bản số 812/BC-UBND", "812-BC-UBND.pdf", text)
    assert c.doc_type == DocType.EXECUTION_QUARTERLY and c.decided_by == "content"
    # the document's own date dates the paper, not the budget year
    assert c.fiscal_year == 2025 and c.period == "q1"
    assert c.document_date == date(2025, 4, 10)
    assert c.forms == [59, 60]


def test_own_date_ignores_impossible_dates_and_reads_folded_text() -> None:
    assert own_date("Ha Noi, ngay 31 thang 2 nam 2025; ngay 5 thang 1 nam 2025") == date(2025, 1, 5)
    assert own_date("no date here") is None


def test_forms_in_various_spellings() -> None:
    text = "Biểu số 46/CK-NSNN; BIỂU MẪU SỐ 47 / CK-NSNN; Mẫu 48/CK-NSNN; biểu 12/BC"
    assert forms_in(text) == [46, 47, 48]
