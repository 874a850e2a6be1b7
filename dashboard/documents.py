"""The province page's budget documents: each with its dates, deadline status and the archived
copy (the file exactly as downloaded, and its WARC record), downloadable from the evidence store."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import queries
from dashboard.readable import dataframe as readable_dataframe


def show_documents(ctx: Any, code: str) -> None:
    st.subheader(ctx.t("documents_title"))
    docs = queries.province_documents(ctx.url, ctx.version, ctx.round_id, code)
    if docs.empty:
        st.info(ctx.t("documents_none"))
        return
    docs = docs.copy()
    docs["deadline_label"] = [ctx.t("docstatus_" + s) for s in docs["deadline_status"]]
    readable_dataframe(
        ctx,
        "documents",
        docs[
            [
                "doc_type", "fiscal_year", "period", "title", "published_on", "date_source",
                "deadline", "deadline_label", "days_late", "format", "forms", "url",
            ]
        ],
        hide_index=True,
        width="stretch",
        column_config={
            "doc_type": ctx.t("col_doc_type"),
            "fiscal_year": st.column_config.NumberColumn(ctx.t("col_fiscal_year"), format="%d"),
            "period": ctx.t("col_period"),
            "title": ctx.t("col_title"),
            "published_on": ctx.t("col_published_on"),
            "date_source": ctx.t("col_date_source"),
            "deadline": ctx.t("col_doc_deadline"),
            "deadline_label": ctx.t("col_doc_deadline_status"),
            "days_late": st.column_config.NumberColumn(ctx.t("col_days_late"), format="%d"),
            "format": ctx.t("col_format"),
            "forms": ctx.t("col_forms"),
            "url": st.column_config.LinkColumn("URL"),
        },
    )  # fmt: skip
    st.caption(ctx.t("documents_caption"))
    archived = docs[docs["sha256"] != ""]
    if archived.empty:
        return
    choice = st.selectbox(
        ctx.t("documents_archived"),
        list(archived.index),
        format_func=lambda i: (
            f"{archived.loc[i, 'doc_type']} {archived.loc[i, 'fiscal_year']} · "
            f"{archived.loc[i, 'url'].rsplit('/', 1)[-1]}"
        ),
        key=f"doc_archive_{code}",
    )
    row = archived.loc[choice]
    st.caption(f"{row['why']} · {row['legal_basis']}")
    c1, c2 = st.columns(2)
    data = queries.evidence_bytes(ctx.src.evidence_dir, row["sha256"])
    name = row["url"].rsplit("/", 1)[-1] or f"{row['sha256']}.bin"
    if data is None:
        c1.caption(ctx.t("evidence_missing", sha=row["sha256"][:12]))
    else:
        c1.download_button(
            ctx.t("documents_download"), data, file_name=name, key=f"doc_dl_{row['sha256']}"
        )
    warc = (
        queries.evidence_bytes(ctx.src.evidence_dir, row["warc_sha256"])
        if row["warc_sha256"]
        else None
    )
    if warc is not None:
        c2.download_button(
            "WARC", warc, file_name=f"{row['warc_sha256'][:16]}.warc.gz",
            key=f"doc_warc_{row['warc_sha256']}",
        )  # fmt: skip
