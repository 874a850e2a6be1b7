"""ingest_message on SQLite and PostgreSQL: evidence, duplicates, attachments, bounced requests."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from pobi.errors import NotFoundError
from pobi.store.tables import Attachment, Evidence, Message, ProbeRequest, RequestEvent
from probes.ingest import ingest_message
from tests.probes.mail.conftest import MailWorld, load_corpus_module

mc = load_corpus_module()


def ingest(world: MailWorld, raw: bytes, source: str = "test.eml", **kw):
    with world.store.session() as s:
        return ingest_message(
            s, world.evidence, world.round_id, raw, source=source, settings=world.config, **kw
        )


def sample(corpus: list, name: str):
    return next(s for s in corpus if s.name == name)


def test_stores_raw_bytes_as_evidence_and_a_row(any_world: MailWorld, corpus: list) -> None:
    s = sample(corpus, "plain-1")
    r = ingest(any_world, s.raw)
    assert not r.duplicate and r.kind == "human" and r.request_id == f"2026-{s.request_n}"
    assert r.raw_sha256 == hashlib.sha256(s.raw).hexdigest()
    assert any_world.evidence.read(r.raw_sha256) == s.raw
    with any_world.store.session() as db:
        ev = db.get(Evidence, r.raw_sha256)
        assert ev.kind == "email" and ev.media_type == "message/rfc822" and ev.size == len(s.raw)
        m = db.get(Message, r.message_pk)
        assert m.source == "test.eml" and m.match_method == "token"
        assert m.body_text.startswith("Sở Tài chính") and m.kind_reasons


def test_duplicates_same_bytes_or_same_message_id(any_world: MailWorld, corpus: list) -> None:
    s = sample(corpus, "plain-2")
    first = ingest(any_world, s.raw, "a.eml")
    again = ingest(any_world, s.raw, "b.eml")
    assert (
        again.duplicate and again.duplicate_of == "bytes" and again.message_pk == first.message_pk
    )
    resent = s.raw.replace(b"Subject:", b"X-Extra: copy from the Spam folder\nSubject:", 1)
    third = ingest(any_world, resent, "c.eml")
    assert third.duplicate and third.duplicate_of == "content"  # same message, a header added
    # no Message-ID: the normalised content decides (a trailing newline is no new message)
    raw = b"From: x@y.vn\nSubject: no id\n\nbody"
    a, b = ingest(any_world, raw), ingest(any_world, raw + b"\n")
    assert not a.duplicate and b.duplicate and b.duplicate_of == "content"
    c = ingest(any_world, raw + b" two")
    assert not c.duplicate and a.message_id != c.message_id
    with any_world.store.session() as db:
        assert db.scalar(select(func.count()).select_from(Message)) == 3


def test_attachments_stored_with_hashes(any_world: MailWorld, corpus: list) -> None:
    s = sample(corpus, "attachment-0")  # pdf + xlsx
    r = ingest(any_world, s.raw)
    with any_world.store.session() as db:
        atts = list(db.scalars(select(Attachment).where(Attachment.message_pk == r.message_pk)))
        assert sorted(a.filename for a in atts) == ["Dự toán 2026.pdf", "bao-cao-quy-3.xlsx"]
        for a in atts:
            data = any_world.evidence.read(a.sha256)
            assert hashlib.sha256(data).hexdigest() == a.sha256 and len(data) == a.size
            assert db.get(Evidence, a.sha256).kind == "attachment"


def test_permanent_bounce_moves_request_to_bounced(any_world: MailWorld, corpus: list) -> None:
    perm = sample(corpus, "postfix-perm-0")
    temp = sample(corpus, "postfix-delay-2")
    r = ingest(any_world, temp.raw)
    assert r.kind == "bounce" and r.bounced_request is None
    r = ingest(any_world, perm.raw)
    rid = f"2026-{perm.request_n}"
    assert r.bounced_request == rid
    with any_world.store.session() as db:
        req = db.get(ProbeRequest, rid)
        assert req.state == "bounced"
        events = list(db.scalars(select(RequestEvent).where(RequestEvent.request_id == rid)))
        assert [(e.from_state, e.to_state) for e in events] == [("sent", "bounced")]
        m = db.get(Message, r.message_pk)
        assert m.bounce_type == "permanent" and mc.recipient(perm.request_n) in m.bounced_recipients
        if temp.request_n != perm.request_n:
            assert db.get(ProbeRequest, f"2026-{temp.request_n}").state == "sent"


def test_received_at_from_header_then_internaldate(world: MailWorld) -> None:
    internal = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    r = ingest(world, b"From: x@y.vn\nMessage-ID: <t1@x>\n\nx", received_at=internal)
    with world.store.session() as db:
        got = db.get(Message, r.message_pk).received_at
        assert got.replace(tzinfo=UTC) == internal
    r = ingest(
        world,
        b"Received: from a by b; Fri, 20 Nov 2026 08:00:00 +0700\nFrom: x@y.vn\nMessage-ID: <t2@x>\n\nx",
        received_at=internal,
    )
    with world.store.session() as db:
        got = db.get(Message, r.message_pk).received_at
        assert got.replace(tzinfo=UTC) == datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
    r = ingest(
        world, b"From: x@y.vn\nDate: Fri, 20 Nov 2026 10:00:00 +0700\nMessage-ID: <t3@x>\n\nx"
    )
    assert "received_at_from_date" in r.flags
    r = ingest(world, b"From: x@y.vn\nMessage-ID: <t4@x>\n\nx")
    assert "no_date" in r.flags and "received_at_from_date" not in r.flags


def test_unknown_round_is_an_error(world: MailWorld) -> None:
    with world.store.session() as s, pytest.raises(NotFoundError):
        ingest_message(s, world.evidence, "1999", b"x", source="x", settings=world.config)


def test_whole_corpus_ingests(any_world: MailWorld, corpus: list) -> None:
    """All of it on SQLite; every third message on PostgreSQL (same logic, slower commits)."""
    if any_world.store.engine.dialect.name == "postgresql":
        corpus = corpus[::3]
    kinds: Counter[str] = Counter()
    with any_world.store.session() as s:
        for i, smp in enumerate(corpus):
            r = ingest_message(
                s,
                any_world.evidence,
                "2026",
                smp.raw,
                source=f"corpus#{i}",
                settings=any_world.config,
            )
            assert not r.duplicate, smp.name
            kinds[r.kind] += 1
            if smp.request_n is not None:
                assert r.request_id == f"2026-{smp.request_n}", smp.name
    assert kinds == Counter(s.kind for s in corpus)
    with any_world.store.session() as s:
        assert s.scalar(select(func.count()).select_from(Message)) == len(corpus)
        bounced = set(s.scalars(select(ProbeRequest.id).where(ProbeRequest.state == "bounced")))
    expected = {
        f"2026-{x.request_n}" for x in corpus if x.bounce_type == "permanent" and x.request_n
    }
    assert bounced == expected


def test_own_mail_is_flagged_and_left_unmatched(world: MailWorld) -> None:
    world.config.probes.reply_local = "pobi"
    world.config.probes.reply_domain = mc.REPLY_DOMAIN
    raw = (
        f"From: {mc.reply_address(2)}\nTo: {mc.recipient(2)}\nIn-Reply-To: {mc.request_message_id(2)}\n"
        f"Message-ID: <follow-up@{mc.REPLY_DOMAIN}>\nSubject: Re: nhắc lại\n\nKính gửi Sở, tôi xin nhắc lại đề nghị."
    ).encode()
    r = ingest(world, raw)
    assert r.request_id is None and r.match_method == "unmatched" and "from_us" in r.flags


def test_concurrent_ingest_of_the_same_bytes_stores_one(pg_url: str, tmp_path, mc, secret) -> None:  # type: ignore[no-untyped-def]
    """Two collectors storing the same message at once (PostgreSQL): the loser reports a duplicate."""
    import threading

    from tests.probes.mail.conftest import make_world

    w = make_world(pg_url, tmp_path, mc)
    raw = b"From: stc@hanoi.gov.vn\nSubject: race\n\nno Message-ID, so only the bytes dedupe\n"
    results = {}
    with w.store.session() as a:
        results["a"] = ingest_message(a, w.evidence, "2026", raw, source="a", settings=w.config)

        def other() -> None:
            with w.store.session() as b:
                results["b"] = ingest_message(
                    b, w.evidence, "2026", raw, source="b", settings=w.config
                )

        t = threading.Thread(target=other)
        t.start()
        t.join(timeout=1.5)  # b blocks on a's uncommitted row
        assert t.is_alive()
    t.join(timeout=30)  # a committed: b's insert fails, its savepoint rolls back, it finds a's row
    assert not t.is_alive()
    assert not results["a"].duplicate and results["b"].duplicate
    assert results["b"].message_pk == results["a"].message_pk
    with w.store.session() as s:
        assert s.scalar(select(func.count()).select_from(Message)) == 1
    w.store.close()


def test_concurrent_ingest_of_two_copies_of_one_message_stores_one(  # type: ignore[no-untyped-def]
    pg_url: str, tmp_path, mc, secret
) -> None:
    """Issue 14: IMAP and a webmail export of the same message (other bytes, same content)
    stored at once: the unique content key lets one win; the other reports a duplicate."""
    import threading

    from tests.probes.mail.conftest import make_world

    w = make_world(pg_url, tmp_path, mc)
    raw = b"From: stc@hanoi.gov.vn\nMessage-ID: <copy@x>\nSubject: race\n\nsame text\n"
    export = b"X-Gmail-Labels: Inbox\r\n" + raw.replace(b"\n", b"\r\n")
    results = {}
    with w.store.session() as a:
        results["a"] = ingest_message(a, w.evidence, "2026", raw, source="a", settings=w.config)

        def other() -> None:
            with w.store.session() as b:
                results["b"] = ingest_message(
                    b, w.evidence, "2026", export, source="b", settings=w.config
                )

        t = threading.Thread(target=other)
        t.start()
        t.join(timeout=1.5)  # b blocks on a's uncommitted row (same round, same content key)
        assert t.is_alive()
    t.join(timeout=30)
    assert not t.is_alive()
    assert not results["a"].duplicate and results["b"].duplicate
    assert (
        results["b"].duplicate_of == "content"
        and results["b"].message_pk == results["a"].message_pk
    )
    with w.store.session() as s:
        assert s.scalar(select(func.count()).select_from(Message)) == 1
    w.store.close()
