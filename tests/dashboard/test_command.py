"""`pobi dashboard` as a user meets it: help, bad round, busy port, offline settings."""

from __future__ import annotations

import socket
from pathlib import Path

from pobi.commands.dashboard import OFFLINE_FLAGS, streamlit_command
from tests.conftest import run_pobi
from tests.dashboard.seed import Seeded


def test_help_teaches_in_both_languages() -> None:
    res = run_pobi("dashboard", "--help")
    assert res.returncode == 0
    for text in ("--public", "--round", "--port", "127.0.0.1", "Mở bảng điều khiển", "Ctrl-C"):
        assert text in res.stdout, text


def test_unknown_round_is_a_clear_error(seeded: Seeded) -> None:
    res = run_pobi("dashboard", "--round", "1999")
    assert res.returncode == 3
    assert "No round '1999'" in res.stderr and "2026" in res.stderr


def test_busy_port_is_a_clear_error(seeded: Seeded) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        res = run_pobi("dashboard", "--port", str(port))
    assert res.returncode == 2
    assert f"Port {port} on 127.0.0.1 is already in use" in res.stderr
    assert "--port 0" in res.stderr


def test_streamlit_is_told_to_stay_offline_and_local() -> None:
    cmd = streamlit_command(Path("dashboard/app.py"), "127.0.0.1", 8600, public=True)
    pairs = dict(zip(cmd[5::2], cmd[6::2], strict=False))
    assert pairs["--server.address"] == "127.0.0.1"
    assert pairs["--server.port"] == "8600"
    assert pairs["--server.headless"] == "true"
    assert pairs["--browser.gatherUsageStats"] == "false"
    assert pairs["--client.showErrorDetails"] == "false"  # public: no tracebacks
    assert set(OFFLINE_FLAGS[::2]) <= set(pairs)
    researcher = streamlit_command(Path("dashboard/app.py"), "127.0.0.1", 8600, public=False)
    assert (
        dict(zip(researcher[5::2], researcher[6::2], strict=False))["--client.showErrorDetails"]
        == "true"
    )
