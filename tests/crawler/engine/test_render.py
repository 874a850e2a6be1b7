"""The rendering policy: render only pages that need a browser."""

from __future__ import annotations

from crawler.render import JS_SHELL, SCRIPT_EMAIL, SCRIPT_MENU, needs_render, script_fingerprint

TEXT = "<p>" + "Ủy ban nhân dân tỉnh công khai ngân sách. " * 12 + "</p>"
MENU = "".join(f"<a href='/m{i}'>Mục {i}</a>" for i in range(8))


def page(body: str) -> str:
    return f"<!doctype html><html><head><title>t</title></head><body>{body}</body></html>"


def test_static_page_needs_nothing() -> None:
    assert needs_render(page(TEXT + MENU)) is None
    assert needs_render(page(TEXT + MENU + "<script>window.dataLayer=[];</script>")) is None


def test_page_without_scripts_is_never_rendered_even_if_empty() -> None:
    assert needs_render(page("")) is None
    assert needs_render("") is None


def test_javascript_shell() -> None:
    assert needs_render(page("<div id='root'></div><script src='/app.js'></script>")) == JS_SHELL
    assert (
        needs_render(page("<noscript>Bật JavaScript</noscript><script src='/b.js'></script>"))
        == JS_SHELL
    )
    shell_with_text = page(TEXT + MENU + "<div id='app'></div><script src='/a.js'></script>")
    assert needs_render(shell_with_text) == JS_SHELL


def test_menu_built_by_script() -> None:
    few_links = page(TEXT + "<nav id='menu'></nav><script src='/menu.js'></script>")
    assert needs_render(few_links) == SCRIPT_MENU
    built = page(
        TEXT + MENU + "<script>var a=document.createElement('a');a.href='/hoi-dap';</script>"
    )
    assert needs_render(built) == SCRIPT_MENU


def test_email_assembled_by_script() -> None:
    for script in (
        "var u='lienhe';var d='tinh.gov.vn';document.write(u+'@'+d);",
        "el.innerHTML='<a href=\"mai'+'lto:'+x+'\">';",
        "document.getElementById('m').textContent=String.fromCharCode(97,64,98);",
    ):
        assert needs_render(page(TEXT + MENU + f"<script>{script}</script>")) == SCRIPT_EMAIL


def test_cloudflare_email_decoder_is_not_a_reason() -> None:
    html = page(
        TEXT + MENU + "<a href='/cdn-cgi/l/email-protection#0a'>[email&#160;protected]</a>"
        "<script data-cfasync='false' src='/cdn-cgi/scripts/5c5dd728/cloudflare-static/email-decode.min.js'></script>"
    )
    assert needs_render(html) is None


def test_json_data_scripts_do_not_count() -> None:
    html = page('<script type=\'application/ld+json\'>{"@context": "x"}</script>')
    assert needs_render(html) is None


def test_script_fingerprint_equal_for_same_scripts_only() -> None:
    a = page(TEXT + "<script>var u='a'+'@'+'b';</script>")
    b = page("<p>other text</p><script>var u='a'+'@'+'b';</script>")
    c = page(TEXT + "<script>var u='c'+'@'+'d';</script>")
    assert script_fingerprint(a) == script_fingerprint(b) != script_fingerprint(c)


def test_email_split_into_string_pieces() -> None:
    html = page(TEXT + MENU + "<script>m.innerHTML='lien'+'he'+'@'+'tinh.vn';</script>")
    assert needs_render(html) == SCRIPT_EMAIL
    html = page(TEXT + MENU + "<script>m.textContent='a'+'@b.vn';</script>")
    assert needs_render(html) == SCRIPT_EMAIL


# ----------------------------------------------------------------- reasons with their evidence
from crawler.render import (  # noqa: E402
    DOCUMENT_WRITE,
    PLACEHOLDER,
    SCRIPT_LIST,
    SCRIPT_NAV,
    reason_code,
    render_reason,
)


def test_every_reason_names_its_evidence() -> None:
    why = render_reason(page(TEXT + MENU + "<script>var a=document.createElement('a');</script>"))
    assert why is not None and why.code == SCRIPT_MENU and "createElement" in why.evidence
    assert why.text.startswith("script_menu: ") and reason_code(why.text) == SCRIPT_MENU


def test_empty_menu_container_filled_by_script() -> None:
    html = page(TEXT + MENU + "<ul id='mainmenu'></ul><script src='/js/menu.js'></script>")
    why = render_reason(html)
    assert why is not None and why.code == SCRIPT_MENU and "mainmenu" in why.evidence


def test_onclick_navigation_whose_target_only_a_script_knows() -> None:
    items = "".join(f"<li class='item' onclick='openMenu({i})'>Mục {i}</li>" for i in range(1, 5))
    why = render_reason(
        page(TEXT + MENU + f"<ul class='menu-top'>{items}</ul><script src='/m.js'></script>")
    )
    assert why is not None and why.code == SCRIPT_NAV
    assert "openMenu(1)" in why.evidence and "4 elements" in why.evidence


def test_onclick_navigation_readable_statically_needs_no_browser() -> None:
    items = "".join(
        f"<li onclick=\"window.location.href='/muc-{i}'\">Mục {i}</li>" for i in range(5)
    )
    assert render_reason(page(TEXT + MENU + f"<ul>{items}</ul><script>var x=1;</script>")) is None


def test_clicks_bound_by_script_to_computed_addresses() -> None:
    script = (
        "<script>$('.nav li').click(function(){ window.location = base + $(this).data('id'); });"
        "</script>"
    )
    why = render_reason(page(TEXT + MENU + script))
    assert why is not None and why.code == SCRIPT_NAV


def test_document_write_of_markup_but_not_of_the_year() -> None:
    why = render_reason(
        page(TEXT + MENU + "<script>document.write('<a href=\"/hoi-dap\">Hỏi đáp</a>');</script>")
    )
    assert why is not None and why.code == DOCUMENT_WRITE
    year = page(TEXT + MENU + "<p>© <script>document.write(new Date().getFullYear())</script></p>")
    assert render_reason(year) is None


def test_list_loaded_from_json() -> None:
    script = (
        "<div id='dsCauHoi'></div><script>fetch('/api/hoidap?page=1').then(r=>r.json())"
        ".then(d=>{document.getElementById('dsCauHoi').innerHTML=d.items.map(x=>x.title).join('')})"
        "</script>"
    )
    why = render_reason(page(TEXT + MENU + script))
    assert why is not None and why.code == SCRIPT_LIST and "fetch(" in why.evidence
    bound = page(
        TEXT
        + MENU
        + "<ul><li ng-repeat='q in questions'>{{q.title}}</li></ul><script src='/a.js'></script>"
    )
    assert reason_code(render_reason(bound).text) == SCRIPT_LIST  # type: ignore[union-attr]


def test_loading_placeholder() -> None:
    html = page(
        TEXT + MENU + "<div id='listQA'>Đang tải dữ liệu...</div><script src='/qa.js'></script>"
    )
    why = render_reason(html)
    assert why is not None and why.code == PLACEHOLDER and "listQA" in why.evidence
    # the same words in a sentence are not a placeholder
    prose = page(
        TEXT
        + MENU
        + "<p>Đang tải về các văn bản mới của Ủy ban nhân dân tỉnh trong tuần này và tuần sau</p><script>var x;</script>"
    )
    assert render_reason(prose) is None
