"""pobi probe remind against the sandbox's real SMTP/IMAP servers: due requests only, in the
request's thread with its reply token, exactly once per wave, a second reminder refused, and the
letter naming no tool."""

from __future__ import annotations

import email
from email.policy import default
from pathlib import Path

import pytest
from sqlalchemy import select

from pobi.clock import now
from pobi.evidence import EvidenceStore
from pobi.sandbox.mail import MailSandbox
from pobi.store import Store
from pobi.store.tables import Message, RequestWave, WaveEvent
from probes.match import RoundRequests
from tests.probes.send.conftest import seed_round
from tests.probes.send.helpers import pobi, request

# Monday 2 March 2026 09:00 in Hanoi, and 10 working days later (no holiday in between)
SENT_AT = "2026-03-02T09:00:00+07:00"
LATER = "2026-03-16T09:00:00+07:00"  # 10 working days after
ANSWERED = "stc@danang.sandbox.test"


@pytest.fixture
def sent_round(
    env: dict[str, str],
    home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Store:
    from pobi.config import load_config

    monkeypatch.setenv("POBI_NOW", SENT_AT)
    store = Store.open(load_config(home))
    seed_round(store)
    assert pobi(capsys, "probe", "plan", "--round", "r1")[0] == 0
    code, out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
    assert code == 0 and "Sent 4" in out, err + out
    # a person at Da Nang answered (stored as collect would store a matched human reply)
    with store.session() as s:
        r = request(store, ANSWERED)
        s.add(
            Message(
                round_id="r1",
                message_id="<answer-1@danang.sandbox.test>",
                raw_sha256="0" * 64,
                source="test",
                from_addr=ANSWERED,
                received_at=now(),
                kind="human",
                request_id=r.id,
                match_method="token",
                stored_at=now(),
            )
        )
    yield store
    store.close()


def test_remind_preview_then_send_once_in_thread(
    sent_round: Store,
    sandbox: MailSandbox,
    home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # too early: 3 working days < 5
    monkeypatch.setenv("POBI_NOW", "2026-03-05T09:00:00+07:00")
    code, out, err = pobi(capsys, "probe", "remind", "--round", "r1", "--after", "5")
    assert code == 0 and "No request of round r1 is due" in out, err
    monkeypatch.setenv("POBI_NOW", LATER)
    code, out, err = pobi(capsys, "probe", "remind", "--round", "r1", "--after", "5")
    assert code == 0 and "Wrote 3 wave-2 reminder previews" in out, err + out
    assert "already answered by a person): 1" in out
    assert len(list((home / "outbox" / "r1" / "wave-2").glob("*.eml"))) == 3
    assert sandbox.accepted == 4  # previews send nothing

    code, out, err = pobi(
        capsys, "probe", "remind", "--round", "r1", "--after", "5", "--send", "--yes"
    )
    assert code == 0 and "Wave 2: sent 3" in out, err + out
    assert sandbox.accepted == 7
    for address in ("stc@hanoi.sandbox.test", "ubnd@hcm.sandbox.test"):
        first, reminder = sandbox.messages(address)
        a = email.message_from_bytes(first.raw, policy=default)
        b = email.message_from_bytes(reminder.raw, policy=default)
        assert b["In-Reply-To"] == a["Message-ID"] and b["References"] == a["Message-ID"]
        assert b["Reply-To"] == a["Reply-To"] and b["From"] == a["From"]  # same reply token
        tag = a["Subject"].split()[0]
        assert tag.startswith("[POBI-r1-") and tag in b["Subject"]
        assert b["Subject"].startswith("Nhắc lại: ")
        body = b.get_content()
        assert "10 ngày làm việc" in body and "> PHIẾU YÊU CẦU CUNG CẤP THÔNG TIN" in body
        assert "104/2016/QH13" in body  # March 2026: the law of 2016 is in force
    assert len(sandbox.messages(ANSWERED)) == 1  # answered: no reminder
    with sent_round.session() as s:
        rows = list(s.scalars(select(RequestWave)))
        assert {w.state for w in rows} == {"sent"} and len(rows) == 3
        journal = [
            (e.from_state, e.to_state)
            for e in s.scalars(select(WaveEvent).where(WaveEvent.wave_pk == rows[0].id))
        ]
        assert journal == [
            ("", "queued"),
            ("queued", "sending"),
            ("sending", "sending"),
            ("sending", "sent"),
        ]
        # a reply to the reminder matches the request: its Message-ID stands for the request
        reqs = RoundRequests(s, "r1")
        assert reqs.by_mid[rows[0].message_id.strip("<>")].id == rows[0].request_id

    # the same wave again: refused, nothing sent
    code, out, err = pobi(
        capsys, "probe", "remind", "--round", "r1", "--after", "5", "--send", "--yes"
    )
    assert code == 5 and "second reminder of the same wave is refused" in err, out + err
    assert sandbox.accepted == 7
    # wave 3 waits for 5 working days after wave 2
    code, out, err = pobi(
        capsys, "probe", "remind", "--round", "r1", "--after", "5", "--wave", "3", "--send", "--yes"
    )
    assert code == 0 and "No request of round r1 is due a wave-3" in out
    monkeypatch.setenv("POBI_NOW", "2026-03-23T09:00:00+07:00")
    code, out, err = pobi(
        capsys, "probe", "remind", "--round", "r1", "--after", "5", "--wave", "3", "--send", "--yes"
    )
    assert code == 0 and "Wave 3: sent 3" in out, err + out
    first, second, third = sandbox.messages("stc@hanoi.sandbox.test")
    ids = [email.message_from_bytes(m.raw, policy=default)["Message-ID"] for m in (first, second)]
    c = email.message_from_bytes(third.raw, policy=default)
    assert c["In-Reply-To"] == ids[1] and c["References"].split() == ids
    assert c["Subject"].startswith("Nhắc lại lần 2: ")


def test_letters_name_no_tool_and_tag_is_configurable(
    env: dict[str, str],
    home: Path,
    sandbox: MailSandbox,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pobi.config import load_config
    from pobi.store.tables import ProbeRequest
    from probes.classify import classify
    from probes.match import match_message
    from probes.parse import parse as parse_message
    from tests.support.mailservers import TOKEN_SECRET

    monkeypatch.setenv("POBI_NOW", "2026-09-01T08:00:00+07:00")  # the amended law's first day
    monkeypatch.setenv("POBI_PROBES_SUBJECT_TAG", "YC")
    store = Store.open(load_config(home))
    seed_round(store)
    assert pobi(capsys, "probe", "plan", "--round", "r1")[0] == 0
    code, _out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
    assert code == 0, err
    raw = sandbox.messages("stc@hanoi.sandbox.test")[0].raw
    msg = email.message_from_bytes(raw, policy=default)
    assert msg["Subject"].startswith("[YC-r1-")
    for header in ("X-Mailer", "User-Agent"):
        assert msg[header] is None
    # the bytes we sent (the sandbox adds its own Received header on delivery)
    ours = EvidenceStore(home / "evidence").read(
        request(store, "stc@hanoi.sandbox.test").eml_sha256
    )
    headers = ours.split(b"\r\n\r\n", 1)[0].lower()
    # the only "pobi" is the sandbox's configured mail domain (a real team uses its own)
    assert b"pobi" not in headers.replace(b"pobi.sandbox.test", b"")
    assert "pobi" not in msg["Message-ID"].split("@")[0]
    body = msg.get_content()
    assert "sửa đổi, có hiệu lực từ ngày 01 tháng 9 năm 2026" in body and "104/2016" not in body
    with store.session() as s:
        r = s.scalar(select(ProbeRequest).where(ProbeRequest.recipient == "stc@hanoi.sandbox.test"))
        assert r is not None and r.law == "lai-amended-2026"
        # a reply that kept only the subject tag still matches
        reply = (
            f"From: stc@other.test\r\nTo: someone@else.test\r\nSubject: Re: {r.subject}\r\n"
            "Message-ID: <x1@other.test>\r\n\r\nda nhan\r\n"
        ).encode()
        p = parse_message(reply)
        m = match_message(p, classify(p), RoundRequests(s, "r1"), TOKEN_SECRET)
        assert m.request_id == r.id and m.method.value == "subject_tag"
    store.close()


def test_response_per_wave(
    sent_round: Store,
    sandbox: MailSandbox,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pobi.timing import request_timings
    from scoring.statistics import compute_statistics

    monkeypatch.setenv("POBI_NOW", LATER)
    args = ("probe", "remind", "--round", "r1", "--after", "5", "--send", "--yes")
    assert pobi(capsys, *args)[0] == 0
    # Hai Phong answers after the first reminder
    monkeypatch.setenv("POBI_NOW", "2026-03-18T09:00:00+07:00")
    with sent_round.session() as s:
        s.add(
            Message(
                round_id="r1",
                message_id="<answer-2@haiphong.sandbox.test>",
                raw_sha256="1" * 64,
                source="test",
                from_addr="sotaichinh@haiphong.sandbox.test",
                received_at=now(),
                kind="human",
                request_id=request(sent_round, "sotaichinh@haiphong.sandbox.test").id,
                match_method="thread",
                stored_at=now(),
            )
        )
    with sent_round.session() as s:
        timings = {t.recipient: t for t in request_timings(s, "r1")}
    assert timings[ANSWERED].wave == 1 and timings["sotaichinh@haiphong.sandbox.test"].wave == 2
    assert timings["stc@hanoi.sandbox.test"].wave == 2  # reminded, not answered (so far)
    assert {t.channel for t in timings.values()} == {"email"}
    stats, _ = compute_statistics("r1", "current", list(timings.values()))
    got = {r["measure"]: (r["k"], r["n"]) for r in stats if r["group"] == "all"}
    assert got["human_reply_wave_1_rate"] == (1, 4)
    assert got["human_reply_wave_2_rate"] == (1, 3)
    assert got["human_reply_by_wave_2_rate"] == (2, 4)
    assert "human_reply_rate_email" not in got  # one channel only: no per-channel rows


def test_crash_after_data_is_reconciled_never_sent_twice(
    sent_round: Store,
    sandbox: MailSandbox,
    home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A run that handed a reminder to the server and died before recording it: the next run
    finds it in the Sent folder (marks it sent) and a reminder it never submitted is sent once."""
    import asyncio

    from pobi.config import load_config
    from pobi.models import RequestState
    from probes.remind import ReminderComposer, plan_wave, queue_reminder, wave_transition
    from probes.smtp import Submission

    monkeypatch.setenv("POBI_NOW", LATER)
    cfg = load_config(home)
    ev = EvidenceStore(home / "evidence")
    with sent_round.session() as s:
        composer = ReminderComposer.for_round(s, cfg, ev, "r1")
        plan = plan_wave(s, "r1", 2, 5)
        assert len(plan.due) == 3
        rows = [queue_reminder(s, composer, due, 2) for due in plan.due]
        s.flush()
        handed, never = rows[0], rows[1]
        for row in (handed, never):
            wave_transition(s, row, RequestState.SENDING, "attempt 1 (the run then died)")
        s.add(
            WaveEvent(
                wave_pk=handed.id, to_state="sending", detail="DATA: message handed", at=now()
            )
        )
        raw = ev.read(handed.eml_sha256)
        target = next(d.request for d in plan.due if d.request.id == handed.request_id)
        sender, recipient = target.reply_address, target.recipient

    async def hand_over() -> None:
        sub = Submission(cfg.smtp, cfg.secret("smtp_password"))
        try:
            await sub.send(sender, recipient, raw)
        finally:
            await sub.close()

    asyncio.run(hand_over())  # the server took it; the run "died" before recording
    assert sandbox.accepted == 5
    code, out, err = pobi(
        capsys, "probe", "remind", "--round", "r1", "--after", "5", "--send", "--yes"
    )
    assert code == 0, err + out
    assert "found in the Sent folder -> sent" in out
    assert sandbox.accepted == 7  # the two others once each; the handed one not again
    assert len(sandbox.messages(recipient)) == 2  # the request and one reminder
    with sent_round.session() as s:
        assert {w.state for w in s.scalars(select(RequestWave))} == {"sent"}
