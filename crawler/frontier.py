"""The scheduler's priority queue: Scrapy's downloader-aware queue, with evidence first.

Scrapy's ``DownloaderAwarePriorityQueue`` hands the downloader a request of the slot (host) with
the fewest active downloads. Evidence screenshots have a slot of their own
(:data:`crawler.settings.EVIDENCE_SLOT`); they reach no site, but under that rule they waited
behind every host slot that had fewer requests in flight, which during a crawl of 30+ hosts is
nearly always: the screenshots ran about one at a time and finished seconds after the last page
(benchmarks/README.md). Here the evidence slot goes first while it has room (fewer than its
``concurrency`` screenshots active) and last when it is full, so it uses at most its own
concurrency of the crawl's total and never delays a host's pages beyond that.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scrapy.pqueues import DownloaderAwarePriorityQueue, DownloaderInterface

from crawler.settings import EVIDENCE_SLOT

FULL = 1 << 30  # "active downloads" reported for a full evidence slot: chosen last


class _EvidenceFirst(DownloaderInterface):
    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        slots = crawler.settings.getdict("DOWNLOAD_SLOTS")
        self.evidence_room = int(slots.get(EVIDENCE_SLOT, {}).get("concurrency", 1))

    def stats(self, possible_slots: Iterable[str]) -> list[tuple[int, str]]:
        out = []
        for slot in possible_slots:
            active = self._active_downloads(slot)
            if slot == EVIDENCE_SLOT:
                active = -1 if active < self.evidence_room else FULL
            out.append((active, slot))
        return out


class EvidenceFirstQueue(DownloaderAwarePriorityQueue):
    """``SCHEDULER_PRIORITY_QUEUE`` for pobi's crawls."""

    def __init__(self, crawler: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(crawler, *args, **kwargs)
        self._downloader_interface = _EvidenceFirst(crawler)
