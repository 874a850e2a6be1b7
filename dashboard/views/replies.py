"""Replies: Kaplan–Meier curves of time to reply, rates by region, any vs substantive replies."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.charts import rates_chart, survival_chart
from dashboard.context import current, require_round
from dashboard.readable import dataframe as readable_dataframe
from dashboard.readable import readable, text_copy
from dashboard.texttable import frame_table
from pobi.registry import REGIONS

ctx = current()
st.title(ctx.t("replies_title"))
if require_round(ctx):
    head = queries.headline(ctx.url, ctx.version, ctx.round_id)
    st.caption(ctx.t("replies_caption"))
    if head["asked"] == 0:
        st.info(ctx.t("no_requests_sent"))
    else:
        measures = {m: ctx.t("measure_" + m) for m in ("any_reply", "human_reply", "substantive")}
        cols = st.columns(3)
        for col, m in zip(cols, measures, strict=True):
            rate = head[m]
            col.metric(measures[m], f"{rate['p']:.0%}")
            col.caption(
                ctx.t("rate_detail", k=rate["k"], n=rate["n"], low=rate["low"], high=rate["high"])
            )

        st.subheader(ctx.t("km_title"))
        curves = queries.survival(ctx.url, ctx.version, ctx.round_id)
        if curves.empty:
            st.info(ctx.t("no_requests_sent"))
        else:
            events = curves[curves["survival"].diff().fillna(0) < 0]
            last_event = float(events["days"].max()) if not events.empty else 10.0
            max_days = max(20.0, last_event + 5)
            medians = curves.groupby("measure", sort=False).first().reset_index()
            medians["median"] = [
                ctx.t("median_not_reached") if pd.isna(m) else f"{m:.0f}" for m in medians["median"]
            ]
            median_table = pd.DataFrame(
                {
                    ctx.t("col_measure"): [measures[m] for m in medians["measure"]],
                    ctx.t("col_requests"): medians["n"],
                    ctx.t("col_events"): medians["events"],
                    ctx.t("col_median_days"): medians["median"],
                }
            )
            # the curves as text: each measure's share still waiting, at each day it changes
            steps = curves[(curves["days"] <= max_days)].copy()
            steps = steps[steps.groupby("measure", sort=False)["survival"].diff().fillna(-1) != 0]
            steps["label"] = [measures[m] for m in steps["measure"]]
            curve_text = text_copy(
                steps,
                {
                    "label": ctx.t("col_measure"),
                    "days": ctx.t("km_x"),
                    "survival": st.column_config.NumberColumn(ctx.t("km_y"), format="percent"),
                    "low": None,
                    "high": None,
                    "measure": None,
                    "n": None,
                    "events": None,
                    "median": None,
                },
                ctx.t("km_title"),
            )
            with readable("survival", text_copy(median_table) + curve_text, ctx.t("table_as_text")):
                st.altair_chart(
                    survival_chart(curves, measures, ctx.t("km_x"), ctx.t("km_y"), max_days),
                    width="stretch",
                )
                st.dataframe(median_table, hide_index=True)
            st.caption(ctx.t("km_caption"))

        st.subheader(ctx.t("by_region_title"))
        regions = queries.rates_by_region(ctx.url, ctx.version, ctx.round_id)
        regions = regions[regions["n"] > 0].copy()
        regions["region_label"] = [REGIONS[r][ctx.lang] for r in regions["region"]]
        regions["label"] = [measures[m] for m in regions["measure"]]
        table = regions.pivot_table(
            index="region_label", columns="label", values="p", aggfunc="first", sort=False
        )
        n = regions.groupby("region_label", sort=False)["n"].first()
        table.insert(0, ctx.t("col_provinces_asked"), n)
        table.index.name = ctx.t("col_region")
        table.columns.name = None
        region_text = frame_table(
            table, ctx.t("by_region_title"), percent=tuple(map(str, table.columns[1:]))
        )
        with readable("regions", region_text, ctx.t("table_as_text")):
            st.altair_chart(
                rates_chart(regions, "region_label", ctx.t("col_region"), ctx.t("rate_axis")),
                width="stretch",
            )
            st.dataframe(table.style.format("{:.0%}", subset=list(table.columns[1:])))
        st.caption(ctx.t("by_region_caption"))

        st.subheader(ctx.t("deadline_title"))
        timing = queries.request_timing(ctx.url, ctx.version, ctx.round_id)
        counts = timing["deadline_status"].value_counts()
        readable_dataframe(
            ctx,
            "deadlines",
            pd.DataFrame(
                {
                    ctx.t("col_deadline_status"): [ctx.t("deadline_" + s) for s in counts.index],
                    ctx.t("col_requests"): counts.values,
                }
            ),
            caption=ctx.t("deadline_title"),
            hide_index=True,
        )
