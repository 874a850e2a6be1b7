"""Real servers for tests, started on loopback and stopped afterwards.

PostgreSQL: ``POBI_TEST_POSTGRES_URL`` if set, else a throwaway cluster made with Debian's
``initdb``/``pg_ctl`` in a temporary folder (as the ``postgres`` user when we are root, since
PostgreSQL refuses to run as root). Tests that need a server skip with the reason when its
package is not installed; ``.ci/run`` installs every package, so nothing is skipped in CI.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_port(host: str, port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"{host}:{port} did not open within {timeout} s")


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield a SQLAlchemy URL of a fresh PostgreSQL database."""
    env_url = os.environ.get("POBI_TEST_POSTGRES_URL")
    if env_url:
        yield env_url
        return
    bindir = pg_bin()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed (Debian package 'postgresql')")
    as_root = os.geteuid() == 0
    base = Path(tempfile.mkdtemp(prefix="pobi-pg-"))
    data = base / "data"
    port = free_port()
    prefix: list[str] = []
    if as_root:
        pw = pwd.getpwnam("postgres")
        os.chown(base, pw.pw_uid, pw.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    try:
        subprocess.run(
            [
                *prefix,
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "pobi",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                *prefix,
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-w",
                "-l",
                str(base / "log"),
                "-o",
                f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={base} -c fsync=off",
                "start",
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                *prefix,
                str(bindir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "pobi",
                "pobi",
            ],
            check=True,
            capture_output=True,
        )
        yield f"postgresql+psycopg://pobi@127.0.0.1:{port}/pobi"
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)


def postgres_available() -> bool:
    return bool(os.environ.get("POBI_TEST_POSTGRES_URL")) or pg_bin() is not None
