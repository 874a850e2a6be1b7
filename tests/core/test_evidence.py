from __future__ import annotations

import os
from pathlib import Path

import pytest

from pobi.errors import EvidenceError
from pobi.evidence import EvidenceStore, record, recorded_hashes, sha256_bytes
from pobi.store import Store
from tests.conftest import run_pobi


def test_put_is_content_addressed_and_idempotent(tmp_path: Path) -> None:
    ev = EvidenceStore(tmp_path / "evidence")
    h1 = ev.put(b"hello")
    h2 = ev.put(b"hello")
    assert h1 == h2 == sha256_bytes(b"hello")
    path = ev.path_for(h1)
    assert path.read_bytes() == b"hello"
    assert path.parent.parent.name == h1[:2] and path.parent.name == h1[2:4]
    assert not os.access(path, os.W_OK) or os.geteuid() == 0  # written read-only
    assert ev.verify().ok and ev.verify().checked == 1


def test_never_overwrites(tmp_path: Path) -> None:
    ev = EvidenceStore(tmp_path / "e")
    h = ev.put(b"original")
    path = ev.path_for(h)
    os.chmod(path, 0o644)
    path.write_bytes(b"tampered")
    assert ev.put(b"original") == h
    assert path.read_bytes() == b"tampered"  # left for verify to report, not silently replaced
    report = ev.verify()
    assert report.mismatched == [h] and not report.ok


def test_failed_write_leaves_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ev = EvidenceStore(tmp_path / "e")

    def disk_full(*_a, **_k):  # simulated ENOSPC at fsync (the only way to fake a full disk here)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(EvidenceError, match="No space left"):
        ev.put(b"data")
    assert list((tmp_path / "e").rglob("*.tmp*")) == [] and list(ev.iter_files()) == []


def test_rejects_bad_hash(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError):
        EvidenceStore(tmp_path).path_for("../../etc/passwd")


def test_record_registers_once(home: Path) -> None:
    store = Store.open()
    ev = EvidenceStore(home / "evidence")
    with store.session() as s:
        a = record(s, ev, b"<html>1</html>", kind="warc", media_type="application/warc")
        b = record(s, ev, b"<html>1</html>", kind="warc")
        assert a == b
        assert recorded_hashes(s) == {a}


def test_cli_verify_catches_tampering_and_missing(home: Path) -> None:
    store = Store.open()
    ev = EvidenceStore(home / "evidence")
    with store.session() as s:
        good = record(s, ev, b"good", kind="other")
        bad = record(s, ev, b"will be tampered", kind="other")
        gone = record(s, ev, b"will be deleted", kind="other")
    ok = run_pobi("evidence", "verify")
    assert ok.returncode == 0, ok.stderr
    assert "3 evidence files" in ok.stdout

    p = ev.path_for(bad)
    os.chmod(p, 0o644)
    p.write_bytes(b"changed")
    ev.path_for(gone).unlink()
    res = run_pobi("evidence", "verify")
    assert res.returncode == 4
    assert f"MISMATCH {bad}" in res.stdout
    assert f"MISSING {gone}" in res.stdout
    assert good not in res.stdout
    assert "Traceback" not in res.stderr
