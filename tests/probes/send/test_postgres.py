"""The outbox and collection on PostgreSQL (the teams' back end), against the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from pobi.config import load_config
from pobi.sandbox.mail import MailSandbox
from pobi.store import Store
from tests.probes.send.conftest import seed_round
from tests.probes.send.helpers import pobi, request, states


@pytest.mark.postgres
def test_send_reconcile_collect_on_postgres(
    home: Path,
    pg_url: str,
    sandbox: MailSandbox,
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.probes.send.test_reconcile import crash_in_sending

    monkeypatch.setenv("POBI_DATABASE_URL", pg_url)
    store = Store.open(load_config(home))
    try:
        seed_round(store)
        assert pobi(capsys, "probe", "plan", "--round", "r1")[0] == 0
        crash_in_sending(store, home, "stc@hanoi.sandbox.test", handed=False)
        sandbox.fail_next("stc@danang.sandbox.test", 451)
        code, out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
        assert code == 0, err + out
        assert set(states(store).values()) == {"sent"}
        assert request(store, "stc@danang.sandbox.test").attempts == 2
        for address in states(store):
            assert len(sandbox.messages(address)) == 1
        sandbox.deliver(
            "khaosat@pobi.sandbox.test",
            b"From: stc@hanoi.sandbox.test\r\n"
            b"Subject: Re\r\nMessage-ID: <pg1@x>\r\n\r\nda nhan\r\n",
        )
        code, out, err = pobi(capsys, "probe", "collect", "--round", "r1")
        assert code == 0, err
        assert "1 new messages" in out
        code, out, _ = pobi(capsys, "probe", "collect", "--round", "r1")
        assert "0 new messages" in out
    finally:
        store.close()
