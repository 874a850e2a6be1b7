"""Navigation written in script attributes is read as links, by the engine and by the checks."""

from __future__ import annotations

from crawler.checks import qa_section
from crawler.checks.dom import parse
from crawler.page import PageView
from crawler.scriptnav import target_of
from crawler.urls import extract_links
from pobi.models import Channel, SiteKind

MENU = (
    "<ul id='menu'>"
    "<li onclick=\"window.location.href='/hoi-dap'\">Hỏi đáp</li>"
    "<li><a href=\"javascript:GoToPage('/Pages/lien-he.aspx')\">Liên hệ</a></li>"
    "<li onclick=\"location.assign('/gioi-thieu')\">Giới thiệu</li>"
    "<td data-href='/tiep-can-thong-tin'>Tiếp cận thông tin</td>"
    "<li onclick=\"__doPostBack('ctl00$menu','3')\">Tin tức</li>"
    "<li onclick=\"alert('/not/a/page')\">x</li>"
    "</ul>"
)


def view(html: str) -> PageView:
    return PageView(
        url="http://tinh.test/", site_url="http://tinh.test/", site_kind=SiteKind.PORTAL,
        province_code="01", html=f"<html><body>{html}</body></html>",
    )  # fmt: skip


def test_targets() -> None:
    assert target_of("window.location.href='/hoi-dap'") == "/hoi-dap"
    assert target_of("return openLink('tin-tuc/hoi-dap.html');") == "tin-tuc/hoi-dap.html"
    assert target_of("window.open('https://dichvucong.gov.vn')") == "https://dichvucong.gov.vn"
    assert target_of("__doPostBack('ctl00$m','')") == ""
    assert target_of("showMenu(3)") == ""
    assert target_of("$('#x').load('/part.html')") == ""
    assert target_of("ga('send','event','/x')") == ""


def test_engine_follows_script_navigation() -> None:
    urls = {link.url for link in extract_links(view(MENU).html, "http://tinh.test/")}
    assert {
        "http://tinh.test/hoi-dap",
        "http://tinh.test/Pages/lien-he.aspx",
        "http://tinh.test/gioi-thieu",
        "http://tinh.test/tiep-can-thong-tin",
    } <= urls
    assert not any("not/a/page" in u for u in urls)


def test_checks_see_a_script_menu_item_as_the_section_link() -> None:
    links = {link.url: link for link in parse(view(MENU)).links if link.tag == "script_nav"}
    assert links["http://tinh.test/hoi-dap"].text == "Hỏi đáp"
    drafts = qa_section.check(view(MENU))
    assert [(d.channel, d.value) for d in drafts] == [
        (Channel.QA_SECTION, "http://tinh.test/hoi-dap")
    ]
