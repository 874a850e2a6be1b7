"""Reconciling requests a crash left in 'sending', against the sandbox's Sent folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from pobi.evidence import EvidenceStore
from pobi.sandbox.mail import MailSandbox
from pobi.store import Store
from pobi.store.tables import ProbeRequest, RequestEvent
from probes.outbox import DATA_MARK, Composer, load_ask, queue_request, transition
from tests.probes.send.conftest import seed_round
from tests.probes.send.helpers import journal, pobi, request, states

HANOI, HCM, DANANG, HAIPHONG = (
    "stc@hanoi.sandbox.test",
    "ubnd@hcm.sandbox.test",
    "stc@danang.sandbox.test",
    "sotaichinh@haiphong.sandbox.test",
)


def crash_in_sending(store: Store, home: Path, recipient: str, *, handed: bool) -> ProbeRequest:
    """Leave a request as a SIGKILL would: queued bytes, state 'sending', maybe the DATA mark."""
    from pobi.config import load_config
    from pobi.models import RequestState

    cfg = load_config(home)
    with store.session() as s:
        req = s.query(ProbeRequest).filter_by(recipient=recipient).one()
        composer = Composer.for_round(s, cfg, "r1", load_ask())
        queue_request(s, EvidenceStore(home / "evidence"), composer, req)
        transition(s, req, RequestState.SENDING, "attempt 1: submitting")
        if handed:
            s.add(
                RequestEvent(
                    request_id=req.id,
                    from_state="sending",
                    to_state="sending",
                    detail=DATA_MARK,
                    at=req.created_at,
                )
            )
        return req


@pytest.fixture
def planned(env: dict[str, str], store: Store, capsys: pytest.CaptureFixture[str]) -> Store:
    seed_round(store)
    assert pobi(capsys, "probe", "plan", "--round", "r1")[0] == 0
    return store


def test_reconcile_each_case(
    planned: Store, sandbox: MailSandbox, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = EvidenceStore(home / "evidence")
    # 1. killed before DATA: provably not sent -> queued again and sent once
    crash_in_sending(planned, home, HANOI, handed=False)
    # 2. killed after the server's 250: the Sent folder has it -> sent, never re-sent
    r2 = crash_in_sending(planned, home, HCM, handed=True)
    raw = ev.read(r2.eml_sha256)
    sandbox.append(sandbox.researcher, "Sent", raw)
    sandbox.deliver(HCM, raw)
    # 3. killed during DATA, server never completed it: unclear -> left in 'sending' with --yes
    crash_in_sending(planned, home, DANANG, handed=True)

    code, out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
    assert code == 0, err
    got = states(planned)
    assert got[HANOI] == "sent" and got[HCM] == "sent" and got[HAIPHONG] == "sent"
    assert got[DANANG] == "sending"
    assert "found in the Sent folder -> sent" in out
    assert "unclear whether it was sent" in out and "still 'sending'" in err
    assert [len(sandbox.messages(a)) for a in (HANOI, HCM, DANANG, HAIPHONG)] == [1, 1, 0, 1]
    details = [d for _, _, d in journal(planned, request(planned, HANOI).id)]
    assert any("stopped before DATA" in d for d in details)

    # again with --yes only: still nothing sent to Da Nang (never blindly)
    pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
    assert len(sandbox.messages(DANANG)) == 0 and states(planned)[DANANG] == "sending"

    # the operator declares the Sent folder complete: not in it means not sent -> sent once
    code, out, err = pobi(
        capsys, "probe", "send", "--round", "r1", "--send", "--yes", "--trust-sent-folder"
    )
    assert code == 0, err
    assert states(planned)[DANANG] == "sent" and len(sandbox.messages(DANANG)) == 1
    assert len(sandbox.messages(HCM)) == 1


def test_operator_decides_interactively(
    planned: Store,
    sandbox: MailSandbox,
    home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    crash_in_sending(planned, home, DANANG, handed=True)
    crash_in_sending(planned, home, HANOI, handed=True)
    monkeypatch.setattr("pobi.commands.probe_send.interactive", lambda: True)
    # first unclear request (n order): Ha Noi -> 'sent'; Da Nang -> 'resend'; confirm 3
    monkeypatch.setattr("sys.stdin", io.StringIO("sent\nresend\n3\n"))
    code, out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send")
    assert code == 0, err + out
    assert states(planned) == dict.fromkeys([HANOI, HCM, DANANG, HAIPHONG], "sent")
    assert len(sandbox.messages(HANOI)) == 0  # the operator said it went out: not re-sent
    assert len(sandbox.messages(DANANG)) == 1
    details = [d for _, _, d in journal(planned, request(planned, HANOI).id)]
    assert "operator confirmed it was sent" in details
