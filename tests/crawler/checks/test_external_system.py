"""Complaint and Q&A systems on other hosts are channels (crawler.checks.external_system);
national systems (dichvucong.gov.vn, chinhphu.vn) are not the province's own."""

from __future__ import annotations

from dataclasses import replace

from crawler.checks import external_system
from crawler.links import link_hints
from crawler.page import PageView
from pobi.models import Channel
from tests.crawler.checks.helpers import view

BASE = "https://www.quangninh.gov.vn/"
MENU = (
    "<nav class='menu'>"
    "<a href='https://1022.quangninh.gov.vn/'>Tổng đài 1022</a>"
    "<a href='https://dichvucong.gov.vn/p/phananhkiennghi/pakn-gui-pakn.html'>Gửi PAKN</a>"
    "<a href='https://chinhphu.vn/hoi-dap'>Hỏi đáp</a>"
    "<a href='https://paknquangninh.vn/'>Phản ánh</a>"
    "<a href='https://pakn.quangninh.gov.vn/'><img src='/banner/pakn.png' alt='Hệ thống tiếp nhận"
    " phản ánh kiến nghị'></a>"
    "<a href='https://hoidap.quangninh.gov.vn/'>Hỏi đáp trực tuyến</a>"
    "<a href='https://www.facebook.com/ubnd'>Facebook</a>"
    "<a href='https://baomoi.vn/'>Báo mới</a>"
    "<a href='/phan-anh-kien-nghi'>Phản ánh kiến nghị</a>"  # in the site: not external
    "</nav>"
    "<p>"
    + "Bài viết dài về chính sách của tỉnh trong năm nay. " * 8
    + "<a href='https://pakn.other.vn/'>Phản ánh kiến nghị</a></p>"
)


def qn(body: str, url: str = BASE, depth: int = 0) -> PageView:
    """A page of Quảng Ninh's portal (code 22 in both eras)."""
    page = view(body, url=url, site_url=BASE)
    return replace(page, province_code="22", depth=depth)


def test_systems_on_other_hosts_are_channels_with_evidence() -> None:
    found = {(d.channel, d.value): d.details for d in external_system.check(qn(MENU))}
    assert set(found) == {
        (Channel.FEEDBACK_FORM, "https://1022.quangninh.gov.vn/"),
        (Channel.FEEDBACK_FORM, "https://paknquangninh.vn/"),
        (Channel.FEEDBACK_FORM, "https://pakn.quangninh.gov.vn/"),
        (Channel.QA_SECTION, "https://hoidap.quangninh.gov.vn/"),
    }
    d = found[(Channel.FEEDBACK_FORM, "https://1022.quangninh.gov.vn/")]
    assert d["how"] == "external_system" and d["zone"] == "nav" and "1022" in str(d["why"])


def test_the_engine_is_asked_to_fetch_each_system_once() -> None:
    hints = [h for h in link_hints(qn(MENU)) if h.reason == external_system.HINT]
    assert {h.url for h in hints} == {
        "https://1022.quangninh.gov.vn/",
        "https://paknquangninh.vn/",
        "https://pakn.quangninh.gov.vn/",
        "https://hoidap.quangninh.gov.vn/",
    }


def test_on_the_system_itself_nothing_chains_further() -> None:
    page = qn(MENU, url="https://pakn.quangninh.gov.vn/", depth=1)
    assert external_system.check(page) == [] and external_system.hints(page) == []
