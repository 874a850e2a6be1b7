"""Data: every table of the round as CSV (same columns as `pobi export`), and the codebook."""

from __future__ import annotations

import streamlit as st

from dashboard import queries
from dashboard.context import current, require_round
from dashboard.privacy import escape_markdown, public_export
from dashboard.readable import dataframe as readable_dataframe

ctx = current()
st.title(ctx.t("data_title"))
if require_round(ctx):
    st.caption(ctx.t("data_caption", round=ctx.round_id))
    if ctx.public:
        st.caption(ctx.t("data_public_note"))
    for name in queries.EXPORT_TABLES:
        df = queries.export_table(ctx.url, ctx.version, ctx.round_id, name)
        if ctx.public:
            df = public_export(
                name, df, queries.email_references(ctx.url, ctx.version, ctx.round_id)
            )
        with st.container(border=True):
            left, right = st.columns([3, 1])
            left.markdown(f"**{name}.csv** — {ctx.t('table_' + name)}")
            left.caption(ctx.t("rows_columns", rows=len(df), cols=", ".join(df.columns)))
            right.download_button(
                ctx.t("download_csv"),
                data=df.to_csv(index=False).encode("utf-8"),
                file_name=f"{ctx.round_id}-{name}.csv",
                mime="text/csv",
                key=f"dl_{name}",
                on_click="ignore",
            )
            if len(df):
                with st.expander(ctx.t("preview")):
                    readable_dataframe(
                        ctx,
                        f"preview_{name}",
                        df.head(50),
                        caption=f"{name}.csv",
                        hide_index=True,
                        width="stretch",
                    )
    st.subheader(ctx.t("codebook_title"))
    book = queries.codebook(ctx.src, ctx.round_id)
    if book is None:
        st.info(ctx.t("no_codebook", round=ctx.round_id))
    else:
        path, text = book
        st.caption(escape_markdown(path))
        st.download_button(
            ctx.t("download_codebook"),
            data=text.encode("utf-8"),
            file_name="CODEBOOK.md",
            mime="text/markdown",
            on_click="ignore",
        )
        with st.expander(ctx.t("preview")):
            st.text(text)
