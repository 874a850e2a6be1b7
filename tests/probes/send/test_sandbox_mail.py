"""The sandbox mail world itself: its refusals, its Sent-folder guarantee, its DSNs, and the
simulated agencies' calibration and determinism."""

from __future__ import annotations

import asyncio
from collections import Counter

import aiosmtplib
import pytest
from flufl.bounce import scan_message

from pobi.sandbox.agencies import Behaviour, Route, plan_agencies
from pobi.sandbox.mail import MailSandbox, dsn

RAW = (
    b"From: A <khaosat+r-1-abcdef12@pobi.sandbox.test>\r\nTo: stc@p01.sandbox.test\r\n"
    b"Subject: [POBI-r-1] test\r\nMessage-ID: <m1@pobi.sandbox.test>\r\n\r\nbody\r\n"
)


async def _submit(mail: MailSandbox, sender: str, rcpts: list[str], login: bool = True) -> object:
    client = aiosmtplib.SMTP(hostname=mail.host, port=mail.smtp_port, start_tls=False)
    await client.connect()
    try:
        if login:
            await client.login(mail.researcher, mail.password)
        return await client.sendmail(sender, rcpts, RAW)
    finally:
        client.close()


def test_submission_rules_and_sent_guarantee() -> None:
    with MailSandbox(
        ["stc@p01.sandbox.test", "dead@p02.sandbox.test"], bouncing=["dead@p02.sandbox.test"]
    ) as mail:
        with pytest.raises(aiosmtplib.SMTPException):  # AUTH required
            asyncio.run(_submit(mail, mail.researcher, ["stc@p01.sandbox.test"], login=False))
        with pytest.raises(aiosmtplib.SMTPSenderRefused):  # not the researcher's address
            asyncio.run(_submit(mail, "someone@p01.sandbox.test", ["stc@p01.sandbox.test"]))
        with pytest.raises(aiosmtplib.SMTPRecipientsRefused):  # outside the sandbox
            asyncio.run(_submit(mail, mail.researcher, ["x@example.com"]))
        assert mail.accepted == 0 and mail.messages(mail.researcher, "Sent") == []
        asyncio.run(
            _submit(
                mail,
                "khaosat+r-1-abcdef12@pobi.sandbox.test",
                ["stc@p01.sandbox.test", "dead@p02.sandbox.test"],
            )
        )
        sent = mail.messages(mail.researcher, "Sent")
        assert [m.raw for m in sent] == [RAW]  # the exact bytes, filed before the 250
        inbox = mail.messages("stc@p01.sandbox.test")
        assert len(inbox) == 1 and inbox[0].raw.endswith(RAW)
        assert b"Delivered-To: stc@p01.sandbox.test" in inbox[0].raw
        assert mail.messages("dead@p02.sandbox.test") == []
        bounces = mail.messages(mail.researcher)
        assert len(bounces) == 1
        report = bounces[0].raw
        assert b"Delivered-To: khaosat+r-1-abcdef12@pobi.sandbox.test" in report
        assert b"<m1@pobi.sandbox.test>" in report  # original headers returned


def test_dsn_is_recognised_by_flufl_bounce() -> None:
    import email
    from datetime import UTC, datetime

    raw = dsn(
        "khaosat+r-1-x@pobi.sandbox.test",
        "dead@p02.sandbox.test",
        RAW,
        datetime(2026, 3, 2, tzinfo=UTC),
    )
    msg = email.message_from_bytes(raw)
    assert msg.get_content_type() == "multipart/report"
    assert b"dead@p02.sandbox.test" in {
        bytes(x) if isinstance(x, bytes) else x.encode() for x in scan_message(msg)
    }


def published(n_finance: int, n_portal: int) -> dict[str, tuple[str, str]]:
    out = {f"stc@f{i}.sandbox.test": (f"{i:02d}", "finance") for i in range(n_finance)}
    out |= {f"ubnd@p{i}.sandbox.test": (f"{i:02d}", "portal") for i in range(n_portal)}
    return out


def test_agencies_calibrated_like_pobi_2019_and_deterministic() -> None:
    plan = plan_agencies(published(63, 63), seed=5)
    finance = Counter(a.behaviour for a in plan.agencies.values() if a.site_kind == "finance")
    # 8 of 63 answer substantively (on time or late), as in POBI 2019
    assert finance[Behaviour.SUBSTANTIVE] + finance[Behaviour.LATE] == 8
    assert finance[Behaviour.SILENT] > 63 / 2  # most are silent
    assert all(finance[b] >= 1 for b in Behaviour)
    routes = Counter(
        a.route
        for a in plan.agencies.values()
        if a.behaviour
        in (Behaviour.SUBSTANTIVE, Behaviour.LATE, Behaviour.ACKNOWLEDGMENT, Behaviour.REFERRAL)
    )
    assert set(routes) == set(Route)
    again = plan_agencies(published(63, 63), seed=5)
    assert again.agencies == plan.agencies
    other = plan_agencies(published(63, 63), seed=6)
    assert other.agencies != plan.agencies
    assert len(plan.bouncing()) == finance[Behaviour.BOUNCE] + sum(
        1 for a in plan.agencies.values() if a.site_kind == "portal" and a.behaviour == "bounce"
    )
