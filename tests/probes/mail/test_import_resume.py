"""A large mbox import commits in batches (issue 14): a real `pobi probe import` process is
killed half-way, the committed batches stay, and the same command run again stores the rest
without a duplicate (SQLite, the real console script in a subprocess)."""

from __future__ import annotations

import mailbox
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from pobi.config import load_config
from probes.batches import CommitBatches
from tests.conftest import POBI, run_pobi
from tests.probes.mail.test_cli import cli_home  # noqa: F401  (a fixture)
from tests.probes.mail.test_nothing_dropped import make

TOTAL = 400
BATCH = 20


def stored(db: Path) -> tuple[int, int]:
    """(messages, distinct raw_sha256) as another reader sees them (WAL: no lock needed)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        n, distinct = con.execute(
            "SELECT COUNT(*), COUNT(DISTINCT raw_sha256) FROM messages"
        ).fetchone()
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0, 0
    finally:
        con.close()
    return int(n), int(distinct)


@pytest.mark.usefixtures("cli_home")
def test_killed_import_resumes_without_duplicates(tmp_path: Path) -> None:
    box_path = tmp_path / "replies.mbox"
    box = mailbox.mbox(box_path)
    for i in range(TOTAL):
        box.add(make(f"Trả lời số {i}.\nSở Tài chính.\n" * 3, mid=f"<r{i}@stc.hanoi.gov.vn>"))
    box.flush()
    box.close()
    db = Path(str(make_url(load_config().database_url).database))
    args = ["probe", "import", "--round", "2026", "--commit-every", str(BATCH), str(box_path)]

    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [POBI, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 240
        while stored(db)[0] < 3 * BATCH:  # three batches committed: kill it half-way
            assert proc.poll() is None, f"the import ended before it was killed: {proc.stderr}"
            assert time.monotonic() < deadline, "no batch was committed in 240 s"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)  # no clean shutdown: the open batch is lost
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()  # type: ignore[union-attr]
        proc.stderr.close()  # type: ignore[union-attr]
    assert proc.returncode == -signal.SIGKILL
    kept, distinct = stored(db)
    print(f"killed with {kept} of {TOTAL} committed")
    assert kept < TOTAL, "killed too late to test anything"
    assert kept % BATCH == 0 and kept == distinct, (kept, distinct)  # whole batches only

    again = run_pobi(*args)
    assert again.returncode == 0, again.stderr
    assert f"Stored {TOTAL - kept} new messages, {kept} duplicates skipped" in again.stdout
    assert stored(db) == (TOTAL, TOTAL)
    third = run_pobi(*args)  # and once more: nothing new
    assert f"Stored 0 new messages, {TOTAL} duplicates skipped" in third.stdout
    assert stored(db) == (TOTAL, TOTAL)


def test_batches_commit_by_count_or_size() -> None:
    class FakeSession:  # only commit/expunge_all are called; a real session is tested above
        def __init__(self) -> None:
            self.commits = 0

        def commit(self) -> None:
            self.commits += 1

        def expunge_all(self) -> None:
            pass

    s = FakeSession()
    b = CommitBatches(s, max_messages=3, max_bytes=1000)  # type: ignore[arg-type]
    assert [b.done(10) for _ in range(7)] == [False, False, True, False, False, True, False]
    assert b.done(2000) and s.commits == 3 and b.pending_messages == 0
    with pytest.raises(ValueError):
        CommitBatches(s, max_messages=0)  # type: ignore[arg-type]
