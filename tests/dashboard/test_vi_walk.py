"""Every dashboard view in Vietnamese (AppTest on the seeded store): what a reader sees — texts,
labels, table headers (as the column configuration names them) and table cells — holds no raw
id (``contact_email``, ``region_label``, ``not_sent``…) and no English label of the dashboard.

Walked: every view — overview, province, replies, trends, data, and review (its three tabs and
its blind-coding mode). Left out, on purpose: the contents of the export files on the Data view
(the preview tables and the list of each file's columns: the published contract of DESIGN.md §6,
explained in CODEBOOK.md, stays under its own names); raw e-mails and the codebook shown verbatim
(``st.code``/``st.text``); values that are data rather than words (URLs, e-mail addresses,
hashes, file names).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from dashboard.i18n import TEXT
from dashboard.labels import COLUMNS, rubric_labels
from pobi.models import Channel, DeadlineStatus, FetchStatus, ReplyKind, RequestState
from tests.dashboard.seed import Seeded
from tests.dashboard.test_pages import app, go, ok
from tests.dashboard.test_survey_pages import _seed as seed_disagreement

RAW_ID = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
NOT_WORDS = re.compile(
    r"(https?://\S+|[\w.+-]+@[\w.-]+|\b[0-9a-f]{12,64}\b|\S+\.(csv|json|md|xlsx|wacz|png)\b)"
)
# Whole cell values that are ids of a closed vocabulary (single words included: 'portal', 'ok').
IDS = (
    {c.value for c in Channel}
    | {d.value for d in DeadlineStatus}
    | {f.value for f in FetchStatus}
    | {k.value for k in ReplyKind}
    | {s.value for s in RequestState}
    | {"portal", "finance"}
    | set(rubric_labels()[0])
    | set(rubric_labels()[1])
)


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _visible_html(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(parser.parts)


class _Cells(HTMLParser):
    """An HTML table text copy (dashboard/readable.py) as ("header"|"cell"|"body", text)."""

    def __init__(self) -> None:
        super().__init__()
        self.out: list[tuple[str, str]] = []
        self.kind = "body"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("th", "td", "caption"):
            self.kind = {"th": "header", "td": "cell", "caption": "body"}[tag]
            self.out.append((self.kind, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td", "caption"):
            self.kind = "body"

    def handle_data(self, data: str) -> None:
        if self.out and self.kind != "body":
            self.out[-1] = (self.out[-1][0], self.out[-1][1] + data)
        elif data.strip():
            self.out.append(("body", data))


def seen(node, view: str, out: list[tuple[str, str]]) -> None:  # type: ignore[no-untyped-def]
    name = type(node).__name__
    if name in ("Code", "Text"):  # a raw e-mail, shown verbatim
        return
    if name == "Html" and "<table" in (getattr(node, "value", "") or ""):
        if view == "data":  # a preview's text copy: an export file's contents, as left out above
            return
        cells = _Cells()
        cells.feed(node.value)  # a table's text copy: headers and cells, as a Dataframe's are
        out += cells.out
        return
    if name == "Dataframe":
        if view != "data":
            df = node.value
            config = json.loads(getattr(node.proto, "columns", "") or "{}")
            for col in df.columns:
                label = (config.get(f"name:{col}") or config.get(str(col)) or {}).get("label")
                out.append(("header", str(label or col)))
            if df.index.name:
                out.append(("header", str(df.index.name)))
            for value in df.astype(str).to_numpy().ravel():
                out.append(("cell", value))
    else:
        # a choice widget's `value` is the Python value behind the choice (an id such as
        # 'confirmed'); what the reader sees is its `options`, already through format_func
        choice = name in ("Radio", "Selectbox", "Multiselect", "SelectSlider")
        for attr in (
            "label",
            "body",
            "help",
            "placeholder",
            "options",
            *(() if choice else ("value",)),
        ):
            try:
                value = getattr(node, attr, None)
            except Exception:  # an element without that field
                value = None
            if isinstance(value, str) and value:
                markup = name == "Html" or value.lstrip().startswith("<")
                out.append((attr, _visible_html(value) if markup else value))
            elif isinstance(value, list | tuple):
                out += [(attr, str(v)) for v in value]
    kids = getattr(node, "children", None) or {}
    for child in kids.values() if isinstance(kids, dict) else kids:
        seen(child, view, out)


def _export_columns() -> set[str]:
    """The column names of the export files (the data view lists them as file contents)."""
    from dashboard import queries

    src = queries.source()
    version = queries.data_version(src)
    names: set[str] = set()
    for round_id in queries.rounds(src.database_url, version)["id"]:
        for table in queries.EXPORT_TABLES:
            names |= set(queries.export_table(src.database_url, version, round_id, table).columns)
    return names


def english_labels() -> set[str]:
    """The dashboard's English labels that its Vietnamese labels never use ("e-mail" is used in
    both)."""
    labels = list(TEXT.values()) + [v for table in COLUMNS.values() for v in table.values()]
    vietnamese = " ".join(e["vi"] for e in labels)
    return {e["en"] for e in labels if len(e["en"]) > 3 and e["en"] not in vietnamese}


def test_every_view_in_vietnamese_has_no_raw_id_and_no_english(seeded: Seeded) -> None:
    english = english_labels()
    seed_disagreement(seeded)  # two coders disagree (the review view's adjudication table)
    coder = "lan"  # a registered coder, for the blind-coding mode
    at = app("vi")
    ok(at)
    problems: list[str] = []
    contract = _export_columns()
    for view in ["overview", "province", "replies", "trends", "data", "review", "blind"]:
        if view == "blind":  # the review view's blind-coding mode, as a registered coder
            at.text_input(key="coder").set_value(coder).run()
            at.toggle(key="blind_mode").set_value(True).run()
            ok(at)
            assert not at.error, [e.value for e in at.error]
        elif view != "overview":
            at = go(at, view)
            ok(at)
        # canvas tables and charts come with HTML table text (dashboard/readable.py; the browser
        # test, tests/dashboard/test_browser.py, checks each one is paired with its own)
        tables = [h.value for h in at.get("html") if "<table" in h.value]
        assert view == "blind" or (at.dataframe and tables), view  # blind coding: no table
        assert all("<th" in t and "<td>" in t for t in tables), view
        out: list[tuple[str, str]] = []
        seen(at._tree, view, out)
        assert len(out) > 10, view
        for kind, text in out:
            words = NOT_WORDS.sub(" ", text)
            if view == "data" and kind in ("value", "body") and text.count(",") >= 2:
                # "12 rows; columns: round_id, province_code, …": the export file's contract
                words = " ".join(w for w in re.split(r"[\s,;:]+", words) if w not in contract)
            ids = RAW_ID.findall(words)
            if ids:
                problems.append(f"{view}: raw id {ids} in {kind} {text[:80]!r}")
            if kind in ("header", "cell") and text.strip() in IDS:
                problems.append(f"{view}: raw id {text!r} in a table {kind}")
            if kind == "cell":  # a cell may hold free text someone wrote (a dispute's claim)
                found = [text.strip()] if text.strip() in english else []
            else:
                found = [e for e in english if re.search(rf"(?<!\w){re.escape(e)}(?!\w)", text)]
            if found:
                problems.append(f"{view}: English {found} in {kind} {text[:80]!r}")
    assert not problems, "\n".join(sorted(set(problems)))


@pytest.mark.parametrize("raw", ["contact_email", "region_label"])
def test_the_check_sees_raw_ids(raw: str) -> None:
    out: list[tuple[str, str]] = []
    assert RAW_ID.findall(NOT_WORDS.sub(" ", f"Tiêu chí {raw}")) == [raw]
    assert not out


def test_codes_and_dispute_changes_read_in_vietnamese() -> None:
    from types import SimpleNamespace

    from dashboard.i18n import t
    from dashboard.labels import coder_codes, dispute_change

    assert coder_codes("lan: substantive, minh: refusal", "vi") == "lan: thực chất, minh: từ chối"
    vi = SimpleNamespace(lang="vi", t=lambda key, **fmt: t(key, "vi", **fmt))
    change = "score override 01/contact_email: c -> a (applied by the next pobi score)"
    assert dispute_change(change, vi).startswith("điều chỉnh điểm 01/contact_email: c → a")
    assert dispute_change("finding #7 marked rejected (no longer counts)", vi).startswith(
        "phát hiện số 7"
    )
    assert dispute_change("none", vi) == "none"  # another shape: shown as it is
