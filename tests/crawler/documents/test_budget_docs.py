"""Finding budget document links on pages laid out like provincial portals' publication lists."""

from __future__ import annotations

from datetime import date

from crawler.checks.budget_docs import scan
from crawler.page import PageView
from pobi.models import SiteKind

LIST = """<html><head><title>Công khai ngân sách - Sở Tài chính</title></head><body>
<nav><a href="/">Trang chủ</a> <a href="/cong-khai-ngan-sach">Công khai ngân sách</a>
<a href="/cong-khai-ngan-sach/du-toan">Dự toán</a> <a href="/cong-khai-ngan-sach/quyet-toan">Quyết toán</a></nav>
<h1>Công khai ngân sách</h1>
<table><tr><th>Số hiệu</th><th>Trích yếu</th><th>Ngày ban hành</th><th></th></tr>
<tr><td>3215/QĐ-UBND</td><td>Về việc công bố công khai dự toán ngân sách năm 2025</td>
<td>25/12/2024</td><td><a href="/Uploads/2024/12/QD3215.pdf">Tải về</a></td></tr>
<tr><td>812/BC-UBND</td><td>Báo cáo tình hình thực hiện dự toán ngân sách quý I năm 2025</td>
<td>12/04/2025</td><td><a href="https://vanban.example.gov.vn/files/812.docx">Tải về</a></td></tr>
</table>
<p><a href="https://vanban.example.gov.vn/cong-khai">Hệ thống văn bản</a></p>
<p><a href="/images/hoi-nghi.jpg">Ảnh hội nghị</a></p>
</body></html>"""

NEWS = """<html><head><title>Tin tức</title></head><body><h1>Tin tức</h1>
<a href="/files/ke-hoach-tap-huan.pdf">Kế hoạch tập huấn phòng cháy</a>
<a href="/files/cong-khai-quyet-toan-nam-2023.xlsx">Công khai quyết toán ngân sách năm 2023</a>
</body></html>"""


def view(html: str, url: str) -> PageView:
    return PageView(url=url, site_url="https://stc.example.gov.vn/", site_kind=SiteKind.FINANCE,
                    province_code="40", html=html)  # fmt: skip


def test_section_page_lists_every_file_with_its_row_title_and_date() -> None:
    section, docs, more = scan(view(LIST, "https://stc.example.gov.vn/cong-khai-ngan-sach"))
    assert section
    by_url = {d.url: d for d in docs}
    first = by_url["https://stc.example.gov.vn/Uploads/2024/12/QD3215.pdf"]
    assert first.title == "Về việc công bố công khai dự toán ngân sách năm 2025"
    assert first.listing_date == date(2024, 12, 25)
    assert "https://vanban.example.gov.vn/files/812.docx" in by_url  # on the document system
    assert all(not u.endswith(".jpg") for u in by_url)
    kinds = {m.url: m.reason for m in more}
    assert kinds["https://stc.example.gov.vn/cong-khai-ngan-sach/du-toan"] == "budget_section"
    assert kinds["https://vanban.example.gov.vn/cong-khai"] == "docsystem"


def test_other_pages_yield_only_files_that_name_the_budget() -> None:
    section, docs, _ = scan(view(NEWS, "https://stc.example.gov.vn/tin-tuc"))
    assert not section
    assert [d.url for d in docs] == [
        "https://stc.example.gov.vn/files/cong-khai-quyet-toan-nam-2023.xlsx"
    ]
