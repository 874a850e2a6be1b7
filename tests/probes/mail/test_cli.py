"""The real `pobi probe` commands: import, holding, assign, code, show.

Imports and `show` run the console script in a subprocess (`run_pobi`); the longer flows call
the same entry point, `pobi.cli.main`, in-process (`invoke`), because starting Python for each of
a dozen commands costs minutes on a loaded 2-core machine.
"""

from __future__ import annotations

import csv
import mailbox
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from pobi.config import load_config
from pobi.store import Store
from pobi.store.tables import Message, MessageAssignment, MessageCoding, ProbeRequest
from tests.conftest import run_pobi
from tests.probes.mail.conftest import add_requests, load_corpus_module

mc = load_corpus_module()


@pytest.fixture
def cli_home(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("POBI_TOKEN_SECRET", mc.SECRET)
    monkeypatch.setenv("POBI_CODER", "tester")
    store = Store.open(load_config())
    with store.session() as s:
        add_requests(s, mc)
    store.close()
    return home


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def invoke(capsys: pytest.CaptureFixture[str], *args: str) -> Result:
    """Run `pobi ARGS` in-process through the CLI's own entry point (errors -> exit codes)."""
    from pobi.cli import main
    from pobi.commands.common import console, err_console

    console.width = err_console.width = 200
    capsys.readouterr()
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return Result(code, out.out, out.err)


def db() -> Store:
    return Store.open(load_config())


def pick(corpus: list, names: list[str]) -> list:
    return [next(s for s in corpus if s.name == n) for n in names]


def test_import_eml_mbox_maildir_then_duplicates(
    cli_home: Path, tmp_path: Path, corpus: list
) -> None:
    emls = tmp_path / "export"
    emls.mkdir()
    first = corpus[:25]  # more than 20 in one folder: the summary has one row for the folder
    for i, s in enumerate(first):
        (emls / f"{i:03d}.eml").write_bytes(s.raw)
    box = mailbox.mbox(tmp_path / "inbox.mbox")
    for s in corpus[25:45]:
        box.add(s.raw)
    box.flush()
    box.close()
    md = mailbox.Maildir(tmp_path / "Maildir")
    for s in corpus[45:55]:
        md.add(s.raw)
    md.close()

    r = run_pobi(
        "probe",
        "import",
        "--round",
        "2026",
        str(emls),
        str(tmp_path / "inbox.mbox"),
        str(tmp_path / "Maildir"),
    )
    assert r.returncode == 0, r.stderr
    assert "Stored 55 new messages, 0 duplicates" in r.stdout
    assert "inbox.mbox" in r.stdout and "maildir" in r.stdout
    assert "(25 .eml files)" in r.stdout and "000.eml" not in r.stdout

    store = db()
    with store.session() as s:
        rows = list(s.scalars(select(Message)))
        assert len(rows) == 55
        by_source = {m.source: m for m in rows}
        assert f"{tmp_path / 'inbox.mbox'}#1" in by_source
        eml = by_source[str(emls / "000.eml")]
        assert eml.raw_sha256 == __import__("hashlib").sha256(first[0].raw).hexdigest()
        assert any(src.startswith(str(tmp_path / "Maildir")) for src in by_source)
    store.close()

    # again, plus the same messages as single files: nothing new is stored
    again = tmp_path / "again"
    again.mkdir()
    for i, s in enumerate(corpus[25:30]):
        (again / f"{i}.eml").write_bytes(s.raw)
    r = run_pobi(
        "probe", "import", "--round", "2026", str(emls), str(tmp_path / "inbox.mbox"), str(again)
    )
    assert r.returncode == 0, r.stderr
    assert "Stored 0 new messages, 50 duplicates" in r.stdout
    assert f"{again / '0.eml'}" in r.stdout  # few files: one row each


def test_import_missing_path_is_a_clear_error(
    cli_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    r = invoke(capsys, "probe", "import", "--round", "2026", str(tmp_path / "missing.mbox"))
    assert r.returncode == 2 and "Not found" in r.stderr and "missing.mbox" in r.stderr
    r = invoke(capsys, "probe", "import", "--round", "1999", str(tmp_path))
    assert r.returncode == 3 and "No round '1999'" in r.stderr


def test_holding_assign_code_show(
    cli_home: Path, tmp_path: Path, corpus: list, capsys: pytest.CaptureFixture[str]
) -> None:
    unmatched = (
        "From: =?utf-8?B?VsSDbiB0aMawIFPhu58gVMOgaSBjaMOtbmg=?= <vanthu@stc.danang.gov.vn>\n"
        "To: pobi@pobi-research.example.org\nSubject: =?utf-8?B?VuG7gSDEkeG7gSBuZ2jhu4sgY3VuZyBj4bqlcCB0aMO0bmcgdGluIGThu7EgdG/DoW4gbmfDom4gc8OhY2g=?=\n"
        "Date: Tue, 10 Nov 2026 09:00:00 +0700\nMessage-ID: <hold-1@stc.danang.gov.vn>\n"
        "Content-Type: text/html; charset=utf-8\n\n<p>Kính gửi Ông,</p><script>alert(1)</script><p>Sở gửi kèm dự toán.</p>\n"
    ).encode()
    (tmp_path / "u.eml").write_bytes(unmatched)
    bounce = pick(corpus, ["qmail-perm-0"])[0]
    (tmp_path / "b.eml").write_bytes(bounce.raw)
    r = invoke(
        capsys,
        "probe",
        "import",
        "--round",
        "2026",
        str(tmp_path / "u.eml"),
        str(tmp_path / "b.eml"),
    )
    assert r.returncode == 0, r.stderr
    assert "unmatched 1" in r.stdout and "holding pen" in r.stdout

    r = invoke(capsys, "probe", "holding", "--round", "2026")
    assert r.returncode == 0, r.stderr
    assert "vanthu@stc.danang.gov.vn" in r.stdout
    assert "2026-4" in r.stdout and "same provincial domain danang.gov.vn" in r.stdout

    store = db()
    with store.session() as s:
        pk = s.scalar(select(Message.id).where(Message.message_id == "<hold-1@stc.danang.gov.vn>"))
    store.close()

    r = invoke(capsys, "probe", "assign", str(pk), "2026-4", "--reason", "Văn thư Sở forwarded it")
    assert r.returncode == 0, r.stderr
    assert "→ 2026-4 (by tester)" in r.stdout
    r = invoke(
        capsys,
        "probe",
        "code",
        "hold-1@stc.danang.gov.vn",
        "--as",
        "acknowledgment",
        "--note",
        "first",
    )
    assert r.returncode == 0, r.stderr
    r = invoke(capsys, "probe", "code", str(pk), "--as", "Substantive", "--coder", "lan")
    assert r.returncode == 0, r.stderr
    r = invoke(capsys, "probe", "code", str(pk), "--as", "great")
    assert r.returncode == 2 and "not a coding" in r.stderr

    r = run_pobi("probe", "show", str(pk), "--headers")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "Kind: human" in out and "Match: manual → 2026-4" in out
    assert "acknowledgment by tester first" in out and "substantive by lan" in out
    assert "Kính gửi Ông," in out and "<script>" not in out and "alert" not in out
    assert "Văn thư Sở forwarded it" in out
    assert (
        "Headers (from the raw message)" in out and "Content-Type: text/html; charset=utf-8" in out
    )
    assert "Flags: html_only" in out

    store = db()
    with store.session() as s:
        m = s.get(Message, pk)
        assert (m.request_id, m.match_method) == ("2026-4", "manual")
        a = s.scalars(select(MessageAssignment)).one()
        assert (a.request_id, a.coder) == ("2026-4", "tester")
        assert [c.coding for c in s.scalars(select(MessageCoding).order_by(MessageCoding.id))] == [
            "acknowledgment",
            "substantive",
        ]
        assert s.get(ProbeRequest, f"2026-{bounce.request_n}").state == "bounced"
    store.close()

    r = invoke(capsys, "probe", "reclassify", str(pk), "--as", "robot", "--reason", "x")
    assert r.returncode == 2 and "not a kind" in r.stderr
    r = invoke(capsys, "probe", "reclassify", str(pk), "--as", "auto_reply", "--reason", "ack")
    assert r.returncode == 0 and "human → auto_reply" in r.stdout
    r = invoke(capsys, "probe", "reclassify", str(pk), "--as", "human", "--reason", "no, a person")
    assert r.returncode == 0 and "auto_reply → human" in r.stdout
    r = invoke(capsys, "probe", "assign", str(pk), "--none", "--reason", "spam")
    assert r.returncode == 0, r.stderr
    r = invoke(capsys, "probe", "assign", str(pk))
    assert r.returncode == 2 and "--none" in r.stderr
    r = invoke(capsys, "probe", "assign", "999999", "2026-1")
    assert r.returncode == 3 and "No message #999999" in r.stderr
    store = db()
    with store.session() as s:
        m = s.get(Message, pk)
        assert (m.request_id, m.match_method) == (None, "manual")
        assert len(list(s.scalars(select(MessageAssignment)))) == 2
    store.close()


def test_code_csv_export_import(
    cli_home: Path, tmp_path: Path, corpus: list, capsys: pytest.CaptureFixture[str]
) -> None:
    emls = tmp_path / "e"
    emls.mkdir()
    humans = [s for s in corpus if s.kind == "human"][:6]
    for i, s in enumerate(humans):
        (emls / f"{i}.eml").write_bytes(s.raw)
    assert invoke(capsys, "probe", "import", "--round", "2026", str(emls)).returncode == 0
    out = tmp_path / "codes.csv"
    r = invoke(capsys, "probe", "code", "--export", str(out), "--round", "2026")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 6 and rows[0].keys() >= {"message_id", "coding", "note", "coder"}
    for i, row in enumerate(rows):
        row["coding"] = ["substantive", "partial", "refusal", "", "referral", "other"][i]
        row["note"] = f"ghi chú {i}"
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
        w.writerow({**rows[1], "coding": "maybe"})
    r = invoke(capsys, "probe", "code", "--import", str(bad))
    assert r.returncode == 2 and f"{bad}:8:" in r.stderr and "'maybe'" in r.stderr
    good = tmp_path / "good.csv"
    with good.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    r = invoke(capsys, "probe", "code", "--import", str(good))
    assert r.returncode == 0, r.stderr
    assert "5 codings stored, 0 unchanged, 1 rows without a coding" in r.stdout
    r = invoke(capsys, "probe", "code", "--export", str(out), "--round", "2026")
    again = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [x["coding"] for x in again] == [x["coding"] for x in rows]
    assert {x["coder"] for x in again if x["coding"]} == {"tester"}


def test_import_into_postgresql(
    pg_url: str, home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, corpus: list, capsys
) -> None:  # type: ignore[no-untyped-def]
    """The same command against a team's PostgreSQL (POBI_DATABASE_URL)."""
    monkeypatch.setenv("POBI_DATABASE_URL", pg_url)
    monkeypatch.setenv("POBI_TOKEN_SECRET", mc.SECRET)
    store = Store.open(load_config())
    with store.session() as s:
        add_requests(s, mc)
    store.close()
    box = mailbox.mbox(tmp_path / "replies.mbox")
    for s in corpus[::30]:
        box.add(s.raw)
    box.flush()
    box.close()
    n = len(corpus[::30])
    r = run_pobi("probe", "import", "--round", "2026", str(tmp_path / "replies.mbox"))
    assert r.returncode == 0, r.stderr
    assert f"Stored {n} new messages, 0 duplicates" in r.stdout
    r = invoke(capsys, "probe", "import", "--round", "2026", str(tmp_path / "replies.mbox"))
    assert r.returncode == 0 and f"Stored 0 new messages, {n} duplicates" in r.stdout
    store = Store.open(load_config())
    with store.session() as s:
        assert store.engine.dialect.name == "postgresql"
        assert len(list(s.scalars(select(Message)))) == n
    store.close()


def test_show_and_holding_neutralise_terminal_escapes(
    cli_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hostile e-mail must not drive the researcher's terminal (colours, title, cursor)."""
    raw = (
        b"From: evil@spam.example\nSubject: Hi \x1b]0;pwned\x07 [bold]x[/bold]\nMessage-ID: <esc@x>\n"
        b"Content-Type: text/plain; charset=utf-8\n\nText \x1b[2J\x1b[31mred \x9b6n and [link=x]y[/link]\n"
    )
    (tmp_path / "e.eml").write_bytes(raw)
    assert (
        invoke(capsys, "probe", "import", "--round", "2026", str(tmp_path / "e.eml")).returncode
        == 0
    )
    for args in (("probe", "show", "esc@x", "--headers"), ("probe", "holding", "--round", "2026")):
        r = invoke(capsys, *args)
        assert r.returncode == 0, r.stderr
        assert "\x1b" not in r.stdout and "\x9b" not in r.stdout and "\x07" not in r.stdout
    r = invoke(capsys, "probe", "show", "esc@x")
    assert "[link=x]y[/link]" in r.stdout and "[bold]x[/bold]" in r.stdout  # shown, not interpreted


def test_show_names_the_deciding_layer_and_a_reused_message_id(
    cli_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 14: the researcher sees which layer decided, the flags, and a reused Message-ID."""
    arf = (
        b"From: feedback@provider.example\nSubject: FW: request\nMessage-ID: <same@x>\n"
        b'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=feedback-report; boundary="b"\n\n'
        b"--b\nContent-Type: text/plain\n\nabuse report\n--b\nContent-Type: message/feedback-report\n\n"
        b"Feedback-Type: abuse\n\n--b--\n"
    )
    other = b"From: a@b.vn\nSubject: hello\nMessage-ID: <same@x>\n\nA different message.\n"
    (tmp_path / "a.eml").write_bytes(arf)
    (tmp_path / "b.eml").write_bytes(other)
    r = invoke(
        capsys,
        "probe",
        "import",
        "--round",
        "2026",
        str(tmp_path / "a.eml"),
        str(tmp_path / "b.eml"),
    )
    assert r.returncode == 0, r.stderr
    assert "Stored 2 new messages, 0 duplicates" in r.stdout
    store = db()
    with store.session() as s:
        first, second = sorted(s.scalars(select(Message)), key=lambda m: m.id)
    store.close()
    r = invoke(capsys, "probe", "show", str(first.id))
    assert "layer feedback loop" in r.stdout and "feedback_report" in r.stdout
    r = invoke(capsys, "probe", "show", str(second.id))
    assert "message_id_reused" in r.stdout and f"first used by message #{first.id}" in r.stdout
    r = invoke(capsys, "probe", "show", "same@x")
    assert r.returncode != 0 and "names 2 different messages" in (r.stdout + r.stderr)
