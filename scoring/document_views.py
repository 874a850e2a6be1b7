"""Rows of ``documents.csv`` (DESIGN.md §6), read from the store, sorted so the same store always
gives the same rows."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.store.tables import CrawlSite, Document
from scoring.views import Row


def documents_rows(session: Session, round_id: str) -> list[Row]:
    rows = []
    for d, site_url in session.execute(
        select(Document, CrawlSite.url)
        .join(CrawlSite, CrawlSite.id == Document.site_id)
        .where(Document.round_id == round_id)
    ):
        rows.append(
            {
                "province_code": d.province_code,
                "site_url": site_url,
                "doc_type": d.doc_type,
                "fiscal_year": d.fiscal_year,
                "period": d.period,
                "title": d.title,
                "url": d.url,
                "found_on": d.found_on,
                "published_on": date.fromisoformat(d.published_on) if d.published_on else None,
                "date_source": d.date_source,
                "format": d.format,
                "sha256": d.sha256,
            }
        )
    rows.sort(
        key=lambda r: (
            r["province_code"],
            r["doc_type"],
            r["fiscal_year"] or 0,
            r["period"],
            r["url"],
        )
    )
    return rows
