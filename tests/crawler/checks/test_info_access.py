from crawler.checks import info_access
from tests.crawler.checks.helpers import BASE, values, view


def test_menu_link() -> None:
    for label in [
        "Tiếp cận thông tin",
        "TIẾP CẬN THÔNG TIN",
        "Tiep can thong tin",
        "Chuyên mục Tiếp cận thông tin",
    ]:
        assert values(info_access.check(view(f'<nav><a href="/p/9">{label}</a></nav>'))) == {
            BASE + "p/9"
        }


def test_slug_link_and_page_itself() -> None:
    assert values(info_access.check(view('<a href="/Pages/tiep-can-thong-tin.aspx"></a>'))) == {
        BASE + "Pages/tiep-can-thong-tin.aspx"
    }
    page = view("<h1>Tiếp cận thông tin</h1>", url=BASE + "?page_id=21")
    assert values(info_access.check(page)) == {BASE + "?page_id=21"}


def test_budget_publication_is_not_info_access() -> None:
    body = '<nav><a href="/cong-khai-ngan-sach">Công khai ngân sách</a></nav><h1>Công khai ngân sách</h1>'
    assert info_access.check(view(body, url=BASE + "cong-khai-ngan-sach")) == []


def test_headlines_about_the_law_are_not_the_section() -> None:
    body = (
        '<ul><li><a href="/tin-tuc/hoi-nghi-trien-khai-luat-tiep-can-thong-tin-12102.html">'
        "Hội nghị triển khai Luật Tiếp cận thông tin năm 2025</a></li>"
        '<li><a href="/tin-tuc/tiep-can-thong-tin-12.html">Tiếp cận thông tin</a></li></ul>'
    )
    assert info_access.check(view(body)) == []


def test_offsite_link_is_not_counted() -> None:
    assert (
        info_access.check(
            view('<a href="https://other.org/tiep-can-thong-tin">Tiếp cận thông tin</a>')
        )
        == []
    )
