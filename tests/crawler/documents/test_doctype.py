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

    title = "Công bố công khai quyết toán ngân sách năm 2023"
    nfd = unicodedata.normalize("NFD", title.upper())
    assert fold(nfd) == fold(title) == "cong bo cong khai quyet toan ngan sach nam 2023"
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


# --- an agency's own budget is not the province's (Circular 61/2017/TT-BTC disclosures) ---
AGENCY = [
    ("Công khai dự toán ngân sách năm 2025 của Văn phòng Sở Tài chính", "", 2025),
    ("Công khai dự toán ngân sách nhà nước năm 2025 của Sở Y tế", "", 2025),
    ("Quyết định về việc công bố công khai dự toán ngân sách năm 2025 của đơn vị dự toán cấp I "
     "Sở Giáo dục và Đào tạo", "", 2025),
    ("Quyết định của Giám đốc Sở Nông nghiệp và Môi trường về việc công khai dự toán ngân sách "
     "được giao năm 2025", "", 2025),
    ("Công khai tình hình thực hiện dự toán ngân sách quý I năm 2025 của Trung tâm Kiểm soát "
     "bệnh tật tỉnh", "", 2025),
    ("Thuyết minh công khai quyết toán ngân sách năm 2023 của Văn phòng UBND tỉnh", "", 2023),
    ("CONG KHAI DU TOAN NGAN SACH NAM 2025 CUA BENH VIEN DA KHOA TINH", "", 2025),
    ("Tải về", "cong-khai-du-toan-ngan-sach-nam-2025-cua-so-tu-phap.pdf", 2025),
]  # fmt: skip


@pytest.mark.parametrize(("title", "name", "year"), AGENCY)
def test_an_agencys_own_budget_is_other_with_the_reason(title, name, year) -> None:
    c = classify(title, name)
    assert c.doc_type == DocType.OTHER, c.reasons
    assert c.fiscal_year == year and c.period == ""
    assert "agency's own budget" in c.reasons[0]


PROVINCE_NOT_AGENCY = [
    # the issuer before the budget words is not the budget's owner
    ("Quyết định số 3215/QĐ-UBND của UBND tỉnh về việc công bố công khai dự toán ngân sách địa "
     "phương năm 2025", DocType.ESTIMATE_APPROVED),
    # the province allocating to its units
    ("Công khai dự toán chi ngân sách cấp tỉnh năm 2025 cho từng cơ quan, tổ chức và các đơn vị "
     "dự toán", DocType.ESTIMATE_APPROVED),
    ("Công khai số liệu quyết toán ngân sách địa phương năm 2023 đã được Hội đồng nhân dân tỉnh "
     "phê chuẩn", DocType.FINAL_ACCOUNTS_APPROVED),
    ("Báo cáo kết quả kiểm toán của Kiểm toán nhà nước đối với ngân sách năm 2023",
     DocType.AUDIT_REPORT),
    ("Công khai dự toán ngân sách địa phương năm 2025 theo Nghị quyết số 45/NQ-HĐND ngày "
     "10/12/2024 của HĐND tỉnh", DocType.ESTIMATE_APPROVED),
    ("Công khai dự toán ngân sách năm 2025 của tỉnh Quảng Ninh", DocType.ESTIMATE_APPROVED),
    ("Quyết định số 123/QĐ-STC của Sở Tài chính về việc công bố công khai tình hình thực hiện "
     "dự toán ngân sách quý I năm 2025", DocType.EXECUTION_QUARTERLY),
]  # fmt: skip


@pytest.mark.parametrize(("title", "kind"), PROVINCE_NOT_AGENCY)
def test_the_provinces_own_budget_is_not_mistaken_for_an_agencys(title, kind) -> None:
    assert classify(title, "").doc_type == kind, classify(title, "").reasons


# --- final accounts are approved only on evidence of approval ---
FINAL = [
    ("Báo cáo quyết toán ngân sách địa phương năm 2023", DocType.FINAL_ACCOUNTS_PROPOSED,
     "report of final accounts"),
    ("Báo cáo quyết toán ngân sách địa phương năm 2023 trình HĐND tỉnh kỳ họp thứ 22",
     DocType.FINAL_ACCOUNTS_PROPOSED, "trinh"),
    ("Công khai quyết toán ngân sách năm 2023", DocType.FINAL_ACCOUNTS_PROPOSED,
     "without evidence of approval"),
    ("Nghị quyết số 45/NQ-HĐND về việc phê chuẩn quyết toán ngân sách địa phương năm 2023",
     DocType.FINAL_ACCOUNTS_APPROVED, "nghi quyet"),
    ("Quyết định số 2890/QĐ-UBND công bố công khai quyết toán ngân sách địa phương năm 2023",
     DocType.FINAL_ACCOUNTS_APPROVED, "cong bo"),
    ("Báo cáo quyết toán ngân sách năm 2023 đã được HĐND tỉnh phê chuẩn",
     DocType.FINAL_ACCOUNTS_APPROVED, "da duoc hdnd"),
]  # fmt: skip


@pytest.mark.parametrize(("title", "kind", "why"), FINAL)
def test_final_accounts_need_evidence_of_approval(title, kind, why) -> None:
    c = classify(title, "")
    assert (c.doc_type, c.fiscal_year, c.period) == (kind, 2023, "year"), c.reasons
    assert why in c.reasons[0]


# --- abbreviated file names when the title says nothing more ---
ABBREVIATED = [
    ("Tải về", "CKNS_Q1_2025.pdf", DocType.EXECUTION_QUARTERLY, 2025, "q1"),
    ("Tải về", "CKNS_Q3_2024.pdf", DocType.EXECUTION_QUARTERLY, 2024, "q3"),
    ("Tải về", "CKNS-6T-2024.xlsx", DocType.EXECUTION_SIX_MONTH, 2024, "h1"),
    ("Xem file", "ckns_9t_2025.xls", DocType.EXECUTION_NINE_MONTH, 2025, "9m"),
    ("", "DT2025_HDND.pdf", DocType.ESTIMATE_APPROVED, 2025, "year"),
    ("Tải về", "TTr_DT2026.docx", DocType.ESTIMATE_PROPOSED, 2026, "year"),
    ("Tải về", "QT2023.pdf", DocType.FINAL_ACCOUNTS_PROPOSED, 2023, "year"),
    ("Tải về", "NQ_QT2023.pdf", DocType.FINAL_ACCOUNTS_APPROVED, 2023, "year"),
    ("CKNS_Q2_2025.pdf", "download.aspx", DocType.EXECUTION_QUARTERLY, 2025, "q2"),
    # a title in words still says more than the file name
    ("Công khai dự toán ngân sách năm 2025", "QT2023.pdf", DocType.ESTIMATE_APPROVED, 2025, "year"),
    # no budget abbreviation, no type
    ("Tải về", "Q1_2025.pdf", DocType.OTHER, 2025, ""),
    ("Tải về", "DT.pdf", DocType.OTHER, None, ""),
]  # fmt: skip


@pytest.mark.parametrize(("title", "name", "kind", "year", "period"), ABBREVIATED)
def test_abbreviated_file_names(title, name, kind, year, period) -> None:
    c = classify(title, name)
    assert (c.doc_type, c.fiscal_year, c.period) == (kind, year, period), c.reasons


def test_quarter_written_q2_in_a_title() -> None:
    c = classify("Công khai thực hiện dự toán ngân sách Q2/2025", "")
    assert (c.doc_type, c.period, c.fiscal_year) == (DocType.EXECUTION_QUARTERLY, "q2", 2025)


def test_final_accounts_without_evidence_in_the_title_read_the_text() -> None:
    title = "Công khai quyết toán ngân sách năm 2023"
    approved = (
        "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN\nNghệ An, ngày 20 tháng 12 năm 2024\nQUYẾT ĐỊNH\nVề việc "
        "công bố công khai số liệu quyết toán ngân sách địa phương năm 2023\nCăn cứ Nghị quyết "
        "số 61/NQ-HĐND ngày 10/12/2024 của HĐND tỉnh phê chuẩn quyết toán ngân sách năm 2023"
    )
    c = classify(title, "qt-2023.pdf", approved)
    assert (c.doc_type, c.fiscal_year) == (DocType.FINAL_ACCOUNTS_APPROVED, 2023), c.reasons
    assert "shows the approval" in c.reasons[0]
    submitted = (
        "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN\nTỜ TRÌNH\nĐề nghị phê chuẩn quyết toán ngân sách địa "
        "phương năm 2023\nKính trình Hội đồng nhân dân tỉnh"
    )
    c = classify(title, "qt-2023.pdf", submitted)
    assert c.doc_type == DocType.FINAL_ACCOUNTS_PROPOSED and any("stays" in r for r in c.reasons)
    # a text citing an unrelated resolution is no evidence
    other = "Căn cứ Nghị quyết số 12/NQ-HĐND về dự toán năm 2023; báo cáo số liệu quyết toán"
    assert classify(title, "", other).doc_type == DocType.FINAL_ACCOUNTS_PROPOSED
    # an abbreviated file name, approved by its text
    assert classify("Tải về", "QT2023.pdf", approved).doc_type == DocType.FINAL_ACCOUNTS_APPROVED
