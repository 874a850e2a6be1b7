"""Province: each indicator's answer and explanation, and the evidence behind it."""

from __future__ import annotations

from datetime import datetime, time

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.charts import timeline_chart
from dashboard.context import current, require_round
from dashboard.documents import show_documents
from dashboard.labels import dispute_change, dispute_target, localise, rubric_labels
from dashboard.privacy import escape_markdown, mask_email, public_columns, public_evidence_shown
from dashboard.readable import dataframe as readable_dataframe
from dashboard.readable import readable, text_copy
from dashboard.texttable import html_table
from pobi.clock import VN_TZ
from pobi.registry import REGIONS, province, provinces

ctx = current()
st.title(ctx.t("province_title"))
if require_round(ctx):
    units = provinces(ctx.era)
    codes = [p.code for p in units]
    wanted = st.query_params.get("province", "")
    if st.session_state.get("province_code") not in codes:
        st.session_state["province_code"] = wanted if wanted in codes else codes[0]
    code = st.selectbox(
        ctx.t("choose_province"),
        codes,
        key="province_code",
        format_func=lambda c: f"{c} · {province(ctx.era, c).short}",
    )
    p = province(ctx.era, code)
    table = queries.province_table(ctx.url, ctx.version, ctx.round_id)
    row = table[table["code"] == code].iloc[0]
    st.header(p.name)
    st.caption(
        f"{REGIONS[p.region][ctx.lang]} · {ctx.t('era_' + ctx.era)} · "
        + ctx.t("related_" + ctx.era, codes=", ".join(p.related_codes))
    )

    c1, c2, c3, c4 = st.columns(4)
    c1.metric(ctx.t("col_index"), "—" if pd.isna(row["index"]) else f"{row['index']:.1f}")
    c2.metric(ctx.t("col_band"), row["band"] or "—")
    c3.metric(ctx.t("col_rank"), "—" if pd.isna(row["rank"]) else f"{int(row['rank'])}")
    c4.metric(
        ctx.t("col_days_first_reply"),
        "—" if pd.isna(row["days_to_first_reply"]) else f"{int(row['days_to_first_reply'])}",
    )

    # ---- indicators
    st.subheader(ctx.t("indicators_title"))
    scores = queries.province_scores(ctx.url, ctx.version, ctx.round_id, code)
    if scores.empty:
        st.info(ctx.t("province_not_scored", round=ctx.round_id))
    else:
        shown = public_columns(scores) if ctx.public else scores
        if ctx.public:  # an e-mail's hash is not public: its reference instead (pobi.publicrefs)
            refs = queries.email_references(ctx.url, ctx.version, ctx.round_id)
            shown = shown.assign(
                evidence=[public_evidence_shown(v, refs) for v in shown["evidence"]]
            )
        if ctx.lang == "vi" and "explanation_vi" in shown:
            shown = shown.assign(
                explanation=shown["explanation_vi"].where(
                    shown["explanation_vi"] != "", shown["explanation"]
                )
            )
        shown = localise(shown.drop(columns=["explanation_vi"], errors="ignore"), ctx.lang)
        indicators_text = html_table(
            shown,
            {
                "pillar": ctx.t("col_pillar"),
                "indicator": ctx.t("col_indicator"),
                "answer": ctx.t("col_answer"),
                "points": ctx.t("col_points"),
                "explanation": ctx.t("col_explanation"),
            },
            ctx.t("indicators_title"),
            integers=("points",),
        )
        with readable("indicators", indicators_text, ctx.t("table_as_text")):
            st.dataframe(
                shown,
                hide_index=True,
                width="stretch",
                column_config={
                    "pillar": ctx.t("col_pillar"),
                    "indicator": ctx.t("col_indicator"),
                    "answer": ctx.t("col_answer"),
                    "computed_answer": ctx.t("col_computed_answer"),
                    "points": st.column_config.NumberColumn(ctx.t("col_points"), format="%.0f"),
                    "overridden": st.column_config.CheckboxColumn(ctx.t("col_overridden")),
                    "override_reason": ctx.t("col_override_reason"),
                    "override_coder": ctx.t("col_coder"),
                    "explanation": st.column_config.TextColumn(
                        ctx.t("col_explanation"), width="large"
                    ),
                    "evidence": ctx.t("col_evidence"),
                },
            )
        n_over = int(scores["overridden"].sum())
        if n_over:
            st.caption(ctx.t("overrides_note", n=n_over))

    # ---- portal evidence
    st.subheader(ctx.t("evidence_title"))
    sites = queries.province_sites(ctx.url, ctx.version, ctx.round_id, code)
    if sites.empty:
        st.info(ctx.t("not_crawled_yet"))
    else:
        readable_dataframe(
            ctx,
            "sites",
            localise(sites, ctx.lang),
            hide_index=True,
            width="stretch",
            column_config={
                "site_kind": ctx.t("col_site_kind"),
                "url": st.column_config.TextColumn("URL"),
                "final_url": ctx.t("col_final_url"),
                "fetch_status": ctx.t("col_fetch_status"),
                "pages_fetched": ctx.t("col_pages"),
                "under_reported": ctx.t("col_under_reported"),
                "finished_at": st.column_config.DatetimeColumn(ctx.t("col_captured_at")),
            },
        )
    findings = queries.province_findings(ctx.url, ctx.version, ctx.round_id, code)
    if not findings.empty:
        st.markdown(f"**{ctx.t('findings_title')}**")
        readable_dataframe(
            ctx,
            "findings",
            localise(findings.drop(columns=["id"]), ctx.lang),
            hide_index=True,
            width="stretch",
            column_config={
                "site_kind": ctx.t("col_site_kind"),
                "channel": ctx.t("col_channel"),
                "value": ctx.t("col_value"),
                "found_on": ctx.t("col_found_on"),
                "captured_at": st.column_config.DatetimeColumn(ctx.t("col_captured_at")),
                "warc_sha256": ctx.t("col_warc"),
                "screenshot_sha256": ctx.t("col_screenshot"),
                "review": ctx.t("col_review"),
            },
        )
    shots = queries.province_screenshots(ctx.url, ctx.version, ctx.round_id, code)
    if not shots.empty:
        st.markdown(f"**{ctx.t('screenshots_title')}**")
        cols = st.columns(3)
        for i, shot in enumerate(shots.itertuples()):
            data = queries.evidence_bytes(ctx.src.evidence_dir, shot.screenshot_sha256)
            with cols[i % 3]:
                if data is None:
                    st.caption(ctx.t("evidence_missing", sha=shot.screenshot_sha256[:12]))
                else:
                    st.image(data, width="stretch")
                st.caption(
                    escape_markdown(
                        f"{shot.url} · {shot.captured_at} · SHA-256 {shot.screenshot_sha256[:16]}…"
                    )
                )

    show_documents(ctx, code)  # budget documents (dashboard/documents.py)

    # ---- requests and replies
    st.subheader(ctx.t("requests_title"))
    requests = queries.province_requests(ctx.url, ctx.version, ctx.round_id, code)
    messages = queries.province_messages(ctx.url, ctx.version, ctx.round_id, code)
    if requests.empty:
        st.info(ctx.t("no_requests_for_province"))
    else:
        req_view = requests.copy()
        if ctx.public:
            req_view["recipient"] = req_view["recipient"].map(mask_email)
            req_view = req_view.drop(columns=["subject", "eml_sha256"])
        readable_dataframe(
            ctx,
            "requests",
            localise(req_view, ctx.lang),
            hide_index=True,
            width="stretch",
            column_config={
                "request_id": ctx.t("col_request"),
                "recipient": ctx.t("col_recipient"),
                "recipient_kind": ctx.t("col_recipient_kind"),
                "subject": ctx.t("col_subject"),
                "state": ctx.t("col_state"),
                "sent_at": st.column_config.DatetimeColumn(ctx.t("col_sent_at")),
                "deadline": st.column_config.DateColumn(ctx.t("col_deadline")),
                "deadline_status": ctx.t("col_deadline_status"),
                "days_to_first_reply": ctx.t("col_days_first_reply"),
                "days_to_human_reply": ctx.t("col_days_human_reply"),
                "eml_sha256": ctx.t("col_eml"),
            },
        )
        events = []
        for r in requests.itertuples():
            if r.sent_at is not None and not pd.isna(r.sent_at):
                events.append(
                    {
                        "request_id": r.request_id,
                        "at": r.sent_at,
                        "event": ctx.t("event_sent"),
                        "days": 0,
                        "coding": "",
                    }
                )
                events.append(
                    {
                        "request_id": r.request_id,
                        "at": datetime.combine(r.deadline, time(17), tzinfo=VN_TZ),
                        "event": ctx.t("event_deadline"),
                        "days": None,
                        "coding": "",
                    }
                )
        for m in messages.itertuples():
            events.append(
                {
                    "request_id": m.request_id,
                    "at": m.received_at,
                    "event": ctx.t("kind_" + m.kind),
                    "days": m.working_days,
                    "coding": ctx.t("coding_" + m.coding) if m.coding else "",
                }
            )
        if events:
            ev = pd.DataFrame(events)
            ev["at"] = pd.to_datetime(ev["at"], utc=True)
            st.markdown(f"**{ctx.t('timeline_title')}**")
            timeline_text = text_copy(
                ev.sort_values("at"),
                {
                    "request_id": ctx.t("col_request"),
                    "at": ctx.t("time_axis"),
                    "event": ctx.t("col_event"),
                    "days": ctx.t("col_working_days"),
                    "coding": ctx.t("col_coding"),
                },
                ctx.t("timeline_title"),
            )
            with readable("timeline", timeline_text, ctx.t("table_as_text")):
                st.altair_chart(
                    timeline_chart(ev, ctx.t("time_axis"), ctx.t("col_event")), width="stretch"
                )
        if messages.empty:
            st.caption(ctx.t("no_replies_yet"))
        else:
            st.markdown(f"**{ctx.t('replies_list_title')}**")
            msg_view = messages.drop(columns=["pk", "body_text"])
            msg_view["kind"] = [ctx.t("kind_" + k) for k in msg_view["kind"]]
            msg_view["coding"] = [ctx.t("coding_" + c) if c else "" for c in msg_view["coding"]]
            if ctx.public:
                msg_view = public_columns(msg_view)
            readable_dataframe(
                ctx,
                "replies",
                msg_view,
                hide_index=True,
                width="stretch",
                column_config={
                    "request_id": ctx.t("col_request"),
                    "kind": ctx.t("col_kind"),
                    "bounce_type": ctx.t("col_bounce_type"),
                    "coding": ctx.t("col_coding"),
                    "received_at": st.column_config.DatetimeColumn(ctx.t("col_received_at")),
                    "working_days": ctx.t("col_working_days"),
                    "match_method": ctx.t("col_match"),
                    "from_addr": ctx.t("col_from"),
                    "subject": ctx.t("col_subject"),
                    "raw_sha256": ctx.t("col_raw"),
                },
            )
        if ctx.public:
            st.caption(ctx.t("public_hidden_note"))
        else:
            # Researcher mode: the texts themselves, always as plain text (never HTML).
            for r in requests.itertuples():
                with st.expander(ctx.t("request_text_title", id=r.request_id)):
                    body = queries.request_text(ctx.src.evidence_dir, r.eml_sha256)
                    st.text(
                        body
                        if body is not None
                        else ctx.t("evidence_missing", sha=(r.eml_sha256 or "—")[:12])
                    )
            for m in messages.itertuples():
                with st.expander(
                    ctx.t(
                        "reply_text_title",
                        kind=ctx.t("kind_" + m.kind),
                        at=f"{m.received_at:%Y-%m-%d %H:%M}",
                    )
                ):
                    st.text(
                        f"{ctx.t('col_from')}: {m.from_addr}\n{ctx.t('col_subject')}: {m.subject}"
                    )
                    st.code(m.body_text or "", language=None, wrap_lines=True)

    # ---- right of reply (issue 17): disputes, decisions and the change they made
    st.subheader(ctx.t("disputes_title"))
    disputes = queries.province_disputes(ctx.url, ctx.version, ctx.round_id, code)
    if disputes.empty:
        st.caption(ctx.t("no_disputes"))
    else:
        shown = disputes.drop(columns=["filed_by"]) if ctx.public else disputes.copy()
        indicators = rubric_labels()[0]
        shown["target"] = [dispute_target(t, indicators, ctx) for t in shown["target"]]
        shown["decision"] = [ctx.t("outcome_" + d) if d else "" for d in shown["decision"]]
        shown["change"] = [dispute_change(c, ctx) for c in shown["change"]]
        readable_dataframe(
            ctx,
            "disputes",
            shown,
            hide_index=True,
            width="stretch",
            column_config={
                "dispute_id": ctx.t("col_dispute"),
                "target": ctx.t("col_target"),
                "filed_by": ctx.t("col_filed_by"),
                "filed_at": st.column_config.DatetimeColumn(
                    ctx.t("col_filed_at"), format="YYYY-MM-DD"
                ),
                "claim": ctx.t("col_claim"),
                "evidence_files": ctx.t("col_evidence_files"),
                "decision": ctx.t("decision"),
                "reason": ctx.t("reason"),
                "change": ctx.t("col_change"),
            },
        )
