from __future__ import annotations

import csv
import io

import pytest

from pobi.models import Era, SiteKind, UrlSource
from pobi.registry import (
    ascii_name,
    legacy_sources,
    parse_codes,
    province,
    provinces,
    registry_sites,
    successor,
)
from tests.conftest import run_pobi


def test_counts_per_era() -> None:
    assert len(provinces(Era.LEGACY)) == 63
    assert len(provinces(Era.CURRENT)) == 34


def test_every_legacy_unit_maps_to_exactly_one_current_unit() -> None:
    current = {p.code for p in provinces(Era.CURRENT)}
    covered: dict[str, list[str]] = {c: [] for c in current}
    for p in provinces(Era.LEGACY):
        assert len(p.related_codes) == 1, p
        assert p.related_codes[0] in current
        covered[p.related_codes[0]].append(p.code)
    # ...and the reverse lists agree with it, with every current unit having at least one source.
    for c in provinces(Era.CURRENT):
        assert sorted(c.related_codes) == sorted(covered[c.code]) and c.related_codes


def test_hcmc_sources_and_known_merges() -> None:
    assert province(Era.CURRENT, "79").related_codes == ("74", "77", "79")
    assert successor("74").code == "79"
    assert successor("82").code == "82"  # Tiền Giang -> Đồng Tháp (keeps code 82), per Res. 202
    assert [p.code for p in legacy_sources("82")] == ["82", "87"]
    assert province(Era.LEGACY, "1").code == "01"


def test_ascii_names() -> None:
    assert ascii_name("Thành phố Hồ Chí Minh") == "Thanh pho Ho Chi Minh"
    assert ascii_name("Tỉnh Đắk Lắk") == "Tinh Dak Lak"
    for p in provinces(Era.LEGACY):
        assert p.name_ascii.isascii()


def test_parse_codes() -> None:
    assert parse_codes("1, 79 96", Era.CURRENT) == ["01", "79", "96"]
    from pobi.errors import NotFoundError

    with pytest.raises(NotFoundError):
        parse_codes("74", Era.CURRENT)  # Bình Dương no longer exists


def test_registry_has_portal_and_finance_for_every_unit_of_both_eras() -> None:
    for era in Era:
        sites = registry_sites(era)
        have = {(s.province_code, s.site_kind) for s in sites}
        for p in provinces(era):
            assert (p.code, SiteKind.PORTAL) in have and (p.code, SiteKind.FINANCE) in have
        for s in sites:
            # An inferred or published URL is never passed off as verified.
            if s.source in (UrlSource.INFERRED, UrlSource.PUBLISHED):
                assert s.verified_on is None and "not verified" in s.note
            else:
                assert s.source == UrlSource.VERIFIED and s.verified_on is not None


def test_cli_provinces_csv() -> None:
    res = run_pobi("provinces", "--era", "legacy", "--csv")
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert list(rows[0]) == ["code", "name", "name_ascii", "era", "related_codes"]
    assert len(rows) == 63
    res = run_pobi("provinces", "--era", "current", "--csv")
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(res.stdout))}
    assert len(rows) == 34
    assert rows["79"]["related_codes"] == "74;77;79"
    assert rows["79"]["name"] == "Thành phố Hồ Chí Minh"


def test_cli_sites_csv_lists_both_eras() -> None:
    res = run_pobi("sites", "--csv")
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 2 * (63 + 34)


def _generator():  # the script is not a package module: load it by path
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts" / "make_registry_sites.py"
    spec = importlib.util.spec_from_file_location("make_registry_sites", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_registry_host_carries_a_unit_type_prefix() -> None:
    from urllib.parse import urlsplit

    gen = _generator()
    for bad in ("thanhphohanoi.gov.vn", "tinhhagiang.gov.vn", "stc.thanhphodanang.gov.vn"):
        assert "unit-type prefix" in (gen.check_host(bad) or "")
    for good in ("hanoi.gov.vn", "quangninh.gov.vn", "stc.tiengiang.gov.vn", "1022.tphcm.gov.vn"):
        assert gen.check_host(good) is None
    for s in registry_sites():
        assert gen.check_host(urlsplit(s.url).hostname or "") is None, s.url


def test_registry_portals_are_the_published_domains() -> None:
    portals = {
        (s.era.value if s.era else "", s.province_code): s.url
        for s in registry_sites()
        if s.site_kind == SiteKind.PORTAL
    }
    assert portals[("legacy", "01")] == "https://hanoi.gov.vn/"
    assert portals[("legacy", "02")] == "https://hagiang.gov.vn/"
    assert portals[("legacy", "46")] == "https://thuathienhue.gov.vn/"
    assert portals[("legacy", "77")] == "https://baria-vungtau.gov.vn/"
    assert portals[("legacy", "79")] == "https://hochiminhcity.gov.vn/"
    assert portals[("current", "46")] == "https://hue.gov.vn/"
    # the generator's table is what the bundled file holds (the file is not edited by hand)
    gen = _generator()
    built = {(r["era"], r["province_code"], r["site_kind"]): r["url"] for r in gen.build_rows()}
    for s in registry_sites():
        if s.source != UrlSource.VERIFIED:
            assert (
                built[(s.era.value if s.era else "", s.province_code, s.site_kind.value)] == s.url
            )


def test_merged_legacy_portals_say_they_redirect_to_the_successor() -> None:
    notes = {
        s.province_code: s.note
        for s in registry_sites(Era.LEGACY)
        if s.site_kind == SiteKind.PORTAL
    }
    assert "redirects to the successor's portal tuyenquang.gov.vn" in notes["02"]
    assert "redirects" not in notes["01"]
