"""The per-host delay: jitter drawn once per gap, so gaps average the configured delay."""

from __future__ import annotations

import random
from pathlib import Path

from scrapy.core.downloader import Slot

from crawler.browser import Browser
from crawler.downloader import SteadySlot
from crawler.settings import scrapy_settings
from pobi.config import load_config


def _gaps(slot: Slot, n: int) -> list[float]:
    """Gaps between requests under Scrapy's own queue loop (Downloader._process_queue): when a
    wait runs out the slot is asked for its delay again, and waits again if that is longer."""
    gaps, now = [], 0.0
    for _ in range(n):
        slot.lastseen = now
        waited = slot.download_delay()
        while True:  # the loop's re-check when the wait runs out, as Scrapy does it
            again = slot.download_delay()
            if again <= waited:
                break
            waited = again
        now += waited
        gaps.append(waited)
    return gaps


def test_the_draw_holds_until_the_next_request() -> None:
    slot = SteadySlot(2, 0.5, 0.5)
    slot.lastseen = 10.0
    first = slot.download_delay()
    assert all(slot.download_delay() == first for _ in range(50))
    assert 0.25 <= first <= 0.75
    draws = set()
    for t in range(200):
        slot.lastseen = 12.0 + t
        draws.add(slot.download_delay())
    assert len(draws) > 150  # still random from gap to gap


def test_gaps_average_the_configured_delay_where_scrapys_slot_does_not() -> None:
    random.seed(1258)
    steady = _gaps(SteadySlot(2, 0.5, 0.5), 5_000)
    scrapy = _gaps(Slot(2, 0.5, 0.5), 5_000)
    assert abs(sum(steady) / len(steady) - 0.5) < 0.01
    assert min(steady) >= 0.25 and max(steady) <= 0.75
    # Scrapy 2.19's slot redraws on every look: 1.22 x the delay on average (why this exists);
    # if a Scrapy upgrade fixes that, this line says so and crawler.downloader can go
    assert sum(scrapy) / len(scrapy) > 0.58


def test_no_jitter_is_the_plain_delay() -> None:
    slot = SteadySlot(2, 0.5, 0)
    assert slot.download_delay() == 0.5


def test_crawls_use_it(home: Path) -> None:
    settings = scrapy_settings(load_config(home), Browser(None, ""), home)
    assert settings["DOWNLOADER"] == "crawler.downloader.SteadyDownloader"
    assert settings["SCHEDULER_PRIORITY_QUEUE"] == "crawler.frontier.EvidenceFirstQueue"
