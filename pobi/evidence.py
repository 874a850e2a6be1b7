"""Content-addressed evidence files under ``$POBI_HOME/evidence/``.

A file's name is the SHA-256 of its bytes (``evidence/ab/cd/abcd…``). Files are written once to a
temporary name, fsync'ed and renamed into place, so a crash or a full disk never leaves a
half-written file under a real name; an existing file is never overwritten. The ``evidence`` table
records what each hash is. ``verify`` re-hashes everything.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.clock import now
from pobi.errors import EvidenceError, NotFoundError
from pobi.store.tables import Evidence

CHUNK = 1 << 20


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class VerifyReport:
    checked: int = 0
    mismatched: list[str] = field(default_factory=list)  # file content != name
    missing: list[str] = field(default_factory=list)  # recorded in the store, no file
    unrecorded: list[str] = field(default_factory=list)  # file on disk, no row (harmless)
    stray: list[str] = field(default_factory=list)  # leftover temp files / odd names

    @property
    def ok(self) -> bool:
        return not self.mismatched and not self.missing


class EvidenceStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise EvidenceError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()

    def put(self, data: bytes) -> str:
        """Store bytes; return their SHA-256. Idempotent; never overwrites."""
        digest = sha256_bytes(data)
        target = self.path_for(digest)
        if target.exists():
            return digest
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                if target.exists():  # a concurrent writer won; same bytes by construction
                    os.unlink(tmp)
                else:
                    os.replace(tmp, target)
                    os.chmod(target, 0o444)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
        except OSError as exc:
            raise EvidenceError(
                f"Cannot write evidence file {target}: {exc.strerror or exc}"
            ) from exc
        return digest

    def put_file(self, path: Path) -> str:
        return self.put(Path(path).read_bytes())

    def read(self, sha256: str) -> bytes:
        target = self.path_for(sha256)
        try:
            return target.read_bytes()
        except FileNotFoundError as exc:
            raise NotFoundError(f"Evidence {sha256} is not in {self.root}") from exc

    def iter_files(self) -> Iterator[Path]:
        if not self.root.exists():
            return
        for path in sorted(self.root.rglob("*")):
            if path.is_file():
                yield path

    def verify(self, recorded: set[str] | None = None) -> VerifyReport:
        report = VerifyReport()
        seen: set[str] = set()
        for path in self.iter_files():
            name = path.name
            if name.startswith(".tmp-") or len(name) != 64:
                report.stray.append(str(path))
                continue
            report.checked += 1
            seen.add(name)
            if sha256_file(path) != name:
                report.mismatched.append(name)
        if recorded is not None:
            report.missing = sorted(recorded - seen)
            report.unrecorded = sorted(seen - recorded)
        return report


def record(
    session: Session,
    store: EvidenceStore,
    data: bytes,
    *,
    kind: str,
    media_type: str = "application/octet-stream",
    note: str = "",
) -> str:
    """Write the bytes to the evidence store and make sure the ``evidence`` table knows them."""
    digest = store.put(data)
    if session.get(Evidence, digest) is None:
        # INSERT .. ON CONFLICT DO NOTHING: another process may record the same bytes concurrently.
        values = {
            "sha256": digest,
            "kind": kind,
            "media_type": media_type,
            "size": len(data),
            "stored_at": now(),
            "note": note[:2000],
        }
        dialect = session.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            session.execute(pg_insert(Evidence).values(**values).on_conflict_do_nothing())
        elif dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            session.execute(sqlite_insert(Evidence).values(**values).on_conflict_do_nothing())
        else:  # pragma: no cover - other back ends are not supported
            session.add(Evidence(**values))
            session.flush()
    return digest


def recorded_hashes(session: Session) -> set[str]:
    return set(session.scalars(select(Evidence.sha256)))
