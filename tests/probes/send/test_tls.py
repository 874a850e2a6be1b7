"""Encrypted transports: SMTP with STARTTLS and implicit TLS (sandbox submission server), IMAP
with implicit TLS and STARTTLS (Dovecot), certificates verified against a test CA."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pobi.sandbox.mail import MailSandbox
from pobi.store import Store
from tests.probes.send.conftest import ADDRESSES, seed_round
from tests.probes.send.helpers import pobi, states
from tests.support.mailservers import (
    configure_home,
    dovecot_available,
    dovecot_server,
    maildir_deliver,
    make_cert,
)


@pytest.fixture
def cert(tmp_path: Path) -> tuple[str, str]:
    return make_cert(tmp_path / "tls")


@pytest.fixture
def tls_sandbox(cert: tuple[str, str]) -> Iterator[MailSandbox]:
    with MailSandbox(ADDRESSES, tls_cert=cert) as mail:
        yield mail


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_send_over_tls(
    security: str,
    home: Path,
    store: Store,
    tls_sandbox: MailSandbox,
    cert: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    port = tls_sandbox.smtp_port if security == "starttls" else tls_sandbox.smtps_port
    env = configure_home(home, tls_sandbox, extra={"smtp": {"security": security, "port": port}})
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    seed_round(store)
    assert pobi(capsys, "probe", "plan", "--round", "r1")[0] == 0
    # an untrusted certificate: a clear error, nothing sent, nothing lost
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.setenv("SSL_CERT_DIR", str(home))  # no CA here
    code, _out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
    assert code == 6 and "Cannot connect to the SMTP server" in err
    assert set(states(store).values()) == {"queued"} and tls_sandbox.accepted == 0
    # trusted: sent
    monkeypatch.setenv("SSL_CERT_FILE", cert[0])
    code, _out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
    assert code == 0, err
    assert set(states(store).values()) == {"sent"} and tls_sandbox.accepted == 4


@pytest.mark.dovecot
@pytest.mark.skipif(
    not dovecot_available(),
    reason="Dovecot not installed (apt-get install dovecot-imapd); .ci/run installs it",
)
@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_collect_over_tls(
    security: str,
    home: Path,
    store: Store,
    cert: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with dovecot_server(tls_cert=cert) as dc:
        port = dc.imaps_port if security == "tls" else dc.port
        env = configure_home(
            home,
            None,
            extra={
                "imap": {
                    "host": "localhost",
                    "port": port,
                    "security": security,
                    "username": dc.user,
                    "folders": ["INBOX"],
                }
            },
        )
        env["POBI_IMAP_PASSWORD"] = dc.password
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        monkeypatch.setenv("SSL_CERT_FILE", cert[0])
        seed_round(store)
        maildir_deliver(
            dc, b"From: a@p01.sandbox.test\r\nSubject: x\r\nMessage-ID: <t1@x>\r\n\r\nhi\r\n"
        )
        code, out, err = pobi(capsys, "probe", "collect", "--round", "r1")
        assert code == 0, err
        assert "1 new messages" in out
