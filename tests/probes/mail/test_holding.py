"""Holding pen: what waits there, suggestions, manual assignment and its consequences."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from pobi.errors import InputError
from pobi.rounds import create_round
from pobi.store.tables import Message, MessageAssignment, ProbeRequest, RequestEvent
from probes.holding import assign, holding_messages, provincial_domain, suggest
from probes.ingest import ingest_message
from tests.probes.mail.conftest import MailWorld, load_corpus_module

mc = load_corpus_module()


def put(world: MailWorld, raw: bytes) -> int:
    with world.store.session() as s:
        return ingest_message(
            s, world.evidence, "2026", raw, source="t", settings=world.config
        ).message_pk


def test_provincial_domain() -> None:
    assert provincial_domain("stc.hanoi.gov.vn") == "hanoi.gov.vn"
    assert provincial_domain("mail.stc.hanoi.gov.vn") == "hanoi.gov.vn"
    assert provincial_domain("gmail.com") == "gmail.com"


def b64(text: str) -> str:
    import base64

    return f"=?utf-8?B?{base64.b64encode(text.encode()).decode()}?="


def test_suggestions_use_evidence_that_tells_requests_apart(world: MailWorld) -> None:
    with world.store.session() as s:
        s.get(ProbeRequest, "2026-7").subject = "[POBI-2026-7] Hỏi về quyết toán ngân sách 2025"
    pk = put(
        world,
        (
            "From: vanthu@stc.hue.gov.vn\nTo: pobi@x.org\nDate: Wed, 04 Nov 2026 09:00:00 +0700\n"
            f"Subject: {b64('TL: Hỏi về quyết toán ngân sách 2025')}\n\nx"
        ).encode(),
    )
    with world.store.session() as s:
        assert [m.id for m in holding_messages(s, "2026")] == [pk]
        reqs = list(s.scalars(select(ProbeRequest)))
        sug = suggest(s.get(Message, pk), reqs)
    assert sug[0].request_id == "2026-7"
    assert sug[0].reasons[0] == "same provincial domain hue.gov.vn"
    assert any("subject" in r for r in sug[0].reasons)
    # every request was sent the same day: the date tells them apart for none
    assert not any("days after" in r for x in sug for r in x.reasons)


def test_evidence_shared_by_all_requests_suggests_nothing(world: MailWorld) -> None:
    with world.store.session() as s:
        reqs = list(s.scalars(select(ProbeRequest)))
        m = Message(
            from_addr="someone@gmail.com",
            subject="TL: " + mc.SUBJECT,  # the same subject went to everyone
            body_text="",
            received_at=datetime(2026, 11, 4, tzinfo=UTC),
        )
        assert suggest(m, reqs) == []


def test_received_before_sending_is_penalised(world: MailWorld) -> None:
    with world.store.session() as s:
        s.get(ProbeRequest, "2026-5").sent_at = datetime(2026, 11, 20, tzinfo=UTC)
        reqs = list(s.scalars(select(ProbeRequest)))
        m = Message(
            from_addr="x@gmail.com",
            subject="",
            body_text="",
            received_at=datetime(2026, 11, 4, tzinfo=UTC),
        )
        ids = [x.request_id for x in suggest(m, reqs, limit=20)]
    assert "2026-5" not in ids and len(ids) == 11


def test_assign_bounce_marks_request_bounced_and_keeps_history(world: MailWorld) -> None:
    raw = (
        b"From: postmaster@relay.example.net\nReturn-Path: <>\nSubject: Undeliverable\n"
        b"To: pobi@x.org\nMessage-ID: <nd1@relay>\n\n550 5.1.1 <stc@hanoi.gov.vn> unknown\n"
    )
    pk = put(world, raw)
    with world.store.session() as s:
        m = s.get(Message, pk)
        assert m.kind == "bounce" and m.match_method == "sender"  # failed recipient is a request's
        m.match_method, m.request_id = "unmatched", None  # pretend it was not matched
        s.flush()
        assign(s, m, None, reason="looked wrong", coder="a")
        req = s.get(ProbeRequest, "2026-1")
        assign(s, m, req, reason="it is Hà Nội's", coder="b")
        assert req.state == "bounced"
        assert [e.to_state for e in s.scalars(select(RequestEvent))] == ["bounced"]
        hist = list(s.scalars(select(MessageAssignment).order_by(MessageAssignment.id)))
        assert [(h.request_id, h.coder) for h in hist] == [(None, "a"), ("2026-1", "b")]
        assert m.match_method == "manual" and "Hà Nội" in m.match_detail


def test_assign_across_rounds_is_refused(world: MailWorld) -> None:
    pk = put(world, b"From: a@b.c\nSubject: x\n\ny")
    with world.store.session() as s:
        create_round(s, "2027", "current")
        other = ProbeRequest(
            id="2027-1",
            round_id="2027",
            n=1,
            province_code="01",
            recipient="x@y.vn",
            recipient_kind="finance",
            template="t",
            state="sent",
            created_at=datetime.now(UTC),
        )
        s.add(other)
        s.flush()
        with pytest.raises(InputError, match="round 2026"):
            assign(s, s.get(Message, pk), other, reason="", coder="a")
