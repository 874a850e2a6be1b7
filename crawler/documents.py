"""The spider's budget-document work (mixed into :class:`crawler.spider.SiteSpider`).

For every page it processes, the spider asks :func:`crawler.checks.budget_docs.scan` for budget
document links and for links to more budget pages. Documents are downloaded once per round (a URL
already stored is never fetched again, also across ``--resume``), within ``[documents]
max_document_bytes``, from any host (a province's files often live on a separate document
system), archived (the file itself and a WARC record, both by SHA-256), read
(:mod:`crawler.doctext`) and classified (:mod:`crawler.doctype`). Budget sub-sections on the site
are crawled early; a document system on another host is visited one or two pages deep, for its
document links only (no channel checks run there). Nothing here raises into the crawl: a broken
file is a row with format ``unreadable`` and the reason.
"""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request
from scrapy.http import Response, TextResponse

from crawler.archive import Exchange, build_warc, read_warc
from crawler.checks.budget_docs import DocLink, scan
from crawler.doctext import file_name, kind_from_media, kind_from_name, read
from crawler.doctype import classify
from crawler.document_records import DocumentRecord, DocumentRecorder
from crawler.middleware import REPLAY_FLAG
from crawler.page import PageView
from crawler.records import PageRecord
from crawler.status import classify as classify_fetch
from crawler.urls import canonical, host_key
from pobi.clock import now
from pobi.models import DateSource, DocFormat, FetchStatus, SiteKind

DOCSYSTEM_DEPTH = 2  # pages deep into a document system on another host
DEFAULT_MAX_BYTES = 50_000_000
DEFAULT_MAX_PAGES = 400


class DocumentFetching:
    """Mixin: needs the spider's ``sites``, ``writer``, ``recorder``, ``_guard``, ``_page_request``,
    ``_save``, ``_exchange`` and ``logger``."""

    doc_recorder: DocumentRecorder
    doc_seen: set[str]

    def _init_documents(self, resume: bool) -> None:
        rec = self.recorder  # type: ignore[attr-defined]
        self.doc_recorder = DocumentRecorder(rec.store, rec.evidence, rec.round_id)
        self.doc_seen = set()
        self.docs_found = 0
        if resume:
            self.doc_seen = {canonical(u) for u in self.doc_recorder.known_urls()}

    def _doc_limits(self) -> tuple[int, int]:
        settings = getattr(self, "settings", None)
        if settings is None:
            return DEFAULT_MAX_BYTES, DEFAULT_MAX_PAGES
        return (
            settings.getint("POBI_DOCUMENT_MAXSIZE", DEFAULT_MAX_BYTES),
            settings.getint("POBI_DOCUMENT_MAX_PAGES", DEFAULT_MAX_PAGES),
        )

    # ------------------------------------------------------------------ scheduling

    def _documents_from(self, site: Any, view: PageView, depth: int) -> list[Request]:
        try:
            section, docs, more = scan(view)
        except Exception:
            self.logger.exception("budget document scan failed on %s", view.url)  # type: ignore[attr-defined]
            return []
        out: list[Request] = [
            self._doc_request(site, d, view.url) for d in docs if self._new_doc(d.url)
        ]
        for link in more:
            on_site = host_key(link.url) in site.hosts
            if on_site:
                req = self._page_request(  # type: ignore[attr-defined]
                    site, link.url, depth=depth + 1, link_text=link.text, priority=400 - depth
                )
                if req is not None:
                    out.append(req)
            elif link.reason == "docsystem" or section:
                req = self._docpage_request(site, link.url, link.text, 1)
                if req is not None:
                    out.append(req)
        return out

    def _new_doc(self, url: str) -> bool:
        key = canonical(url)
        if key in self.doc_seen:
            return False
        self.doc_seen.add(key)
        return True

    def _doc_request(self, site: Any, link: DocLink, found_on: str) -> Request:
        site.outstanding += 1
        max_bytes, _ = self._doc_limits()
        return Request(
            link.url,
            callback=self.parse_document,
            errback=self.document_failed,
            dont_filter=True,
            priority=300,
            meta={
                "pobi_site": site.id,
                "pobi_kind": "document",
                "pobi_requested": link.url,
                "pobi_doclink": link,
                "pobi_found_on": found_on,
                "download_maxsize": max_bytes,
                "download_warnsize": 0,
            },
        )

    def _docpage_request(self, site: Any, url: str, text: str, level: int) -> Request | None:
        key = canonical(url)
        if key in site.seen or level > DOCSYSTEM_DEPTH:
            return None
        site.seen.add(key)
        site.outstanding += 1
        return Request(
            url,
            callback=self.parse_docpage,
            errback=self.docpage_failed,
            dont_filter=True,
            priority=350,
            meta={
                "pobi_site": site.id,
                "pobi_kind": "page",  # replayed from the archive on --resume, like any page
                "pobi_docpage": True,
                "pobi_requested": url,
                "pobi_link_text": text,
                "pobi_depth": level,
            },
        )

    # ------------------------------------------------------------------ callbacks

    def parse_document(self, response: Response) -> list[Request]:
        return self._guard(self._on_document, response)  # type: ignore[attr-defined]

    def document_failed(self, failure: Any) -> list[Request]:
        return self._guard(self._on_document_failed, failure)  # type: ignore[attr-defined]

    def parse_docpage(self, response: Response) -> list[Request]:
        return self._guard(self._on_docpage, response)  # type: ignore[attr-defined]

    def docpage_failed(self, failure: Any) -> list[Request]:
        return self._guard(self._on_docpage_failed, failure)  # type: ignore[attr-defined]

    def _on_docpage(self, site: Any, response: Response) -> list[Request]:
        meta = response.meta
        if REPLAY_FLAG in response.flags:
            return self._docpage_links(site, response.meta, *self._docpage_replayed(meta))
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        outcome = classify_fetch(http_status=response.status, content_type=content_type)
        exchange: Exchange = self._exchange(response)  # type: ignore[attr-defined]
        html = ""
        status = outcome.status
        if status == FetchStatus.OK and isinstance(response, TextResponse):
            try:
                html = response.text
            except (UnicodeDecodeError, LookupError):
                status = FetchStatus.DECODE_ERROR
        self._save(  # type: ignore[attr-defined]
            site,
            PageRecord(
                url=meta["pobi_requested"],
                final_url=response.url,
                depth=meta.get("pobi_depth", 1),
                status=status.value,
                http_status=response.status,
                content_type=content_type,
                size=len(response.body),
                detail="document system page (budget documents only; no channel checks)",
                warc=build_warc(exchange),
            ),
            [],
        )
        if status != FetchStatus.OK or not html:
            return []
        return self._docpage_links(site, meta, response.url, html)

    def _docpage_replayed(self, meta: dict[str, Any]) -> tuple[str, str]:
        stored = meta["pobi_stored"]
        if stored.status != FetchStatus.OK.value or not stored.warc_sha256:
            return stored.final_url, ""
        archived = read_warc(self.recorder.evidence.read(stored.warc_sha256))  # type: ignore[attr-defined]
        content_type = next(
            (v for k, v in archived.headers if k.lower() == "content-type"), "text/html"
        )
        static = TextResponse(
            url=archived.url or stored.final_url,
            body=archived.body,
            headers={"Content-Type": content_type},
        )
        return stored.final_url, static.text

    def _docpage_links(self, site: Any, meta: dict[str, Any], url: str, html: str) -> list[Request]:
        if not html:
            return []
        view = PageView(
            url=url,
            site_url=site.url,
            site_kind=SiteKind(site.site_kind),
            province_code=site.province_code,
            html=html,
            link_text=meta.get("pobi_link_text", ""),
            depth=meta.get("pobi_depth", 1),
        )
        _section, docs, more = scan(view)
        out: list[Request] = [self._doc_request(site, d, url) for d in docs if self._new_doc(d.url)]
        level = int(meta.get("pobi_depth", 1))
        for link in more:
            if host_key(link.url) == host_key(url):
                req = self._docpage_request(site, link.url, link.text, level + 1)
                if req is not None:
                    out.append(req)
        return out

    def _on_docpage_failed(self, site: Any, failure: Any) -> list[Request]:
        meta = failure.request.meta
        outcome = classify_fetch(exc=failure.value, refusal=meta.get("pobi_refusal", ""))
        self._save(  # type: ignore[attr-defined]
            site,
            PageRecord(
                url=meta["pobi_requested"],
                final_url=failure.request.url,
                depth=meta.get("pobi_depth", 1),
                status=outcome.status.value,
                detail=outcome.detail,
            ),
            [],
        )
        return []

    def _on_document(self, site: Any, response: Response) -> list[Request]:
        meta = response.meta
        link: DocLink = meta["pobi_doclink"]
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        name = file_name(response.url) or file_name(link.url)
        disposition = response.headers.get("Content-Disposition", b"").decode("latin-1")
        if "filename=" in disposition:
            name = disposition.split("filename=", 1)[1].strip().strip('"').strip("'") or name
        rec = DocumentRecord(
            site_id=site.id,
            province_code=site.province_code,
            url=link.url,
            final_url=response.url,
            found_on=meta.get("pobi_found_on", ""),
            title=link.title,
            file_name=name,
            status=FetchStatus.OK.value,
            http_status=response.status,
            content_type=content_type,
            size=len(response.body),
            listing_date=link.listing_date.isoformat() if link.listing_date else "",
        )
        if response.status >= 400:
            outcome = classify_fetch(http_status=response.status, content_type=content_type)
            rec.status, rec.detail = outcome.status.value, outcome.detail
            rec.format = DocFormat.UNREADABLE.value
            self._write_doc(rec)
            return []
        rec.last_modified = _http_date(response.headers.get("Last-Modified", b""))
        _, max_pages = self._doc_limits()
        hint = kind_from_name(name) or kind_from_media(content_type)
        got = read(response.body, hint=hint, max_pages=max_pages)
        rec.kind, rec.format, rec.pages = got.kind, got.format.value, got.pages
        rec.detail = got.problem
        rec.text_excerpt = got.text[:2000]
        if got.kind == "unknown" and isinstance(response, TextResponse):
            rec.detail = f"an HTML page, not a file ({content_type or 'no Content-Type'})"
        c = classify(link.title, name, got.text)
        rec.doc_type = c.doc_type.value
        rec.fiscal_year = c.fiscal_year
        rec.period = c.period
        rec.forms = c.forms
        rec.reasons = [*c.reasons, f"format {got.format.value} ({got.kind})"]
        rec.document_date = c.document_date.isoformat() if c.document_date else ""
        rec.published_on, rec.date_source = _published(rec)
        rec.body = response.body
        rec.warc = build_warc(self._exchange(response))  # type: ignore[attr-defined]
        self._write_doc(rec)
        return []

    def _on_document_failed(self, site: Any, failure: Any) -> list[Request]:
        request = failure.request
        meta = request.meta
        link: DocLink = meta["pobi_doclink"]
        outcome = classify_fetch(exc=failure.value, refusal=meta.get("pobi_refusal", ""))
        c = classify(link.title, file_name(link.url))
        rec = DocumentRecord(
            site_id=site.id,
            province_code=site.province_code,
            url=link.url,
            final_url=request.url,
            found_on=meta.get("pobi_found_on", ""),
            title=link.title,
            file_name=file_name(link.url),
            status=outcome.status.value,
            format=(
                DocFormat.TOO_LARGE.value
                if outcome.status == FetchStatus.TOO_LARGE
                else DocFormat.UNREADABLE.value
            ),
            kind=kind_from_name(link.url),
            doc_type=c.doc_type.value,
            fiscal_year=c.fiscal_year,
            period=c.period,
            reasons=[*c.reasons, "not downloaded: classified from its title and file name"],
            listing_date=link.listing_date.isoformat() if link.listing_date else "",
            detail=outcome.detail,
        )
        rec.published_on, rec.date_source = _published(rec)
        self._write_doc(rec)
        return []

    def _write_doc(self, rec: DocumentRecord) -> None:
        self.docs_found += 1
        after = self.writer.prewrite(rec.body, rec.warc)  # type: ignore[attr-defined]
        self.writer.submit(self.doc_recorder.save, rec, after=after)  # type: ignore[attr-defined]


def _http_date(raw: bytes) -> str:
    if not raw:
        return ""
    try:
        return parsedate_to_datetime(raw.decode("latin-1")).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return ""


def _published(rec: DocumentRecord) -> tuple[str, str]:
    """The publication date and where it comes from: the listing beside the link, the
    document's own date, HTTP Last-Modified, else the day pobi first saw it."""
    for value, source in (
        (rec.listing_date, DateSource.LISTING),
        (rec.document_date, DateSource.DOCUMENT),
        (rec.last_modified, DateSource.LAST_MODIFIED),
    ):
        if value:
            return value, source.value
    if rec.status == FetchStatus.OK.value or rec.status == FetchStatus.TOO_LARGE.value:
        return now().date().isoformat(), DateSource.FIRST_SEEN.value
    return "", DateSource.NONE.value
