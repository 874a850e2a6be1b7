"""Coding in-process: single codings, history, CSV import validation, export round trip."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select

from pobi.errors import CsvRowError, InputError, NotFoundError
from pobi.models import Coding
from pobi.store.tables import Message, MessageCoding
from probes.coding import (
    code_message,
    coder_name,
    export_codings,
    history,
    import_codings,
    latest_coding,
    parse_coding,
)
from probes.ingest import ingest_message
from probes.lookup import find_message
from tests.probes.mail.conftest import MailWorld


@pytest.fixture
def stored(world: MailWorld, corpus: list) -> list[int]:
    with world.store.session() as s:
        humans = [x for x in corpus if x.kind == "human"][:4]
        return [
            ingest_message(
                s, world.evidence, "2026", x.raw, source=x.name, settings=world.config
            ).message_pk
            for x in humans
        ]


def write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_coder_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POBI_CODER", "lan")
    assert coder_name(None) == "lan" and coder_name(" binh ") == "binh"
    monkeypatch.delenv("POBI_CODER")
    assert coder_name(None)


def test_history_is_append_only_latest_wins(world: MailWorld, stored: list[int]) -> None:
    with world.store.session() as s:
        m = s.get(Message, stored[0])
        code_message(s, m, Coding.ACKNOWLEDGMENT, note="nhận", coder="a")
        code_message(s, m, parse_coding(" Substantive "), coder="b")
        assert [c.coding for c in history(s, m.id)] == ["acknowledgment", "substantive"]
        assert latest_coding(s, m.id).coder == "b"
    with pytest.raises(InputError, match="not a coding"):
        parse_coding("good")


def test_find_message_by_number_or_message_id(world: MailWorld, stored: list[int]) -> None:
    with world.store.session() as s:
        m = s.get(Message, stored[1])
        assert find_message(s, str(m.id)).id == m.id
        assert find_message(s, m.message_id).id == m.id
        assert find_message(s, m.message_id.strip("<>")).id == m.id
        with pytest.raises(NotFoundError):
            find_message(s, "<none@x>")
        with pytest.raises(NotFoundError):
            find_message(s, str(m.id), round_id="other")


def test_csv_import_all_or_nothing_with_line_numbers(
    world: MailWorld, stored: list[int], tmp_path: Path
) -> None:
    with world.store.session() as s:
        mids = [s.get(Message, pk).message_id for pk in stored]
    bad = write(
        tmp_path / "bad.csv",
        [
            ["message_id", "coding", "note", "coder"],
            [mids[0], "substantive", "ok", ""],
            [mids[1], "maybe", "", ""],
            ["<missing@x>", "partial", "", ""],
            [mids[0], "refusal", "", ""],
            [mids[2], "", "not coded yet", ""],
            [mids[3], "other", "", "", "extra"],
        ],
    )
    with world.store.session() as s, pytest.raises(CsvRowError) as err:
        import_codings(s, bad, coder="t")
    lines = [line for line, _ in err.value.problems]
    assert lines == [3, 4, 5, 7]
    assert (
        "maybe" in str(err.value) and "missing@x" in str(err.value) and "line 2" in str(err.value)
    )
    with world.store.session() as s:
        assert list(s.scalars(select(MessageCoding))) == []
    with world.store.session() as s, pytest.raises(CsvRowError, match="missing column"):
        import_codings(s, write(tmp_path / "h.csv", [["id", "code"], ["1", "other"]]), coder="t")
    with world.store.session() as s, pytest.raises(InputError, match="not UTF-8"):
        (tmp_path / "latin.csv").write_bytes(
            "message_id,coding,note\n1,other,ghi chú\n".encode("utf-16")
        )
        import_codings(s, tmp_path / "latin.csv", coder="t")


def test_csv_export_import_round_trip(world: MailWorld, stored: list[int], tmp_path: Path) -> None:
    out = tmp_path / "codes.csv"
    with world.store.session() as s:
        assert export_codings(s, "2026", out) == 4
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    rows[0]["coding"], rows[0]["note"] = "partial", "một phần"
    rows[2]["coding"], rows[2]["coder"] = "referral", "binh"
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    with world.store.session() as s:
        rep = import_codings(s, out, round_id="2026", coder="lan")
    assert (rep.coded, rep.unchanged, rep.blank) == (2, 0, 2)
    with world.store.session() as s:
        rep = import_codings(s, out, round_id="2026", coder="lan")
        assert (rep.coded, rep.unchanged) == (0, 2)
        export_codings(s, "2026", out)
    again = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["coding"], r["coder"]) for r in again] == [
        ("partial", "lan"),
        ("", ""),
        ("referral", "binh"),
        ("", ""),
    ]
    assert again[0]["note"] == "một phần"


def test_nul_bytes_in_a_csv_are_dropped_not_stored(
    world: MailWorld, stored: list[int], tmp_path: Path
) -> None:
    f = tmp_path / "nul.csv"
    f.write_bytes(b"message_id,coding,note\n%d,other,a\x00b\n" % stored[0])
    with world.store.session() as s:
        assert import_codings(s, f, coder="t").coded == 1
        assert latest_coding(s, stored[0]).note == "ab"


def test_long_names_fit_the_columns(any_world: MailWorld, corpus: list) -> None:
    """PostgreSQL enforces VARCHAR lengths (SQLite does not): coder names are cut to fit."""
    from probes.holding import assign

    with any_world.store.session() as s:
        pk = ingest_message(
            s, any_world.evidence, "2026", corpus[-1].raw, source="x", settings=any_world.config
        ).message_pk
        m = s.get(Message, pk)
        code_message(s, m, Coding.OTHER, note="n" * 5000, coder="Nguyễn " * 60)
        assign(s, m, None, reason="r" * 5000, coder="Trần " * 60)
    with any_world.store.session() as s:
        assert len(latest_coding(s, pk).coder) == 128
