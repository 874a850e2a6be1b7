"""Correcting a message's kind: reasons kept, flag set, a request's bounced state follows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pobi.errors import InputError
from pobi.models import BounceType, ReplyKind
from pobi.store.tables import Message, ProbeRequest, RequestEvent
from probes.ingest import ingest_message
from probes.reclassify import reclassify
from tests.probes.mail.conftest import MailWorld, load_corpus_module

mc = load_corpus_module()


def put(world: MailWorld, raw: bytes) -> int:
    with world.store.session() as s:
        return ingest_message(
            s, world.evidence, "2026", raw, source="t", settings=world.config
        ).message_pk


def test_noreply_answer_becomes_human(world: MailWorld) -> None:
    raw = (
        f"From: no-reply@vanban.hanoi.gov.vn\nTo: {mc.reply_address(1)}\nSubject: Re: Công văn số 123/STC\n"
        "Message-ID: <cv123@vanban>\n\nSở Tài chính trả lời như sau ..."
    ).encode()
    pk = put(world, raw)
    with world.store.session() as s:
        m = s.get(Message, pk)
        assert m.kind == "auto_reply" and m.request_id == "2026-1"
        assert (
            reclassify(s, m, ReplyKind.HUMAN, reason="công văn trả lời chính thức", coder="lan")
            is None
        )
    with world.store.session() as s:
        m = s.get(Message, pk)
        assert m.kind == "human" and "reclassified" in m.flags
        assert any("no-reply" in r for r in m.kind_reasons)  # the classifier's reasons stay
        assert "reclassified auto_reply -> human by lan" in m.kind_reasons[-1]


def test_bounce_state_follows_both_ways(world: MailWorld, corpus: list) -> None:
    s0 = next(x for x in corpus if x.name == "postfix-perm-0")
    pk = put(world, s0.raw)
    rid = f"2026-{s0.request_n}"
    with world.store.session() as s:
        assert s.get(ProbeRequest, rid).state == "bounced"
        m = s.get(Message, pk)
        assert reclassify(s, m, ReplyKind.AUTO_REPLY, reason="forwarding notice", coder="a") == rid
        assert s.get(ProbeRequest, rid).state == "sent" and m.bounced_recipients == []
        changed = reclassify(
            s, m, ReplyKind.BOUNCE, bounce_type=BounceType.PERMANENT, reason="it was", coder="a"
        )
        assert changed == rid and s.get(ProbeRequest, rid).state == "bounced"
        events = [
            (e.from_state, e.to_state)
            for e in s.scalars(select(RequestEvent).order_by(RequestEvent.id))
        ]
        assert events == [("sent", "bounced"), ("bounced", "sent"), ("sent", "bounced")]


def test_reclassify_needs_reason_and_bounce_type(world: MailWorld) -> None:
    pk = put(world, b"From: a@b.vn\nSubject: x\n\ny")
    with world.store.session() as s:
        m = s.get(Message, pk)
        with pytest.raises(InputError, match="--reason"):
            reclassify(s, m, ReplyKind.HUMAN, reason=" ", coder="a")
        with pytest.raises(InputError, match="--bounce-type"):
            reclassify(s, m, ReplyKind.BOUNCE, reason="x", coder="a")
        with pytest.raises(InputError, match="only goes with"):
            reclassify(
                s, m, ReplyKind.HUMAN, bounce_type=BounceType.TEMPORARY, reason="x", coder="a"
            )
