"""Store writes off the crawl's event loop: one background thread, jobs run in submission order.

The reactor thread parses pages and schedules requests; evidence files (fsync'ed) and database
commits happen here, so politeness timers are not held up by disk I/O. Order is what makes this
safe: a site's final counts are written after all of its pages, a screenshot after its page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

log = logging.getLogger(__name__)


class Writer:
    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pobi-store")
        self.failures = 0

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future[Any]:
        future = self._pool.submit(fn, *args, **kwargs)
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
