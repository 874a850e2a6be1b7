"""URL identity, cleaning, link extraction and trap guards."""

from __future__ import annotations

from crawler.urls import (
    canonical,
    clean,
    extract_links,
    host_key,
    is_trap,
    same_host,
    skip_by_extension,
)


def test_host_key_ignores_case_www_and_default_port() -> None:
    assert host_key("https://WWW.HaNoi.gov.vn:443/a") == "hanoi.gov.vn"
    assert host_key("http://127.0.0.5:8080/") == "127.0.0.5:8080"
    assert host_key("http://stc.hanoi.gov.vn/") != host_key("http://hanoi.gov.vn/")


def test_same_host_for_registry_comparison() -> None:
    assert same_host("https://STC.HaNoi.gov.vn/x", "http://stc.hanoi.gov.vn/")
    assert same_host("https://www.stc.hanoi.gov.vn/", "https://stc.hanoi.gov.vn")
    assert not same_host("https://sotaichinh.hanoi.gov.vn/", "https://stc.hanoi.gov.vn/")


def test_clean_drops_fragments_and_session_ids() -> None:
    assert clean("http://x.vn/a;jsessionid=ABC?b=1&PHPSESSID=9#top") == "http://x.vn/a?b=1"
    assert clean("HTTP://X.vn") == "http://x.vn/"
    assert clean("http://x.vn/hỏi đáp") == "http://x.vn/h%E1%BB%8Fi%20%C4%91%C3%A1p"


def test_canonical_sorts_queries_and_folds_www() -> None:
    assert canonical("http://www.x.vn/a?b=2&a=1") == canonical("http://x.vn/a?a=1&b=2#f")


def test_extract_links_resolves_filters_and_keeps_text() -> None:
    html = """<html><head><base href="/sub/"></head><body>
      <a href="hoi-dap">  Hỏi   đáp </a>
      <a href="mailto:a@b.vn">mail</a><a href="tel:1022">tel</a><a href="javascript:void(0)">js</a>
      <a href="#top">top</a><a href="http://other.vn/x">other</a>
      <iframe src="/embed/lien-he"></iframe><area href="/map" title="Bản đồ">
      <a href="hoi-dap#again">dup</a></body></html>"""
    links = extract_links(html, "http://x.vn/index.html")
    assert [(link.url, link.text, link.tag) for link in links] == [
        ("http://x.vn/sub/hoi-dap", "Hỏi đáp", "a"),
        ("http://other.vn/x", "other", "a"),
        ("http://x.vn/embed/lien-he", "", "iframe"),
        ("http://x.vn/map", "Bản đồ", "area"),
    ]


def test_extract_links_survives_garbage() -> None:
    assert extract_links("", "http://x.vn/") == []
    assert extract_links("\x00\x01<<<a href='http://[::1'>", "http://x.vn/") == []


def test_traps_and_binary_files() -> None:
    assert is_trap("http://x.vn/a/b/a/b/a/b/a") is not None
    assert is_trap("http://x.vn/" + "x" * 600) is not None
    assert is_trap("http://x.vn/tin-tuc/2024/hoi-dap") is None
    assert skip_by_extension("http://x.vn/bao-cao.PDF")
    assert not skip_by_extension("http://x.vn/hoi-dap.aspx")
    assert not skip_by_extension("http://x.vn/v1.2/")


def test_browser_subrequests_to_private_literals_are_aborted_when_not_allowed() -> None:
    from types import SimpleNamespace

    from crawler import chromium

    def req(url: str, kind: str = "script") -> SimpleNamespace:
        return SimpleNamespace(url=url, resource_type=kind)

    saved = dict(chromium.POLICY)
    try:
        chromium.POLICY["allow_private"] = False
        assert chromium.abort_request(req("http://10.0.0.5/x.js"))
        assert chromium.abort_request(req("http://localhost:8080/"))
        assert chromium.abort_request(req("http://[::1]/"))
        assert not chromium.abort_request(req("https://cdn.example.org/x.js"))
        assert chromium.abort_request(req("https://cdn.example.org/f.woff2", "font"))
        chromium.POLICY["allow_private"] = True
        assert not chromium.abort_request(req("http://127.0.0.5/x.js"))
    finally:
        chromium.POLICY.update(saved)
