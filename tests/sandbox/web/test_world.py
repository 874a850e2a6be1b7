"""The simulated world as data: deterministic, every province, safe addresses, calibrated."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from pobi.models import Channel, Era, SiteKind
from pobi.registry import provinces
from pobi.sandbox.world import (
    PLACEHOLDER,
    build_country,
    build_test_farm,
    encode_1258,
)


def test_country_has_a_portal_and_finance_site_per_province_for_both_eras() -> None:
    for era in Era:
        world = build_country(era, seed=3)
        codes = {p.code for p in provinces(era)}
        for kind in (SiteKind.PORTAL, SiteKind.FINANCE):
            assert {s.province_code for s in world.sites if s.site_kind == kind} == codes
        assert len(world.hosts) < 250


def test_deterministic_for_a_seed_and_different_across_seeds() -> None:
    a, b, c = (
        build_country(Era.CURRENT, 11),
        build_country(Era.CURRENT, 11),
        build_country(Era.CURRENT, 12),
    )
    assert a.published_addresses() == b.published_addresses()
    assert [s.expected for s in a.sites] == [s.expected for s in b.sites]
    assert {k: h.pages for k, h in a.hosts.items()} == {k: h.pages for k, h in b.hosts.items()}
    assert [s.features for s in a.sites] != [s.features for s in c.sites]


def test_published_addresses_are_reserved_and_readable() -> None:
    world = build_country(Era.LEGACY, 5)
    published = world.published_addresses()
    assert len(published) >= 63
    for address, (code, kind) in published.items():
        assert address.endswith(".sandbox.test"), address
        assert address == address.lower()
        assert kind in (SiteKind.PORTAL, SiteKind.FINANCE)
        assert code in {p.code for p in provinces(Era.LEGACY)}
    image_only = [a for a in world.all_addresses() if a.presentation == "image"]
    assert image_only and all(a.address not in published for a in image_only)
    dead = [a for a in world.all_addresses() if not a.reachable]
    assert all(a.address not in published for a in dead)


def test_calibrated_like_pobi_2019() -> None:
    world = build_country(Era.LEGACY, 2019)
    portals = [s for s in world.sites if s.site_kind == SiteKind.PORTAL]
    finance = [s for s in world.sites if s.site_kind == SiteKind.FINANCE]

    def share(sites: list, channel: Channel) -> float:  # type: ignore[type-arg]
        return sum(any(e.channel == channel for e in s.expected) for s in sites) / len(sites)

    assert share(portals, Channel.QA_SECTION) >= 0.9
    assert share(portals, Channel.EMAIL) >= 0.9
    assert share(portals, Channel.FINANCE_SITE) == 1.0
    assert 0.2 <= share(finance, Channel.QA_SECTION) <= 0.7
    assert share(finance, Channel.EMAIL) < share(portals, Channel.EMAIL)


def test_country_shows_the_variety_of_real_portals() -> None:
    world = build_country(Era.CURRENT, 2026)
    features = Counter(f.split(":")[0] for s in world.sites for f in s.features)
    cms = Counter(f for s in world.sites for f in s.features if f.startswith("cms:"))
    assert set(cms) == {"cms:liferay", "cms:vnpt", "cms:wordpress", "cms:aspnet"}
    for needed in [
        "labels",
        "encoding",
        "js_menu",
        "spa",
        "qa_depth",
        "iframe_form",
        "dead",
        "moved",
        "hotline_1022",
        "latency_ms",
    ]:
        assert features[needed] >= 1, needed
    presentations = Counter(a.presentation for a in world.all_addresses())
    assert set(presentations) >= {"mailto", "text", "obfuscated", "cloudflare", "script", "image"}


def test_test_farm_covers_every_case() -> None:
    world = build_test_farm()
    assert len(world.sites) >= 25
    features = {f.split(":")[0] for s in world.sites for f in s.features}
    assert features >= {
        "labels", "encoding", "js_menu", "spa", "qa_depth", "iframe_form", "dead", "moved",
        "hotline_1022", "latency_ms", "robots_hidden", "calendar", "contact_email",
    }  # fmt: skip
    channels = {e.channel for s in world.sites for e in s.expected}
    assert channels == set(Channel)
    assert any(e.rendered_only for s in world.sites for e in s.expected)
    assert any(e.robots_blocked for s in world.sites for e in s.expected)
    assert {h.dead for h in world.hosts.values()} >= {"refused", "http500"}
    presentations = {a.presentation for a in world.all_addresses()}
    assert presentations >= {"mailto", "text", "obfuscated", "cloudflare", "script", "image"}


def test_placeholders_only_name_known_hosts() -> None:
    world = build_test_farm()
    for host in world.hosts.values():
        for page in host.pages.values():
            if isinstance(page.body, str):
                for key in PLACEHOLDER.findall(page.body):
                    assert key in world.hosts, (host.key, page.path, key)


def test_windows_1258_encoding_round_trips_through_nfc() -> None:
    import unicodedata

    text = "Hỏi đáp trực tuyến – Sở Tài chính tỉnh Đắk Lắk: Phản ánh, kiến nghị, pháp luật, Ủy ban"
    data = encode_1258(text)
    assert b"&#" not in data and b"?" not in data
    assert unicodedata.normalize("NFC", data.decode("cp1258")) == text


def test_expected_urls_point_at_pages_that_exist() -> None:
    from urllib.parse import urlsplit

    from pobi.sandbox.world import PLACEHOLDER

    for world in (build_test_farm(), build_country(Era.CURRENT, 99)):
        for site in world.sites:
            for e in site.expected:
                m = PLACEHOLDER.match(e.value.removeprefix("image:"))
                if not m:
                    continue
                host = world.hosts[m.group(1)]
                path = e.value.removeprefix("image:")[m.end() :]
                if e.channel == Channel.FINANCE_SITE:
                    assert path == "/", e
                    continue
                assert path in host.pages, (site.province_code, site.site_kind, e)
                assert urlsplit("http://x" + path).path  # a real path


def test_every_readable_address_is_on_some_page() -> None:
    from pobi.sandbox.world import cf_encode

    world = build_test_farm()
    bodies = "".join(
        p.body for h in world.hosts.values() for p in h.pages.values() if isinstance(p.body, str)
    ).lower()
    for a in world.all_addresses():
        local, domain = a.address.split("@")
        if a.presentation == "cloudflare":
            continue  # hex with a random key: checked by the e2e measurement
        assert local in bodies and domain.split(".")[0] in bodies, a
    assert cf_encode("a@b.c", 1).startswith("01")


@settings(max_examples=4, deadline=None)
@given(seed=st.integers(0, 10**9))
def test_any_seed_gives_a_consistent_country(seed: int) -> None:
    world = build_country(Era.CURRENT, seed)
    assert len(world.sites) == 68
    for site in world.sites:
        host = world.hosts[site.host]
        assert host.redirect_all_to or site.start_path in host.pages or host.dead
        for e in site.expected:
            assert (e.value and "{{" in e.value) or e.channel in {
                Channel.EMAIL, Channel.PHONE, Channel.FACEBOOK, Channel.ZALO, Channel.YOUTUBE
            }  # fmt: skip
    assert all(a.endswith(".sandbox.test") for a in world.published_addresses())
