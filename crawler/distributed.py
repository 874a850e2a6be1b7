"""Distributed crawls (``pobi crawl --distributed redis://HOST[:PORT][/DB]``).

Several crawl processes started with the same command and round (on one machine or several)
share one frontier through Redis. The unit of sharing is the **site**, not the page:

- **Seeding, once.** The first process to ``SET pobi:crawl:<round>:seed NX`` creates the
  ``crawl_sites`` rows and pushes one start request per site into a scrapy-redis queue
  (``...:requests``, :class:`scrapy_redis.queue.FifoQueue`); then it sets ``...:ready``. Every
  other process waits for ``ready`` and only reads the site rows (no write, no race).
- **Claiming.** A process pops a start request from the shared queue (``RPOP``: each site goes to
  exactly one process) when it has fewer than ``concurrent_total // concurrent_per_host`` sites in
  progress or nothing else to do. It records itself in ``...:owner`` (site id -> host:pid).
- **A claimed site stays in its process.** Every later request of that site (links, renders,
  screenshots) goes to the process's own in-memory priority queue. So the per-site accounting of
  :class:`crawler.spider.SiteSpider` stays exact and local: the de-duplication of URLs, the page
  budget, the depth limit, the trap counters, the "shallowest page" evidence rule, the rendered
  script fingerprints. It also keeps politeness honest: one host is only ever fetched by one
  process, so ``download_delay`` and ``concurrent_per_host`` hold for the whole crawl (two
  processes sharing a host's pages would each apply the delay and together double the rate).
- **Finished.** A process closes when it is idle (nothing in flight, nothing local) and the shared
  queue is empty. Sites it claimed are marked in ``...:done``. Other processes may still be busy
  with theirs.

The keys persist after the crawl (``SCHEDULER_PERSIST``): a process started later for the same
round finds the seed taken and the queue empty and stops at once. To crawl the round again with
``--distributed``, delete the keys first (``redis-cli --scan --pattern 'pobi:crawl:<round>:*' |
xargs redis-cli del``). A process killed mid-crawl loses the sites it had claimed for this
distributed run (they are in ``owner`` but not in ``done``); finish them with an ordinary
``pobi crawl --round R --resume``, which replays what was stored.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy_redis.scheduler import Scheduler as RedisScheduler

from crawler.records import Recorder
from crawler.spider import SiteSpider, SiteState
from crawler.urls import canonical
from pobi.errors import ExternalServiceError, InputError, StateError
from pobi.store.tables import CrawlSite

READY_TIMEOUT = 120.0  # seconds a process waits for another one to finish seeding


def check_url(url: str) -> str:
    """Validate ``redis://HOST[:PORT][/DB]`` (or ``rediss://``); return it unchanged."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise InputError(f"Not a Redis URL: {url!r}; expected redis://HOST[:PORT][/DB].")
    try:
        _ = parts.port
    except ValueError as exc:
        raise InputError(f"Not a Redis URL: {url!r}: bad port.") from exc
    db = parts.path.strip("/")
    if db and not db.isdigit():
        raise InputError(f"Not a Redis URL: {url!r}: the database must be a number.")
    return url


def keys(round_id: str) -> dict[str, str]:
    base = f"pobi:crawl:{round_id}:"
    return {
        name: base + name
        for name in ("requests", "dupefilter", "seed", "ready", "sites", "owner", "done", "pages")
    }


def me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Coordinator:
    """The Redis keys of one distributed crawl of a round."""

    def __init__(self, url: str, round_id: str) -> None:
        import redis

        self.url = check_url(url)
        self.round_id = round_id
        self.keys = keys(round_id)
        self.name = me()
        self.seeder = False
        self.server = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30)
        try:
            self.server.ping()
        except redis.RedisError as exc:
            raise ExternalServiceError(
                f"Cannot reach Redis at {url}: {exc}",
                hint="Start the Redis server (or fix the URL) that every crawl process shares.",
            ) from exc

    def scrapy_settings(self) -> dict[str, Any]:
        k = {name: key.replace("%", "%%") for name, key in self.keys.items()}
        return {
            "SCHEDULER": "crawler.distributed.SiteScheduler",
            "REDIS_URL": self.url,
            "SCHEDULER_PERSIST": True,
            "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.FifoQueue",
            "SCHEDULER_QUEUE_KEY": k["requests"],
            "SCHEDULER_DUPEFILTER_KEY": k["dupefilter"],
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        }

    def try_seed(self) -> bool:
        self.seeder = bool(self.server.set(self.keys["seed"], self.name, nx=True))
        return self.seeder

    def mark_ready(self, sites: int) -> None:
        pipe = self.server.pipeline()
        pipe.set(self.keys["sites"], sites)
        pipe.set(self.keys["ready"], self.name)
        pipe.execute()

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while not self.server.exists(self.keys["ready"]):
            if time.monotonic() > deadline:
                holder = self.server.get(self.keys["seed"]) or b"?"
                raise StateError(
                    f"Redis at {self.url} says round {self.round_id} is being seeded by "
                    f"{holder.decode(errors='replace')}, but it never finished.",
                    hint=f"If that process is gone, delete the keys pobi:crawl:{self.round_id}:* "
                    "and start again.",
                )
            time.sleep(0.2)

    def claim(self, site_id: int) -> None:
        self.server.hset(self.keys["owner"], str(site_id), self.name)

    def done(self, site_id: int, pages: int) -> None:
        pipe = self.server.pipeline()
        pipe.sadd(self.keys["done"], str(site_id))
        pipe.hset(self.keys["pages"], str(site_id), pages)
        pipe.execute()

    def queued(self) -> int:
        return int(self.server.llen(self.keys["requests"]))


def prepare(
    url: str, round_id: str, recorder: Recorder, targets: list[Any]
) -> tuple[Coordinator, list[CrawlSite]]:
    """Connect, then either seed (create the site rows) or wait for the seeder and read them."""
    coord = Coordinator(url, round_id)
    if coord.try_seed():
        return coord, recorder.prepare_sites(targets)
    coord.wait_ready()
    return coord, existing_sites(recorder, targets)


def existing_sites(recorder: Recorder, targets: list[Any]) -> list[CrawlSite]:
    from sqlalchemy import select

    with recorder.store.session() as s:
        rows = {
            (r.province_code, r.site_kind, r.url): r
            for r in s.scalars(select(CrawlSite).where(CrawlSite.round_id == recorder.round_id))
        }
        s.expunge_all()
    out = []
    for t in targets:
        row = rows.get((t.province_code, t.site_kind, t.url))
        if row is None:
            raise InputError(
                f"{t.url} ({t.province_code} {t.site_kind}) is not among the sites the first "
                f"process of this distributed crawl seeded; start every process with the same "
                "--sites/--provinces."
            )
        out.append(row)
    return out


class DistributedSpider(SiteSpider):
    """A :class:`SiteSpider` that crawls only the sites it claims from the shared queue.

    ``self.sites`` holds the claimed sites only (so the end-of-crawl accounting covers exactly
    what this process did); ``self.all_sites`` every site of the job.
    """

    def __init__(self, *, coordinator: Coordinator, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.coordinator = coordinator
        self.all_sites: dict[int, SiteState] = self.sites
        self.sites = {}
        self.max_active = 1  # sites in progress at once; from_crawler sets it from the settings

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> DistributedSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        total = crawler.settings.getint("CONCURRENT_REQUESTS", 16)
        per_host = max(1, crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 2))
        spider.max_active = max(1, total // per_host)
        return spider  # type: ignore[return-value]

    async def start(self) -> AsyncIterator[Any]:  # type: ignore[override]
        # start requests come from the shared queue (seeded once by SiteScheduler.open)
        return
        yield  # pragma: no cover - makes this an async generator

    def start_request(self, site: SiteState) -> Request:
        return Request(
            site.url,
            callback=self.parse_page,
            errback=self.page_failed,
            dont_filter=True,
            meta={
                "pobi_site": site.id,
                "pobi_depth": 0,
                "pobi_link_text": "",
                "pobi_start": True,
                "pobi_kind": "page",
                "pobi_requested": site.url,
                "pobi_shared": True,
            },
        )

    def claim(self, request: Request) -> Request | None:
        site = self.all_sites.get(request.meta.get("pobi_site", -1))
        if site is None or site.id in self.sites:
            self.logger.warning("ignoring a shared request for an unknown site: %s", request.url)
            return None
        self.sites[site.id] = site
        site.seen.add(canonical(site.url))
        site.scheduled += 1
        site.outstanding += 1
        self.coordinator.claim(site.id)
        self._emit_site(site)
        return request

    def active_sites(self) -> int:
        return sum(1 for s in self.sites.values() if s.phase != "done")

    def _finish(self, site: SiteState) -> None:
        super()._finish(site)
        self.coordinator.done(site.id, site.pages)


class SiteScheduler(RedisScheduler):
    """scrapy-redis's scheduler for start requests (shared), a local priority queue for the rest."""

    crawler: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> SiteScheduler:
        instance = super().from_crawler(crawler)
        instance.crawler = crawler
        return instance  # type: ignore[no-any-return]

    def open(self, spider: Any) -> None:
        super().open(spider)
        settings = self.crawler.settings
        self.local = build_from_crawler(
            load_object(settings["SCHEDULER_PRIORITY_QUEUE"]),
            self.crawler,
            downstream_queue_cls=load_object(settings["SCHEDULER_MEMORY_QUEUE"]),
            key="",
        )
        coord: Coordinator = spider.coordinator
        if coord.seeder:
            for site in spider.all_sites.values():
                self.queue.push(spider.start_request(site))
            coord.mark_ready(len(spider.all_sites))
            spider.logger.info("seeded %d sites into %s", len(spider.all_sites), self.queue.key)

    def __len__(self) -> int:
        return len(self.local) + len(self.queue)

    def enqueue_request(self, request: Request) -> bool:
        # Everything scheduled during the crawl belongs to a site this process claimed (links,
        # renders, screenshots, and redirects or retries of its start request): it stays here.
        # Only SiteScheduler.open pushes to the shared queue (the start requests, once).
        request.meta.pop("pobi_shared", None)
        self.local.push(request)
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/memory")
        return True

    def next_request(self) -> Request | None:
        spider = self.spider
        if spider.active_sites() < spider.max_active or not len(self.local):
            request = self.queue.pop(0)
            if request is not None:
                if self.stats:
                    self.stats.inc_value("scheduler/dequeued/redis")
                claimed = spider.claim(request)
                if claimed is not None:
                    return claimed  # type: ignore[no-any-return]
        request = self.local.pop()
        if request is not None and self.stats:
            self.stats.inc_value("scheduler/dequeued/memory")
        return request  # type: ignore[no-any-return]

    def has_pending_requests(self) -> bool:
        return len(self) > 0

    def close(self, reason: str) -> None:
        self.local.close()
        super().close(reason)
