"""Matching, method by method, against a real store (SQLite) holding the corpus's requests."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pobi.models import MatchMethod
from probes.classify import classify
from probes.match import RoundRequests, match_message
from probes.parse import parse
from probes.token import find_tokens, fold
from tests.probes.mail.conftest import MailWorld, load_corpus_module

mc = load_corpus_module()


def run(world: MailWorld, raw: bytes, secret: str | None = None):
    p = parse(raw)
    with world.store.session() as s:
        return match_message(
            p,
            classify(p),
            RoundRequests(s, world.round_id),
            secret if secret is not None else mc.SECRET,
        )


def msg(headers: str, body: str = "Kính gửi Ông.") -> bytes:
    return (headers.strip() + "\nContent-Type: text/plain; charset=utf-8\n\n" + body).encode()


def test_token_in_each_header(world: MailWorld) -> None:
    addr = mc.reply_address(5)
    for header in ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To"):
        m = run(world, msg(f"From: someone@elsewhere.vn\n{header}: <{addr}>\nSubject: hi"))
        assert (m.request_id, m.method) == ("2026-5", MatchMethod.TOKEN), header
        assert header in m.detail
    received = (
        f"Received: from mx.example by mx.pobi\n\tfor <{addr}>; Mon, 23 Nov 2026 10:00:00 +0700"
    )
    m = run(world, msg(f"{received}\nFrom: x@y.vn\nTo: pobi@{mc.REPLY_DOMAIN}\nSubject: hi"))
    assert (m.request_id, m.method) == ("2026-5", MatchMethod.TOKEN) and "Received" in m.detail


def test_retyped_tokens_still_match(world: MailWorld) -> None:
    addr = mc.reply_address(10)  # pobi+2026-10-<mac>@...
    local, domain = addr.split("@")
    variants = [
        addr.upper(),
        local.replace("2026-10", "2O26-1O") + "@" + domain,
        local.replace("2026-10", "2026-l0") + "@" + domain,
        local.replace("2026-10", "2026-I0") + "@" + domain,
    ]
    mac = mc.mac8(10)
    if "0" in mac:
        variants.append(addr.replace(mac, mac.replace("0", "o")))
    if "1" in mac:
        variants.append(addr.replace(mac, mac.replace("1", "l")))
    for v in variants:
        m = run(world, msg(f"From: x@y.vn\nTo: {v}\nSubject: hi"))
        assert (m.request_id, m.method) == ("2026-10", MatchMethod.TOKEN), v


def test_wrong_mac_or_wrong_secret_never_matches(world: MailWorld) -> None:
    addr = mc.reply_address(3)
    mac = mc.mac8(3)
    forged = addr.replace(mac, ("0" if mac[0] != "0" else "1") + mac[1:])
    other_n = addr.replace("2026-3-", "2026-4-")  # a valid-looking token for #4 with #3's MAC
    for v in (forged, other_n):
        m = run(world, msg(f"From: x@unknown.example\nTo: {v}\nSubject: hi"))
        assert m.method == MatchMethod.UNMATCHED and m.request_id is None, v
    m = run(world, msg(f"From: x@unknown.example\nTo: {addr}\nSubject: hi"), secret="another")
    assert m.method == MatchMethod.UNMATCHED
    m = run(world, msg(f"From: x@unknown.example\nTo: {addr}\nSubject: hi"), secret="")
    assert m.method == MatchMethod.UNMATCHED and "POBI_TOKEN_SECRET" in m.detail


def test_thread_in_reply_to_and_references(world: MailWorld) -> None:
    mid = mc.request_message_id(7)
    m = run(
        world,
        msg(
            f"From: x@unknown.example\nTo: pobi@{mc.REPLY_DOMAIN}\nIn-Reply-To: {mid}\nSubject: Re: hi"
        ),
    )
    assert (m.request_id, m.method) == ("2026-7", MatchMethod.THREAD)
    m = run(
        world,
        msg(
            f"From: x@unknown.example\nTo: a@b\nReferences: <other@x> {mid}\n <third@y>\nSubject: Re"
        ),
    )
    assert (m.request_id, m.method) == ("2026-7", MatchMethod.THREAD) and "References" in m.detail


def test_subject_tag_including_retyped(world: MailWorld) -> None:
    for subject in ("Re: [POBI-2026-9] Đề nghị", "TL: [ pobi-2026-9 ] x", "RE: [POBI-2O26-9]"):
        m = run(world, msg(f"From: x@unknown.example\nTo: a@b\nSubject: {subject}"))
        assert (m.request_id, m.method) == ("2026-9", MatchMethod.SUBJECT_TAG), subject
    m = run(world, msg("From: x@unknown.example\nTo: a@b\nSubject: [POBI-2026-99] no such request"))
    assert m.method == MatchMethod.UNMATCHED and "#99" in m.detail


def test_sender_address_then_domain(world: MailWorld) -> None:
    m = run(world, msg("From: Phong NS <STC@DaNang.gov.vn>\nTo: a@b\nSubject: Trả lời"))
    assert (m.request_id, m.method) == ("2026-4", MatchMethod.SENDER) and "sender" in m.detail
    m = run(world, msg("From: vanthu@danang.gov.vn\nTo: a@b\nSubject: Trả lời"))
    assert (m.request_id, m.method) == ("2026-4", MatchMethod.SENDER) and "domain" in m.detail
    m = run(world, msg("From: vanthu@stc.danang.gov.vn\nTo: a@b\nSubject: Trả lời"))
    assert m.method == MatchMethod.UNMATCHED  # a subdomain is a suggestion, not a match


def test_sender_domain_shared_by_two_requests_is_not_a_match(world: MailWorld) -> None:
    from pobi.store.tables import ProbeRequest

    with world.store.session() as s:
        r = s.get(ProbeRequest, "2026-4")
        s.add(
            ProbeRequest(
                id="2026-13",
                round_id="2026",
                n=13,
                province_code="48",
                recipient="ubnd@danang.gov.vn",
                recipient_kind="portal",
                template="t",
                state="sent",
                created_at=r.created_at,
            )
        )
    m = run(world, msg("From: vanthu@danang.gov.vn\nTo: a@b\nSubject: Trả lời"))
    assert m.method == MatchMethod.UNMATCHED and "2 requests" in m.detail
    m = run(world, msg("From: ubnd@danang.gov.vn\nTo: a@b\nSubject: Trả lời"))
    assert m.request_id == "2026-13"


def test_order_token_beats_thread_beats_tag(world: MailWorld) -> None:
    raw = msg(
        f"From: stc@hanoi.gov.vn\nTo: {mc.reply_address(2)}\nIn-Reply-To: {mc.request_message_id(3)}\n"
        "Subject: Re: [POBI-2026-4] x"
    )
    assert run(world, raw).request_id == "2026-2"
    raw = msg(
        f"From: stc@hanoi.gov.vn\nTo: a@b\nIn-Reply-To: {mc.request_message_id(3)}\nSubject: Re: [POBI-2026-4] x"
    )
    assert run(world, raw).request_id == "2026-3"
    raw = msg("From: stc@hanoi.gov.vn\nTo: a@b\nSubject: Re: [POBI-2026-4] x")
    assert run(world, raw).request_id == "2026-4"
    raw = msg("From: stc@hanoi.gov.vn\nTo: a@b\nSubject: Re: x")
    assert run(world, raw).request_id == "2026-1"


def test_bounces_match_through_the_returned_original(world: MailWorld, corpus: list) -> None:
    """Bounces addressed to the plain reply address still find their request."""
    checked = 0
    for s in corpus:
        if s.kind != "bounce" or s.request_n is None:
            continue
        m = run(world, s.raw)
        assert m.request_id == f"2026-{s.request_n}", (s.name, m)
        checked += 1
    assert checked > 80


def test_every_corpus_message_with_a_known_request_matches_it(
    world: MailWorld, corpus: list
) -> None:
    misses = []
    for s in corpus:
        if s.request_n is None:
            continue
        m = run(world, s.raw)
        if m.request_id != f"2026-{s.request_n}":
            misses.append((s.name, m.method.value, m.detail))
    assert not misses, misses


def test_our_own_mail_is_never_a_reply(world: MailWorld) -> None:
    """A copy of a request, or a researcher's follow-up from the Sent folder, must not count."""
    own_request = msg(
        f"From: Nguyen Van An <{mc.reply_address(6)}>\nTo: {mc.recipient(6)}\n"
        f"Message-ID: {mc.request_message_id(6)}\nSubject: {mc.request_subject(6)}"
    )
    m = run(world, own_request)
    assert m.method == MatchMethod.UNMATCHED and "our own request 2026-6" in m.detail
    follow_up = msg(
        f"From: {mc.reply_address(6)}\nTo: {mc.recipient(6)}\nIn-Reply-To: {mc.request_message_id(6)}\n"
        f"Message-ID: <follow-up-1@{mc.REPLY_DOMAIN}>\nSubject: Re: {mc.request_subject(6)}"
    )
    p = parse(follow_up)
    with world.store.session() as s:
        reqs = RoundRequests(s, "2026")
        m = match_message(
            p, classify(p), reqs, mc.SECRET, reply_local="pobi", reply_domain=mc.REPLY_DOMAIN
        )
        assert m.method == MatchMethod.UNMATCHED and "sent by us" in m.detail
        # without the reply address configured it would have matched by thread
        assert match_message(p, classify(p), reqs, mc.SECRET).method == MatchMethod.THREAD


RETYPE = {"0": "oO0", "1": "lI1", "l": "l1I", "o": "o0O"}


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12), st.text("0123456789abcdef", min_size=8, max_size=8))
def test_property_only_the_right_mac_verifies(n: int, mac: str) -> None:
    addr = f"pobi+2026-{n}-{mac}@{mc.REPLY_DOMAIN}"
    hits = find_tokens(addr, ["2026"], mc.SECRET, "To")
    assert bool(hits) == (fold(mac) == fold(mc.mac8(n)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 12), st.data())
def test_property_retyping_never_loses_or_moves_a_token(n: int, data: st.DataObject) -> None:
    token = f"2026-{n}-{mc.mac8(n)}"
    retyped = "".join(
        data.draw(st.sampled_from(RETYPE.get(ch, ch.lower() + ch.upper()))) for ch in token
    )
    hits = find_tokens(f"<pobi+{retyped}@{mc.REPLY_DOMAIN}>", ["2026"], mc.SECRET, "To")
    assert [(h.round_id, h.n) for h in hits] == [("2026", n)]
