"""RAR and 7z bundles, Excel 97-2003 (.xls) and Word 97-2003 (.doc), read by real readers
(libarchive through libarchive-c, xlrd, antiword) from real files: .xls written by xlwt, 7z by
libarchive itself, RAR 4 and .doc by the writers in tests/support/legacy_files.py (no free tool
writes them; the files follow the published formats and bsdtar/antiword read them). Bad input
comes back flagged, never raised."""

from __future__ import annotations

import io
import shutil
import subprocess

import libarchive
import pytest
import xlwt

from crawler.doctext import read, sniff
from pobi.models import DocFormat
from pobi.sandbox import docfiles
from tests.support.legacy_files import rar4, word97

HEADING = "ỦY BAN NHÂN DÂN TỈNH TÂY NINH\nCông khai dự toán ngân sách năm 2025\nBiểu số 46/CK-NSNN"
needs_antiword = pytest.mark.skipif(
    shutil.which("antiword") is None,
    reason="antiword not installed (scripts/bootstrap.sh --system installs it)",
)


def xls_file() -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Biểu 46")
    sheet.write(0, 0, "CÂN ĐỐI NGÂN SÁCH ĐỊA PHƯƠNG NĂM 2025")
    sheet.write(1, 0, "Biểu số 46/CK-NSNN")
    sheet.write(2, 0, "Tổng thu NSĐP")
    sheet.write(2, 1, 12345.0)
    sheet.write(2, 2, 0.5)
    book.add_sheet("Biểu 47").write(0, 0, "Biểu số 47/CK-NSNN")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def seven_zip(members: dict[str, bytes]) -> bytes:
    buf = bytearray()

    def write(block: bytes) -> int:
        buf.extend(block)
        return len(block)

    with libarchive.custom_writer(write, "7zip") as archive:
        for name, data in members.items():
            archive.add_file_from_memory(name, len(data), data)
    return bytes(buf)


def test_xls_is_read_as_a_table_by_xlrd() -> None:
    data = xls_file()
    assert sniff(data) == "xls"  # the OLE directory names a 'Workbook' stream: no hint needed
    got = read(data, hint="doc")  # a wrong hint (the server said .doc) does not matter
    assert (got.kind, got.format, got.pages) == ("xls", DocFormat.TABLE, 2)
    assert "[Biểu 46]" in got.text and "Tổng thu NSĐP\t12345\t0.5" in got.text
    assert "47/CK-NSNN" in got.text and not got.problem


@needs_antiword
def test_doc_is_read_by_antiword_with_its_vietnamese() -> None:
    data = word97(HEADING)
    assert sniff(data) == "doc"
    got = read(data, hint="xls")
    assert (got.kind, got.format) == ("doc", DocFormat.TEXT) and not got.problem
    assert "Công khai dự toán ngân sách năm 2025" in got.text
    assert "ỦY BAN NHÂN DÂN TỈNH TÂY NINH" in got.text.splitlines()[1]


def test_doc_without_antiword_is_read_roughly_and_says_so(monkeypatch) -> None:
    # antiword missing is a real situation (a machine without the Debian package); simulated
    # by hiding it from PATH lookups
    monkeypatch.setattr("crawler.doctext.shutil.which", lambda name: None)
    got = read(word97(HEADING))
    assert got.format == DocFormat.TEXT and "antiword not installed" in got.problem
    assert "Công khai dự toán" in got.text


def test_rar_members_are_read_like_documents() -> None:
    pdf = docfiles.pdf_text([["Biểu số 47/CK-NSNN", "Dự toán thu ngân sách năm 2025"]])
    data = rar4([("bieu46.xls", xls_file()), ("to-trinh.doc", word97(HEADING)), ("b47.pdf", pdf)])
    if shutil.which("bsdtar"):  # libarchive's own command-line tool sees the same archive
        listed = subprocess.run(["bsdtar", "-tf", "-"], input=data, capture_output=True, check=True)
        assert listed.stdout.decode().split() == ["bieu46.xls", "to-trinh.doc", "b47.pdf"]
    got = read(data)
    assert (got.kind, got.format) == ("rar", DocFormat.ARCHIVE)
    assert got.members == ["bieu46.xls", "to-trinh.doc", "b47.pdf"] and got.pages_read == 3
    assert "[bieu46.xls] (table)" in got.text and "Tổng thu NSĐP" in got.text
    assert "[b47.pdf] (text)" in got.text and "47/CK-NSNN" in got.text


def test_7z_members_are_read() -> None:
    data = seven_zip({"QT2023/bieu62.xls": xls_file(), "ghi-chu.csv": b"a,b\n1,2\n"})
    got = read(data)
    assert (got.kind, got.format) == ("7z", DocFormat.ARCHIVE)
    assert got.members == ["QT2023/bieu62.xls", "ghi-chu.csv"]
    assert "46/CK-NSNN" in got.text


def test_broken_bundles_and_legacy_files_are_flagged_not_raised() -> None:
    good = rar4([("a.pdf", docfiles.pdf_text([["Biểu số 46/CK-NSNN"]]))])
    truncated = read(good[:40])
    assert truncated.format == DocFormat.UNREADABLE and "RAR" in truncated.problem
    cut_member = read(good[: len(good) - 200])  # the header is whole, the member's bytes are not
    assert cut_member.kind == "rar" and cut_member.problem
    assert cut_member.format in (DocFormat.ARCHIVE, DocFormat.UNREADABLE)
    bad_7z = read(seven_zip({"a.txt": b"x" * 1000})[:60])
    assert bad_7z.kind == "7z" and bad_7z.format == DocFormat.UNREADABLE and bad_7z.problem
    ole_junk = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000
    for hint in ("doc", "xls"):
        got = read(ole_junk, hint=hint)
        assert got.format == DocFormat.UNREADABLE and got.problem, hint
    xls = xls_file()
    half = read(xls[: len(xls) // 2], hint="xls")
    assert half.kind == "xls" and half.problem


def test_a_bundle_inside_a_bundle_is_listed_not_opened() -> None:
    inner = rar4([("x.xls", xls_file())])
    got = read(rar4([("inner.rar", inner)]))
    assert got.members == ["inner.rar"] and "[inner.rar] (archive)" in got.text
    assert "Tổng thu" not in got.text  # one level deep only, like ZIP
