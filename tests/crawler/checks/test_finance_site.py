from crawler.checks import finance_site
from pobi.models import SiteKind
from tests.crawler.checks.helpers import values, view


def test_select_dropdown_in_link_directory() -> None:
    body = (
        '<div class="lien-ket"><select onchange="window.open(this.value)">'
        '<option value="">-- Liên kết website --</option>'
        '<option value="http://skhdt.tinh.gov.vn/">Sở Kế hoạch và Đầu tư</option>'
        '<option value="http://127.0.0.9:8080/Pages/default.aspx">Sở Tài chính</option>'
        "</select></div>"
    )
    assert values(finance_site.check(view(body))) == {"http://127.0.0.9:8080/"}


def test_footer_list_labels_with_and_without_diacritics() -> None:
    for label in ["Sở Tài chính", "SỞ TÀI CHÍNH", "So Tai chinh", "Sở Tài chính tỉnh Lào Cai"]:
        body = f'<footer><ul><li><a href="https://tc.laocai.gov.vn/web/guest">{label}</a></li></ul></footer>'
        assert values(finance_site.check(view(body))) == {"https://tc.laocai.gov.vn/"}, label


def test_host_pattern_without_label() -> None:
    body = '<a href="https://stc.hanoi.gov.vn/"><img src="/banner/stc.png" alt=""></a>'
    assert values(finance_site.check(view(body))) == {"https://stc.hanoi.gov.vn/"}
    body = '<a href="https://sotaichinh.danang.gov.vn">Tài chính</a>'
    assert values(finance_site.check(view(body))) == {"https://sotaichinh.danang.gov.vn/"}


def test_not_on_finance_sites_and_not_headlines_or_own_host() -> None:
    body = '<a href="https://stc.hanoi.gov.vn/">Sở Tài chính</a>'
    assert finance_site.check(view(body, kind=SiteKind.FINANCE)) == []
    body = (
        '<a href="/tin-tuc/so-tai-chinh-to-chuc-hoi-nghi-12115.html">Sở Tài chính tổ chức hội nghị công khai</a>'
        '<a href="https://stc.hanoi.gov.vn/tin-tuc/thong-bao-abc-12345.html">Thông báo của Sở</a>'
        '<a href="https://baochinhphu.vn/so-tai-chinh-hop-1.htm">Sở Tài chính họp báo</a>'
    )
    assert finance_site.check(view(body)) == []


def test_dropdown_values_without_scheme() -> None:
    body = '<select><option value="stc.laocai.gov.vn">Sở Tài chính</option></select>'
    assert values(finance_site.check(view(body))) == {"http://stc.laocai.gov.vn/"}
