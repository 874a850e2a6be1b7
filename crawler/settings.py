"""Scrapy settings for one crawl, from the configuration (``[crawl]``) and the job."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from crawler.browser import LAUNCH_ARGS, LOOPBACK_ONLY_ARGS, Browser
from pobi import __version__
from pobi.config import Config

EVIDENCE_SLOT = "pobi-evidence"  # screenshots of archived pages: no request reaches the site


def user_agent(cfg: Config) -> str:
    return cfg.crawl.user_agent.format(version=__version__, contact=cfg.crawl.contact)


def scrapy_settings(cfg: Config, browser: Browser, job_folder: Path) -> dict[str, Any]:
    c = cfg.crawl
    settings: dict[str, Any] = {
        "BOT_NAME": "pobi",
        "USER_AGENT": user_agent(cfg),
        "ROBOTSTXT_OBEY": c.obey_robots,
        "ROBOTSTXT_USER_AGENT": "pobi",
        "CONCURRENT_REQUESTS": c.concurrent_total,
        "CONCURRENT_REQUESTS_PER_DOMAIN": c.concurrent_per_host,
        "DOWNLOAD_DELAY": c.download_delay,
        "DOWNLOAD_DELAY_JITTER": 0.5,  # each wait is 0.5-1.5 x the delay
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": max(c.download_delay, 0.05),
        "AUTOTHROTTLE_MAX_DELAY": max(30.0, c.download_delay * 4),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(c.concurrent_per_host),
        "DOWNLOAD_TIMEOUT": c.timeout,
        "DNS_TIMEOUT": min(c.timeout, 15),
        "DOWNLOAD_MAXSIZE": c.max_page_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "REDIRECT_MAX_TIMES": 10,
        "METAREFRESH_ENABLED": True,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 1,
        "HTTPERROR_ALLOW_ALL": True,
        "DEPTH_LIMIT": 0,
        "URLLENGTH_LIMIT": 2083,
        "COOKIES_ENABLED": True,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "LOG_LEVEL": os.environ.get("POBI_SCRAPY_LOG_LEVEL", "INFO"),  # DEBUG to see every request
        "LOG_FILE": str(job_folder / "crawl.log"),
        "LOG_FILE_APPEND": True,
        "LOGSTATS_INTERVAL": 30.0,
        "DOWNLOADER": "crawler.downloader.SteadyDownloader",  # jitter drawn once per gap
        "SCHEDULER_PRIORITY_QUEUE": "crawler.frontier.EvidenceFirstQueue",
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        "DOWNLOADER_MIDDLEWARES": {
            "crawler.middleware.Replay": 50,
            "crawler.middleware.Guard": 60,
        },
        "DOWNLOAD_SLOTS": {EVIDENCE_SLOT: {"concurrency": 4, "delay": 0, "jitter": 0}},
        "POBI_ALLOW_PRIVATE_ADDRESSES": c.allow_private_addresses,
        "MEMUSAGE_ENABLED": False,
        "POBI_DOCUMENT_MAXSIZE": cfg.documents.max_document_bytes,
        "POBI_DOCUMENT_MAX_PAGES": cfg.documents.max_pdf_pages,
    }
    if browser.path:
        settings.update(
            {
                "DOWNLOAD_HANDLERS": {
                    "http": "crawler.chromium.SharedHandler",
                    "https": "crawler.chromium.SharedHandler",
                },
                "PLAYWRIGHT_BROWSER_TYPE": "chromium",
                "PLAYWRIGHT_LAUNCH_OPTIONS": {
                    "executable_path": browser.path,
                    "headless": True,
                    "args": LAUNCH_ARGS + (LOOPBACK_ONLY_ARGS if c.browser_loopback_only else []),
                    "timeout": 30_000,
                },
                "PLAYWRIGHT_MAX_CONTEXTS": 1,
                # rendering pages open at once: SharedHandler queues requests for them *before*
                # its time limit starts, so a request waiting for a page is not "unanswered";
                # scrapy-playwright's own per-context limit is set out of the way (a request
                # cancelled by the limit inside new_page would leak one of its permits)
                "POBI_BROWSER_PAGES": 6,
                "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 10_000,
                # the page comes from the archive and the browser can be slow on a busy machine
                "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": int(max(c.timeout, 30.0) * 1000),
                "PLAYWRIGHT_ABORT_REQUEST": "crawler.chromium.abort_request",
                # no startup context: Chromium starts with the first page that needs it
                "POBI_BROWSER_CONTEXT": {
                    "user_agent": user_agent(cfg),
                    "viewport": {"width": 1280, "height": 900},
                    "ignore_https_errors": False,
                    "service_workers": "block",
                },
            }
        )
    return settings
