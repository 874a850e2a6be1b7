"""`pobi dashboard`: start the Streamlit dashboard on this machine, offline."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Annotated

import typer

from pobi.commands.common import console, err_console, workspace

# Every setting that keeps Streamlit from calling out to the internet or to a browser.
OFFLINE_FLAGS = [
    "--server.headless",
    "true",
    "--browser.gatherUsageStats",
    "false",
    "--server.fileWatcherType",
    "none",
    "--server.runOnSave",
    "false",
    "--global.developmentMode",
    "false",
    "--client.toolbarMode",
    "viewer",
    "--server.enableStaticServing",
    "false",
    "--theme.base",
    "light",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def register(app: typer.Typer) -> None:
    app.command("dashboard")(dashboard_cmd)


def _app_path() -> Path:
    import dashboard

    return Path(dashboard.__file__).resolve().parent / "app.py"


def _port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as resp:
                if resp.status == 200:
                    return True
        except OSError:
            time.sleep(0.2)
    return False


def streamlit_command(app_path: Path, host: str, port: int, *, public: bool) -> list[str]:
    return [
        sys.executable,
        "-m",
        "dashboard.serve",  # Streamlit's own CLI, in a process warmed up first
        "run",
        str(app_path),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--browser.serverAddress",
        host,
        *OFFLINE_FLAGS,
        # tracebacks help a researcher; the public never sees file paths or code
        "--client.showErrorDetails",
        "false" if public else "true",
    ]


def dashboard_cmd(
    round_id: Annotated[
        str | None,
        typer.Option("--round", help="Round shown first (default: the newest). Đợt hiển thị."),
    ] = None,
    public: Annotated[
        bool,
        typer.Option(
            "--public",
            help="Public mode: aggregates, scores and portal evidence only; no e-mail contents, "
            "no personal data, no Review page. Chế độ công khai.",
        ),
    ] = False,
    port: Annotated[
        int, typer.Option("--port", help="Port (0 = any free port).", min=0, max=65535)
    ] = 8501,
    host: Annotated[
        str,
        typer.Option("--host", help="Address to listen on. Default 127.0.0.1: only this computer."),
    ] = "127.0.0.1",
) -> None:
    """Open the dashboard: map, rankings, province evidence, reply curves, trends, downloads.

    Mở bảng điều khiển: bản đồ, xếp hạng, bằng chứng từng tỉnh, thời gian phản hồi, xu hướng, tải dữ liệu. Tiếng Việt mặc định; English in the sidebar.

    It listens on this computer only (127.0.0.1) and never calls the internet. Researcher mode (the default) shows e-mail contents and the Review page for coding: do not expose it. Use --public for anything others will see. Stop with Ctrl-C.

    Examples: [bold]pobi dashboard[/bold] · [bold]pobi dashboard --round 2026 --public --port 8600[/bold]
    """
    from pobi.errors import ExternalServiceError, InputError
    from pobi.rounds import get_round

    ws = workspace()
    with ws.store.session() as s:  # opens and migrates the store; checks the round
        if round_id is not None:
            get_round(s, round_id)
    ws.store.close()

    if host not in LOOPBACK:
        err_console.print(
            f"[yellow]Warning: listening on {host} makes the dashboard reachable from other "
            "computers."
            + ("" if public else " Researcher mode shows e-mail contents and personal data;")
            + (" consider --public." if not public else "")
            + "[/yellow]"
        )
    if port == 0:
        port = _free_port(host)
    elif not _port_free(host, port):
        raise InputError(
            f"Port {port} on {host} is already in use.",
            hint="Choose another with --port N (or --port 0 for any free port).",
        )

    env = {
        **os.environ,
        "POBI_HOME": str(ws.config.home),
        "POBI_DASHBOARD_PUBLIC": "1" if public else "",
        "POBI_DASHBOARD_ROUND": round_id or "",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "STREAMLIT_SERVER_HEADLESS": "true",
    }
    cmd = streamlit_command(_app_path(), host, port, public=public)
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{port}"
    mode = "public / công khai" if public else "researcher / nghiên cứu viên"
    console.print(f"Starting the dashboard ({mode}) for {ws.config.home} …")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, start_new_session=True)

    def _stop(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    # Ctrl-C (SIGINT) and SIGTERM both stop it, even when started with SIGINT ignored (a
    # background job of a script, a test runner's worker): Python only turns SIGINT into
    # KeyboardInterrupt by itself when SIGINT was not ignored at start
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        if not _wait_ready(url, proc):
            code = proc.poll()
            proc.terminate()
            raise ExternalServiceError(
                f"Streamlit did not start on {url}"
                + (f" (exited with code {code})" if code is not None else "")
                + "; see the messages above."
            )
        console.print(
            f"[bold green]Dashboard ready:[/bold green] {url}\n"
            f"Bảng điều khiển: {url}   ·   Ctrl-C to stop / để dừng."
        )
        sys.stdout.flush()
        proc.wait()
    except KeyboardInterrupt:
        console.print("Stopping the dashboard … / Đang dừng …")
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    if proc.returncode not in (0, -signal.SIGTERM, None):
        err_console.print(f"Streamlit exited with code {proc.returncode}.")
