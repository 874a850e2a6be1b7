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


def test_suggestions_rank_domain_subject_and_date(world: MailWorld) -> None:
    pk = put(
        world,
        (
            "From: vanthu@stc.hue.gov.vn\nTo: pobi@x.org\nDate: Wed, 04 Nov 2026 09:00:00 +0700\n"
            f"Subject: =?utf-8?B?{__import__('base64').b64encode(('TL: ' + mc.SUBJECT).encode()).decode()}?=\n\nx"
        ).encode(),
    )
    with world.store.session() as s:
        assert [m.id for m in holding_messages(s, "2026")] == [pk]
        m = s.get(Message, pk)
        reqs = list(s.scalars(select(ProbeRequest)))
        sug = suggest(m, reqs)
    assert sug[0].request_id == "2026-7"
    assert any("hue.gov.vn" in r for r in sug[0].reasons)
    assert any("subject" in r for r in sug[0].reasons) and any(
        "days after" in r for r in sug[0].reasons
    )
    assert sug[0].score > sug[1].score


def test_received_before_sending_is_penalised(world: MailWorld) -> None:
    with world.store.session() as s:
        reqs = list(s.scalars(select(ProbeRequest)))
        m = Message(
            from_addr="x@stc.hue.gov.vn",
            subject="",
            body_text="",
            received_at=datetime(2026, 10, 1, tzinfo=UTC),
        )
        top = suggest(m, reqs)[0]
    assert top.request_id == "2026-7" and "received before the request was sent" in top.reasons


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
