"""Property tests: random and mangled messages never crash parsing, classification, matching or
ingestion, and each input is handled in bounded time."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from probes.classify import classify
from probes.parse import parse
from tests.probes.mail.conftest import load_corpus_module

mc = load_corpus_module()
CORPUS = mc.build_corpus()
# NUL bytes and a lone surrogate (UTF-7 "+2D0-") everywhere a string is stored
NASTY = (
    b"From: Ng\x00uyen <a\x00b@c.vn>\nTo: x\x00@y.vn\nSubject: x\x00y =?utf-7?Q?+2D0-?=\n"
    b"Message-ID: <nul\x00@x>\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
    b"Content-Type: text/plain; charset=utf-7\n\n+2D0- hi\x00\n--b\nContent-Type: application/pdf\n"
    b'Content-Disposition: attachment; filename="=?utf-7?Q?+2D0-?=.pdf"\n\n%PDF\n--b--\n'
)
TIME_LIMIT = 5.0  # seconds per input, generous for a loaded 2-core CI machine


def check(raw: bytes) -> None:
    started = time.perf_counter()
    p = parse(raw)
    c = classify(p)
    elapsed = time.perf_counter() - started
    assert c.kind.value in {"bounce", "auto_reply", "human"} and c.reasons
    assert isinstance(p.body_text, str) and isinstance(p.subject, str)
    assert p.message_id.startswith("<") and p.message_id.endswith(">")
    assert len(p.message_id) <= 998
    # everything must be storable as text in the database
    for value in (p.body_text, p.subject, p.from_addr, *p.flags, *c.reasons):
        value.encode("utf-8")
    assert elapsed < TIME_LIMIT, elapsed


samples = st.sampled_from(CORPUS).map(lambda s: s.raw)


@st.composite
def byte_flips(draw: st.DrawFn) -> bytes:
    raw = bytearray(draw(samples))
    for _ in range(draw(st.integers(1, 40))):
        i = draw(st.integers(0, len(raw) - 1))
        raw[i] = draw(st.integers(0, 255))
    return bytes(raw)


@st.composite
def truncations(draw: st.DrawFn) -> bytes:
    raw = draw(samples)
    a = draw(st.integers(0, len(raw)))
    b = draw(st.integers(a, len(raw)))
    return raw[:a] + raw[b:]


@st.composite
def header_shuffles(draw: st.DrawFn) -> bytes:
    raw = draw(samples).replace(b"\r\n", b"\n")
    head, sep, body = raw.partition(b"\n\n")
    lines = head.split(b"\n")
    lines = draw(st.permutations(lines))
    if draw(st.booleans()):
        lines = [ln for ln in lines if draw(st.booleans())]
    return b"\n".join(lines) + sep + body


@st.composite
def splices(draw: st.DrawFn) -> bytes:
    a, b = draw(samples), draw(samples)
    i, j = draw(st.integers(0, len(a))), draw(st.integers(0, len(b)))
    return a[:i] + b[j:]


HEADER_NAMES = st.sampled_from(
    [
        b"From",
        b"To",
        b"Subject",
        b"Date",
        b"Message-ID",
        b"Content-Type",
        b"Content-Transfer-Encoding",
        b"Received",
        b"Auto-Submitted",
        b"In-Reply-To",
        b"References",
        b"Return-Path",
        b"X-Failed-Recipients",
    ]
)


@st.composite
def synthetic(draw: st.DrawFn) -> bytes:
    headers = draw(st.lists(st.tuples(HEADER_NAMES, st.binary(max_size=120)), max_size=12))
    body = draw(st.binary(max_size=3000))
    return b"".join(k + b": " + v + b"\n" for k, v in headers) + b"\n" + body


FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=5000))
def test_random_bytes(raw: bytes) -> None:
    check(raw)


@FUZZ
@given(byte_flips())
def test_byte_flips(raw: bytes) -> None:
    check(raw)


@FUZZ
@given(truncations())
def test_truncations(raw: bytes) -> None:
    check(raw)


@FUZZ
@given(header_shuffles())
def test_header_shuffles(raw: bytes) -> None:
    check(raw)


@FUZZ
@given(splices())
def test_splices(raw: bytes) -> None:
    check(raw)


@FUZZ
@given(synthetic())
def test_synthetic_headers_and_bodies(raw: bytes) -> None:
    check(raw)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.one_of(byte_flips(), truncations(), synthetic()))
@example(NASTY)
def test_mangled_messages_ingest_into_the_store(any_world, raw: bytes) -> None:  # type: ignore[no-untyped-def]
    """On SQLite and PostgreSQL (which refuses NUL characters and lone surrogates)."""
    from probes.ingest import ingest_message

    w = any_world
    with w.store.session() as s:
        r = ingest_message(s, w.evidence, "2026", raw, source="fuzz\x00", settings=w.config)
        assert r.kind in {"bounce", "auto_reply", "human"}
        again = ingest_message(s, w.evidence, "2026", raw, source="fuzz", settings=w.config)
        assert again.duplicate and again.message_pk == r.message_pk
