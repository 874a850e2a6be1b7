from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from probes.charset import (
    VIETNAMESE_LETTERS,
    VISCII_TABLE,
    decode,
    normalise_charset,
    plausibility,
)
from tests.probes.mail.conftest import load_corpus_module

TEXT = "Trả lời đề nghị cung cấp thông tin ngân sách của Sở Tài chính Đắk Lắk"
mc = load_corpus_module()


def test_viscii_table_is_a_bijection_onto_vietnamese() -> None:
    assert len(set(VISCII_TABLE)) == 256
    assert VISCII_TABLE[0x80] == "Ạ" and VISCII_TABLE[0xFF] == "Ữ" and VISCII_TABLE[0x02] == "Ẳ"


@pytest.mark.parametrize(
    "declared", [None, "windows-1258", "iso-8859-1", "windows-1252", "us-ascii"]
)
def test_windows_1258_is_recognised_whatever_the_label(declared: str | None) -> None:
    d = decode(mc.cp1258(TEXT), declared)
    assert d.text == TEXT
    assert d.codec == "cp1258"
    if declared and declared != "windows-1258":
        assert any(f.startswith("charset_mismatch") for f in d.flags)


@pytest.mark.parametrize("declared", [None, "viscii", "iso-8859-1", "x-unknown"])
def test_viscii_is_recognised_whatever_the_label(declared: str | None) -> None:
    d = decode(mc.viscii(TEXT), declared)
    assert d.text == TEXT


@pytest.mark.parametrize("declared", ["us-ascii", "iso-8859-1", "gb2312", "windows-1258"])
def test_utf8_declared_as_something_else(declared: str) -> None:
    d = decode(TEXT.encode("utf-8"), declared)
    assert d.text == TEXT and d.codec == "utf-8"
    assert f"charset_mismatch:{declared}->utf-8" in d.flags


def test_utf7_and_unknown_labels() -> None:
    assert normalise_charset("unicode-1-1-utf-7") == "utf-7"
    assert decode(TEXT.encode("utf-7"), "unicode-1-1-utf-7").text == TEXT
    d = decode(TEXT.encode(), "no-such-charset")
    assert d.text == TEXT and "bad_charset" in d.flags


def test_latin1_text_keeps_its_declared_charset() -> None:
    text = "Réponse à votre demande, Grüße"
    d = decode(text.encode("latin-1"), "iso-8859-1")
    assert d.text == text and not d.flags


def test_plausibility_prefers_real_vietnamese_to_mojibake() -> None:
    good = TEXT
    bad = mc.cp1258(TEXT).decode("latin-1")
    assert plausibility(good) > plausibility(bad)


LABELS = st.sampled_from(
    [
        None,
        "",
        "utf-8",
        "UTF8",
        "us-ascii",
        "iso-8859-1",
        "windows-1258",
        "viscii",
        "utf-7",
        "unicode-1-1-utf-7",
        "utf-16",
        "gb2312",
        "x-unknown",
        "bogus\x00",
        '"windows-1252"',
        "cp65001",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000), LABELS)
def test_property_decode_never_raises(data: bytes, label: str | None) -> None:
    d = decode(data, label)
    assert isinstance(d.text, str) and d.codec
    d.text.encode("utf-8", "surrogatepass")


@settings(max_examples=100, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            sorted(VIETNAMESE_LETTERS)
            + list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?()-\n")
        ),
        max_size=300,
    ),
    st.sampled_from(["cp1258", "viscii", "utf-8"]),
)
def test_property_vietnamese_round_trips_through_declared_charsets(text: str, codec: str) -> None:
    import unicodedata

    text = unicodedata.normalize("NFC", "Sở Tài chính " + text)
    try:
        data = (
            mc.cp1258(text)
            if codec == "cp1258"
            else mc.viscii(text)
            if codec == "viscii"
            else text.encode()
        )
    except (UnicodeEncodeError, ValueError):
        return  # not representable in that charset
    label = {"cp1258": "windows-1258", "viscii": "viscii", "utf-8": "utf-8"}[codec]
    assert decode(data, label).text == text
