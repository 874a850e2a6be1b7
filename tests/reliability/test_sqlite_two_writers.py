"""Two processes writing one SQLite store at the same time: no lost rows, no 'database is locked'.

Real processes, real SQLite file in WAL mode; each process opens the store the way every pobi
command does and writes evidence (file + row) and rounds in many short transactions.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from pobi.evidence import EvidenceStore, recorded_hashes
from pobi.store import Store
from pobi.store.tables import Round

WRITER = textwrap.dedent(
    """
    import sys
    from pobi.commands.common import workspace
    from pobi.evidence import record
    from pobi.rounds import create_round
    tag, n = sys.argv[1], int(sys.argv[2])
    ws = workspace()
    for i in range(n):
        with ws.store.session() as s:
            record(s, ws.evidence, f"{tag}-{i}".encode(), kind="other")
            record(s, ws.evidence, f"shared-{i}".encode(), kind="other")  # both write these
            if i % 10 == 0:
                create_round(s, f"{tag}-{i}", "current")
    print("done", tag)
    """
)


def test_two_writers_one_sqlite_store(home: Path) -> None:
    Store.open().close()  # migrate once up front, as `pobi` does on first use
    n = 300
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, tag, str(n)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]
    outs = [p.communicate(timeout=240) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err[-3000:]
        assert "done" in out
    store = Store.open()
    with store.session() as s:
        hashes = recorded_hashes(s)
        rounds = s.query(Round).count()
    assert len(hashes) == 3 * n  # a-*, b-*, and the shared ones exactly once
    assert rounds == 2 * (n // 10)
    report = EvidenceStore(home / "evidence").verify(hashes)
    assert report.ok and report.checked == 3 * n and not report.stray
