from crawler.checks import feedback_form
from tests.crawler.checks.helpers import BASE, values, view

FORM = '<form method="post"><h3>{h}</h3><input name="ten"><textarea name="nd"></textarea><button>{b}</button></form>'


def test_feedback_forms_by_label() -> None:
    for heading in [
        "Góp ý",
        "Phản ánh kiến nghị",
        "Phản ánh, kiến nghị",
        "Gửi ý kiến",
        "Liên hệ",
        "GOP Y",
    ]:
        page = view(FORM.format(h=heading, b="Gửi"), url=BASE + "x/1")
        assert values(feedback_form.check(page)) == {BASE + "x/1"}, heading


def test_label_from_page_title_or_link_or_slug() -> None:
    bare = FORM.format(h="", b="Gửi")
    assert values(feedback_form.check(view(bare, url=BASE + "a", title="Góp ý - Cổng TTĐT")))
    assert values(feedback_form.check(view(bare, url=BASE + "b", title="", link_text="Liên hệ")))
    assert values(feedback_form.check(view(bare, url=BASE + "phan-anh-kien-nghi.aspx", title="")))


def test_form_without_textarea_is_not_a_feedback_form() -> None:
    body = '<form><h3>Góp ý</h3><input name="q"><button>Tìm kiếm</button></form>'
    assert feedback_form.check(view(body)) == []


def test_question_form_on_a_qa_page_with_contact_link_in_menu() -> None:
    body = (
        '<nav><a href="/lien-he">Liên hệ</a> <a href="/gop-y">Góp ý</a></nav><h1>Hỏi đáp</h1>'
        + FORM.format(h="Gửi câu hỏi", b="Gửi câu hỏi")
        + "<footer>Liên hệ: Văn phòng UBND</footer>"
    )
    assert feedback_form.check(view(body, url=BASE + "hoi-dap", title="Hỏi đáp")) == []


def test_nav_link_alone_is_not_a_form() -> None:
    assert feedback_form.check(view('<nav><a href="/gop-y">Góp ý</a></nav>')) == []


def test_nfd_and_ascii() -> None:
    page = view(FORM.format(h="Phản ánh kiến nghị", b="Gửi"), nfd=True)
    assert values(feedback_form.check(page)) == {BASE}
    page = view(FORM.format(h="Phan anh kien nghi", b="Gui"))
    assert values(feedback_form.check(page)) == {BASE}


def test_readers_comment_boxes_are_not_feedback_forms() -> None:
    comment = (
        '<form><h3>Ý kiến bạn đọc</h3><input name="ten"><textarea name="nd"></textarea>'
        "<button>Gửi bình luận</button></form>"
    )
    article = BASE + "tin-tuc/hoi-nghi-ve-ngan-sach-12345.html"
    assert feedback_form.check(view(comment, url=article, title="Góp ý dự thảo nghị quyết")) == []
    assert feedback_form.check(view(comment, url=BASE + "gop-y")) == []
    # on an article, a form that names itself as feedback still counts
    gop_y = FORM.format(h="Góp ý dự thảo văn bản", b="Gửi góp ý")
    assert values(feedback_form.check(view(gop_y, url=article))) == {article}
    # but an article's title alone does not make its form a feedback form
    plain = FORM.format(h="Đăng ký nhận tin", b="Gửi")
    assert feedback_form.check(view(plain, url=article, title="Liên hệ với chúng tôi")) == []


def test_aspnet_page_wrapping_form_is_split_into_its_real_forms() -> None:
    menu = "".join(f'<a href="/p{i}">Mục {i}</a>' for i in range(30))
    body = (
        '<form id="aspnetForm" action="./default.aspx"><input type="hidden" name="__VIEWSTATE" value="x">'
        f"<nav>{menu}<a href='/lien-he'>Liên hệ</a></nav>"
        '<div class="box-hoi-dap"><h3>Gửi câu hỏi</h3><textarea name="q"></textarea><input type="submit" value="Gửi"></div>'
        "<fieldset><legend>Góp ý về cổng thông tin</legend><textarea name="
        '"gy"></textarea><input type="submit" value="Gửi góp ý"></fieldset>'
        "<div class='footer'>Liên hệ: Văn phòng UBND tỉnh</div></form>"
    )
    drafts = feedback_form.check(view(body, url=BASE + "Pages/default.aspx", title="Trang chủ"))
    assert values(drafts) == {BASE + "Pages/default.aspx"}
    assert drafts[0].details["label"] == "gop y"
    body_without_feedback = body.split("<fieldset>")[0] + "</form>"
    assert feedback_form.check(view(body_without_feedback, title="Trang chủ")) == []
