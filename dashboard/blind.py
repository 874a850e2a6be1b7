"""Blind coding on the Review page (two-coder design, issue 17): a registered coder sees the
replies they have not coded yet, as text, and never anyone else's code. The page stops after this
section, so the Review tabs (which show the current codes) and the disagreements are not shown."""

from __future__ import annotations

import streamlit as st

from dashboard import queries
from dashboard.privacy import escape_markdown
from pobi.errors import PobiError
from pobi.models import Coding


def blind_section(ctx, coder: str) -> None:  # type: ignore[no-untyped-def]
    st.subheader(ctx.t("blind_title"))
    if not coder.strip():
        st.info(ctx.t("blind_need_name"))
        return
    try:
        todo = queries.blind_queue(ctx.url, ctx.round_id, coder)
    except PobiError as exc:
        st.error(escape_markdown(str(exc)))
        return
    st.caption(ctx.t("blind_left", n=len(todo)))
    if todo.empty:
        return
    pk = st.selectbox(
        ctx.t("message"),
        list(todo["pk"]),
        key="b_pk",
        format_func=lambda k: "{} · {} · {}".format(
            k, *todo.loc[todo["pk"] == k, ["request_id", "subject"]].iloc[0]
        ),
    )
    m = todo[todo["pk"] == pk].iloc[0]
    st.text(f"{ctx.t('col_from')}: {m['from_addr']}\n{ctx.t('col_subject')}: {m['subject']}")
    st.code(m["body_text"] or "", language=None, wrap_lines=True)
    with st.form("blind_code", clear_on_submit=True):
        coding = st.selectbox(
            ctx.t("col_coding"),
            [c.value for c in Coding],
            format_func=lambda c: ctx.t("coding_" + c),
        )
        note = st.text_input(ctx.t("reason"))
        if st.form_submit_button(ctx.t("save")):
            try:
                queries.write_blind_code(ctx.url, int(pk), coding, note, coder)
                st.session_state["review_flash"] = ctx.t("saved_coding", id=pk)
                st.rerun()
            except PobiError as exc:
                st.error(escape_markdown(str(exc)))
