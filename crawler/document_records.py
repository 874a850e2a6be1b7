"""Store writes for budget documents: the file, its WARC and its ``documents`` row, in one
transaction (like :mod:`crawler.records` for pages). Idempotent: one row per (round, URL)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from pobi.clock import now
from pobi.evidence import EvidenceStore, record
from pobi.store import Store
from pobi.store.tables import Document


@dataclass
class DocumentRecord:
    site_id: int
    province_code: str
    url: str
    found_on: str
    title: str
    file_name: str
    status: str
    final_url: str = ""
    http_status: int | None = None
    content_type: str = ""
    size: int = 0
    kind: str = ""
    format: str = ""
    doc_type: str = ""
    fiscal_year: int | None = None
    period: str = ""
    listing_date: str = ""
    document_date: str = ""
    last_modified: str = ""
    published_on: str = ""
    date_source: str = ""
    forms: list[int] = field(default_factory=list)
    pages: int = 0
    reasons: list[str] = field(default_factory=list)
    text_excerpt: str = ""
    detail: str = ""
    body: bytes | None = None  # the file (stored as evidence kind 'document')
    warc: bytes | None = None


class DocumentRecorder:
    def __init__(self, store: Store, evidence: EvidenceStore, round_id: str) -> None:
        self.store = store
        self.evidence = evidence
        self.round_id = round_id

    def known_urls(self) -> set[str]:
        """URLs of documents this round already holds (never fetched again on --resume)."""
        with self.store.session() as s:
            return set(s.scalars(select(Document.url).where(Document.round_id == self.round_id)))

    def save(self, doc: DocumentRecord) -> int:
        with self.store.session() as s:
            sha = warc_sha = ""
            if doc.body is not None:
                sha = record(
                    s,
                    self.evidence,
                    doc.body,
                    kind="document",
                    media_type=doc.content_type.split(";", 1)[0].strip()
                    or "application/octet-stream",
                    note=f"{doc.file_name} <- {doc.url}",
                )
            if doc.warc is not None:
                warc_sha = record(
                    s, self.evidence, doc.warc, kind="warc", media_type="application/warc",
                    note=doc.final_url or doc.url,
                )  # fmt: skip
            row = s.scalar(
                select(Document).where(Document.round_id == self.round_id, Document.url == doc.url)
            )
            if row is None:
                row = Document(round_id=self.round_id, url=doc.url, first_seen=now())
                s.add(row)
            values: dict[str, Any] = {
                k: v for k, v in doc.__dict__.items() if k not in {"body", "warc", "url"}
            }
            values["detail"] = values["detail"][:4000]
            values["title"] = values["title"][:2000]
            values["content_type"] = values["content_type"][:128]
            for k, v in values.items():
                setattr(row, k, v)
            row.sha256 = sha
            row.warc_sha256 = warc_sha
            s.flush()
            return row.id
