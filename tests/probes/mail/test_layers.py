"""Each layer of the classifier on small messages written here (the real corpora test the
whole; these pin one behaviour each, including the failure classes issue 14 lists)."""

from __future__ import annotations

import pytest

from pobi.models import ReplyKind
from probes.classify import classify
from probes.parse import parse


def c(raw: str):
    return classify(parse(raw.encode()))


def test_arf_feedback_report_is_auto_reply_with_flag() -> None:
    r = c(
        "From: feedback@provider.example\nSubject: FW: request\nMIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=feedback-report; boundary="b"\n\n'
        "--b\nContent-Type: text/plain\n\nThis is an abuse report.\n"
        "--b\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nVersion: 1\n\n--b--\n"
    )
    assert r.kind == ReplyKind.AUTO_REPLY and r.flags == ["feedback_report"]
    assert r.reasons[0].startswith("layer feedback loop")


def test_challenge_dressed_as_dsn_is_not_a_bounce() -> None:
    r = c(
        "From: noreply@boxbe.com\nSubject: Re: request (Action Required)\nMIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
        "--b\nContent-Type: text/plain\n\nYour message has been waitlisted. Add yourself to my Guest List.\n"
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; boxbe.com\n\n"
        "Final-Recipient: rfc822; a@b.vn\nAction: failed\nStatus: 4.7.0\n\n--b--\n"
    )
    assert r.kind == ReplyKind.AUTO_REPLY and r.flags == ["challenge_response"]


@pytest.mark.parametrize(
    ("subject", "sender", "body", "btype"),
    [
        (
            "Mail could not be delivered",
            "postmaster@isp.example",
            "Your message could not be delivered to stc@x.vn: 550 user unknown",
            "permanent",
        ),
        (
            "Returned Mail - Error During Delivery",
            "mail@isp.example",
            "The original message was received at Mon. ----- The following addresses had permanent fatal errors -----\n<stc@x.vn>",
            "permanent",
        ),
        (
            "Mail Delivery Warning",
            "postmaster@isp.example",
            "This is a warning only. Your message has not yet been delivered to stc@x.vn. It will be retried until it is 5 days old.",
            "temporary",
        ),
        (
            "Non-Delivery: Đề nghị awaits moderator approval",
            "list@groups.example",
            "Your message to list@groups.example awaits moderator approval.",
            "temporary",
        ),
        (
            "Mail delivery failed",
            "root@host.example",
            "This is the DragonFly Mail Agent v0.11 at host.example.\nThere was an error delivering your mail to <stc@x.vn>.",
            "permanent",
        ),
        (
            "[BOUNCE]",
            "james@host.example",
            "Hi. This is the James mail server at host.example.\nError message below:\n550 - Requested action not taken: no such user here",
            "permanent",
        ),
        (
            "Undeliverable Message",
            "post_master@vtext.com",
            "Error: No valid recipients",
            "permanent",
        ),
    ],
)
def test_report_subjects_and_wordings_from_unusual_senders(subject, sender, body, btype) -> None:
    r = c(
        f"From: {sender}\nTo: pobi@x.org\nSubject: {subject}\nContent-Type: text/plain; charset=utf-8\n\n{body}\n"
    )
    assert r.kind == ReplyKind.BOUNCE, r.reasons
    assert r.bounce is not None and r.bounce.bounce_type.value == btype, r.reasons


def test_noreply_or_auto_submitted_failure_is_a_bounce_not_an_auto_reply() -> None:
    ses = c(
        "From: no-reply@sns.amazonaws.com\nSubject: AWS Notification Message\n\n"
        '{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":'
        '[{"emailAddress":"stc@x.vn"}]}}\n'
    )
    assert ses.kind == ReplyKind.BOUNCE and ses.bounce.bounce_type.value == "permanent"
    kddi = c(
        "From: no-reply@mail.example.ne.jp\nSubject: Undelivered mail\nAuto-Submitted: auto-generated\n\n"
        "Your mail sent on: Mon, 2 Nov 2026\n Could not be delivered to: <stc@x.vn>\n"
    )
    assert kddi.kind == ReplyKind.BOUNCE
    vacation = c(
        "From: no-reply@portal.example.gov.vn\nSubject: Trả lời tự động: Đề nghị\nAuto-Submitted: auto-replied\n\n"
        "Tôi đang nghỉ phép, thư không được chuyển tiếp (not delivered to my deputy).\n"
    )
    assert vacation.kind == ReplyKind.AUTO_REPLY


def test_exchange_out_of_office_by_message_class_only() -> None:
    r = c(
        "From: an@stc.example.gov.vn\nSubject: Đề nghị\n"
        "X-MS-Exchange-Organization-MessageClass: IPM.Note.Rules.OofTemplate.Microsoft\n\nTôi đi công tác.\n"
    )
    assert r.kind == ReplyKind.AUTO_REPLY and "message class" in r.reasons[0]


@pytest.mark.parametrize(
    "subject",
    [
        "Automatyczna odpowiedź: x",
        "Abwesenheitsnotiz: x",
        "Réponse automatique : x",
        "Risposta automatica: x",
        "Trả lời tự động: x",
        "Automatisch antwoord: x",
    ],
)
def test_out_of_office_subjects_in_the_corpora_languages(subject: str) -> None:
    assert c(f"From: a@b.vn\nSubject: {subject}\n\nx\n").kind == ReplyKind.AUTO_REPLY


def test_people_quoting_or_forwarding_a_bounce_stay_human() -> None:
    quoting = c(
        "From: binh@stc.gov.vn\nSubject: Re: Undeliverable: Đề nghị\n\nGửi lại giúp tôi.\n"
        "> Delivery has failed to these recipients or groups:\n> 550 5.1.1 User unknown\n"
    )
    assert quoting.kind == ReplyKind.HUMAN
    forwarding = c(
        "From: binh@stc.gov.vn\nSubject: Fwd: Mail delivery failed\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="o"\n\n--o\nContent-Type: text/plain\n\n'
        "Xem thông báo lỗi bên dưới.\n--o\nContent-Type: message/rfc822\n\n"
        'From: MAILER-DAEMON@mx.x.vn\nSubject: Undelivered Mail Returned to Sender\nContent-Type: multipart/report; report-type=delivery-status; boundary="i"\n\n'
        "--i\nContent-Type: text/plain\n\nfailed\n--i\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822; k@x.vn\nAction: failed\nStatus: 5.1.1\n\n--i--\n--o--\n"
    )
    assert forwarding.kind == ReplyKind.HUMAN, forwarding.reasons


def test_daemon_notice_that_is_no_failure_is_automatic() -> None:
    r = c("From: MAILER-DAEMON@mx.x.vn\nSubject: Quota warning\n\nYour mailbox is 90% full.\n")
    assert r.kind == ReplyKind.AUTO_REPLY and r.reasons[0].startswith("layer mail system")


def test_blank_lines_before_the_headers_are_skipped() -> None:
    raw = b"\n   \nFrom: MAILER-DAEMON@mx.x.vn\nSubject: Undelivered Mail Returned to Sender\nReturn-Path: <>\n\n550 5.1.1 <k@x.vn>: user unknown\n"
    p = parse(raw)
    assert "leading_blank_lines" in p.flags and p.from_addr == "mailer-daemon@mx.x.vn"
    assert classify(p).kind == ReplyKind.BOUNCE


def test_auto_reply_quoting_failure_words_stays_auto_reply() -> None:
    r = c(
        "From: no-reply@portal.example.gov.vn\nSubject: Re: Đề nghị\nAuto-Submitted: auto-replied\n\n"
        "Cổng thông tin đã nhận được thư của Quý vị.\n\n"
        "> Thư trước của chúng tôi báo: 550 5.1.1 user unknown, could not be delivered\n"
    )
    assert r.kind == ReplyKind.AUTO_REPLY, r.reasons
