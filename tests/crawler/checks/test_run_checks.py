"""run_checks never raises and stays fast on arbitrary input (hypothesis fuzzing)."""

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import crawler.checks as checks
from crawler.checks import ALL_CHECKS, run_checks, run_checks_with_errors
from crawler.links import link_hints
from crawler.page import FindingDraft, PageView
from pobi.models import Channel, SiteKind
from tests.crawler.checks.helpers import view

TAGS = ["a", "p", "div", "form", "textarea", "img", "script", "option", "select", "iframe", "nav",
        "footer", "h1", "title", "span", "style", "base", "table", "td"]  # fmt: skip
ATTRS = ["href", "src", "value", "data-cfemail", "class", "alt", "action", "id", "title"]
WORDS = ["Hỏi đáp", "Góp ý", "Email:", "ĐT:", "mailto:", "@", "(at)", "[dot]", "0243.825",
         "Tiếp cận thông tin", "Sở Tài chính", "https://www.facebook.com/", "zalo.me/", "1022",
         "/cdn-cgi/l/email-protection#", "Hotline", "x@y.vn", "\u0301", "đ", "<", ">", "&#", "%",
         "javascript:", "http://[", "//", "?", "#", "tel:"]  # fmt: skip


@st.composite
def html_soup(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            tag = draw(st.sampled_from(TAGS))
            attrs = " ".join(
                f'{draw(st.sampled_from(ATTRS))}="{draw(st.sampled_from(WORDS))}{draw(st.text(max_size=8))}"'
                for _ in range(draw(st.integers(0, 2)))
            )
            parts.append(f"<{tag} {attrs}>")
        elif kind == 1:
            parts.append(f"</{draw(st.sampled_from(TAGS))}>")
        elif kind == 2:
            parts.append(draw(st.sampled_from(WORDS)))
        else:
            parts.append(draw(st.text(max_size=20)))
    return "".join(parts)


def page_of(html: str, url: str = "http://127.0.0.5:8080/a/b?c=1", **kw: object) -> PageView:
    return PageView(url=url, site_url="http://127.0.0.5:8080/", site_kind=SiteKind.PORTAL,
                    province_code="01", html=html, **kw)  # type: ignore[arg-type]  # fmt: skip


def assert_valid(drafts: list[FindingDraft]) -> None:
    for d in drafts:
        assert isinstance(d.channel, Channel)
        assert isinstance(d.value, str) and d.value
        assert isinstance(d.details, dict)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html=html_soup(), rendered=st.booleans())
def test_structured_garbage(html: str, rendered: bool) -> None:
    started = time.perf_counter()
    drafts, errors = run_checks_with_errors(page_of(html, rendered=rendered))
    assert errors == []
    assert_valid(drafts)
    link_hints(page_of(html))
    assert time.perf_counter() - started < 2.0


@settings(max_examples=100, deadline=None)
@given(
    data=st.binary(max_size=2000), codec=st.sampled_from(["utf-8", "cp1258", "latin-1", "utf-16"])
)
def test_random_bytes_decoded_any_way(data: bytes, codec: str) -> None:
    html = data.decode(codec, errors="replace")
    drafts, errors = run_checks_with_errors(page_of(html))
    assert errors == []
    assert_valid(drafts)


@settings(max_examples=30, deadline=None)
@given(url=st.text(max_size=40), site_kind=st.sampled_from(list(SiteKind)))
def test_weird_urls(url: str, site_kind: SiteKind) -> None:
    page = PageView(url=url, site_url=url, site_kind=site_kind, province_code="01",
                    html='<a href="/hoi-dap">Hỏi đáp</a><a href="mailto:a@b.vn">a</a>')  # fmt: skip
    _drafts, errors = run_checks_with_errors(page)
    assert errors == []
    link_hints(page)


def test_huge_and_deep_pages_are_bounded() -> None:
    deep = "<div>" * 3000 + "Email: a@tinh.gov.vn" + "</div>" * 3000
    big = "<p>Điện thoại: 0243 825 3536</p>" * 20000
    for html in (deep, big):
        started = time.perf_counter()
        run_checks(page_of(html))
        assert time.perf_counter() - started < 20


def test_a_crashing_check_does_not_stop_the_others(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(page: PageView) -> list[FindingDraft]:
        raise RuntimeError("boom")

    monkeypatch.setattr(checks, "ALL_CHECKS", [broken, *ALL_CHECKS])
    drafts, errors = checks.run_checks_with_errors(view('<a href="mailto:a@tinh.gov.vn">a</a>'))
    assert errors == ["tests.crawler.checks.test_run_checks: RuntimeError: boom"]
    assert {d.value for d in drafts} == {"a@tinh.gov.vn"}
    assert checks.run_checks(view("<p>x</p>")) == []


def test_all_checks_listed_once_per_channel() -> None:
    assert len(ALL_CHECKS) == len(Channel)
