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


# --------------------------------------------------- widgets, QR codes, and why it is official
def test_facebook_page_plugin_widget_and_iframe_count_like_and_share_buttons_never() -> None:
    body = (
        '<div id="fb-root"></div>'
        '<div class="fb-page" data-href="https://www.facebook.com/UBNDTinhLaoCai" '
        'data-tabs="timeline" data-small-header="false"><blockquote cite="https://www.facebook.com/'
        'UBNDTinhLaoCai" class="fb-xfbml-parse-ignore"></blockquote></div>'
        '<iframe src="https://www.facebook.com/plugins/page.php?href=https%3A%2F%2Fwww.facebook.com'
        '%2Fsotaichinhlaocai%2F&tabs=timeline&width=340&height=500" width="340"></iframe>'
        '<div class="fb-like" data-href="https://www.facebook.com/likedpage" data-layout="button"></div>'
        '<div class="fb-share-button" data-href="https://www.facebook.com/sharedpage"></div>'
        '<iframe src="https://www.facebook.com/plugins/like.php?href=https%3A%2F%2Fwww.facebook.com%2Fother"></iframe>'
    )
    found = {d.value: d.details for d in facebook.check(view(body))}
    assert set(found) == {
        "https://www.facebook.com/ubndtinhlaocai",
        "https://www.facebook.com/sotaichinhlaocai",
    }
    widget = found["https://www.facebook.com/ubndtinhlaocai"]
    assert widget["how"] == "page_plugin" and "page plugin" in widget["official"]


def test_zalo_oa_widget_and_youtube_channel_paths() -> None:
    body = (
        '<div class="zalo-follow-only-button" data-oaid="1234567890123456789"></div>'
        '<div class="zalo-share-button" data-href="https://x.vn/a" data-oaid="999999999999"></div>'
        '<a href="https://www.youtube.com/@TruyềnHìnhLàoCai/videos">YouTube</a>'
        '<a href="https://www.youtube.com/c/LaoCaiTV">c</a>'
        '<a href="https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv/featured">ch</a>'
        '<iframe src="https://www.youtube.com/embed/videoseries?list=UUzyxwvutsrqponmlkjihgfe"></iframe>'
        '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>'
    )
    z = {d.value: d.details for d in zalo.check(view(body))}
    assert set(z) == {"https://zalo.me/1234567890123456789"}
    assert z["https://zalo.me/1234567890123456789"]["how"] == "zalo_widget"
    y = values(youtube.check(view(body)))
    assert y == {
        "https://www.youtube.com/@TruyềnHìnhLàoCai",
        "https://www.youtube.com/c/LaoCaiTV",
        "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv",
        "https://www.youtube.com/channel/UCzyxwvutsrqponmlkjihgfe",
    }


def test_qr_code_image_and_image_link() -> None:
    body = (
        '<img src="https://api.qrserver.com/v1/create-qr-code/?size=150x150&data=https%3A%2F%2F'
        'zalo.me%2F4455667788990011223" alt="Quét mã QR Zalo OA">'
        '<a href="https://www.facebook.com/p/UBND-tinh-Lao-Cai-100064123456789/">'
        '<img src="/images/icon-fb.png" alt="Facebook"></a>'
    )
    z = {d.value: d.details for d in zalo.check(view(body))}
    assert z["https://zalo.me/4455667788990011223"]["how"] == "qr_image"
    f = {d.value: d.details for d in facebook.check(view(body))}
    assert f["https://www.facebook.com/p/ubnd-tinh-lao-cai-100064123456789"]["how"] == "link"


def test_name_match_is_noted_not_required() -> None:
    from tests.crawler.checks.helpers import view as v

    page = v('<footer><a href="https://www.facebook.com/ubndlaocai">Facebook UBND tỉnh</a>'
             '<a href="https://www.facebook.com/congannhandan">Báo</a></footer>')  # fmt: skip
    page = type(page)(**{**page.__dict__, "province_code": "15"})  # Lào Cai in both eras
    found = {d.value: d.details for d in facebook.check(page)}
    assert found["https://www.facebook.com/ubndlaocai"]["name_match"] == "address contains 'laocai'"
    assert found["https://www.facebook.com/congannhandan"]["name_match"] == ""
    assert (
        found["https://www.facebook.com/congannhandan"]["official"]
        == "linked from the official site"
    )
