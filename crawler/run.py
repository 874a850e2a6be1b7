"""The crawl process: ``python -m crawler.run JOB.json``.

Runs one Scrapy crawl (Twisted's reactor cannot restart, so each crawl is its own process) and
writes progress as JSON lines on stdout for the supervising ``pobi crawl``: ``begin``, ``site``
(many), ``end`` or ``error``. Scrapy's own log goes to ``crawl.log`` in the job folder.
Exit codes: 0 done, the :class:`pobi.errors.PobiError` code on a known error, 1 otherwise.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from pobi.errors import PobiError


def emit(event: dict[str, Any]) -> None:
    try:
        sys.stdout.write(json.dumps(event, ensure_ascii=False, default=str) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # nobody reads our progress: the supervisor is gone
        from crawler.lifeline import stop_now

        stop_now("the supervisor's pipe is closed")


def _checks() -> tuple[Any, Any]:
    """The page checks and link hints; ``POBI_CRAWL_CHECKS=module:func[,module:func]`` replaces
    them (engine tests use tiny checks of their own; not meant for survey use)."""
    override = os.environ.get("POBI_CRAWL_CHECKS", "").strip()
    if override:
        funcs = []
        for spec in override.split(","):
            module, _, name = spec.strip().partition(":")
            funcs.append(getattr(importlib.import_module(module), name))
        checks = funcs[0]
        hints = funcs[1] if len(funcs) > 1 else (lambda page: [])
        return checks, hints
    from crawler.checks import run_checks
    from crawler.links import link_hints

    return run_checks, link_hints


def warm_up() -> None:
    """Load, before the engine opens, what the crawl would otherwise load mid-crawl on its busy
    event loop (measured with py-spy on the crawl benchmark: ~2 s of imports there, the first
    .xlsx and .docx and the province registry): the document readers and the registry."""
    import importlib

    from pobi.registry import provinces

    for module in ("openpyxl", "docx", "pypdf", "xlrd"):  # the crawl's own modules are loaded
        try:
            importlib.import_module(module)
        except ImportError:  # a reader that is missing is reported when a document needs it
            continue
    provinces("current")  # the registry is built once, for both eras


def run(job_path: Path) -> int:
    from scrapy.crawler import CrawlerProcess

    from crawler.browser import driver_environment, find_browser
    from crawler.job import Job, JobLock
    from crawler.records import Recorder
    from crawler.settings import scrapy_settings
    from crawler.spider import SiteSpider
    from pobi.config import load_config
    from pobi.evidence import EvidenceStore
    from pobi.models import RenderMode
    from pobi.rounds import get_round
    from pobi.store import Store

    job = Job.from_json(job_path.read_text(encoding="utf-8"))
    folder = job_path.parent
    lock = JobLock(folder)
    lock.acquire()
    try:
        cfg = load_config()
        store = Store.open(cfg, migrate_schema=False)  # the CLI migrated it
        with store.session() as s:
            get_round(s, job.round_id)
        evidence = EvidenceStore(cfg.evidence_dir)
        recorder = Recorder(store, evidence, job.round_id, job.finance_reference)
        render = RenderMode(job.render)
        browser = find_browser(cfg)
        use_browser = browser.path if render != RenderMode.NEVER else None
        driver_environment(os.environ)
        coordinator = None
        if job.distributed:  # several processes share the sites through Redis
            from crawler.distributed import prepare

            coordinator, sites = prepare(job.distributed, job.round_id, recorder, job.targets)
        else:
            sites = recorder.prepare_sites(job.targets)
        run_checks, link_hints = _checks()
        warm_up()
        emit(
            {
                "event": "begin",
                "sites": len(sites),
                "render": render.value,
                "browser": browser.path,
                "browser_note": browser.note,
                "resume": job.resume,
                "retry_failed": job.retry_failed,
                "log": str(folder / "crawl.log"),
                "distributed": job.distributed,
                "seeder": bool(coordinator and coordinator.seeder),
            }
        )
        settings = scrapy_settings(cfg, browser if use_browser else type(browser)(None, ""), folder)
        spider_cls: type[SiteSpider] = SiteSpider
        extra: dict[str, Any] = {}
        if coordinator is not None:
            from crawler.distributed import DistributedSpider

            settings.update(coordinator.scrapy_settings())
            spider_cls, extra = DistributedSpider, {"coordinator": coordinator}
        started = time.monotonic()
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(spider_cls)
        process.crawl(
            crawler,
            **extra,
            sites=sites,
            recorder=recorder,
            checks=run_checks,
            hints=link_hints,
            emit=emit,
            render=render,
            browser=use_browser,
            max_pages=job.max_pages or cfg.crawl.max_pages,
            max_depth=job.max_depth if job.max_depth is not None else cfg.crawl.max_depth,
            resume=job.resume,
            retry_failed=job.retry_failed,
        )
        process.start()
        stats = crawler.stats.get_stats() if crawler.stats else {}
        spider = crawler.spider
        unfinished = [s.url for s in spider.sites.values() if s.phase != "done"] if spider else []
        emit(
            {
                "event": "end",
                "elapsed": round(time.monotonic() - started, 3),
                # Scrapy's own measure: engine open -> close (the screenshots included)
                "engine": round(float(stats.get("elapsed_time_seconds") or 0.0), 3),
                "finish_reason": stats.get("finish_reason", ""),
                "requests": stats.get("downloader/request_count", 0),
                "responses": stats.get("downloader/response_count", 0),
                "rendered_requests": stats.get("playwright/request_count/navigation", 0),
                "check_errors": getattr(spider, "check_errors", 0),
                "internal_errors": getattr(spider, "internal_errors", 0)
                + (spider.writer.failures if spider else 0),
                "unfinished": unfinished,
                "sites_crawled": len(spider.sites) if spider else 0,
                "documents": getattr(spider, "docs_found", 0),
            }
        )
        store.close()
        return 0 if not unfinished else 1
    finally:
        lock.release()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.stderr.write("usage: python -m crawler.run JOB.json\n")
        return 2
    if argv is None:  # a process of its own: stop when the supervising `pobi crawl` dies
        from crawler.lifeline import watch

        watch()
    try:
        return run(Path(args[0]))
    except PobiError as exc:
        emit(
            {
                "event": "error",
                "message": exc.message,
                "hint": exc.hint or "",
                "code": exc.exit_code,
            }
        )
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
