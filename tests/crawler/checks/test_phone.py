from crawler.checks import phone
from tests.crawler.checks.helpers import view


def found(body: str, **kw: object) -> dict[str, str]:
    return {d.value: d.details["label"] for d in phone.check(view(body, **kw))}  # type: ignore[arg-type]


def test_common_formats_after_labels() -> None:
    cases = {
        "<p>Điện thoại: 0243.8253536</p>": "02438253536",
        "<p>ĐT: (024) 3825 3536</p>": "02438253536",
        "<p>Tel: +84 24 3825 3536</p>": "02438253536",
        "<p>Điện thoại liên hệ: 0214-3840-888</p>": "02143840888",
        "<p>Đường dây nóng: 0912 345 678</p>": "0912345678",
        "<p>Hotline: 1900 1234</p>": "19001234",
        "<p>SĐT: 0203.3835.123</p>": "02033835123",
    }
    for body, digits in cases.items():
        assert set(found(body)) == {digits}, body


def test_fax_is_skipped_and_labels_are_kept() -> None:
    body = "<p>Điện thoại: 0225.3680.638 - Fax: 0225.4847381</p>"
    assert found(body) == {"02253680638": "Điện thoại"}


def test_short_hotline_1022_only_after_a_hotline_label() -> None:
    assert found("<p>Tổng đài 1022 - Đường dây nóng: 1022</p>") == {"1022": "Tổng đài"}
    assert found("<p>Hotline: 1022</p>") == {"1022": "Hotline"}
    assert found("<p>Điện thoại: 1022</p>") == {}
    assert found("<p>Mã hồ sơ: 1022</p><p>Năm 2025</p>") == {}


def test_dates_and_ids_are_not_phones() -> None:
    body = (
        "<p>Điện thoại ngày 10/03/2025 cập nhật</p><p>Mã số thuế: 0101234567</p>"
        "<p>Quyết định số 1234/QĐ-UBND</p><p>ĐT: 12/2025</p>"
    )
    assert found(body) == {}


def test_two_numbers_after_one_label() -> None:
    body = "<p>Điện thoại: 024.3825.3536 / 0912.345.678</p>"
    assert set(found(body)) == {"02438253536", "0912345678"}


def test_tel_links() -> None:
    assert found('<a href="tel:+84243825353 6">Gọi</a>') == {"02438253536": "Gọi"}


def test_no_diacritics_and_nfd() -> None:
    assert set(found("<p>Dien thoai: 0243 825 3536</p>")) == {"02438253536"}
    assert set(found("<p>Đường dây nóng: 0243 825 3536</p>", nfd=True)) == {"02438253536"}


def test_label_on_another_line_does_not_reach() -> None:
    assert found("<p>Điện thoại</p><p>Tin số 0912345678 đã đăng</p>") == {}


def test_label_and_number_in_table_cells() -> None:
    body = (
        "<table><tr><td>Điện thoại:</td><td>0243.825.3536</td></tr>"
        "<tr><td>Fax:</td><td>0243.825.3537</td></tr>"
        "<tr><td>Đường dây nóng</td><td>1022</td></tr>"
        "<tr><td>Ghi chú</td><td>0912345678</td></tr></table>"
    )
    assert found(body) == {"02438253536": "Điện thoại", "1022": "Đường dây nóng"}


def test_phone_slash_fax_label() -> None:
    assert set(found("<p>ĐT/Fax: 0290.3831.234</p>")) == {"02903831234"}
    assert set(found("<p>ĐT: 0290.3831.234 - Fax: 0290.3831.999</p>")) == {"02903831234"}
