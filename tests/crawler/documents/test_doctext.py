"""Reading real files written by real libraries (fpdf2, Pillow, python-docx, openpyxl, pypdf):
text, scanned images, tables, bundles, and broken files that must come back as data."""

from __future__ import annotations

import zipfile

from crawler.doctext import kind_from_media, kind_from_name, read, sniff
from pobi.models import DocFormat
from pobi.sandbox import docfiles

PAGE = [
    "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN",
    "Nghệ An, ngày 20 tháng 12 năm 2024",
    "Về việc công bố công khai dự toán ngân sách năm 2025",
    "Biểu số 46/CK-NSNN CÂN ĐỐI NGÂN SÁCH ĐỊA PHƯƠNG NĂM 2025",
]


def test_pdf_with_text_layer() -> None:
    got = read(docfiles.pdf_text([PAGE, PAGE]))
    assert (got.kind, got.format, got.pages) == ("pdf", DocFormat.TEXT, 2)
    assert "46/CK-NSNN" in got.text


def test_image_only_pdf_is_scanned_even_with_a_text_cover_line() -> None:
    got = read(docfiles.pdf_scanned([PAGE, PAGE, PAGE], cover_text="Bản chụp"))
    assert got.format == DocFormat.SCANNED and got.pages == 3


def test_encrypted_and_corrupt_pdfs_are_unreadable_not_errors() -> None:
    enc = read(docfiles.pdf_encrypted([PAGE]))
    assert enc.format == DocFormat.UNREADABLE and "encrypted" in enc.problem
    bad = read(docfiles.corrupt_pdf())
    assert bad.format == DocFormat.UNREADABLE and bad.problem


def test_docx_xlsx_and_zip() -> None:
    d = read(docfiles.docx_file(PAGE, [["Nội dung", "Dự toán"], ["Tổng thu", "12.345"]]))
    assert d.kind == "docx" and d.format == DocFormat.TEXT and "Tổng thu\t12.345" in d.text
    x = read(docfiles.xlsx_file({"46-CK-NSNN": [["Biểu số 46/CK-NSNN"], ["Tổng thu", 12345]]}))
    assert x.kind == "xlsx" and x.format == DocFormat.TABLE and "12345" in x.text
    z = read(docfiles.zip_file({"Biểu 46.pdf": docfiles.pdf_text([PAGE]), "readme.txt": b"x"}))
    assert z.format == DocFormat.ARCHIVE and z.members == ["Biểu 46.pdf", "readme.txt"]
    assert "46/CK-NSNN" in z.text


def test_kind_comes_from_bytes_not_from_the_name(tmp_path) -> None:
    pdf = docfiles.pdf_text([PAGE])
    assert sniff(pdf, hint="xlsx") == "pdf"
    assert read(b"<html><body>Not found</body></html>", hint="pdf").format == DocFormat.UNREADABLE
    garbage_rar = read(b"Rar!\x1a\x07\x01\x00rest")  # a RAR 5 marker and nothing more
    assert garbage_rar.kind == "rar" and garbage_rar.format == DocFormat.UNREADABLE
    assert kind_from_name("https://x.gov.vn/files/D%E1%BB%B1%20to%C3%A1n.XLSX?v=2") == "xlsx"
    assert kind_from_media("application/pdf; charset=binary") == "pdf"


def test_zip_member_that_is_encrypted_or_truncated_is_reported() -> None:
    data = docfiles.zip_file({"a.pdf": docfiles.pdf_text([PAGE])})
    truncated = data[: len(data) // 2]
    got = read(truncated)
    assert got.format in (DocFormat.UNREADABLE, DocFormat.ARCHIVE)
    assert zipfile.is_zipfile  # the reader never raised


def test_text_is_capped() -> None:
    got = read(docfiles.pdf_text([PAGE] * 5), max_chars=100)
    assert len(got.text) <= 100 and got.format == DocFormat.TEXT
