"""probe send against the sandbox's real SMTP/IMAP servers: previews, confirmation, retries,
rejections, the sandbox refusing outside addresses, and the exact bytes."""

from __future__ import annotations

import email
import itertools
from email.policy import default
from pathlib import Path

import pytest

from pobi.evidence import EvidenceStore
from pobi.sandbox.mail import MailSandbox
from pobi.store import Store
from probes.token import reply_address
from tests.conftest import run_pobi
from tests.probes.send.conftest import seed_round
from tests.probes.send.helpers import journal, pobi, request, states
from tests.support.mailservers import TOKEN_SECRET

PLANNED = [
    "sotaichinh@haiphong.sandbox.test",
    "stc@danang.sandbox.test",
    "stc@hanoi.sandbox.test",
    "ubnd@hcm.sandbox.test",
]


@pytest.fixture
def planned(env: dict[str, str], store: Store, capsys: pytest.CaptureFixture[str]) -> Store:
    seed_round(store)
    code, _out, err = pobi(capsys, "probe", "plan", "--round", "r1")
    assert code == 0, err
    return store


def inbox_count(sandbox: MailSandbox, address: str) -> int:
    return len(sandbox.messages(address))


def test_preview_writes_eml_and_sends_nothing(
    planned: Store, sandbox: MailSandbox, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = pobi(capsys, "probe", "send", "--round", "r1")
    assert code == 0, err
    files = sorted((home / "outbox" / "r1").glob("*.eml"))
    assert len(files) == 4 and "nothing was sent" in out
    msg = email.message_from_bytes(files[0].read_bytes(), policy=default)
    assert msg["To"] == "stc@hanoi.sandbox.test"
    assert msg["Reply-To"] == reply_address("khaosat", "pobi.sandbox.test", "r1", 1, TOKEN_SECRET)
    assert "[POBI-r1-1]" in msg["Subject"]
    assert "Nguyễn Văn An" in msg.get_content()
    assert sandbox.accepted == 0 and sandbox.messages(sandbox.researcher, "Sent") == []
    assert set(states(planned).values()) == {"draft"}


def test_send_refused_without_tty_and_without_yes(
    planned: Store, home: Path, env: dict[str, str]
) -> None:
    res = run_pobi("probe", "send", "--round", "r1", "--send", env=env)
    assert res.returncode == 2 and "without a terminal" in res.stderr
    assert set(states(planned).values()) == {"draft"}


def test_typed_confirmation(
    planned: Store,
    sandbox: MailSandbox,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    monkeypatch.setattr("pobi.commands.probe_send.interactive", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO("3\n"))
    code, out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send")
    assert code == 1 and "About to send 4 information requests to 4 recipients" in out
    assert "Not confirmed" in err and sandbox.accepted == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("4\n"))
    code, out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send")
    assert code == 0, err
    assert sandbox.accepted == 4


def test_send_exact_bytes_once_each_and_journal(
    planned: Store, sandbox: MailSandbox, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
    assert code == 0, err + out
    assert "Sent 4" in out
    assert states(planned) == dict.fromkeys(PLANNED, "sent")
    ev = EvidenceStore(home / "evidence")
    sent_copies = {m.raw for m in sandbox.messages(sandbox.researcher, "Sent")}
    for address in PLANNED:
        assert inbox_count(sandbox, address) == 1
        r = request(planned, address)
        raw = ev.read(r.eml_sha256)
        assert raw in sent_copies  # the bytes fixed before sending are the bytes sent
        delivered = sandbox.messages(address)[0].raw
        assert delivered.endswith(raw) and delivered.startswith(
            b"Delivered-To: " + address.encode()
        )
        assert r.message_id.encode() in raw and r.sent_at is not None
        assert [(a, b) for a, b, _ in journal(planned, r.id)] == [
            ("", "draft"),
            ("draft", "queued"),
            ("queued", "sending"),
            ("sending", "sending"),
            ("sending", "sent"),
        ]
    # nothing left: a second run sends nothing
    code, out, _ = pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
    assert code == 0 and "Nothing to send" in out and sandbox.accepted == 4


def test_4xx_retried_then_sent_and_5xx_rejected(
    planned: Store, sandbox: MailSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox.fail_next("stc@hanoi.sandbox.test", 451, times=2)
    sandbox.fail_next("stc@danang.sandbox.test", 554, "5.7.1 Message refused by policy", times=-1)
    sandbox.fail_next("ubnd@hcm.sandbox.test", 421, times=-1)  # never recovers
    code, _out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
    assert code == 0, err
    got = states(planned)
    assert got["stc@hanoi.sandbox.test"] == "sent"
    assert got["stc@danang.sandbox.test"] == "rejected"
    assert got["ubnd@hcm.sandbox.test"] == "failed"
    assert got["sotaichinh@haiphong.sandbox.test"] == "sent"
    hanoi = request(planned, "stc@hanoi.sandbox.test")
    assert hanoi.attempts == 3
    details = [d for _, _, d in journal(planned, hanoi.id)]
    assert sum("temporary failure: 451" in d for d in details) == 2
    assert (
        "554 5.7.1 Message refused by policy"
        in request(planned, "stc@danang.sandbox.test").last_error
    )
    assert request(planned, "ubnd@hcm.sandbox.test").attempts == 4  # 1 + max_retries 3
    assert inbox_count(sandbox, "stc@danang.sandbox.test") == 0
    assert inbox_count(sandbox, "ubnd@hcm.sandbox.test") == 0
    # the next run retries the failed one (same bytes), never the rejected one
    sandbox._faults.clear()
    before = request(planned, "ubnd@hcm.sandbox.test").eml_sha256
    code, _out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
    assert code == 0, err
    assert states(planned)["ubnd@hcm.sandbox.test"] == "sent"
    assert states(planned)["stc@danang.sandbox.test"] == "rejected"
    assert request(planned, "ubnd@hcm.sandbox.test").eml_sha256 == before
    assert inbox_count(sandbox, "ubnd@hcm.sandbox.test") == 1


def test_rejected_request_is_sent_again_only_when_the_operator_requeues_it(
    planned: Store, sandbox: MailSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 5xx leaves the request rejected across runs; `probe requeue` (with a reason) queues the
    same bytes again, and the recipient then gets exactly one copy."""
    sandbox.fail_next("stc@danang.sandbox.test", 554, "5.7.1 Message refused by policy", times=-1)
    code, _out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
    assert code == 0, err
    rejected = request(planned, "stc@danang.sandbox.test")
    assert rejected.state == "rejected"
    sent = request(planned, "stc@hanoi.sandbox.test")
    code, _out, err = pobi(capsys, "probe", "requeue", sent.id, "--reason", "x")
    assert code != 0 and "not rejected" in err  # a sent request can never be queued again
    code, _out, err = pobi(capsys, "probe", "requeue", rejected.id, "--reason", "  ")
    assert code != 0 and "--reason" in err
    sandbox._faults.clear()
    code, _out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
    assert code == 0, err
    assert states(planned)["stc@danang.sandbox.test"] == "rejected"  # never on its own
    assert inbox_count(sandbox, "stc@danang.sandbox.test") == 0
    code, out, err = pobi(
        capsys, "probe", "requeue", rejected.id, "--reason", "policy block lifted"
    )
    assert code == 0, err
    assert "queued again" in out
    code, _out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
    assert code == 0, err
    again = request(planned, "stc@danang.sandbox.test")
    assert again.state == "sent"
    assert (again.eml_sha256, again.message_id) == (rejected.eml_sha256, rejected.message_id)
    assert inbox_count(sandbox, "stc@danang.sandbox.test") == 1
    assert inbox_count(sandbox, "stc@hanoi.sandbox.test") == 1
    details = [d for _, _, d in journal(planned, rejected.id)]
    assert any(
        "queued again by the operator (same bytes): policy block lifted" in d for d in details
    )


def test_sandbox_refuses_addresses_outside_itself(
    env: dict[str, str],
    store: Store,
    sandbox: MailSandbox,
    home: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed_round(store)
    targets = home / "targets.csv"
    targets.write_text("province_code,recipient\n01,someone@gmail.com\n", encoding="utf-8")
    assert pobi(capsys, "probe", "plan", "--round", "r1", "--targets", str(targets))[0] == 0
    code, _out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
    assert code == 0, err
    assert states(store)["someone@gmail.com"] == "rejected"
    assert "relay denied" in request(store, "someone@gmail.com").last_error
    assert sandbox.refused and sandbox.refused[0][0] == "someone@gmail.com"


def test_missing_requester_refuses_to_send(
    home: Path,
    store: Store,
    sandbox: MailSandbox,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.support.mailservers import REQUESTER, configure_home

    values = configure_home(home, sandbox, requester={**REQUESTER, "id_number": "", "phone": ""})
    for k, v in values.items():
        monkeypatch.setenv(k, v)
    seed_round(store)
    pobi(capsys, "probe", "plan", "--round", "r1")
    code, _out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
    assert code == 2
    assert "requester.id_number" in err and "requester.phone" in err
    assert sandbox.accepted == 0


def test_plain_text_only_to_loopback(
    planned: Store, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POBI_SMTP_HOST", "smtp.example.org")
    code, _out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
    assert code == 2 and "only to a loopback host" in err
    assert set(states(planned).values()) == {"draft"}  # checked before anything is queued


def test_rate_limited(
    planned: Store,
    sandbox: MailSandbox,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POBI_SMTP_RATE_PER_MINUTE", "300")  # one every 0.2 s
    code, _out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
    assert code == 0, err
    from sqlalchemy import select

    from pobi.store.tables import RequestEvent

    with planned.session() as s:  # each attempt starts with queued -> sending, after the limiter
        times = sorted(
            s.scalars(
                select(RequestEvent.at).where(
                    RequestEvent.from_state == "queued", RequestEvent.to_state == "sending"
                )
            )
        )
    assert len(times) == 4
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.18, gaps


def test_dropped_connections(
    planned: Store, sandbox: MailSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox.fail_next("stc@hanoi.sandbox.test", 0, times=2)  # dropped before DATA: retried
    sandbox.fail_next("stc@danang.sandbox.test", 250)  # accepted, then dropped before the 250
    code, out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
    assert code == 0, err + out
    assert states(planned) == dict.fromkeys(PLANNED, "sent")
    assert "connection broke, but the Sent folder has it -> sent" in out
    for address in PLANNED:
        assert inbox_count(sandbox, address) == 1
    assert request(planned, "stc@hanoi.sandbox.test").attempts == 3
    assert request(planned, "stc@danang.sandbox.test").attempts == 1


def test_refused_sender_aborts_without_rejecting(
    planned: Store,
    sandbox: MailSandbox,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POBI_PROBES_REPLY_LOCAL", "someone-else")  # not the account's address
    code, _out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
    assert code == 6 and "refuses the sender address" in err
    assert set(states(planned).values()) == {"queued"}  # nothing rejected, nothing lost
    assert sandbox.accepted == 0
    # configuration fixed: the never-sent messages are rebuilt with the right address and sent
    monkeypatch.delenv("POBI_PROBES_REPLY_LOCAL")
    code, out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
    assert code == 0, err
    assert "reply address changed since it was queued; rebuilt" in out
    assert set(states(planned).values()) == {"sent"} and sandbox.accepted == 4
    hanoi = request(planned, "stc@hanoi.sandbox.test")
    assert hanoi.reply_address.startswith("khaosat+r1-1-")
    assert hanoi.reply_address.encode() in sandbox.messages("stc@hanoi.sandbox.test")[0].raw


@pytest.mark.parametrize(
    ("unset", "args", "message"),
    [
        ("POBI_TOKEN_SECRET", ("send", "--round", "r1"), "POBI_TOKEN_SECRET is not set"),
        (
            "POBI_SMTP_PASSWORD",
            ("send", "--round", "r1", "--send", "--yes"),
            "POBI_SMTP_PASSWORD is not set",
        ),
        ("POBI_IMAP_PASSWORD", ("collect", "--round", "r1"), "POBI_IMAP_PASSWORD is not set"),
    ],
)
def test_missing_secrets_are_clear_errors(
    planned: Store,
    sandbox: MailSandbox,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    unset: str,
    args: tuple[str, ...],
    message: str,
) -> None:
    monkeypatch.delenv(unset)
    code, _out, err = pobi(capsys, "probe", *args)
    assert code == 2 and message in err and "Traceback" not in err
    assert sandbox.accepted == 0
    assert set(states(planned).values()) == {"draft"}


def test_only_planned_recipients(
    planned: Store, sandbox: MailSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    """A request row changed after queueing (its recipient no longer the one in the fixed
    message) is refused before any byte leaves."""
    from pobi.config import load_config
    from pobi.evidence import EvidenceStore as Ev
    from pobi.store.tables import ProbeRequest
    from probes.outbox import Composer, load_ask, queue_request

    cfg = load_config()
    with planned.session() as s:
        composer = Composer.for_round(s, cfg, "r1", load_ask())
        for req in s.query(ProbeRequest).order_by(ProbeRequest.n):
            queue_request(s, Ev(cfg.evidence_dir), composer, req)
        s.query(ProbeRequest).filter_by(n=1).one().recipient = "ubnd@hanoi.sandbox.test"
    code, _out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
    assert code == 5 and "not to its planned recipient" in err
    assert len(sandbox.messages("ubnd@hanoi.sandbox.test")) == 0
    assert len(sandbox.messages("stc@hanoi.sandbox.test")) == 0
