"""Evidence writes failing mid-run (disk full): a clear error, a consistent store, nothing
half-written, and a re-run completes the work without duplicates.

The full disk is simulated at the OS-call level, in the real `pobi` process: a test-only
``sitecustomize`` on PYTHONPATH makes ``os.fsync`` raise ENOSPC after N calls (filling a real
disk is not possible here). SQLite syncs in C, not through ``os.fsync``, so only the evidence
store sees the failure, as with a full evidence volume.
"""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from pobi.evidence import EvidenceStore, recorded_hashes
from pobi.store import Store
from pobi.store.tables import Message
from tests.conftest import run_pobi

SITECUSTOMIZE = textwrap.dedent(
    """
    import errno, os
    _after = int(os.environ.get("POBI_TEST_ENOSPC_AFTER", "-1"))
    if _after >= 0:
        _real, _calls = os.fsync, [0]
        def _fsync(fd):
            _calls[0] += 1
            if _calls[0] > _after:
                raise OSError(errno.ENOSPC, "No space left on device")
            return _real(fd)
        os.fsync = _fsync
    """
)


def _mail(i: int) -> bytes:
    m = EmailMessage()
    m["From"] = f"vanphong{i}@tinh{i}.sandbox.test"
    m["To"] = "khaosat@pobi.sandbox.test"
    m["Subject"] = f"Trả lời yêu cầu số {i}"
    m["Message-ID"] = f"<reply-{i}@tinh{i}.sandbox.test>"
    m["Date"] = format_datetime(datetime(2026, 9, 8, 9, 0, tzinfo=UTC) + timedelta(hours=i))
    m.set_content(f"Kính gửi Quý ông/bà, thư trả lời số {i}.\n")
    return m.as_bytes()


def test_import_with_a_full_disk_then_again(home: Path, tmp_path: Path) -> None:
    faults = tmp_path / "faults"
    faults.mkdir()
    (faults / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    n = 30
    for i in range(n):
        (inbox / f"{i:02d}.eml").write_bytes(_mail(i))
    assert run_pobi("round", "create", "r1").returncode == 0

    full = run_pobi(
        "probe",
        "import",
        "--round",
        "r1",
        str(inbox),
        env={"PYTHONPATH": str(faults), "POBI_TEST_ENOSPC_AFTER": "8"},
    )
    assert full.returncode != 0, "a full disk must not look like success"
    assert "No space left on device" in full.stderr
    assert "Traceback" not in full.stderr

    # Consistent: every stored message has its raw bytes on disk; no temporary files left.
    ev = EvidenceStore(home / "evidence")
    store = Store.open()
    with store.session() as s:
        stored = s.query(Message).count()
        report = ev.verify(recorded_hashes(s))
        raw = {m.raw_sha256 for m in s.query(Message)}
    assert 0 < stored < n
    assert report.ok, (report.missing, report.mismatched)
    assert not report.stray, report.stray
    assert raw <= {p.name for p in ev.iter_files()}

    again = run_pobi("probe", "import", "--round", "r1", str(inbox))
    assert again.returncode == 0, again.stderr
    with store.session() as s:
        assert s.query(Message).count() == n
        assert len({m.message_id for m in s.query(Message)}) == n
    assert run_pobi("evidence", "verify").returncode == 0
