"""Commit a long import in batches, so that an interrupted import keeps what it committed.

A 1 GiB mbox holds thousands of messages; in one transaction, an interruption (a killed
process, a full disk, a power cut) loses all of them and holds the database's write lock for
the whole import. :class:`CommitBatches` commits the session every ``max_messages`` messages or
``max_bytes`` bytes of raw mail, whichever comes first. Re-running the same import then resumes
without duplicates: what was committed is found again by its bytes (ingest's duplicate check),
what was not is stored. Evidence files written for the uncommitted part stay in the
content-addressed evidence store and are reused by the re-run.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

DEFAULT_MESSAGES = 500
DEFAULT_MIB = 64


@dataclass
class CommitBatches:
    session: Session
    max_messages: int = DEFAULT_MESSAGES
    max_bytes: int = DEFAULT_MIB * 1024 * 1024
    pending_messages: int = 0
    pending_bytes: int = 0
    commits: int = 0

    def __post_init__(self) -> None:
        if self.max_messages < 1 or self.max_bytes < 1:
            raise ValueError("a batch holds at least one message and one byte")

    def done(self, nbytes: int) -> bool:
        """One message of ``nbytes`` was ingested; commit when the batch is full. True if committed."""
        self.pending_messages += 1
        self.pending_bytes += nbytes
        if self.pending_messages >= self.max_messages or self.pending_bytes >= self.max_bytes:
            self.commit()
            return True
        return False

    def commit(self) -> None:
        self.session.commit()
        self.session.expunge_all()  # keep memory bounded: nothing from earlier batches is needed
        self.commits += 1
        self.pending_messages = self.pending_bytes = 0


__all__ = ["DEFAULT_MESSAGES", "DEFAULT_MIB", "CommitBatches"]
