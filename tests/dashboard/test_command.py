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


def test_ctrl_c_stops_it_even_when_started_with_sigint_ignored(seeded: Seeded) -> None:
    """A background job of a shell script, or a test runner's worker, starts programs with SIGINT
    ignored; Python then raises no KeyboardInterrupt on its own. The dashboard still stops, and
    takes its Streamlit server with it."""
    import os
    import signal
    import subprocess

    from tests.conftest import POBI
    from tests.support.servers import free_port, wait_port

    port = free_port()
    env = {**os.environ, "POBI_HOME": str(seeded.home), "NO_COLOR": "1"}
    env.pop("POBI_DATABASE_URL", None)
    proc = subprocess.Popen(
        [POBI, "dashboard", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    try:
        wait_port("127.0.0.1", port, timeout=60)
        out = ""
        assert proc.stdout is not None
        while "Dashboard ready" not in out:  # its handlers are installed by then
            line = proc.stdout.readline()
            assert line, out
            out += line
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, out + rest
    assert "Stopping the dashboard" in rest
    with socket.socket() as s:  # Streamlit stopped too
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
