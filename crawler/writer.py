"""Store writes off the crawl's event loop: one background thread, jobs run in submission order.

The reactor thread parses pages and schedules requests; evidence files (fsync'ed) and database
commits happen here, so politeness timers are not held up by disk I/O. Order is what makes this
safe: a site's final counts are written after all of its pages, a screenshot after its page.
Evidence files are written ahead, several at a time (each waits for its own fsync); the ordered
database job then finds the file in place and only records it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from pobi.evidence import EvidenceStore

log = logging.getLogger(__name__)


class Writer:
    def __init__(self, evidence: EvidenceStore | None = None, file_threads: int = 4) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pobi-store")
        self._files = ThreadPoolExecutor(max_workers=file_threads, thread_name_prefix="pobi-file")
        self.evidence = evidence
        self.failures = 0

    def prewrite(self, *blobs: bytes | None) -> list[Future[Any]]:
        """Start writing evidence files now; pass the result to :meth:`submit` as ``after``."""
        if self.evidence is None:
            return []
        return [self._files.submit(self.evidence.put, b) for b in blobs if b is not None]

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        after: list[Future[Any]] | None = None,
        **kwargs: Any,
    ) -> Future[Any]:
        def job() -> Any:
            for f in after or []:
                f.result()
            return fn(*args, **kwargs)

        future = self._pool.submit(job)
        future.add_done_callback(self._check)
        return future

    def _check(self, future: Future[Any]) -> None:
        exc = future.exception()
        if exc is not None:
            self.failures += 1
            log.error("store write failed: %s: %s", type(exc).__name__, exc, exc_info=exc)

    def drain(self) -> None:
        """Wait until every job submitted so far has run."""
        self._pool.submit(lambda: None).result()

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self._files.shutdown(wait=True)
