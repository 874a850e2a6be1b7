"""File writers: CSV, a Frictionless data package, the codebook and an XLSX workbook.

Everything is deterministic: rows arrive sorted, numbers have fixed decimals, timestamps are the
stored ones (UTC, ``YYYY-MM-DDTHH:MM:SSZ``), JSON keys keep their declared order, and the XLSX
file's zip entries and document properties carry a fixed date.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import zipfile
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from scoring.columns import Column, Table

Row = dict[str, Any]
FIXED_ZIP_DATE = (2000, 1, 1, 0, 0, 0)
FIXED_DOC_DATE = "2000-01-01T00:00:00Z"


def write_file(path: Path, data: bytes) -> None:
    """Write to a temporary name in the same folder, then rename: a file is whole or untouched."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def cell_text(column: Column, value: Any) -> str:
    """The CSV text of one value (empty for missing)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if column.type == "integer" and isinstance(value, float):
        return str(round(value))
    if column.type == "number" and isinstance(value, int):
        return str(value)
    if column.type == "number" and isinstance(value, float):
        if column.decimals is not None:
            return f"{float(value):.{column.decimals}f}"
        return repr(float(value))
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return str(value)


def write_csv(path: Path, table: Table, rows: Sequence[Row], *, bom: bool = False) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(table.header)
    for row in rows:
        writer.writerow([cell_text(c, row.get(c.name)) for c in table.columns])
    data = buf.getvalue().encode("utf-8")
    write_file(path, (b"\xef\xbb\xbf" if bom else b"") + data)


# --------------------------------------------------------------------------- data package


def table_schema(table: Table) -> dict[str, Any]:
    fields = []
    for c in table.columns:
        f: dict[str, Any] = {
            "name": c.name,
            "type": c.type,
            "title": c.vi,
            "description": c.en,
        }
        if c.type == "datetime":
            f["format"] = "%Y-%m-%dT%H:%M:%SZ"
        if c.enum:
            f["constraints"] = {"enum": list(c.enum)}
        fields.append(f)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    return schema


def datapackage(
    tables: Sequence[Table], meta: dict[str, Any], *, bom: bool = False
) -> dict[str, Any]:
    resources = []
    for t in tables:
        resources.append(
            {
                "name": t.name,
                "path": t.filename,
                "profile": "tabular-data-resource",
                "title": f"{t.title_en} — {t.title_vi}",
                "description": t.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig" if bom else "utf-8",
                "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
                "schema": table_schema(t),
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": meta["package_name"],
        "title": meta["title"],
        "description": meta["description"],
        "version": meta["tool_version"],
        "keywords": ["POBI", "Vietnam", "budget transparency", "access to information"],
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0",
            }
        ],
        "sources": [{"title": "pobi", "path": "https://github.com/pobi-vn/pobi"}],
        "pobi": {
            k: v for k, v in meta.items() if k not in {"package_name", "title", "description"}
        },
        "resources": resources,
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    write_file(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def codebook(tables: Sequence[Table], meta: dict[str, Any], extra: str = "") -> str:
    lines = [
        f"# CODEBOOK — {meta['title']}",
        "",
        f"- Round / Đợt: `{meta['round']}` (era / thời kỳ: `{meta['era']}`)",
        f"- Rubric / Bộ tiêu chí: `{meta['rubric']}` version `{meta['rubric_version']}` "
        f"(sha256 `{meta['rubric_sha256']}`)",
        f"- Tool / Công cụ: pobi {meta['tool_version']}",
        "",
        "CSV files are UTF-8 with a header row (with a BOM when exported with `--excel`); empty "
        "cells are missing values. Times are UTC (`YYYY-MM-DDTHH:MM:SSZ`); working days follow "
        "the Vietnamese calendar (Monday–Friday minus public holidays, Tết included).",
        "",
        "Tệp CSV mã hóa UTF-8, dòng đầu là tên cột; ô trống là thiếu giá trị. Thời gian theo UTC; "
        "ngày làm việc theo lịch Việt Nam.",
        "",
    ]
    for t in tables:
        lines += [
            f"## `{t.filename}` — {t.title_en} / {t.title_vi}",
            "",
            t.description,
            "",
        ]
        if t.sort_note:
            lines += [f"Rows sorted by: {t.sort_note}.", ""]
        lines += [
            "| column | type | description | mô tả | values |",
            "|---|---|---|---|---|",
        ]
        for c in t.columns:
            values = ", ".join(f"`{v}`" for v in c.enum)
            lines.append(f"| `{c.name}` | {c.type} | {_md(c.en)} | {_md(c.vi)} | {values} |")
        lines.append("")
    if extra:
        lines += [extra.rstrip(), ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------- XLSX

_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def _xlsx_value(column: Column, value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if column.type in {"integer", "number"} and isinstance(value, (int, float)):
        if column.type == "number" and column.decimals is not None:
            return round(float(value), column.decimals)
        return value
    return _ILLEGAL.sub("", cell_text(column, value))


def write_xlsx(
    path: Path,
    tables: Sequence[tuple[Table, Sequence[Row]]],
    readme: list[tuple[str, str]],
) -> None:
    """One sheet per table plus a README sheet first; byte-identical for identical input."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "README"
    for key, value in readme:
        ws.append([_ILLEGAL.sub("", key), _ILLEGAL.sub("", value)])
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 100
    bold = Font(bold=True)
    for table, rows in tables:
        sheet = wb.create_sheet(table.name[:31])
        sheet.append(table.header)
        for cell in sheet[1]:
            cell.font = bold
        for r, row in enumerate(rows, start=2):
            for col, c in enumerate(table.columns, start=1):
                value = _xlsx_value(c, row.get(c.name))
                cell = sheet.cell(row=r, column=col, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{max(1, len(rows) + 1)}"
        for col, c in enumerate(table.columns, start=1):
            wide = c.name.startswith(("explanation", "evidence", "url", "site_url", "found_on"))
            sheet.column_dimensions[get_column_letter(col)].width = (
                60 if wide else max(10, min(40, len(c.name) + 4))
            )
    wb.properties.creator = "pobi"
    wb.properties.lastModifiedBy = "pobi"
    buf = io.BytesIO()
    wb.save(buf)
    write_file(path, _normalise_zip(buf.getvalue()))


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry dates and fixed document dates (determinism)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    lambda m: m.group(1) + FIXED_DOC_DATE + m.group(3),
                    text,
                )
                content = text.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, content)
    return out.getvalue()
