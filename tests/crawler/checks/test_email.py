from crawler.checks import email
from pobi.models import Channel
from pobi.sandbox.world import cf_encode
from tests.crawler.checks.helpers import BASE, by_value, values, view


def found(body: str, **kw: object) -> dict[str, str]:
    return {
        d.value: d.details["presentation"]
        for d in email.check(view(body, **kw))  # type: ignore[arg-type]
        if d.channel == Channel.EMAIL
    }


def test_mailto_with_query_and_case() -> None:
    body = '<footer>Email: <a href="MAILTO:VanPhong@HaNoi.gov.vn?subject=G%C3%B3p%20%C3%BD">Gửi thư</a></footer>'
    assert found(body) == {"vanphong@hanoi.gov.vn": "mailto"}


def test_mailto_with_several_addresses() -> None:
    body = '<a href="mailto:a@tinh.gov.vn,b@tinh.gov.vn;%20c@tinh.gov.vn">x</a>'
    assert set(found(body)) == {"a@tinh.gov.vn", "b@tinh.gov.vn", "c@tinh.gov.vn"}


def test_plain_text_and_multiple() -> None:
    body = "<p>Thư điện tử: ubnd@laocai.gov.vn; banbientap@laocai.gov.vn.</p>"
    assert found(body) == {"ubnd@laocai.gov.vn": "text", "banbientap@laocai.gov.vn": "text"}


def test_text_glued_to_vietnamese_words() -> None:
    assert set(found("<p>Email:stc@tinh.gov.vnĐiện thoại: 024</p>")) == {"stc@tinh.gov.vn"}


def test_mailto_wins_over_text_of_the_same_address() -> None:
    body = '<a href="mailto:stc@tinh.gov.vn">stc@tinh.gov.vn</a>'
    assert found(body) == {"stc@tinh.gov.vn": "mailto"}


def test_obfuscated_forms() -> None:
    cases = {
        "<p>Email: vanphong(at)tinh(dot)gov(dot)vn</p>": "vanphong@tinh.gov.vn",
        "<p>Email: vanphong [at] tinh [.] gov [.] vn</p>": "vanphong@tinh.gov.vn",
        "<p>Email: vanphong(a)tinh.gov.vn</p>": "vanphong@tinh.gov.vn",
        "<p>Email: vanphong at tinh dot gov dot vn</p>": "vanphong@tinh.gov.vn",
        "<p>E-mail: VanPhong[at]Tinh.gov.vn</p>": "vanphong@tinh.gov.vn",
    }
    for body, address in cases.items():
        assert found(body) == {address: "obfuscated"}, body


def test_english_at_is_not_an_address() -> None:
    assert (
        found(
            "<p>Meet us at the office at 8 am. Look at tinh dot gov</p><p>Arrive at noon dot com</p>"
        )
        == {}
    )


def test_cloudflare_attribute_and_link() -> None:
    hexed = cf_encode("sotaichinh@stc.tinh.gov.vn", 0x5A)
    attr = f'<a href="/cdn-cgi/l/email-protection" class="__cf_email__" data-cfemail="{hexed}">[email&#160;protected]</a>'
    link = (
        f'<a href="/cdn-cgi/l/email-protection#{cf_encode("lienhe@tinh.gov.vn", 0x13)}">Gửi thư</a>'
    )
    assert found(attr + link) == {
        "sotaichinh@stc.tinh.gov.vn": "cloudflare",
        "lienhe@tinh.gov.vn": "cloudflare",
    }


def test_cloudflare_garbage_is_ignored() -> None:
    assert (
        found('<span data-cfemail="zz12">x</span><a href="/cdn-cgi/l/email-protection#0">y</a>')
        == {}
    )


def test_false_positives() -> None:
    body = """
    <img src="/images/logo@2x.png" alt="logo"><p>logo@2x.png icon@3x.jpg</p>
    <p>Ví dụ: ten@example.com, user@domain.com</p>
    <script>var s = 'ubnd@tinh.gov.vn'; // in a script, not shown</script>
    <style>.a{background:url(a@2x.webp)}</style>
    <p>https://cdn.jsdelivr.net/npm/jquery@3.6.0/dist/jquery.min.js</p>
    <p>Ngày 12/03/2025 @ Hà Nội</p>"""
    assert found(body) == {}


def test_script_built_address_is_invisible_statically() -> None:
    body = (
        '<span id="em">[đang tải]</span><script>var u="lienhe",d="tinh.gov.vn";'
        "document.getElementById('em').textContent=u+'@'+d;</script>"
    )
    assert found(body) == {}


def test_rendered_script_address_is_marked() -> None:
    rendered_dom = (
        '<span id="em"><a href="mailto:lienhe@tinh.gov.vn">lienhe@tinh.gov.vn</a></span>'
        '<script>var u="lienhe",d="tinh.gov.vn";</script>'
        '<p><a href="mailto:static@tinh.gov.vn">static@tinh.gov.vn</a></p>'
    )
    drafts = by_value(email.check(view(rendered_dom, rendered=True)))
    assert drafts["lienhe@tinh.gov.vn"].details == {"presentation": "script", "rendered": True}
    assert drafts["static@tinh.gov.vn"].details["presentation"] == "mailto"
    assert drafts["static@tinh.gov.vn"].details["rendered"] is True


def test_address_only_as_image() -> None:
    body = '<p>Email: <img src="/images/email-lienhe.png" alt="email"></p>'
    drafts = email.check(view(body))
    (d,) = drafts
    assert d.value == "image:" + BASE + "images/email-lienhe.png"
    assert d.details["shown_as_image"] is True
    assert d.details["presentation"] == "image"


def test_image_after_vietnamese_label_without_hint_in_name() -> None:
    body = '<p>Thư điện tử: <img src="/upload/a1.gif"></p>'
    assert values(email.check(view(body))) == {"image:" + BASE + "upload/a1.gif"}


def test_icon_next_to_a_readable_address_is_not_an_image_address() -> None:
    body = '<p><img src="/icons/email.png" alt="email"> Email: stc@tinh.gov.vn</p>'
    assert found(body) == {"stc@tinh.gov.vn": "text"}


def test_social_icons_and_logos_are_not_image_addresses() -> None:
    body = (
        '<p class="social"><a href="https://www.facebook.com/x"><img src="/images/fb.png" alt="fb"></a></p>'
        '<header><img src="/images/logo@2x.png" alt="logo"></header>'
        '<p><a href="mailto:a@tinh.gov.vn"><img src="/images/mail.png" alt="email"></a></p>'
    )
    assert found(body) == {"a@tinh.gov.vn": "mailto"}


def test_nfd_page() -> None:
    assert set(found("<p>Thư điện tử: sotc@tinh.gov.vn</p>", nfd=True)) == {"sotc@tinh.gov.vn"}


def test_cf_decode_roundtrip() -> None:
    for key in (1, 0x7F, 0xFE):
        assert email.cf_decode(cf_encode("a.b+c@x.sandbox.test", key)) == "a.b+c@x.sandbox.test"


def test_image_address_in_a_table_cell() -> None:
    body = '<table><tr><td>Thư điện tử:</td><td><img src="/images/e.png" alt=""></td></tr></table>'
    assert values(email.check(view(body))) == {"image:" + BASE + "images/e.png"}


def test_spaces_around_at_and_fullwidth_brackets_in_a_contact_table() -> None:
    from crawler.checks import email as email_check
    from tests.crawler.checks.helpers import view as v

    body = (
        "<table class='lienhe'><tr><td>Email:</td><td>vanphong @ laocai.gov.vn</td></tr>"
        "<tr><th>Thư điện tử</th><td>stc&nbsp;@&nbsp;laocai.gov.vn</td></tr>"
        "<tr><td>Hộp thư</td><td>tiepdan （a） laocai.gov.vn</td></tr>"
        "<tr><td>E-mail</td><td>banbientap (a) laocai . gov . vn</td></tr></table>"
        "<p>Theo dõi @ubndlaocai. Họp lúc 9 @ phòng 2. Điểm (a) khoản 1. Điều 5.</p>"
    )
    found = {d.value: d.details for d in email_check.check(v(body))}
    assert set(found) == {
        "vanphong@laocai.gov.vn",
        "stc@laocai.gov.vn",
        "tiepdan@laocai.gov.vn",
        "banbientap@laocai.gov.vn",
    }
    assert found["vanphong@laocai.gov.vn"]["as_written"] == "vanphong @ laocai.gov.vn"
    assert all(d["presentation"] == "obfuscated" for d in found.values())
