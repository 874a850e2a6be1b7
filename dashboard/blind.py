"""Blind coding on the Review page (two-coder design, issue 17): a registered coder sees the
replies they have not coded yet, as text, and never anyone else's code. The page stops after this
section, so the Review tabs (which show the current codes) and the disagreements are not shown."""

from __future__ import annotations

import streamlit as st

from dashboard import queries
from dashboard.codingform import coding_form, pick_message, show_message
from dashboard.privacy import escape_markdown
from pobi.errors import PobiError


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
    m = pick_message(ctx, todo, "b_pk")
    show_message(ctx, m)
    coding_form(
        ctx,
        "blind_code",
        m["pk"],
        lambda pk, code, note: queries.write_blind_code(ctx.url, pk, code, note, coder),
    )
