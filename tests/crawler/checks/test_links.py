from crawler.links import is_trap, link_hints
from tests.crawler.checks.helpers import BASE, view


def test_hints_ranked_by_signal() -> None:
    body = """
    <nav><a href="/">Trang chủ</a><a href="/gioi-thieu">Giới thiệu</a><a href="/hoi-dap">Hỏi đáp</a>
    <a href="/lien-he">Liên hệ</a><a href="/p/5">Tiếp cận thông tin</a><a href="/cong-dan">Công dân</a>
    <a href="/cong-khai-ngan-sach">Công khai ngân sách</a></nav>
    <iframe src="/widget/gop-y"></iframe>
    <ul><li><a href="/tin-tuc/hoi-dap-voi-cu-tri-12345.html">Hỏi đáp với cử tri</a></li></ul>
    <a href="https://other.org/hoi-dap">Hỏi đáp</a>"""
    hints = link_hints(view(body))
    reasons = [(h.url.removeprefix(BASE), h.reason) for h in hints]
    assert reasons == [
        ("hoi-dap", "qa"),
        ("p/5", "info_access"),
        ("lien-he", "contact"),
        ("widget/gop-y", "frame"),
        ("cong-dan", "hub"),
        ("gioi-thieu", "about"),
        ("cong-khai-ngan-sach", "budget"),
    ]
    assert [h.priority for h in hints] == sorted((h.priority for h in hints), reverse=True)


def test_traps_are_not_hinted() -> None:
    for url in [
        BASE + "lich-cong-tac?ngay=2025-03-03",
        BASE + "files/du-toan-2025.pdf",
        BASE + "Upload/bao-cao.DOCX",
        BASE + "dang-nhap",
        BASE + "tim-kiem?keyword=hoi+dap",
        BASE + "hoi-dap?print=1",
        BASE + "cdn-cgi/l/email-protection",
    ]:
        assert is_trap(url), url
    assert not is_trap(BASE + "hoi-dap")
    assert not is_trap(BASE + "?page_id=12")
    body = '<a href="/hoi-dap.pdf">Hỏi đáp</a><a href="/tim-kiem?q=hoi+dap">Hỏi đáp</a>'
    assert link_hints(view(body)) == []
