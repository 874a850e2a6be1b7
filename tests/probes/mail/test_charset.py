from __future__ import annotations

import pytest

from probes.charset import VISCII_TABLE, decode, normalise_charset, plausibility
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
