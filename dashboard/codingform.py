"""The coding of one reply, shared by the Review page's coding tab and its blind-coding mode: pick a
message, read it as plain text (never HTML), choose a code with a reason, save. Each caller gives
the messages it may show and how a code is written (an ordinary coding, or a blind code)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.privacy import escape_markdown
from pobi.errors import PobiError
from pobi.models import Coding


def pick_message(ctx: Any, messages: pd.DataFrame, key: str) -> pd.Series:
    """A select box of ``messages`` (by pk, shown with request and subject); the chosen row."""
    pk = st.selectbox(
        ctx.t("message"),
        list(messages["pk"]),
        key=key,
        format_func=lambda k: "{} · {} · {}".format(
            k, *messages.loc[messages["pk"] == k, ["request_id", "subject"]].iloc[0]
        ),
    )
    return messages[messages["pk"] == pk].iloc[0]


def show_message(ctx: Any, message: pd.Series, coding: str | None = None) -> None:
    """Sender, subject (and, when given, the current code) and the body, as plain text."""
    head = (
        f"{ctx.t('col_from')}: {message['from_addr']}\n{ctx.t('col_subject')}: {message['subject']}"
    )
    if coding is not None:
        head += f"\n{ctx.t('col_coding')}: {coding}"
    st.text(head)
    st.code(message["body_text"] or "", language=None, wrap_lines=True)


def coding_form(ctx: Any, form_key: str, pk: int, write: Callable[[int, str, str], object]) -> None:
    """The code and its reason; ``write(pk, code, note)`` saves it (a refusal shows as an error)."""
    with st.form(form_key, clear_on_submit=True):
        coding = st.selectbox(
            ctx.t("col_coding"),
            [c.value for c in Coding],
            format_func=lambda c: ctx.t("coding_" + c),
        )
        note = st.text_input(ctx.t("reason"))
        if st.form_submit_button(ctx.t("save")):
            try:
                write(int(pk), coding, note)
                st.session_state["review_flash"] = ctx.t("saved_coding", id=pk)
                st.rerun()
            except PobiError as exc:
                st.error(escape_markdown(str(exc)))
