"""The generic spider: one crawl over many sites, each site a row of the job.

Per site it keeps its own frontier accounting: the hosts that belong to it (the start URL's and,
after a redirect, the final URL's), the URLs seen, the page budget, the depth limit and how many of
its requests are still outstanding. When a site has nothing outstanding its evidence pass runs
(screenshots of the pages behind its findings) and then the site is finished: its row gets its
status, final URL and counts, and a progress event goes to the supervising CLI.

Every request the spider makes is ``dont_filter=True`` (the spider de-duplicates itself), so every
request ends in exactly one callback or errback and the outstanding counts are exact.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import scrapy
from scrapy import Request
from scrapy.http import Response, TextResponse

from crawler import chromium, xhrlist
from crawler.archive import Exchange, build_warc, read_warc
from crawler.checks.external_system import HINT as EXTERNAL_HINT
from crawler.documents import DocumentFetching
from crawler.middleware import REPLAY_FLAG
from crawler.page import FindingDraft, LinkHint, PageView
from crawler.records import PageRecord, Recorder, SiteResult, StoredPage, link_only, rank
from crawler.render import (
    PLACEHOLDER,
    SCRIPT_LIST,
    SITE_WIDE,
    reason_code,
    render_reason,
    script_fingerprint,
)
from crawler.status import classify
from crawler.urls import (
    MAX_QUERY_VARIANTS,
    canonical,
    extract_links,
    host_key,
    is_trap,
    query_variant_key,
    skip_by_extension,
)
from crawler.writer import Writer
from pobi.clock import now
from pobi.models import TRANSIENT_FAILURES, Channel, FetchStatus, RenderMode, SiteKind

Emit = Callable[[dict[str, Any]], None]
Checks = Callable[[PageView], list[FindingDraft]]
Hints = Callable[[PageView], list[LinkHint]]


@dataclass
class SiteState:
    id: int
    province_code: str
    site_kind: str
    url: str
    hosts: set[str] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)
    variants: dict[str, set[str]] = field(default_factory=dict)
    scheduled: int = 0
    outstanding: int = 0
    pages: int = 0
    rendered: int = 0
    findings: int = 0
    status: str = ""
    final_url: str = ""
    phase: str = "crawling"  # crawling | evidence | done
    render_wanted: dict[str, str] = field(default_factory=dict)  # url -> reason (not rendered)
    rendered_scripts: set[str] = field(default_factory=set)  # fingerprints already rendered
    best: dict[tuple[str, str], tuple[int, int, str]] = field(default_factory=dict)
    shot_pages: set[str] = field(default_factory=set)  # pages already screenshotted (or queued)
    content_best: set[tuple[str, str]] = field(default_factory=set)  # found on their own page
    budget_dropped: int = 0
    traps: int = 0
    stored: dict[str, StoredPage] = field(default_factory=dict)
    row: Any = None


class SiteSpider(DocumentFetching, scrapy.Spider):
    name = "pobi"
    custom_settings: dict[str, Any] = {}  # noqa: RUF012 - Scrapy's API

    def __init__(
        self,
        *,
        sites: list[Any],
        recorder: Recorder,
        checks: Checks,
        hints: Hints,
        emit: Emit,
        render: RenderMode,
        browser: str | None,
        max_pages: int,
        max_depth: int,
        resume: bool,
        retry_failed: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.recorder = recorder
        self.checks = checks
        self.hints = hints
        self.emit = emit
        self.render_mode = render
        self.browser = browser
        self.max_pages = max_pages
        self.max_depth = max_depth
        self.resume = resume
        self.sites: dict[int, SiteState] = {}
        for row in sites:
            st = SiteState(
                id=row.id,
                province_code=row.province_code,
                site_kind=row.site_kind,
                url=row.url,
                row=row,
            )
            st.hosts.add(host_key(row.url))
            if resume:
                st.stored = recorder.stored_pages(row.id)
                if retry_failed:  # fetched again; their rows are updated, not duplicated
                    st.stored = {
                        url: page
                        for url, page in st.stored.items()
                        if page.status not in TRANSIENT_FAILURES
                    }
                st.best = recorder.best_ranks(row.id)
            self.sites[row.id] = st
        self.started = time.monotonic()
        self.check_errors = 0
        self.writer = Writer(recorder.evidence)
        self.internal_errors = 0
        self.discovery_decided: set[int] = set()  # portals whose link directory was acted on
        self._init_documents(resume)  # budget documents (crawler/documents.py)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SiteSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        chromium.CONTEXT.update(crawler.settings.getdict("POBI_BROWSER_CONTEXT"))
        chromium.POLICY["allow_private"] = crawler.settings.getbool("POBI_ALLOW_PRIVATE_ADDRESSES")
        return spider

    def closed(self, reason: str) -> None:
        self.writer.close()

    # ------------------------------------------------------------------ hooks used by middlewares

    def stored_page(self, request: Request) -> StoredPage | None:
        site = self.sites.get(request.meta.get("pobi_site", -1))
        if site is None or not site.stored:
            return None
        return site.stored.get(request.url)

    def site_hosts(self, site_id: int | None) -> set[str]:
        site = self.sites.get(site_id or -1)
        return site.hosts if site else set()

    # ------------------------------------------------------------------ start

    async def start(self):  # type: ignore[override]
        for site in self.sites.values():
            self._emit_site(site)
            req = self._page_request(site, site.url, depth=0, link_text="", start=True)
            if req is not None:
                yield req

    def _page_request(
        self,
        site: SiteState,
        url: str,
        *,
        depth: int,
        link_text: str,
        start: bool = False,
        priority: int = 0,
    ) -> Request | None:
        key = canonical(url)
        if key in site.seen:
            return None
        if not start:
            if site.scheduled >= self.max_pages:
                site.budget_dropped += 1
                return None
            if is_trap(url):
                site.traps += 1
                return None
            path, query = query_variant_key(url)
            variants = site.variants.setdefault(path, set())
            if query and query not in variants and len(variants) >= MAX_QUERY_VARIANTS:
                site.traps += 1
                return None
            variants.add(query)
        site.seen.add(key)
        site.scheduled += 1
        site.outstanding += 1
        return Request(
            url,
            callback=self.parse_page,
            errback=self.page_failed,
            dont_filter=True,
            priority=priority,
            meta={
                "pobi_site": site.id,
                "pobi_depth": depth,
                "pobi_link_text": link_text,
                "pobi_start": start,
                "pobi_kind": "page",
                "pobi_requested": url,
            },
        )

    # ------------------------------------------------------------------ pages

    def _guard(self, fn: Callable[[SiteState, Any], list[Request]], arg: Any) -> list[Request]:
        """Run a callback body; whatever happens, count the request as done for its site."""
        meta = arg.meta if isinstance(arg, Response) else arg.request.meta
        site = self.sites[meta["pobi_site"]]
        try:
            children = fn(site, arg)
        except Exception:
            self.internal_errors += 1
            self.logger.exception("internal error on %s", meta.get("pobi_requested", ""))
            children = []
        return self._done_one(site, children)

    def parse_page(self, response: Response) -> list[Request]:
        return self._guard(self._on_page, response)

    def parse_rendered(self, response: Response) -> list[Request]:
        return self._guard(self._on_rendered, response)

    def render_failed(self, failure: Any) -> list[Request]:
        return self._guard(self._on_render_failed, failure)

    def page_failed(self, failure: Any) -> list[Request]:
        return self._guard(self._on_page_failed, failure)

    def parse_screenshot(self, response: Response) -> list[Request]:
        return self._guard(self._on_screenshot, response)

    def screenshot_failed(self, failure: Any) -> list[Request]:
        return self._guard(self._on_screenshot_failed, failure)

    def _on_page(self, site: SiteState, response: Response) -> list[Request]:
        if REPLAY_FLAG in response.flags:
            return self._replay(site, response, response.meta["pobi_stored"])
        return self._fresh(site, response)

    def _fresh(self, site: SiteState, response: Response) -> list[Request]:
        meta = response.meta
        depth = meta["pobi_depth"]
        requested = meta["pobi_requested"]
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        outcome = classify(http_status=response.status, content_type=content_type)
        status, detail = outcome.status, outcome.detail
        html = ""
        encoding = ""
        if status == FetchStatus.OK:
            if isinstance(response, TextResponse):
                try:
                    html = response.text
                    encoding = response.encoding
                except (UnicodeDecodeError, LookupError) as exc:
                    status, detail = FetchStatus.DECODE_ERROR, str(exc)[:300]
            else:
                status, detail = FetchStatus.NOT_HTML, content_type or "binary"
        if meta.get("pobi_start"):
            self._start_seen(site, response.url, status)
        exchange = self._exchange(response)
        if meta.get("pobi_kind") == xhrlist.KIND:
            return self._on_list_json(site, response, exchange, status, detail, content_type)
        if status != FetchStatus.OK:
            self._save(
                site,
                PageRecord(
                    url=requested,
                    final_url=response.url,
                    depth=depth,
                    status=status.value,
                    http_status=response.status,
                    content_type=content_type,
                    size=len(response.body),
                    detail=detail,
                    warc=build_warc(exchange),
                ),
                [],
            )
            return []
        why = render_reason(html, response.url)
        reason = why.text if why else None  # "<code>: <evidence>" (crawler.render)
        if self.render_mode == RenderMode.ALWAYS:
            reason = reason or "always"
        if why and why.code in (*SITE_WIDE, SCRIPT_LIST, PLACEHOLDER):
            # the same scripts were already run on another page of this site: nothing new (a
            # list or placeholder counts as new where its evidence differs: another container)
            fingerprint = script_fingerprint(html)
            if why.code not in SITE_WIDE:
                fingerprint += "|" + why.evidence
            if fingerprint in site.rendered_scripts and self.render_mode == RenderMode.AUTO:
                reason = None
            elif self.browser and self.render_mode != RenderMode.NEVER:
                site.rendered_scripts.add(fingerprint)
        if reason and self.render_mode != RenderMode.NEVER and self.browser:
            req = chromium.browser_request(
                response.url,
                body=response.body,
                content_type=content_type,
                meta={
                    **{k: v for k, v in meta.items() if k.startswith("pobi_")},
                    "pobi_kind": "render",
                    "pobi_reason": reason,
                    "pobi_exchange": exchange,
                    "pobi_html": html,
                    "pobi_encoding": encoding,
                },
                callback=self.parse_rendered,
                errback=self.render_failed,
                priority=response.request.priority if response.request else 0,
            )
            site.outstanding += 1
            return [req]
        if reason and reason != "always":
            site.render_wanted[response.url] = reason
        return self._process(
            site,
            requested=requested,
            final_url=response.url,
            depth=depth,
            link_text=meta.get("pobi_link_text", ""),
            html=html,
            encoding=encoding,
            content_type=content_type,
            http_status=response.status,
            size=len(response.body),
            exchange=exchange,
            rendered=False,
            reason=reason if reason and reason != "always" else "",
            screenshot=None,
        )

    def _on_rendered(self, site: SiteState, response: Response) -> list[Request]:
        meta = response.meta
        exchange: Exchange = meta["pobi_exchange"]
        left_for = list(dict.fromkeys(meta.get(chromium.LEFT_FOR) or []))
        if left_for:
            # a script or meta refresh took the browser to another page, fetched live: neither
            # that DOM nor that picture is this page's evidence. The page is read as archived
            # and the target is crawled as its link (fetched by the crawler, archived).
            detail = "; ".join(
                f"left for {u} when rendered (not kept; crawled as a link)" for u in left_for
            )
            return self._process_archived(site, meta, detail, redirects=left_for)
        dom = response.text if isinstance(response, TextResponse) else meta["pobi_html"]
        exchange.rendered_html = dom
        out = self._process(
            site,
            requested=meta["pobi_requested"],
            final_url=exchange.url,
            depth=meta["pobi_depth"],
            link_text=meta.get("pobi_link_text", ""),
            html=dom,
            encoding="utf-8",
            content_type=meta.get("pobi_content_type", ""),
            http_status=exchange.status,
            size=len(exchange.body),
            exchange=exchange,
            rendered=True,
            reason=meta["pobi_reason"],
            screenshot=chromium.screenshot_of(response),
        )
        return out

    def _retry_in_browser(self, site: SiteState, failure: Any) -> list[Request]:
        """One more try for a failed render or screenshot (usually a busy machine)."""
        request = failure.request
        meta = request.meta
        if meta.get("pobi_browser_retry"):
            return []
        self.logger.warning(
            "browser failed on %s (%s); trying once more", request.url, failure.value
        )
        site.outstanding += 1
        return [
            chromium.browser_request(
                request.url,
                body=meta["pobi_body"],
                content_type=meta.get("pobi_content_type", ""),
                meta={
                    **{k: v for k, v in meta.items() if k.startswith("pobi_")},
                    "pobi_browser_retry": True,
                },
                callback=request.callback,
                errback=request.errback,
                evidence_only=meta.get("pobi_kind") == "shot",
                priority=request.priority,
            )
        ]

    def _on_render_failed(self, site: SiteState, failure: Any) -> list[Request]:
        retry = self._retry_in_browser(site, failure)
        if retry:
            return retry
        meta = failure.request.meta
        exchange: Exchange = meta["pobi_exchange"]
        site.render_wanted[exchange.url] = meta["pobi_reason"]
        detail = f"rendering failed: {type(failure.value).__name__}: {failure.value}"[:500]
        return self._process_archived(site, meta, detail)

    def _process_archived(
        self,
        site: SiteState,
        meta: dict[str, Any],
        detail: str,
        redirects: list[str] | None = None,
    ) -> list[Request]:
        """A page that was sent to the browser, read as archived instead (no rendered DOM, no
        screenshot): its render failed, or showed another page than the archived one."""
        exchange: Exchange = meta["pobi_exchange"]
        return self._process(
            site,
            requested=meta["pobi_requested"],
            final_url=exchange.url,
            depth=meta["pobi_depth"],
            link_text=meta.get("pobi_link_text", ""),
            html=meta["pobi_html"],
            encoding=meta.get("pobi_encoding", ""),
            content_type=meta.get("pobi_content_type", ""),
            http_status=exchange.status,
            size=len(exchange.body),
            exchange=exchange,
            rendered=False,
            reason=meta["pobi_reason"],
            screenshot=None,
            detail=detail,
            redirects=redirects,
        )

    def _on_page_failed(self, site: SiteState, failure: Any) -> list[Request]:
        request = failure.request
        meta = request.meta
        outcome = classify(exc=failure.value, refusal=meta.get("pobi_refusal", ""))
        if meta.get("pobi_start"):
            self._start_seen(site, request.url, outcome.status)
        self._save(
            site,
            PageRecord(
                url=meta["pobi_requested"],
                final_url=request.url,
                depth=meta["pobi_depth"],
                status=outcome.status.value,
                detail=outcome.detail,
            ),
            [],
        )
        return []

    # ------------------------------------------------------------------ shared processing

    def _start_seen(self, site: SiteState, final_url: str, status: FetchStatus) -> None:
        site.status = status.value
        site.final_url = final_url
        if final_url:
            site.hosts.add(host_key(final_url))

    def _exchange(self, response: Response) -> Exchange:
        req = response.request
        return Exchange(
            url=response.url,
            status=response.status,
            response_headers=[
                (k.decode("latin-1"), v.decode("latin-1"))
                for k, vs in response.headers.items()
                for v in vs
            ],
            body=response.body,
            request_headers=[
                (k.decode("latin-1"), v.decode("latin-1"))
                for k, vs in (req.headers.items() if req else [])
                for v in vs
            ],
            method=req.method if req else "GET",
            fetched_at=now(),
            ip_address=str(response.ip_address or ""),
        )

    def _page_view(
        self,
        site: SiteState,
        url: str,
        html: str,
        encoding: str,
        content_type: str,
        rendered: bool,
        depth: int,
        link_text: str,
    ) -> PageView:
        return PageView(
            url=url,
            site_url=site.url,
            site_kind=SiteKind(site.site_kind),
            province_code=site.province_code,
            html=html,
            encoding=encoding or "utf-8",
            content_type=content_type.split(";", 1)[0].strip() or "text/html",
            rendered=rendered,
            depth=depth,
            link_text=link_text,
        )

    def _analyse(self, view: PageView) -> tuple[list[FindingDraft], list[LinkHint], str]:
        problems = []
        try:
            drafts = list(self.checks(view))
        except Exception as exc:  # a broken check must not lose the page
            self.check_errors += 1
            self.logger.exception("checks failed on %s", view.url)
            drafts = []
            problems.append(f"checks failed: {type(exc).__name__}: {exc}")
        try:
            hints = list(self.hints(view))
        except Exception as exc:
            self.check_errors += 1
            self.logger.exception("link hints failed on %s", view.url)
            hints = []
            problems.append(f"link hints failed: {type(exc).__name__}: {exc}")
        return drafts, hints, "; ".join(problems)[:1000]

    def _process(
        self,
        site: SiteState,
        *,
        requested: str,
        final_url: str,
        depth: int,
        link_text: str,
        html: str,
        encoding: str,
        content_type: str,
        http_status: int,
        size: int,
        exchange: Exchange | None,
        rendered: bool,
        reason: str,
        screenshot: bytes | None,
        detail: str = "",
        stored: StoredPage | None = None,
        redirects: list[str] | None = None,
    ) -> list[Request]:
        """``redirects``: where the rendered page's scripts tried to take the browser; followed
        as links of this page (fetched by the crawler, archived, polite)."""
        view = self._page_view(
            site, final_url, html, encoding, content_type, rendered, depth, link_text
        )
        drafts, hints, problems = self._analyse(view)
        # only findings this page now stands behind need a store write (footer e-mails and
        # phones repeat on every page of a site)
        improved = self._improved(site, drafts, depth, final_url)
        record = PageRecord(
            url=requested,
            final_url=final_url,
            depth=depth,
            status=FetchStatus.OK.value,
            http_status=http_status,
            content_type=content_type,
            size=size,
            rendered=rendered,
            render_reason=reason,
            detail="; ".join(p for p in (detail, problems) if p),
            warc=build_warc(exchange) if exchange is not None else None,
            screenshot=screenshot,
        )
        shots: list[Request] = []
        if stored is None:
            self._save(site, record, improved)
        else:
            self._count(
                site,
                self.writer.submit(
                    self.recorder.save_page,
                    site.row,
                    record,
                    improved,
                    write_page=False,
                    warc_sha256=stored.warc_sha256,
                    screenshot_sha256=stored.screenshot_sha256,
                ),
            )
            site.pages += 1
            site.rendered += int(stored.rendered)
        # a finding seen only as a link moves to the channel's own page when the crawl gets
        # there: such a page is photographed by the site's evidence pass, if it still holds one
        settled = [d for d in improved if not link_only(d.details)]
        if settled and not rendered and exchange:
            shots = self._shot(site, requested, final_url, exchange.body, content_type)
        shots += self._documents_from(site, view, depth)  # budget documents and their sections
        if not rendered and stored is None:
            shots += self._list_json(site, view, drafts, depth)
        if depth >= self.max_depth:
            return shots
        hints = hints + [LinkHint(u, "script_redirect", 10) for u in redirects or []]
        return shots + self._follow(site, view, hints, depth)

    def _list_json(
        self, site: SiteState, view: PageView, drafts: list[FindingDraft], depth: int
    ) -> list[Request]:
        """A Q&A list loaded by script on a page that was not rendered: fetch the JSON endpoint
        the page's script names (GET, same host, one hop; crawler.xhrlist)."""
        section = xhrlist.unread_list(drafts)
        endpoint = xhrlist.list_endpoint(view) if section else ""
        if not section or not endpoint:
            return []
        req = self._page_request(site, endpoint, depth=depth + 1, link_text="", priority=5)
        if req is None:
            return []
        req.meta["pobi_kind"] = xhrlist.KIND
        req.meta["pobi_list_of"] = {"value": section.value, "details": dict(section.details)}
        return [req]

    def _on_list_json(
        self,
        site: SiteState,
        response: Response,
        exchange: Exchange,
        status: FetchStatus,
        detail: str,
        content_type: str,
    ) -> list[Request]:
        """The JSON a Q&A list is loaded from: archived, and the section judged on it."""
        meta = response.meta
        of = meta["pobi_list_of"]
        section = FindingDraft(Channel.QA_SECTION, of["value"], of["details"])
        judged = (
            xhrlist.judge(section, response.body, response.url) if response.status == 200 else None
        )
        note = f"the JSON the Q&A list of {section.value} is loaded from"
        if judged is None:
            note += " (no question read from it: the section stays unread)"
        self._save(
            site,
            PageRecord(
                url=meta["pobi_requested"],
                final_url=response.url,
                depth=meta["pobi_depth"],
                status=status.value,
                http_status=response.status,
                content_type=content_type,
                size=len(response.body),
                detail="; ".join(p for p in (note, detail) if p),
                warc=build_warc(exchange),
            ),
            [judged] if judged else [],
        )
        return []

    def _improved(
        self, site: SiteState, drafts: list[FindingDraft], depth: int, url: str
    ) -> list[FindingDraft]:
        """The drafts for which this page is now the best page (the rule of crawler.records)."""
        out = []
        r = rank(depth, url)
        for d in drafts:
            key = (d.channel.value, d.value[:4000])
            link = link_only(d.details)
            if link and key in site.content_best:
                continue  # the channel's own page holds it: a link never takes it back
            # a channel's own page outranks a link to it, however deep (crawler.records)
            content = not link and key not in site.content_best
            if key not in site.best or r < site.best[key] or content:
                site.best[key] = r
                if not link:
                    site.content_best.add(key)
                out.append(d)
        return out

    def _shot(
        self, site: SiteState, page_url: str, found_on: str, body: bytes, content_type: str
    ) -> list[Request]:
        """A screenshot of a page behind a finding found on its own page, taken now (the crawl
        waits on politeness delays anyway); the site's evidence pass photographs, at its end,
        every page that then holds a finding and has no screenshot (those behind links too)."""
        if not self.browser or found_on in site.shot_pages:
            return []
        site.shot_pages.add(found_on)
        site.outstanding += 1
        return [
            chromium.browser_request(
                found_on,
                body=body,
                content_type=content_type,
                meta={
                    "pobi_site": site.id,
                    "pobi_kind": "shot",
                    "pobi_page_url": page_url,
                    "pobi_found_on": found_on,
                },
                callback=self.parse_screenshot,
                errback=self.screenshot_failed,
                evidence_only=True,
                priority=-100,
            )
        ]

    def _follow(
        self, site: SiteState, view: PageView, hints: list[LinkHint], depth: int
    ) -> list[Request]:
        links = extract_links(view.html, view.url)
        hinted = {canonical(h.url): h for h in hints}
        texts = {canonical(link.url): link.text for link in links}
        ordered: list[tuple[int, str, str]] = []
        for h in sorted(hints, key=lambda h: -h.priority):
            ordered.append((max(1, h.priority), h.url, texts.get(canonical(h.url), "")))
        for link in links:
            if canonical(link.url) not in hinted:
                ordered.append((1 if link.tag in ("iframe", "frame") else 0, link.url, link.text))
        out: list[Request] = []
        # a complaint/Q&A system on another host (crawler.checks.external_system): one hop
        external = {canonical(h.url) for h in hints if h.reason == EXTERNAL_HINT}
        for prio, url, text in ordered:
            hop = host_key(url) not in site.hosts and canonical(url) in external
            if (host_key(url) not in site.hosts and not hop) or skip_by_extension(url):
                continue
            req = self._page_request(
                site, url, depth=depth + 1, link_text=text, priority=prio * 10 - (depth + 1)
            )
            if req is not None:
                if hop:
                    req.meta["pobi_external"] = True
                out.append(req)
        return out

    def _save(self, site: SiteState, record: PageRecord, drafts: list[FindingDraft]) -> None:
        files = self.writer.prewrite(record.warc, record.screenshot)
        self._count(
            site,
            self.writer.submit(self.recorder.save_page, site.row, record, drafts, after=files),
        )
        if record.status == FetchStatus.OK.value:
            site.pages += 1
            site.rendered += int(record.rendered)

    def _count(self, site: SiteState, future: Any) -> None:
        def add(f: Any) -> None:
            if f.exception() is None:
                site.findings += f.result()

        future.add_done_callback(add)

    # ------------------------------------------------------------------ replay (resume)

    def _replay(self, site: SiteState, response: Response, stored: StoredPage) -> list[Request]:
        meta = response.meta
        if meta.get("pobi_start"):
            self._start_seen(site, stored.final_url, FetchStatus(stored.status))
        if stored.status != FetchStatus.OK.value or not stored.warc_sha256:
            return []
        archived = read_warc(self.recorder.evidence.read(stored.warc_sha256))
        content_type = next(
            (v for k, v in archived.headers if k.lower() == "content-type"), "text/html"
        )
        if archived.rendered_html is not None:
            html, encoding = archived.rendered_html, "utf-8"
        else:
            static = TextResponse(
                url=archived.url or stored.final_url,
                body=archived.body,
                headers={"Content-Type": content_type},
            )
            html, encoding = static.text, static.encoding
            if stored.render_reason:
                site.render_wanted[stored.final_url] = stored.render_reason
        return self._process(
            site,
            requested=stored.url,
            final_url=stored.final_url,
            depth=meta["pobi_depth"],
            link_text=meta.get("pobi_link_text", ""),
            html=html,
            encoding=encoding,
            content_type=content_type,
            http_status=stored.http_status or 200,
            size=len(archived.body),
            exchange=None,
            rendered=stored.rendered,
            reason=stored.render_reason,
            screenshot=None,
            stored=stored,
        )

    # ------------------------------------------------------------------ evidence pass, site end

    def _done_one(self, site: SiteState, children: list[Request]) -> list[Request]:
        site.outstanding -= 1
        self._emit_site(site)
        if site.outstanding > 0:
            return children
        if site.phase == "crawling":
            site.phase = "evidence"
            shots = self._screenshot_requests(site) if self.browser else []
            if shots:
                site.outstanding += len(shots)
                self._emit_site(site)
                return children + shots
        self._finish(site)
        return children + self._discovered(site)

    def _discovered(self, site: SiteState) -> list[Request]:
        """Start requests for finance sites a portal's link directory names and the crawl does
        not have (:mod:`crawler.discovery`). Decided once per portal, when it and the province's
        listed finance sites are done (their final hosts, after redirects, are then known)."""
        if site.site_kind not in (SiteKind.PORTAL.value, SiteKind.FINANCE.value):
            return []
        same = [s for s in self.sites.values() if s.province_code == site.province_code]
        if any(s.phase != "done" for s in same if s.site_kind == SiteKind.FINANCE.value):
            return []
        decided = self.discovery_decided
        portals = [
            s
            for s in same
            if s.site_kind == SiteKind.PORTAL.value and s.phase == "done" and s.id not in decided
        ]
        from crawler.discovery import discover_finance_sites

        out = []
        for portal in portals:
            decided.add(portal.id)
            known = {h for s in self.sites.values() for h in s.hosts}
            rows = self.writer.submit(
                discover_finance_sites, self.recorder, portal.id, known
            ).result()
            for row in rows:
                st = SiteState(row.id, row.province_code, row.site_kind, row.url, row=row)
                st.hosts.add(host_key(row.url))
                if self.resume:
                    st.stored = self.recorder.stored_pages(row.id)
                    st.best = self.recorder.best_ranks(row.id)
                self.sites[row.id] = st
                self._emit_site(st, discovered_from=portal.url)
                req = self._page_request(st, st.url, depth=0, link_text="", start=True)
                if req is not None:
                    out.append(req)
        return out

    def _screenshot_requests(self, site: SiteState) -> list[Request]:
        out = []
        self.writer.drain()
        for page in self.recorder.pages_needing_screenshots(site.id):
            if page.screenshot_sha256:
                self.writer.submit(
                    self.recorder.save_screenshot,
                    site.id,
                    page.url,
                    page.final_url,
                    None,
                    page.screenshot_sha256,
                )
                continue
            archived = read_warc(self.recorder.evidence.read(page.warc_sha256))
            content_type = next(
                (v for k, v in archived.headers if k.lower() == "content-type"), "text/html"
            )
            body = (
                archived.rendered_html.encode("utf-8")
                if archived.rendered_html is not None
                else archived.body
            )
            if archived.rendered_html is not None:
                content_type = "text/html; charset=utf-8"
            out.append(
                chromium.browser_request(
                    page.final_url,
                    body=body,
                    content_type=content_type,
                    meta={
                        "pobi_site": site.id,
                        "pobi_kind": "shot",
                        "pobi_page_url": page.url,
                        "pobi_found_on": page.final_url,
                    },
                    callback=self.parse_screenshot,
                    errback=self.screenshot_failed,
                    evidence_only=True,
                    priority=-100,
                )
            )
        return out

    def _on_screenshot(self, site: SiteState, response: Response) -> list[Request]:
        meta = response.meta
        png = chromium.screenshot_of(response)
        if meta.get(chromium.LEFT_FOR):  # the picture would be of the live site
            self.logger.warning(
                "no screenshot of %s: it left for %s when shown",
                meta["pobi_found_on"],
                ", ".join(meta[chromium.LEFT_FOR]),
            )
            return []
        if png:
            self.writer.submit(
                self.recorder.save_screenshot,
                site.id,
                meta["pobi_page_url"],
                meta["pobi_found_on"],
                png,
                after=self.writer.prewrite(png),
            )
        return []

    def _on_screenshot_failed(self, site: SiteState, failure: Any) -> list[Request]:
        retry = self._retry_in_browser(site, failure)
        if retry:
            return retry
        meta = failure.request.meta
        self.logger.warning("screenshot of %s failed: %s", meta["pobi_found_on"], failure.value)
        return []

    def _finish(self, site: SiteState) -> None:
        site.phase = "done"
        notes = []
        under = False
        if site.render_wanted:
            under = True
            why = sorted({reason_code(r) for r in site.render_wanted.values()})
            if self.render_mode == RenderMode.NEVER:
                cause = "--render never"
            elif not self.browser:
                cause = "no browser"
            else:
                cause = "rendering failed"
            notes.append(
                f"{len(site.render_wanted)} page(s) needed a browser ({', '.join(why)}) "
                f"but were read statically ({cause}): channels may be under-reported"
            )
        if site.budget_dropped:
            notes.append(
                f"page budget {self.max_pages} reached: {site.budget_dropped} link(s) not followed"
            )
        if site.traps:
            notes.append(f"{site.traps} trap-like link(s) skipped")
        counts = self.writer.submit(
            self.recorder.finish_site,
            site.id,
            SiteResult(
                status=site.status or FetchStatus.NETWORK_ERROR.value,
                final_url=site.final_url,
                under_reported=under,
                note="; ".join(notes),
            ),
        ).result()
        site.pages, site.rendered, site.findings = (
            counts["pages"],
            counts["rendered"],
            counts["findings"],
        )
        self._emit_site(site, note="; ".join(notes), under_reported=under)

    def _emit_site(self, site: SiteState, **extra: Any) -> None:
        self.emit(
            {
                "event": "site",
                "id": site.id,
                "province_code": site.province_code,
                "site_kind": site.site_kind,
                "url": site.url,
                "final_url": site.final_url,
                "status": site.status,
                "phase": site.phase,
                "pages": site.pages,
                "rendered": site.rendered,
                "findings": site.findings,
                "queued": site.outstanding,
                **extra,
            }
        )
