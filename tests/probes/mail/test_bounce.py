from __future__ import annotations

from pobi.models import BounceType
from probes.bounce import detect_bounce, looks_machine_made
from probes.parse import parse
from tests.probes.mail.conftest import load_corpus_module

mc = load_corpus_module()


def verdict(raw: bytes):
    return detect_bounce(parse(raw))


def test_every_corpus_bounce_family_with_type_and_recipient(corpus: list) -> None:
    families: dict[str, int] = {}
    for s in corpus:
        if s.kind != "bounce":
            continue
        v = verdict(s.raw)
        assert v is not None, s.name
        assert v.bounce_type.value == s.bounce_type, (s.name, v.reasons)
        if s.request_n is not None and s.family not in {"broken-dsn"}:
            assert mc.recipient(s.request_n) in v.recipients, (s.name, v.recipients, v.reasons)
        families[s.family] = families.get(s.family, 0) + 1
    assert {
        "postfix",
        "exim",
        "sendmail",
        "qmail",
        "exchange",
        "exchange2003",
        "gmail",
        "domino",
        "vn-gov",
        "mdaemon",
    } <= set(families)


def test_dsn_fields_and_returned_headers_are_kept(corpus: list) -> None:
    s = next(x for x in corpus if x.family == "postfix" and x.bounce_type == "permanent")
    v = verdict(s.raw)
    assert any(k == "Final-Recipient" for k, _ in v.recipient_fields)
    mids = [val for k, val in v.returned_headers if k.lower() == "message-id"]
    assert mids == [mc.request_message_id(s.request_n)]
    assert any("RFC 3464" in r for r in v.reasons)


def test_qmail_is_read_by_flufl(corpus: list) -> None:
    s = next(x for x in corpus if x.family == "qmail")
    v = verdict(s.raw)
    assert v.bounce_type == BounceType.PERMANENT
    assert any(r.startswith("flufl.bounce") for r in v.reasons)


def test_success_dsn_is_not_a_bounce(corpus: list) -> None:
    for s in (x for x in corpus if x.family == "dsn-success"):
        assert verdict(s.raw) is None


def test_human_quoting_a_bounce_is_not_a_bounce() -> None:
    raw = (
        "From: Tran Binh <stc@hanoi.gov.vn>\nTo: pobi@pobi-research.example.org\n"
        "Subject: Re: Undeliverable: Đề nghị\nContent-Type: text/plain; charset=utf-8\n\n"
        "Ông gửi lại giúp, lần trước hệ thống báo:\n> 550 5.1.1 User unknown\n"
        "> Final-Recipient: rfc822; stc@hanoi.gov.vn\n> Action: failed\n"
    ).encode()
    p = parse(raw)
    assert looks_machine_made(p) == []
    assert detect_bounce(p) is None
    # even with a bounce-like subject, a person's message is not a report
    p = parse(raw.replace(b"Re: Undeliverable", b"Undeliverable"))
    assert looks_machine_made(p) == ["subject 'Undeliverable: Đề nghị' (Exchange report subject)"]
    assert detect_bounce(p) is None


def test_report_from_mail_system_without_recipients_uses_status_codes() -> None:
    perm = b"From: postmaster@mail.x.gov.vn\nReturn-Path: <>\nSubject: Mail System Error - Returned Mail\n\nRejected: 554 5.7.1 spam\n"
    temp = b"From: postmaster@mail.x.gov.vn\nReturn-Path: <>\nSubject: Delivery delayed\n\nWill retry: 451 4.3.0 busy\n"
    assert verdict(perm).bounce_type == BounceType.PERMANENT
    assert verdict(temp).bounce_type == BounceType.TEMPORARY
    plain_daemon = b"From: postmaster@mail.x.gov.vn\nSubject: Your mailbox quota\n\nYou are at 80% of your quota.\n"
    assert verdict(plain_daemon) is None
    quota = b"From: MAILER-DAEMON@mail.x.gov.vn\nReturn-Path: <>\nSubject: Quota\n\nYou have used 550 MB of 600 MB.\n"
    assert verdict(quota) is None


def test_mangled_dsn_never_raises() -> None:
    raw = (
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="z"\n\n'
        b"--z\nContent-Type: message/delivery-status\n\n\xff\xfe garbage: ;;; \n\nAction: failed\n--z--"
    )
    v = verdict(raw)
    assert v is not None and v.bounce_type == BounceType.PERMANENT


def test_flufl_still_reads_reports_with_raw_8bit_headers(corpus: list) -> None:
    """Raw UTF-8 in a header used to crash some flufl detectors and with them all of flufl."""
    s = next(x for x in corpus if x.family == "qmail")
    raw = s.raw.replace(b"From: ", "From: Hệ thống thư ".encode(), 1)  # raw UTF-8 display name
    p = parse(raw)
    assert "raw_8bit_header" in p.flags
    v = detect_bounce(p)
    assert v is not None and mc.recipient(s.request_n) in v.recipients
    assert any(r.startswith("flufl.bounce:") for r in v.reasons), v.reasons
    assert not any("flufl.bounce failed" in r for r in v.reasons)
