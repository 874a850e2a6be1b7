"""Review (researcher mode only): confirm or reject findings, code replies, resolve the holding
pen. Every change is a new row with coder, time and reason (history is kept)."""

from __future__ import annotations

import streamlit as st

from dashboard import queries
from dashboard.codingform import coding_form, pick_message, show_message
from dashboard.context import current, require_round
from dashboard.labels import CHANNEL, CODING, coder_codes, label, localise
from dashboard.privacy import escape_markdown
from dashboard.readable import dataframe as readable_dataframe
from pobi.errors import PobiError
from pobi.models import Coding, ReviewStatus


def _coder(ctx) -> str:
    return st.text_input(ctx.t("coder_name"), key="coder", help=ctx.t("coder_help"))


def _columns(ctx) -> dict[str, str]:
    keys = {
        "province_code": "col_code",
        "site_kind": "col_site_kind",
        "channel": "col_channel",
        "value": "col_value",
        "found_on": "col_found_on",
        "review": "col_review",
        "request_id": "col_request",
        "kind": "col_kind",
        "received_at": "col_received_at",
        "from_addr": "col_from",
        "subject": "col_subject",
        "coding": "col_coding",
        "match_method": "col_match",
    }
    return {col: ctx.t(key) for col, key in keys.items()}


def _done(ctx, key: str, **fmt) -> None:
    st.session_state["review_flash"] = ctx.t(key, **fmt)


ctx = current()
st.title(ctx.t("review_title"))
if ctx.public:  # never reachable from the navigation in public mode; refuse anyway
    st.error(ctx.t("review_public_refused"))
    st.stop()
if require_round(ctx):
    flash = st.session_state.pop("review_flash", None)
    if flash:
        st.success(flash)
    st.caption(ctx.t("review_caption"))
    coder = _coder(ctx)
    if st.toggle(ctx.t("blind_mode"), key="blind_mode", help=ctx.t("blind_help")):
        from dashboard.blind import blind_section

        blind_section(ctx, coder)  # a blind coder sees no codes: nothing below is shown
        st.stop()
    tab_f, tab_c, tab_h = st.tabs(
        [ctx.t("tab_findings"), ctx.t("tab_coding"), ctx.t("tab_holding")]
    )

    with tab_f:
        findings = queries.review_findings(ctx.url, ctx.version, ctx.round_id)
        if findings.empty:
            st.info(ctx.t("no_findings"))
        else:
            only = st.selectbox(
                ctx.t("filter_status"),
                ["all", *[s.value for s in ReviewStatus]],
                format_func=lambda s: ctx.t("review_" + s),
                key="f_filter",
            )
            shown = findings if only == "all" else findings[findings["review"] == only]
            readable_dataframe(
                ctx,
                "review_findings",
                localise(shown, ctx.lang),
                hide_index=True,
                width="stretch",
                height=260,
                column_config=_columns(ctx),
            )
            with st.form("finding_review", clear_on_submit=True):
                fid = st.selectbox(
                    ctx.t("finding"),
                    list(shown["id"]),
                    format_func=lambda i: "{} · {} · {} · {}".format(
                        *[
                            label(CHANNEL, v, ctx.lang) if col == "channel" else v
                            for col, v in findings.loc[
                                findings["id"] == i, ["id", "province_code", "channel", "value"]
                            ]
                            .iloc[0]
                            .items()
                        ]
                    ),
                )
                status = st.radio(
                    ctx.t("decision"),
                    [ReviewStatus.CONFIRMED.value, ReviewStatus.REJECTED.value],
                    format_func=lambda s: ctx.t("review_" + s),
                    horizontal=True,
                )
                reason = st.text_input(ctx.t("reason"))
                if st.form_submit_button(ctx.t("save")):
                    try:
                        queries.write_finding_review(ctx.url, int(fid), status, reason, coder)
                        _done(ctx, "saved_review", id=fid)
                        st.rerun()
                    except PobiError as exc:
                        st.error(escape_markdown(str(exc)))

    with tab_c:
        msgs = queries.review_messages(ctx.url, ctx.version, ctx.round_id, unmatched=False)
        if msgs.empty:
            st.info(ctx.t("no_human_replies"))
        else:
            uncoded = st.toggle(ctx.t("only_uncoded"), key="c_uncoded")
            shown = msgs[msgs["coding"] == ""] if uncoded else msgs
            readable_dataframe(
                ctx,
                "review_replies",
                localise(shown.drop(columns=["body_text"]), ctx.lang),
                hide_index=True,
                width="stretch",
                height=260,
                column_config=_columns(ctx),
            )
            if not shown.empty:
                m = pick_message(ctx, shown, "c_pk")
                show_message(ctx, m, label(CODING, m["coding"], ctx.lang) if m["coding"] else "—")
                coding_form(
                    ctx,
                    "coding",
                    m["pk"],
                    lambda pk, code, note: queries.write_coding(ctx.url, pk, code, note, coder),
                )

    with tab_h:
        pen = queries.review_messages(ctx.url, ctx.version, ctx.round_id, unmatched=True)
        if pen.empty:
            st.info(ctx.t("holding_empty"))
        else:
            readable_dataframe(
                ctx,
                "holding",
                localise(pen.drop(columns=["body_text", "request_id", "coding"]), ctx.lang),
                hide_index=True,
                width="stretch",
                height=200,
                column_config=_columns(ctx),
            )
            pk = st.selectbox(
                ctx.t("message"),
                list(pen["pk"]),
                key="h_pk",
                format_func=lambda k: "{} · {} · {}".format(
                    k, *pen.loc[pen["pk"] == k, ["from_addr", "subject"]].iloc[0]
                ),
            )
            m = pen[pen["pk"] == pk].iloc[0]
            st.code(m["body_text"] or "", language=None, wrap_lines=True)
            choices = queries.request_choices(ctx.url, ctx.round_id)
            labels = {rid: f"{rid} · {code} · {rcpt}" for rid, code, rcpt in choices}
            with st.form("assign", clear_on_submit=True):
                rid = st.selectbox(
                    ctx.t("assign_to"), list(labels), format_func=lambda r: labels[r]
                )
                reason = st.text_input(ctx.t("reason"))
                if st.form_submit_button(ctx.t("assign")):
                    try:
                        queries.assign_message(ctx.url, int(pk), rid, reason, coder)
                        _done(ctx, "saved_assignment", id=pk, request=rid)
                        st.rerun()
                    except PobiError as exc:
                        st.error(escape_markdown(str(exc)))

    # ---- two-coder design (issue 17): disagreements for the adjudicator
    st.subheader(ctx.t("disagreements_title"))
    disagree = queries.review_disagreements(ctx.url, ctx.version, ctx.round_id)
    if disagree.empty:
        st.info(ctx.t("no_disagreements"))
    else:
        shown = disagree.drop(columns=["body_text"])
        shown["codes"] = [coder_codes(c, ctx.lang) for c in shown["codes"]]
        readable_dataframe(
            ctx,
            "disagreements",
            shown,
            hide_index=True,
            width="stretch",
            column_config={**_columns(ctx), "codes": ctx.t("col_codes")},
        )
        with st.form("adjudicate", clear_on_submit=True):
            pk = st.selectbox(
                ctx.t("message"),
                list(disagree["pk"]),
                format_func=lambda k: "{} · {} · {}".format(
                    k, *shown.loc[shown["pk"] == k, ["request_id", "codes"]].iloc[0]
                ),
            )
            coding = st.selectbox(
                ctx.t("col_coding"),
                [c.value for c in Coding],
                format_func=lambda c: ctx.t("coding_" + c),
            )
            reason = st.text_input(ctx.t("reason"))
            if st.form_submit_button(ctx.t("adjudicate")):
                try:
                    queries.write_adjudication(ctx.url, int(pk), coding, reason, coder)
                    _done(ctx, "saved_adjudication", id=pk)
                    st.rerun()
                except PobiError as exc:
                    st.error(escape_markdown(str(exc)))
