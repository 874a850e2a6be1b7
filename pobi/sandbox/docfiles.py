"""Real document files for the simulated country (and for tests and benchmarks): PDF with a text
layer, image-only "scanned" PDF, DOCX, XLSX, ZIP bundles, and broken ones (encrypted, corrupt).

Written with fpdf2, Pillow, python-docx and openpyxl; the bytes are real files any reader opens.
Text PDFs use DejaVu Sans when the system has it (Vietnamese needs a Unicode font); otherwise a
core font with the diacritics dropped, as some provinces' files really are.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

from pobi.registry import ascii_name

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
)


def _font(name: str = "DejaVuSans.ttf") -> Path | None:
    for d in FONT_DIRS:
        p = d / name
        if p.exists():
            return p
    return None


def _latin(text: str) -> str:
    """Text a core PDF font can show: diacritics dropped, other characters as '?'."""
    return ascii_name(text).encode("latin-1", "replace").decode("latin-1")


def _pdf(unicode: bool = True):  # type: ignore[no-untyped-def]
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creator("pobi sandbox")
    pdf.set_creation_date(__import__("datetime").datetime(2026, 1, 1))  # reproducible bytes
    pdf.set_compression(True)
    font = _font() if unicode else None
    if font is not None:
        pdf.add_font("DejaVu", "", str(font))
        pdf.set_font("DejaVu", size=11)
        unicode_ok = True
    else:
        pdf.set_font("Helvetica", size=11)
        unicode_ok = False
    return pdf, unicode_ok


def pdf_text(pages: Sequence[Sequence[str]], *, unicode: bool = True) -> bytes:
    """A PDF with a text layer: one list of lines per page. ``unicode=False`` writes the text
    without diacritics in a core font (much faster: no font embedding), as some provinces'
    files read."""
    pdf, unicode_ok = _pdf(unicode)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 6, line if unicode_ok else _latin(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def pdf_scanned(pages: Sequence[Sequence[str]], *, cover_text: str = "") -> bytes:
    """A PDF whose pages are pictures of text (as a scanner makes): no text layer."""
    from PIL import Image, ImageDraw, ImageFont

    pdf, unicode_ok = _pdf(bool(cover_text))
    font_path = _font()
    for i, lines in enumerate(pages):
        img = Image.new("1", (620, 877), 1)  # bilevel, like a fax-mode office scanner
        draw = ImageDraw.Draw(img)
        font = ImageFont.truetype(str(font_path), 28) if font_path else ImageFont.load_default()
        y = 60
        for line in lines:
            draw.text((50, y), line if font_path else ascii_name(line), fill=0, font=font)
            y += 22
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        pdf.add_page()
        if i == 0 and cover_text:
            pdf.cell(0, 6, cover_text if unicode_ok else _latin(cover_text))
        pdf.image(io.BytesIO(buf.getvalue()), x=0, y=10, w=210)
    return bytes(pdf.output())


def pdf_encrypted(
    pages: Sequence[Sequence[str]], password: str = "mat-khau", *, unicode: bool = True
) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_text(pages, unicode=unicode))))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def corrupt_pdf() -> bytes:
    """The first kilobytes of a PDF cut off mid-download (as a broken server sends them)."""
    return pdf_text([["Quyết định công bố công khai"]])[:400]


def docx_file(paragraphs: Sequence[str], table: Sequence[Sequence[str]] = ()) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    document.core_properties.author = "pobi sandbox"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def xlsx_file(sheets: dict[str, Sequence[Sequence[object]]]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    first = True
    for name, rows in sheets.items():
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = name[:31]
        for row in rows:
            ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def zip_file(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.flag_bits |= 0x800  # UTF-8 name
            z.writestr(info, data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()
