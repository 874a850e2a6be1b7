"""facebook, zalo and youtube: accounts, not share buttons, embeds or videos."""

from crawler.checks import facebook, youtube, zalo
from tests.crawler.checks.helpers import values, view


def links(*hrefs: str) -> str:
    return "".join(f'<a href="{h}">x</a>' for h in hrefs)


def test_facebook_accounts_normalised() -> None:
    body = links(
        "https://www.facebook.com/CongThongTinHaNoi",
        "http://facebook.com/congthongtinhanoi/?ref=footer",
        "https://m.facebook.com/profile.php?id=100064123456789&ref=x",
        "https://fb.com/sotaichinh.hanoi/",
    )
    assert values(facebook.check(view(body))) == {
        "https://www.facebook.com/congthongtinhanoi",
        "https://www.facebook.com/profile.php?id=100064123456789",
        "https://www.facebook.com/sotaichinh.hanoi",
    }


def test_facebook_share_buttons_and_embeds_are_not_accounts() -> None:
    body = links(
        "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2Fx",
        "https://www.facebook.com/sharer.php?u=x",
        "https://www.facebook.com/share.php?u=x",
        "https://www.facebook.com/dialog/share?app_id=1&href=x",
        "https://www.facebook.com/plugins/page.php?href=https%3A%2F%2Fwww.facebook.com%2Fx",
        "https://www.facebook.com/congthongtin/posts/12345",
        "https://www.facebook.com/groups/abc",
        "https://www.facebook.com/watch/?v=1",
        "https://www.facebook.com/profile.php",
        "https://www.facebook.com/",
    )
    body += '<iframe src="https://www.facebook.com/plugins/page.php?href=x"></iframe>'
    assert facebook.check(view(body)) == []


def test_zalo_accounts_and_not_share_buttons() -> None:
    body = links(
        "https://zalo.me/2345678901234567890",
        "http://zalo.me/TongDai1022",
        "https://oa.zalo.me/1122334455667788990",
        "https://sp.zalo.me/share_inline?url=x",
        "https://button-share.zalo.me/share_external?u=x",
        "https://zalo.me/share?url=x",
        "https://zalo.me/g/abcxyz",
        "https://zalo.me/pc",
    )
    assert values(zalo.check(view(body))) == {
        "https://zalo.me/2345678901234567890",
        "https://zalo.me/tongdai1022",
        "https://oa.zalo.me/1122334455667788990",
    }


def test_youtube_channels_and_not_videos() -> None:
    body = links(
        "https://www.youtube.com/@hanoitv",
        "https://youtube.com/@hanoitv/videos",
        "https://www.youtube.com/channel/UCabc123XYZ_-9/featured",
        "https://m.youtube.com/c/PhuThoTV",
        "https://www.youtube.com/user/hcmcitv",
        "https://www.youtube.com/watch?v=Xy12Ab34Cd5",
        "https://youtu.be/Xy12Ab34Cd5",
        "https://www.youtube.com/embed/Xy12Ab34Cd5",
        "https://www.youtube.com/shorts/abc",
        "https://www.youtube.com/playlist?list=PL1",
    )
    assert values(youtube.check(view(body))) == {
        "https://www.youtube.com/@hanoitv",
        "https://www.youtube.com/channel/UCabc123XYZ_-9",
        "https://www.youtube.com/c/PhuThoTV",
        "https://www.youtube.com/user/hcmcitv",
    }


def test_relative_and_garbage_links() -> None:
    body = links("/facebook", "javascript:void(0)", "http://[::1", "zalo.me/123")
    for check in (facebook.check, zalo.check, youtube.check):
        assert check(view(body)) == []


def test_links_inside_article_prose_are_not_the_agencys_accounts() -> None:
    prose = (
        "<article><h1>Tin tức</h1><p>Theo thông tin từ trang "
        '<a href="https://www.facebook.com/baolaocai">Báo Lào Cai</a> và kênh '
        '<a href="https://www.youtube.com/@thvlaocai">THLC</a>, hội nghị đã thảo luận nhiều nội dung '
        "quan trọng về dự toán ngân sách, đầu tư công, cải cách hành chính và chuyển đổi số trong các "
        "cơ quan nhà nước của tỉnh; các đại biểu đã đóng góp ý kiến cho dự thảo nghị quyết.</p></article>"
        '<div class="sidebar"><a href="https://zalo.me/1234567890"><img src="/z.png" alt="Zalo"></a></div>'
        '<footer><a href="https://www.facebook.com/ubndlaocai">Fanpage</a></footer>'
    )
    page = view(prose)
    assert values(facebook.check(page)) == {"https://www.facebook.com/ubndlaocai"}
    assert values(youtube.check(page)) == set()
    assert values(zalo.check(page)) == {"https://zalo.me/1234567890"}
