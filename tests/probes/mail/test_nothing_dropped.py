"""Nothing dropped (issue 14), on SQLite and PostgreSQL: same bytes are stored once, a different
message reusing a Message-ID is stored and linked, and a re-import or a webmail export of the
same messages (headers rewritten, other transfer encodings, other bytes) creates no duplicate."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pobi.errors import InputError
from pobi.store.tables import Message
from probes.fingerprint import content_key
from probes.ingest import ingest_message
from probes.lookup import find_message
from probes.parse import parse
from probes.readers import plan_sources
from tests.probes.mail.conftest import MailWorld

BODY = (
    "Kính gửi Ông/Bà,\n\nSở Tài chính đã nhận được đề nghị cung cấp thông tin về dự toán ngân "
    "sách năm 2026.\nFrom now on, please write to the office.\n\nTrân trọng,\nVăn phòng Sở\n"
)


def make(
    body: str = BODY,
    *,
    cte: str = "quoted-printable",
    mid: str = "<reply-1@stc.hanoi.gov.vn>",
    extra: list[tuple[str, str]] | None = None,
    attach: bytes | None = None,
    crlf: bool = False,
) -> bytes:
    m = EmailMessage()
    for name, value in extra or []:
        m[name] = value
    m["From"] = "Văn phòng Sở <vanphong@stc.hanoi.gov.vn>"
    m["To"] = "pobi+2026-1@example.org"
    m["Subject"] = "Re: Đề nghị cung cấp thông tin dự toán 2026"
    m["Date"] = "Tue, 03 Nov 2026 09:15:00 +0700"
    m["Message-ID"] = mid
    m.set_content(body, cte=cte)
    if attach is not None:
        m.add_attachment(attach, maintype="application", subtype="pdf", filename="du-toan.pdf")
    raw = m.as_bytes()
    return raw.replace(b"\n", b"\r\n") if crlf else raw


def webmail_export(raw: bytes) -> bytes:
    """What a webmail 'download original' does to a message: its own trace headers on top, the
    body base64 instead of quoted-printable, CRLF line ends (attachments kept)."""
    p = parse(raw)
    return make(
        p.body_text,
        cte="base64",
        mid="" if p.synthesized_message_id else p.message_id,
        attach=p.attachments[0].data if p.attachments else None,
        extra=[
            (
                "Received",
                "from mx.webmail.example by store.webmail.example; Tue, 3 Nov 2026 02:16:00 +0000",
            ),
            ("X-Gmail-Labels", "Inbox,Important"),
            ("X-GM-THRID", "1780000000000000000"),
        ],
        crlf=True,
    )


def ingest(world: MailWorld, raw: bytes, source: str):
    with world.store.session() as s:
        return ingest_message(
            s, world.evidence, world.round_id, raw, source=source, settings=world.config
        )


def count(world: MailWorld) -> int:
    with world.store.session() as s:
        return s.scalar(select(func.count()).select_from(Message)) or 0


def test_same_bytes_stored_once(any_world: MailWorld) -> None:
    raw = make()
    a, b = ingest(any_world, raw, "a.eml"), ingest(any_world, raw, "b.eml")
    assert not a.duplicate and b.duplicate and b.duplicate_of == "bytes"
    assert b.message_pk == a.message_pk and count(any_world) == 1


def test_reused_message_id_with_other_content_is_stored_and_linked(any_world: MailWorld) -> None:
    first = ingest(any_world, make(), "first.eml")
    other = make(BODY.replace("dự toán", "quyết toán"))  # same Message-ID, another message
    second = ingest(any_world, other, "second.eml")
    third = ingest(any_world, make("Xin cảm ơn.\n"), "third.eml")
    assert not second.duplicate and not third.duplicate
    assert "message_id_reused" not in first.flags
    for r in (second, third):
        assert "message_id_reused" in r.flags and r.reused_message_id_of == first.message_pk
    assert len({first.raw_sha256, second.raw_sha256, third.raw_sha256}) == 3
    assert count(any_world) == 3
    with any_world.store.session() as s:
        row = s.get(Message, second.message_pk)
        assert row.message_id_reused_of == first.message_pk and row.message_id == first.message_id
        assert any_world.evidence.read(row.raw_sha256) == other  # its own bytes are evidence
        with pytest.raises(InputError, match="names 3 different messages"):
            find_message(s, "reply-1@stc.hanoi.gov.vn", any_world.round_id)
    # importing the reused one again is a duplicate of itself, not of the first
    again = ingest(any_world, other, "second-again.eml")
    assert again.duplicate and again.message_pk == second.message_pk and count(any_world) == 3


def test_webmail_export_of_a_stored_message_is_no_duplicate(any_world: MailWorld) -> None:
    raw = make(attach=b"%PDF-1.4 bao cao")
    exported = webmail_export(raw)
    assert exported != raw and content_key(parse(exported)) == content_key(parse(raw))
    a = ingest(any_world, raw, "imap://x/INBOX;UID=7")
    b = ingest(any_world, exported, "export/reply.eml")
    assert not a.duplicate and b.duplicate and b.duplicate_of == "content"
    assert b.message_pk == a.message_pk and count(any_world) == 1
    # another attachment, same text: a different message
    c = ingest(any_world, make(attach=b"%PDF-1.4 khac"), "other.eml")
    assert not c.duplicate and "message_id_reused" in c.flags and count(any_world) == 2


def test_reimport_of_a_mailbox_and_its_webmail_export(any_world: MailWorld, tmp_path: Path) -> None:
    messages = [
        make(f"Trả lời số {i}.\nFrom the office of the department.\n", mid=f"<r{i}@stc.vn>")
        for i in range(5)
    ]
    messages.append(make("No Message-ID here.\n", mid=""))  # no Message-ID: content still keys it
    box_path = tmp_path / "replies.mbox"
    box = mailbox.mbox(box_path)
    for raw in messages:
        box.add(raw)
    box.flush()
    box.close()
    export_dir = tmp_path / "webmail"
    export_dir.mkdir()
    for i, raw in enumerate(messages):
        (export_dir / f"{i}.eml").write_bytes(webmail_export(raw))

    def run(path: Path) -> list:
        out = []
        for src in plan_sources([path]):
            for source, raw in src.messages():
                out.append(ingest(any_world, raw, source))
        return out

    first = run(box_path)
    assert [r.duplicate for r in first] == [False] * 6 and count(any_world) == 6
    assert all("message_id_reused" not in r.flags for r in first)
    again = run(box_path)
    assert all(r.duplicate and r.duplicate_of == "bytes" for r in again)
    exported = run(export_dir)
    assert all(r.duplicate and r.duplicate_of == "content" for r in exported), [
        (r.duplicate, r.duplicate_of) for r in exported
    ]
    assert count(any_world) == 6


def test_undated_notices_without_message_id_that_arrived_apart_are_two(
    any_world: MailWorld,
) -> None:
    def notice(when: str) -> bytes:
        return (
            f"Received: from mx.a.vn by mx.b.vn; {when}\nFrom: postmaster@a.vn\n"
            "Subject: Thong bao\n\nHop thu day.\n"
        ).encode()

    a = ingest(any_world, notice("Tue, 3 Nov 2026 09:00:00 +0700"), "a")
    b = ingest(any_world, notice("Wed, 4 Nov 2026 09:00:00 +0700"), "b")
    assert not a.duplicate and not b.duplicate and count(any_world) == 2
