"""What every page needs: the data source, the language, the round, public mode.

Set by ``pobi dashboard`` through environment variables (never changeable from the browser):
``POBI_HOME`` / ``POBI_DATABASE_URL`` (the store), ``POBI_DASHBOARD_ROUND`` (the round shown
first), ``POBI_DASHBOARD_PUBLIC`` ("1": public mode). The language and the round are sidebar
widgets; ``?lang=en`` and ``?round=R`` in the URL choose them on the first visit (and the
Province page takes ``?province=CODE``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st

from dashboard import queries
from dashboard.i18n import LANGS, t
from dashboard.privacy import escape_markdown


@dataclass(frozen=True)
class Context:
    src: queries.Source
    version: str
    lang: str
    public: bool
    round_id: str | None
    era: str | None

    @property
    def url(self) -> str:
        return self.src.database_url

    def t(self, key: str, **fmt: object) -> str:
        return t(key, self.lang, **fmt)


def public_mode() -> bool:
    return os.environ.get("POBI_DASHBOARD_PUBLIC", "").lower() in {"1", "true", "yes", "on"}


def _language() -> str:
    if "lang" not in st.session_state:
        wanted = st.query_params.get("lang", "vi")
        st.session_state["lang"] = wanted if wanted in LANGS else "vi"
    lang = st.sidebar.radio(
        "Ngôn ngữ / Language",
        options=list(LANGS),
        format_func=lambda code: LANGS[code],
        key="lang",
        horizontal=True,
    )
    return str(lang)


def setup() -> Context:
    """Build the sidebar (language, round) and remember the context for the pages of this run."""
    lang = _language()
    src = queries.source()
    public = public_mode()
    if not queries.store_ready(src):
        ctx = Context(src, "", lang, public, None, None)
        st.session_state["_ctx"] = ctx
        return ctx
    version = queries.data_version(src)
    rounds = queries.rounds(src.database_url, version)
    round_id = era = None
    if not rounds.empty:
        eras = dict(zip(rounds["id"], rounds["era"], strict=True))
        present = [e for e in ("current", "legacy") if e in set(eras.values())]
        if len(present) > 1:  # both eras in the store: let the reader pick one
            only = st.sidebar.selectbox(
                t("col_era", lang),
                ["all", *present],
                key="era_filter",
                format_func=lambda e: t("all_eras", lang) if e == "all" else t("era_" + e, lang),
            )
            if only != "all":
                rounds = rounds[rounds["era"] == only]
        ids = list(rounds["id"])[::-1]  # newest first
        wanted = st.query_params.get("round", "") or os.environ.get("POBI_DASHBOARD_ROUND", "")
        if "round" not in st.session_state or st.session_state["round"] not in ids:
            st.session_state["round"] = wanted if wanted in ids else ids[0]
        round_id = st.sidebar.selectbox(
            t("round", lang),
            ids,
            key="round",
            format_func=lambda r: f"{r} · {t('era_' + eras[r], lang)}",
        )
        era = eras[round_id]
    if public:
        st.sidebar.caption(t("public_mode_note", lang))
    else:
        st.sidebar.caption(t("researcher_mode_note", lang))
    ctx = Context(src, version, lang, public, round_id, era)
    st.session_state["_ctx"] = ctx
    return ctx


def current() -> Context:
    """The context app.py built for this run (pages call this)."""
    ctx = st.session_state.get("_ctx")
    if ctx is None:  # a page run on its own (tests): build it
        ctx = setup()
    return ctx


def require_round(ctx: Context) -> bool:
    """Show the 'no data' message and return False when there is no round to show."""
    if ctx.round_id is None:
        if not ctx.version:
            st.info(ctx.t("no_store", home=escape_markdown(ctx.src.home)))
        else:
            st.info(ctx.t("no_rounds"))
        return False
    return True
