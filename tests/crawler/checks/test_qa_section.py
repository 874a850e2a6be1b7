from crawler.checks import qa_section
from pobi.models import Channel
from tests.crawler.checks.helpers import BASE, by_value, values, view

NAV = '<nav class="menu"><a href="/">Trang chủ</a> <a href="{href}">{label}</a></nav>'


def qa(body: str, **kw: object) -> set[str]:
    return values(qa_section.check(view(body, **kw)), Channel.QA_SECTION)  # type: ignore[arg-type]


def test_menu_labels_in_every_spelling() -> None:
    for label in [
        "Hỏi đáp",
        "HỎI ĐÁP",
        "Hoi dap",
        "Hỏi - Đáp trực tuyến",
        "Hỏi | Đáp",
        "Câu hỏi thường gặp",
        "Gửi câu hỏi",
        "Hỏi đáp pháp luật",
    ]:
        assert qa(NAV.format(href="/?page_id=12", label=label)) == {BASE + "?page_id=12"}, label


def test_nfd_label() -> None:
    assert qa(NAV.format(href="/p/123", label="Hỏi đáp"), nfd=True) == {BASE + "p/123"}


def test_slugs_without_a_label() -> None:
    for href in [
        "/hoi-dap",
        "/web/guest/hoi-ap",
        "/Pages/Hoi-dap-phap-luat.aspx",
        "/cau-hoi-thuong-gap/",
    ]:
        body = f'<footer><a href="{href}"><img src="/i/qa.png" alt=""></a></footer>'
        found = qa(body)
        assert len(found) == 1, href
        assert found.pop().startswith(BASE.rstrip("/") + href.rstrip("/"))


def test_slug_link_with_paging_query_gives_the_section() -> None:
    assert qa('<a href="/hoi-dap?page=2">2</a>') == {BASE + "hoi-dap"}


def test_news_articles_are_not_sections() -> None:
    body = """
    <section class="tin-moi"><ul>
      <li><a href="/tin-tuc/hoi-dap-voi-cu-tri-ve-du-toan-ngan-sach-12345.html">Hỏi đáp với cử tri về
          dự toán ngân sách năm 2025</a></li>
      <li><a href="/web/guest/tin-tuc/-/asset_publisher/Xk2p/content/hoi-dap">Hỏi đáp</a></li>
      <li><a href="/?p=4821">Gửi câu hỏi về thủ tục đất đai: lãnh đạo tỉnh trả lời</a></li>
      <li><a href="/tin-tuc/doi-thoai-hoi-dap-truc-tuyen-12056.html">Đối thoại, hỏi đáp trực tuyến</a></li>
    </ul></section>"""
    assert qa(body) == set()


def test_article_page_with_qa_headline_is_not_a_section() -> None:
    page = view(
        "<article><h1>Hỏi đáp với cử tri về ngân sách</h1></article>",
        url=BASE + "tin-tuc/hoi-dap-voi-cu-tri-ve-ngan-sach-12345.html",
        title="Hỏi đáp với cử tri về ngân sách",
    )
    assert qa_section.check(page) == []


def test_offsite_links_do_not_count() -> None:
    assert qa('<a href="http://other.example.org/hoi-dap">Hỏi đáp</a>') == set()
    # a sub-domain of the same province is the same site
    assert qa('<a href="http://hoidap.example-tinh.gov.vn/">Hỏi đáp</a>') == {
        "http://hoidap.example-tinh.gov.vn/"
    }


def test_the_section_page_itself_with_details() -> None:
    body = """
    <h1>Hỏi - Đáp trực tuyến</h1>
    <div class="qa-item"><a href="/hoi-dap/cau-hoi-101">Câu hỏi về thuế</a>
      <span>Ngày gửi: 03/04/2025</span><span>Ngày trả lời: 10/04/2025</span></div>
    <div class="qa-item"><a href="/hoi-dap/cau-hoi-102">Câu hỏi về đất</a>
      <span>Ngày gửi: 12/05/2025</span><span>Ngày trả lời: 02/06/2025</span></div>
    <div class="qa-item"><a href="/hoi-dap/cau-hoi-103">Câu hỏi về phí</a>
      <span>Ngày gửi: ngày 1 tháng 2 năm 2025</span></div>
    <form method="post"><input name="hoten"><textarea name="noidung"></textarea>
      <button>Gửi câu hỏi</button></form>"""
    drafts = qa_section.check(view(body, url=BASE + "hoi-dap"))
    d = by_value(drafts)[BASE + "hoi-dap"]
    assert d.details["has_form"] is True
    assert d.details["questions_listed"] == 3
    assert d.details["newest_question_date"] == "2025-05-12"
    assert d.details["newest_answer_date"] == "2025-06-02"


def test_section_found_by_heading_on_a_wordpress_url() -> None:
    drafts = qa_section.check(
        view("<h1>Hỏi đáp</h1><p>Chưa có câu hỏi</p>", url=BASE + "?page_id=12")
    )
    d = by_value(drafts)[BASE + "?page_id=12"]
    assert d.details["has_form"] is False
    assert d.details["questions_listed"] == 0
    assert d.details["newest_question_date"] is None


def test_section_found_by_the_link_that_led_here() -> None:
    page = view("<p>Danh sách</p>", url=BASE + "index.php?module=faq", link_text="Hỏi | Đáp")
    assert values(qa_section.check(page)) == {BASE + "index.php?module=faq"}


def test_title_segment_with_site_name() -> None:
    page = view("<p>x</p>", url=BASE + "module/7", title="Hỏi - Đáp | Cổng TTĐT tỉnh Lào Cai")
    assert values(qa_section.check(page)) == {BASE + "module/7"}


def test_question_detail_page_is_not_the_section_but_links_back() -> None:
    body = (
        '<p class="breadcrumb"><a href="/">Trang chủ</a> &gt; <a href="/hoi-dap">Hỏi đáp</a></p>'
        "<h1>Câu hỏi về thủ tục số 1</h1>"
    )
    assert qa(body, url=BASE + "hoi-dap/cau-hoi-100") == {BASE + "hoi-dap"}


def test_dialogue_and_contact_labels_are_not_qa() -> None:
    body = '<nav><a href="/doi-thoai">Đối thoại trực tuyến</a><a href="/lien-he">Liên hệ</a></nav>'
    assert qa(body) == set()


def test_windows_1258_decoded_text() -> None:
    from pobi.sandbox.world import encode_1258

    decoded = encode_1258("Hỏi đáp").decode("cp1258")  # base letters + combining tone marks
    assert decoded != "Hỏi đáp"
    assert qa(NAV.format(href="/x", label=decoded)) == {BASE + "x"}


def test_menu_label_with_a_counter() -> None:
    assert qa(NAV.format(href="/module/faq", label="Hỏi đáp (25)")) == {BASE + "module/faq"}


def test_questions_counted_on_a_wordpress_section() -> None:
    body = (
        "<h1>Hỏi đáp</h1>"
        + "".join(f'<p><a href="/?page_id=12&qid={i}">Câu hỏi {i}</a></p>' for i in range(4))
        + '<nav><a href="/?page_id=7">Liên hệ</a><a href="/">Trang chủ</a><a href="/?p=5">Tin</a></nav>'
    )
    d = by_value(qa_section.check(view(body, url=BASE + "?page_id=12")))[BASE + "?page_id=12"]
    assert d.details["questions_listed"] == 4


def test_liferay_session_ids_are_dropped() -> None:
    found = qa('<a href="/web/guest/hoi-ap;jsessionid=8F2A0C1D?p_p_id=x">x</a>')
    assert found == {BASE + "web/guest/hoi-ap"}
    page = view("<h1>Hỏi đáp</h1>", url=BASE + "web/guest/hoi-ap;jsessionid=ABC")
    assert values(qa_section.check(page)) == {BASE + "web/guest/hoi-ap"}


def test_giai_dap_labels_and_slugs() -> None:
    assert qa(NAV.format(href="/m/9", label="Giải đáp vướng mắc")) == {BASE + "m/9"}
    assert qa('<a href="/giai-dap-chinh-sach"></a>') == {BASE + "giai-dap-chinh-sach"}
    headline = '<a href="/tin-tuc/giai-dap-vuong-mac-ve-thue-12345.html">Giải đáp vướng mắc về thuế thu nhập cá nhân năm 2025</a>'
    assert qa(headline) == set()


# ------------------------------------------------------- what the list shows, with its evidence
def _section(body: str, **kw: object) -> dict[str, object]:
    drafts = qa_section.check(view(body, url=BASE + "hoi-dap", **kw))  # type: ignore[arg-type]
    return next(d.details for d in drafts if d.value == BASE + "hoi-dap")


def test_unlabelled_dates_in_a_list_and_header_date_ignored() -> None:
    body = (
        "<div class='top'>Thứ Năm, ngày 03/12/2026</div><h1>Hỏi đáp</h1><ul class='ds'>"
        "<li><a href='/hoi-dap/cau-hoi-1'>Hỏi về lệ phí trước bạ?</a> 12/03/2025</li>"
        "<li><a href='/hoi-dap/cau-hoi-2'>Hỏi về thuế đất?</a> 2025-04-07</li>"
        "<li><a href='/hoi-dap/cau-hoi-3'>Hỏi về hộ khẩu?</a> ngày 5 tháng 6 năm 2025</li></ul>"
    )
    d = _section(body)
    assert d["questions_listed"] == 3 and d["list_state"] == "listed"
    assert d["newest_date"] == "2025-06-05" and d["dates_labelled"] is False
    assert d["newest_question_date"] is None  # unlabelled dates are not claimed as questions'


def test_relative_dates_and_answered_vs_unanswered() -> None:
    body = (
        "<h1>Hỏi đáp trực tuyến</h1>"
        "<div class='item'><a href='/hoi-dap/1'>Hỏi 1</a> <span>2 ngày trước</span>"
        "<span class='tt'>Chưa trả lời</span></div>"
        "<div class='item'><a href='/hoi-dap/2'>Hỏi 2</a> <span>3 tuần trước</span>"
        "<span class='tt'>Đã trả lời</span></div>"
    )
    d = _section(body)
    assert d["newest_age_days"] == 2 and d["newest_relative"] == "2 ngay truoc"
    assert d["answered_count"] == 1 and d["unanswered_count"] == 1


def test_relative_date_after_a_numbered_question_is_not_run_into_it() -> None:
    # A question title that ends in a number, then its date on a line of its own: a browser
    # shows "… Nghị định 15" and "2 ngày trước" on two lines. Read without the line break, the
    # page said "152 ngày trước" / "12 ngày trước": the newest question looked months old.
    for layout in [
        "<li><a href='/hoi-dap/{n}'>Hỏi về Nghị định 15</a><hr>{age}</li>",
        "<li><a href='/hoi-dap/{n}'>Hỏi 1</a><span style='display: block'>{age}</span></li>",
        "<li><center><a href='/hoi-dap/{n}'>Hỏi 1</a></center>{age}</li>",
        "<li><details><summary><a href='/hoi-dap/{n}'>Hỏi 1</a></summary>{age}</details></li>",
        "<li><figure><a href='/hoi-dap/{n}'>Hỏi 1</a><figcaption>{age}</figcaption></figure></li>",
    ]:
        body = "<h1>Hỏi đáp trực tuyến</h1><ul>" + "".join(
            layout.format(n=n, age=age) for n, age in [(1, "2 ngày trước"), (2, "3 tuần trước")]
        )
        d = _section(body + "</ul>")
        assert d["newest_age_days"] == 2, layout
        assert d["newest_relative"] == "2 ngay truoc", layout


def test_labelled_dates_in_a_table_row_label_element_or_wrapped_source() -> None:
    # a browser shows "Ngày gửi: 03/04/2025" on one line in all three (a table row's cells are
    # separated by a tab, <label> is inline, a line break in the source is a space)
    for item in [
        "<table><tr><td>Ngày gửi:</td><td>03/04/2025</td></tr>"
        "<tr><td>Ngày trả lời:</td><td>10/04/2025</td></tr></table>",
        "<p><label>Ngày gửi:</label>03/04/2025</p><p><label>Ngày trả lời:</label>10/04/2025</p>",
        "<p><span>Ngày gửi:\n      03/04/2025</span></p><p>Ngày trả lời:\r\n10/04/2025</p>",
    ]:
        d = _section("<h1>Hỏi đáp</h1><a href='/hoi-dap/1'>Hỏi về thuế</a>" + item)
        assert d["dates_labelled"] is True, item
        assert d["newest_question_date"] == "2025-04-03", item
        assert d["newest_answer_date"] == "2025-04-10", item


def test_table_row_dates_are_read_cell_by_cell() -> None:
    # a long question in one cell does not hide the date in the next (lines over 400 characters
    # are skipped as prose), nor does a "thứ hai" in the question make it a header's 'today'
    question = "Tôi hỏi lần thứ hai về việc cấp giấy chứng nhận quyền sử dụng đất. " * 8
    body = (
        "<h1>Hỏi đáp</h1><table>"
        f"<tr><td>1</td><td><a href='/hoi-dap/1'>{question}</a></td><td>12/03/2025</td></tr>"
        "</table>"
    )
    d = _section(body)
    assert d["newest_date"] == "2025-03-12"


def test_empty_only_on_evidence() -> None:
    says = _section("<h1>Hỏi đáp</h1><div class='ds'>Chưa có câu hỏi nào.</div>")
    assert says["list_state"] == "says_empty" and "chua co cau hoi" in str(says["evidence"])
    error = _section("<h1>Hỏi đáp</h1><h2>Server Error in '/' Application.</h2>")
    assert error["list_state"] == "error"
    loaded = _section(
        "<h1>Hỏi đáp</h1><div id='dsHoiDap'>Đang tải...</div>"
        + "<p>"
        + "Cổng thông tin điện tử tỉnh. " * 12
        + "</p>"
        + "".join(f"<a href='/m{i}'>m{i}</a>" for i in range(5))
        + "<script src='/js/hoidap.js'></script>"
    )
    assert loaded["list_state"] == "script_loaded" and "loading_placeholder" in str(
        loaded["evidence"]
    )
    nothing = _section("<h1>Hỏi đáp</h1><p>Mời bạn đọc gửi câu hỏi.</p>")
    assert nothing["list_state"] == "none_seen"


def test_questions_in_json_the_page_carries() -> None:
    data = (
        '<script>var dsCauHoi = [{"TieuDe": "Hỏi về thuế", "NgayGui": "/Date(1735689600000)/",'
        ' "NgayTraLoi": "2025-01-15T08:00:00"}, {"TieuDe": "Hỏi 2", "NgayGui": "03/02/2025",'
        ' "NgayTraLoi": null}];</script>'
    )
    d = _section("<h1>Hỏi đáp</h1><div id='list'></div>" + data)
    assert d["questions_listed"] == 2
    assert d["newest_answer_date"] == "2025-01-15" and d["newest_question_date"] == "2025-02-03"


def test_form_on_a_linked_page_is_recorded() -> None:
    d = _section(
        "<h1>Hỏi đáp</h1><a href='/hoi-dap/1'>Hỏi 1</a> Ngày gửi: 01/02/2025"
        "<a class='btn' href='/gui-cau-hoi'>Gửi câu hỏi</a>"
    )
    assert d["has_form"] is False and d["form_page"] == BASE + "gui-cau-hoi"
