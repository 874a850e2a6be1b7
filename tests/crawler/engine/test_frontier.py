"""The scheduler's queue: evidence screenshots first while their slot has room, last when full."""

from __future__ import annotations

from types import SimpleNamespace

from scrapy import Request
from scrapy.core.downloader import Slot
from scrapy.settings import Settings
from scrapy.squeues import FifoMemoryQueue

from crawler.frontier import EvidenceFirstQueue
from crawler.settings import EVIDENCE_SLOT


class _Downloader:
    """Scrapy's downloader as the queue sees it: slots with their active requests (real Slots;
    the rest of a running engine is not needed to choose a slot)."""

    DOWNLOAD_SLOT = "download_slot"

    def __init__(self) -> None:
        self.slots: dict[str, Slot] = {}

    def get_slot_key(self, request: Request) -> str:
        return request.meta.get("download_slot") or request.url.split("/")[2]

    def busy(self, key: str, n: int) -> None:
        slot = self.slots.setdefault(key, Slot(2, 0.5, 0))
        slot.active = {Request(f"http://x/{key}/{i}") for i in range(n)}


def _queue(room: int = 4) -> tuple[EvidenceFirstQueue, _Downloader]:
    downloader = _Downloader()
    settings = Settings({"DOWNLOAD_SLOTS": {EVIDENCE_SLOT: {"concurrency": room}}})
    crawler = SimpleNamespace(settings=settings, engine=SimpleNamespace(downloader=downloader))
    crawler.stats = None
    q = EvidenceFirstQueue(crawler, FifoMemoryQueue, "")
    return q, downloader


def _shot(n: int) -> Request:
    return Request(
        f"http://127.0.0.9/page{n}", meta={"download_slot": EVIDENCE_SLOT}, priority=-100
    )


def test_a_screenshot_goes_before_idle_hosts_while_its_slot_has_room() -> None:
    q, downloader = _queue(room=2)
    for host in ("127.0.0.2", "127.0.0.3"):
        q.push(Request(f"http://{host}/a"))
    q.push(_shot(1))
    q.push(_shot(2))
    q.push(_shot(3))
    downloader.busy(EVIDENCE_SLOT, 1)  # one screenshot under way, room for one more
    first = q.pop()
    assert first is not None and first.meta.get("download_slot") == EVIDENCE_SLOT


def test_a_full_evidence_slot_waits_behind_every_host() -> None:
    q, downloader = _queue(room=2)
    q.push(_shot(1))
    for host in ("127.0.0.2", "127.0.0.3"):
        q.push(Request(f"http://{host}/a"))
        downloader.busy(host, 2)  # hosts busier than the idle evidence slot would be
    downloader.busy(EVIDENCE_SLOT, 2)  # full
    popped = [q.pop(), q.pop()]
    assert all(r is not None and "download_slot" not in r.meta for r in popped)
    downloader.busy(EVIDENCE_SLOT, 1)
    last = q.pop()
    assert last is not None and last.meta["download_slot"] == EVIDENCE_SLOT
