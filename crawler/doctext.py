"""Reading a downloaded budget document: what kind of file it is, its text, and whether it is usable.

:func:`read` never raises on bad input: an encrypted, corrupt or unknown file comes back with
format ``unreadable`` and a ``problem`` saying why. The kind of file is taken from its first bytes
(magic numbers), not from the URL or the Content-Type a server claims; those only break ties
(an OLE2 container is a ``.doc`` or an ``.xls``). Memory is bounded: PDF pages are read one at a
time up to ``max_pages`` (and no further once ``max_chars`` of text are kept and 20 pages seen), spreadsheets in openpyxl's read-only mode, and the text kept is capped at
``max_chars`` (whatever the file's size, which the crawler's download limit caps).

Formats (:class:`pobi.models.DocFormat`): ``table`` for spreadsheets, ``text`` for PDF/DOC/DOCX
with a text layer, ``scanned`` for a PDF whose pages carry (almost) no text, ``archive`` for ZIP,
RAR and 7z bundles, whose members are read like any document (ZIP with :mod:`zipfile`, RAR and 7z
with libarchive through ``libarchive-c``). Legacy Office files: ``.xls`` with xlrd, ``.doc`` with
antiword (Debian package ``antiword``); when antiword is missing or refuses a file, the UTF-16
text runs are taken instead and ``problem`` says so.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from pobi.models import DocFormat

logging.getLogger("pypdf").setLevel(logging.ERROR)  # a broken file is reported as data

MAX_CHARS = 200_000
MAX_PAGES = 400
MAX_MEMBERS = 40
# a PDF page with fewer visible characters than this is counted as an image page
SCANNED_CHARS_PER_PAGE = 25

DOC_EXTENSIONS = {
    "pdf": "pdf",
    "doc": "doc",
    "docx": "docx",
    "xls": "xls",
    "xlsx": "xlsx",
    "xlsm": "xlsx",
    "ods": "ods",
    "odt": "odt",
    "csv": "csv",
    "zip": "zip",
    "rar": "rar",
    "7z": "7z",
}
DOC_MEDIA = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/zip": "zip",
    "application/x-zip-compressed": "zip",
    "application/x-rar-compressed": "rar",
    "application/vnd.rar": "rar",
    "text/csv": "csv",
}


@dataclass
class Extracted:
    kind: str  # pdf | docx | doc | xlsx | xls | ods | odt | csv | zip | rar | 7z | unknown
    format: DocFormat
    text: str = ""
    pages: int = 0  # PDF pages, DOCX paragraphs, spreadsheet sheets, ZIP members
    pages_read: int = 0
    problem: str = ""
    members: list[str] = field(default_factory=list)  # ZIP/RAR member names


def file_name(url: str) -> str:
    """The last path segment of a URL, percent-decoded ('' for a directory URL)."""
    return unquote(PurePosixPath(urlsplit(url).path).name)


def kind_from_name(url_or_name: str) -> str:
    name = file_name(url_or_name) if "/" in url_or_name else url_or_name
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return DOC_EXTENSIONS.get(ext, "")


def kind_from_media(content_type: str) -> str:
    return DOC_MEDIA.get(content_type.split(";", 1)[0].strip().lower(), "")


def sniff(data: bytes, hint: str = "") -> str:
    """The kind of file from its bytes (``hint``: the kind the URL or Content-Type suggests)."""
    head = data[:8]
    if data[:1024].lstrip().startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"Rar!\x1a\x07"):
        return "rar"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _ole_kind(data, hint)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return "zip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "mimetype" in names:
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as z:
                    mime = z.read("mimetype").decode("ascii", "replace")
            except (zipfile.BadZipFile, KeyError, OSError):
                mime = ""
            if "spreadsheet" in mime:
                return "ods"
            if "text" in mime:
                return "odt"
        return "zip"
    if b"%PDF-" in data[:1024]:  # a PDF behind some junk (after the containers: a bundle's
        return "pdf"  # first member may be a PDF)
    if hint == "csv":
        return "csv"
    return "unknown"


def read(
    data: bytes,
    *,
    hint: str = "",
    max_chars: int = MAX_CHARS,
    max_pages: int = MAX_PAGES,
    _depth: int = 0,
) -> Extracted:
    kind = sniff(data, hint)
    try:
        if kind == "pdf":
            return _pdf(data, max_chars, max_pages)
        if kind == "docx":
            return _docx(data, max_chars)
        if kind == "xlsx":
            return _xlsx(data, max_chars)
        if kind == "xls":
            return _xls(data, max_chars)
        if kind == "doc":
            return _doc(data, max_chars)
        if kind in ("ods", "odt"):
            return _odf(data, kind, max_chars)
        if kind == "csv":
            text = _decode(data)[:max_chars]
            return Extracted(kind, DocFormat.TABLE, text, pages=1, pages_read=1)
        if kind == "zip":
            return _zip(data, max_chars, max_pages, _depth)
        if kind in ("rar", "7z"):
            return _bundle(data, kind, max_chars, max_pages, _depth)
    except Exception as exc:  # a hostile or broken file must not stop the crawl
        return Extracted(kind, DocFormat.UNREADABLE, problem=f"{type(exc).__name__}: {exc}"[:300])
    return Extracted(kind, DocFormat.UNREADABLE, problem="not a document format pobi reads")


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "cp1258"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _pdf(data: bytes, max_chars: int, max_pages: int) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except (PdfReadError, ValueError, OSError) as exc:
        return Extracted("pdf", DocFormat.UNREADABLE, problem=f"corrupt PDF: {exc}"[:300])
    if reader.is_encrypted:
        try:
            ok = reader.decrypt("")  # many published PDFs only restrict printing/copying
        except Exception as exc:
            return Extracted("pdf", DocFormat.UNREADABLE, problem=f"encrypted PDF: {exc}"[:300])
        if not ok:
            return Extracted(
                "pdf", DocFormat.UNREADABLE, problem="encrypted PDF (needs a password)"
            )
    try:
        total = len(reader.pages)
    except Exception as exc:
        return Extracted("pdf", DocFormat.UNREADABLE, problem=f"corrupt PDF: {exc}"[:300])
    parts: list[str] = []
    kept = 0
    text_pages = 0
    read_n = 0
    failures = 0
    for i in range(min(total, max_pages)):
        if kept >= max_chars and read_n >= 20:
            break  # the text kept is full and enough pages were seen to tell text from scan
        try:
            page_text = reader.pages[i].extract_text() or ""
        except Exception:
            failures += 1
            page_text = ""
        read_n += 1
        visible = len(re.sub(r"\s+", "", page_text))
        if visible >= SCANNED_CHARS_PER_PAGE:
            text_pages += 1
        if kept < max_chars and page_text:
            piece = page_text[: max_chars - kept]
            parts.append(piece)
            kept += len(piece) + 1
    text = "\n".join(parts)
    problem = f"{failures} page(s) could not be read" if failures else ""
    if total and read_n and failures == read_n:
        return Extracted("pdf", DocFormat.UNREADABLE, "", total, read_n, "no page could be read")
    # scanned: fewer than a third of the pages read carry text (a text cover page on an image
    # body is still a scan)
    if read_n == 0 or text_pages * 3 < read_n:
        return Extracted("pdf", DocFormat.SCANNED, text, total, read_n, problem)
    return Extracted("pdf", DocFormat.TEXT, text, total, read_n, problem)


def _docx(data: bytes, max_chars: int) -> Extracted:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts: list[str] = []
    size = 0
    for p in document.paragraphs:
        if size >= max_chars:
            break
        parts.append(p.text)
        size += len(p.text) + 1
    for table in document.tables:
        for row in table.rows:
            if size >= max_chars:
                break
            line = "\t".join(c.text for c in row.cells)
            parts.append(line)
            size += len(line) + 1
    text = "\n".join(parts)[:max_chars]
    fmt = DocFormat.TEXT if text.strip() else DocFormat.SCANNED
    return Extracted("docx", fmt, text, len(document.paragraphs), len(document.paragraphs))


def _xlsx(data: bytes, max_chars: int) -> Extracted:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        parts: list[str] = []
        size = 0
        sheets = wb.sheetnames
        for name in sheets:
            parts.append(f"[{name}]")
            for row in wb[name].iter_rows(values_only=True):
                if size >= max_chars:
                    break
                cells = [str(v) for v in row if v is not None and str(v).strip()]
                if cells:
                    line = "\t".join(cells)
                    parts.append(line)
                    size += len(line) + 1
    finally:
        wb.close()
    return Extracted(
        "xlsx", DocFormat.TABLE, "\n".join(parts)[:max_chars], len(sheets), len(sheets)
    )


_UTF16_RUN = re.compile(rb"(?:[\x20-\x7e\xc0-\xff][\x00]|[\x00-\xff][\x1e\x01]){4,}")


def _ole(data: bytes, kind: str, max_chars: int) -> Extracted:
    """Legacy Word/Excel (OLE2) read roughly, when neither xlrd nor antiword could: the UTF-16
    text runs (enough for titles, dates and form numbers; the layout is lost)."""
    runs = []
    size = 0
    for m in _UTF16_RUN.finditer(data):
        try:
            s = m.group().decode("utf-16-le")
        except UnicodeDecodeError:
            continue
        runs.append(s)
        size += len(s)
        if size >= max_chars:
            break
    text = "\n".join(runs)[:max_chars]
    fmt = DocFormat.TABLE if kind == "xls" else DocFormat.TEXT
    problem = "" if text.strip() else "legacy Office file: no text found"
    if not text.strip() and kind == "doc":
        fmt = DocFormat.UNREADABLE
    return Extracted(kind, fmt, text, problem=problem)


_WORD_STREAM = "WordDocument".encode("utf-16-le")
_BOOK_STREAMS = ("Workbook".encode("utf-16-le"), "Book\x00".encode("utf-16-le"))


def _ole_kind(data: bytes, hint: str) -> str:
    """An OLE2 container is a .doc or an .xls: its directory names the stream ('WordDocument',
    'Workbook' / 'Book'); the URL's or server's hint only breaks a tie."""
    word = _WORD_STREAM in data
    book = any(name in data for name in _BOOK_STREAMS)
    if word and not book:
        return "doc"
    if book and not word:
        return "xls"
    return hint if hint in ("doc", "xls") else "doc"


def _xls(data: bytes, max_chars: int) -> Extracted:
    """Excel 97-2003 (BIFF) with xlrd; a file xlrd refuses is read roughly (UTF-16 runs)."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
    except Exception as exc:  # XLRDError, a damaged compound file, malformed UTF-16 names, ...
        if "encrypt" in str(exc).lower():
            return Extracted("xls", DocFormat.UNREADABLE, problem=f"encrypted XLS: {exc}"[:300])
        rough = _ole(data, "xls", max_chars)
        if not rough.text.strip():
            rough.format = DocFormat.UNREADABLE
        rough.problem = (
            f"xlrd could not read it ({type(exc).__name__}: {exc}); text taken from UTF-16 runs"
        )[:300]
        return rough
    try:
        parts: list[str] = []
        size = 0
        names = book.sheet_names()
        for i, name in enumerate(names):
            if size >= max_chars:
                break
            sheet = book.sheet_by_index(i)
            parts.append(f"[{name}]")
            for r in range(sheet.nrows):
                if size >= max_chars:
                    break
                cells = [_cell_text(v) for v in sheet.row_values(r)]
                cells = [c for c in cells if c]
                if cells:
                    line = "\t".join(cells)
                    parts.append(line)
                    size += len(line) + 1
            book.unload_sheet(i)
    finally:
        book.release_resources()
    return Extracted("xls", DocFormat.TABLE, "\n".join(parts)[:max_chars], len(names), len(names))


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


ANTIWORD_SECONDS = 60


def _doc(data: bytes, max_chars: int) -> Extracted:
    """Word 97-2003 with antiword (UTF-8 out); without it, or when it refuses, UTF-16 runs."""
    exe = shutil.which("antiword")
    why = "antiword not installed"
    if exe:
        with tempfile.NamedTemporaryFile(suffix=".doc") as tmp:
            tmp_name = tmp.name
            tmp.write(data)
            tmp.flush()
            try:
                done = subprocess.run(
                    [exe, "-m", "UTF-8.txt", "-w", "0", tmp.name],
                    capture_output=True,
                    timeout=ANTIWORD_SECONDS,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                done = None
                why = f"antiword gave up after {ANTIWORD_SECONDS} s"
        if done is not None:
            text = done.stdout.decode("utf-8", "replace")[:max_chars]
            err = done.stderr.decode("utf-8", "replace").strip().splitlines()
            if done.returncode == 0 and text.strip():
                return Extracted("doc", DocFormat.TEXT, text, 1, 1)
            if done.returncode < 0:
                why = f"antiword crashed (signal {-done.returncode})"
            else:
                why = "antiword: " + (err[0] if err else f"exit {done.returncode}, no text")
            why = why.replace(tmp_name, "the file")
            if "encrypt" in why.lower():
                return Extracted(
                    "doc", DocFormat.UNREADABLE, problem=f"encrypted DOC ({why})"[:300]
                )
    rough = _ole(data, "doc", max_chars)
    rough.problem = (f"{why}; text taken from UTF-16 runs" + (
        f" ({rough.problem})" if rough.problem else ""))[:300]  # fmt: skip
    return rough


def _bundle(data: bytes, kind: str, max_chars: int, max_pages: int, depth: int) -> Extracted:
    """RAR (4 and 5) and 7z bundles with libarchive: members read like any document."""
    try:
        import libarchive
        from libarchive.exception import ArchiveError
    except (ImportError, OSError) as exc:  # the library or the system libarchive is missing
        return Extracted(kind, DocFormat.ARCHIVE, problem=f"members not read: {exc}"[:300])
    names: list[str] = []
    parts: list[str] = []
    problems: list[str] = []
    size = 0
    cap = 4 * len(data) + 50_000_000  # more than this is a bomb
    try:
        with libarchive.memory_reader(data) as archive:
            for entry in archive:
                if not entry.isfile:
                    continue
                name = entry.pathname or "?"
                names.append(name)
                if depth >= 1 or size >= max_chars or len(parts) >= MAX_MEMBERS:
                    continue  # still listed; libarchive skips the member's data
                if entry.size is not None and entry.size > cap:
                    problems.append(f"{name}: skipped (expands to {entry.size} bytes)")
                    continue
                buf = bytearray()
                try:
                    for block in entry.get_blocks():
                        buf += block
                        if len(buf) > cap:
                            raise ValueError(f"expands beyond {cap} bytes")
                except (ArchiveError, ValueError) as exc:
                    problems.append(f"{name}: {_archive_error(exc)}"[:120])  # encrypted, bad data
                    continue
                got = read(bytes(buf), hint=kind_from_name(name), max_chars=max_chars - size,
                           max_pages=max_pages, _depth=depth + 1)  # fmt: skip
                parts.append(f"[{name}] ({got.format.value})\n{got.text}")
                size += len(got.text) + len(name) + 4
    except ArchiveError as exc:
        if not names:
            return Extracted(
                kind, DocFormat.UNREADABLE, problem=f"corrupt {kind.upper()}: {_archive_error(exc)}"[:300]
            )  # fmt: skip
        problems.append(f"stopped after {len(names)} member(s): {_archive_error(exc)}")
    if not names:
        return Extracted(kind, DocFormat.UNREADABLE, problem=f"{kind.upper()}: no member found "
                         "(empty, truncated or damaged)")  # fmt: skip
    return Extracted(
        kind,
        DocFormat.ARCHIVE,
        "\n".join(parts)[:max_chars],
        len(names),
        len(parts),
        "; ".join(problems)[:300],
        names,
    )


def _archive_error(exc: Exception) -> str:
    msg = getattr(exc, "msg", None) or str(exc)
    if not msg or msg.startswith("None"):
        return "truncated or damaged archive"
    return str(msg).split(" (errno=")[0]


def _odf(data: bytes, kind: str, max_chars: int) -> Extracted:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("content.xml").decode("utf-8", "replace")
    text = re.sub(r"<[^>]+>", " ", xml)
    text = re.sub(r"[ \t]+", " ", text)[:max_chars]
    return Extracted(kind, DocFormat.TABLE if kind == "ods" else DocFormat.TEXT, text, 1, 1)


def _zip(data: bytes, max_chars: int, max_pages: int, depth: int) -> Extracted:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        return Extracted("zip", DocFormat.UNREADABLE, problem=f"corrupt ZIP: {exc}"[:300])
    with z:
        infos = [i for i in z.infolist() if not i.is_dir()]
        names = [_member_name(i) for i in infos]
        parts: list[str] = []
        size = 0
        problems = []
        for info, name in list(zip(infos, names, strict=True))[:MAX_MEMBERS]:
            if depth >= 1 or size >= max_chars:
                break
            if info.file_size > 4 * len(data) + 50_000_000:  # a zip bomb
                problems.append(f"{name}: skipped (expands to {info.file_size} bytes)")
                continue
            try:
                inner = z.read(info)
            except (RuntimeError, zipfile.BadZipFile, OSError, NotImplementedError) as exc:
                problems.append(f"{name}: {exc}"[:120])  # encrypted member, bad CRC, ...
                continue
            got = read(
                inner,
                hint=kind_from_name(name),
                max_chars=max_chars - size,
                max_pages=max_pages,
                _depth=depth + 1,
            )
            parts.append(f"[{name}] ({got.format.value})\n{got.text}")
            size += len(got.text) + len(name) + 4
    return Extracted(
        "zip",
        DocFormat.ARCHIVE,
        "\n".join(parts)[:max_chars],
        len(infos),
        len(parts),
        "; ".join(problems)[:300],
        names,
    )


def _member_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & 0x800:  # not flagged UTF-8: Windows zippers use cp437 or cp1258
        try:
            name = name.encode("cp437").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name
