"""The corpus: every message parses and classifies; accuracy per kind is measured and required."""

from __future__ import annotations

import time
from collections import Counter

from pobi.models import ReplyKind
from probes.classify import classify
from probes.parse import parse


def test_corpus_is_a_few_hundred_labelled_messages(corpus: list) -> None:
    kinds = Counter(s.kind for s in corpus)
    assert len(corpus) >= 250
    assert min(kinds.values()) >= 80, kinds
    assert len({s.raw for s in corpus}) == len(corpus)


def test_corpus_never_crashes_and_classifies_accurately(corpus: list) -> None:
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    wrong: list[str] = []
    started = time.perf_counter()
    for s in corpus:
        c = classify(parse(s.raw))
        assert c.reasons, s.name
        total[s.kind] += 1
        ok = c.kind.value == s.kind and (
            s.kind != "bounce"
            or (c.bounce is not None and c.bounce.bounce_type.value == s.bounce_type)
        )
        if ok:
            right[s.kind] += 1
        else:
            wrong.append(
                f"{s.name}: expected {s.kind} {s.bounce_type}, got {c.kind.value} {c.reasons[:3]}"
            )
    elapsed = time.perf_counter() - started
    accuracy = {k: right[k] / total[k] for k in total}
    print(f"\ncorpus accuracy ({len(corpus)} messages, {elapsed:.2f} s): {accuracy}")
    for kind in ("bounce", "auto_reply", "human"):
        assert accuracy[kind] >= 0.97, (kind, accuracy, wrong)


def test_bounce_wins_over_auto_submitted() -> None:
    raw = (
        b"From: MAILER-DAEMON@mx.x.vn\nAuto-Submitted: auto-replied\nReturn-Path: <>\n"
        b"X-Failed-Recipients: stc@x.gov.vn\nSubject: Mail delivery failed\n\n550 5.1.1 unknown\n"
    )
    c = classify(parse(raw))
    assert c.kind == ReplyKind.BOUNCE and c.bounce is not None
    assert c.bounce.recipients == ["stc@x.gov.vn"]


def test_human_reason_is_recorded() -> None:
    c = classify(parse(b"From: a@b.vn\nSubject: Re: x\n\nOK"))
    assert c.kind == ReplyKind.HUMAN and c.reasons == ["no bounce or auto-reply markers"]
