"""Downloader middlewares of the crawl engine.

- :class:`Replay` (resume): a page already in the store is answered from its WARC, not fetched.
- :class:`Guard`: refuses redirect loops, redirects that leave the site (except from the start URL:
  merged provinces move domains) and, for real-web crawls, any request to a private, loopback or
  link-local address (``[crawl] allow_private_addresses``). A refusal is recorded as data: the
  reason goes to ``request.meta['pobi_refusal']`` and the request's errback classifies it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse

from crawler.urls import canonical, host_key
from pobi.models import FetchStatus

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler

REPLAY_FLAG = "pobi-replay"


def refuse(request: Request, status: FetchStatus, detail: str) -> IgnoreRequest:
    request.meta["pobi_refusal"] = f"{status.value}: {detail}"
    return IgnoreRequest(f"{status.value}: {detail}")


class Replay:
    """Answer requests for pages a previous run of this round already stored."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Replay:
        return cls(crawler)

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    def process_request(self, request: Request, spider: Spider | None = None) -> Any:
        spider = spider or self.crawler.spider
        lookup = getattr(spider, "stored_page", None)
        if lookup is None or request.meta.get("pobi_kind", "page") != "page":
            return None
        stored = lookup(request)
        if stored is None:
            return None
        request.meta["pobi_stored"] = stored
        return HtmlResponse(
            url=request.url, status=200, body=b"", request=request, flags=[REPLAY_FLAG]
        )


def _forbidden_ip(ip: str) -> bool:
    addr = ipaddress.ip_address(ip.split("%", 1)[0])
    return (
        addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_reserved
        or addr.is_multicast
        or addr.is_unspecified
    )


class Guard:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Guard:
        return cls(crawler, crawler.settings.getbool("POBI_ALLOW_PRIVATE_ADDRESSES"))

    def __init__(self, crawler: Crawler, allow_private: bool) -> None:
        self.crawler = crawler
        self.allow_private = allow_private
        self._verdicts: dict[str, str] = {}

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        spider = spider or self.crawler.spider
        redirects = request.meta.get("redirect_urls") or []
        if redirects:
            here = canonical(request.url)
            if any(canonical(u) == here for u in redirects):
                raise refuse(
                    request,
                    FetchStatus.REDIRECT_LOOP,
                    " -> ".join([*redirects, request.url])[:1000],
                )
            site_hosts = getattr(spider, "site_hosts", None)
            if not request.meta.get("pobi_start") and site_hosts is not None:
                hosts = site_hosts(request.meta.get("pobi_site"))
                external = request.meta.get("pobi_external") and host_key(request.url) == host_key(
                    redirects[0]
                )  # a one-hop system page moving on its own host
                if hosts and host_key(request.url) not in hosts and not external:
                    raise refuse(
                        request, FetchStatus.OFFSITE_REDIRECT, f"{redirects[-1]} -> {request.url}"
                    )
        if not self.allow_private:
            reason = await self._private(request.url)
            if reason:
                raise refuse(request, FetchStatus.PRIVATE_ADDRESS, reason)
        return None

    async def _private(self, url: str) -> str:
        from urllib.parse import urlsplit

        host = (urlsplit(url).hostname or "").strip("[]")
        if host in self._verdicts:
            return self._verdicts[host]
        verdict = ""
        try:
            ipaddress.ip_address(host)
            addresses = [host]
        except ValueError:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(
                    host, None, type=socket.SOCK_STREAM
                )
                addresses = [str(i[4][0]) for i in infos]
            except OSError:
                addresses = []  # the download itself will report the DNS error
        bad = [a for a in addresses if _forbidden_ip(a)]
        if bad:
            verdict = (
                f"{host} resolves to {bad[0]} (private/loopback address space; "
                "set [crawl] allow_private_addresses = true to allow)"
            )
        self._verdicts[host] = verdict
        return verdict
