"""Trends: rounds over time, across the 2025 merger (63 -> 34 units), with the crosswalk."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.charts import trend_chart
from dashboard.context import current
from dashboard.privacy import escape_markdown
from dashboard.readable import dataframe as readable_dataframe
from dashboard.readable import readable, text_copy
from dashboard.trendguard import MAPPING_FILE, trend_join
from pobi.registry import legacy_sources, province, provinces

ctx = current()
st.title(ctx.t("trends_title"))
if not ctx.version:
    st.info(ctx.t("no_store", home=escape_markdown(ctx.src.home)))
else:
    per_round = queries.trends(ctx.url, ctx.version)
    if per_round.empty:
        st.info(ctx.t("no_rounds"))
    else:
        st.caption(ctx.t("trends_caption"))
        # the rubric guard of `pobi survey trends`: read the trend on the selected round's rubric
        rubrics = queries.round_rubrics(ctx.url, ctx.version)
        guard = trend_join(rubrics, ctx.round_id or list(rubrics)[-1], ctx.src.home)
        st.markdown(
            ctx.t(
                "trend_base",
                rubric=escape_markdown(guard.base_rubric),
                round=escape_markdown(guard.base_round),
            )
        )
        if guard.error:
            st.error(ctx.t("trend_mapping_error", error=escape_markdown(guard.error)))
        for rid, m in guard.mapped.items():
            st.info(
                ctx.t(
                    "trend_mapped",
                    round=escape_markdown(rid),
                    source=escape_markdown(m.source),
                    target=escape_markdown(m.target),
                    scale=f"{m.scale:g}",
                    offset=f"{m.offset:g}",
                    why=escape_markdown(m.why),
                )
            )
        apart = per_round[per_round["round"].isin(list(guard.apart))].copy()
        per_round = per_round[per_round["round"].isin(list(guard.joined))].copy()
        for rid, m in guard.mapped.items():  # a mapped round's mean index, on the base rubric
            values = queries.province_table(ctx.url, ctx.version, rid)["index"].dropna()
            mean = values.map(m.apply).mean() if len(values) else None
            per_round.loc[per_round["round"] == rid, "mean_index"] = mean
        long = []
        for r in per_round.itertuples():
            for m in ("any_reply", "substantive"):
                if getattr(r, m) is not None and not pd.isna(getattr(r, m)):
                    long.append(
                        {
                            "round": r.round,
                            "era": ctx.t("era_" + r.era),
                            "label": ctx.t("measure_" + m),
                            "p": getattr(r, m),
                            "low": getattr(r, m + "_low"),
                            "high": getattr(r, m + "_high"),
                        }
                    )
        view = per_round.copy()
        view["era"] = [ctx.t("era_" + e) for e in view["era"]]
        per_round_config = {
            "round": ctx.t("round"),
            "era": ctx.t("col_era"),
            "provinces": ctx.t("col_provinces"),
            "mean_index": st.column_config.NumberColumn(ctx.t("col_mean_index"), format="%.1f"),
            "mean_transparency": st.column_config.NumberColumn(
                ctx.t("col_transparency"), format="%.1f"
            ),
            "any_reply": st.column_config.NumberColumn(
                ctx.t("measure_any_reply"), format="percent"
            ),
            "substantive": st.column_config.NumberColumn(
                ctx.t("measure_substantive"), format="percent"
            ),
            "qa_share": st.column_config.NumberColumn(ctx.t("col_qa_share"), format="percent"),
        }
        per_round_view = view[list(per_round_config)]
        with readable(
            "rounds",
            text_copy(per_round_view, per_round_config, ctx.t("trends_title")),
            ctx.t("table_as_text"),
        ):
            if long:
                st.altair_chart(
                    trend_chart(
                        pd.DataFrame(long), ctx.t("round"), ctx.t("rate_axis"), ctx.t("col_era")
                    ),
                    width="stretch",
                )
            st.dataframe(per_round_view, hide_index=True, column_config=per_round_config)

        st.subheader(ctx.t("unit_trends_title"))
        st.markdown(ctx.t("crosswalk_explained"))
        units = queries.province_trends(ctx.url, ctx.version)
        if not units.empty:
            units = units[units["round"].isin(list(guard.joined))].copy()
            for rid, m in guard.mapped.items():  # a unit's mean of legacy sources, mapped
                rows = units["round"] == rid
                units.loc[rows, "index"] = units.loc[rows, "index"].map(
                    lambda v, m=m: v if pd.isna(v) else m.apply(v)
                )
        if not units.empty:
            value = "index" if units["index"].notna().any() else "any_reply"
            wide = units.pivot_table(
                index="unit", columns="round", values=value, sort=False, dropna=False
            )
            wide = wide[[c for c in per_round["round"] if c in wide.columns]]
            wide.index = [f"{c} · {province('current', c).short}" for c in wide.index]
            st.caption(ctx.t("unit_trends_caption_" + value))
            fmt = "{:.1f}" if value == "index" else "{:.0%}"
            readable_dataframe(
                ctx,
                "units",
                wide.sort_index().style.format(fmt, na_rep="—"),
                caption=ctx.t("unit_trends_title"),
                percent=tuple(wide.columns) if value != "index" else (),
            )
            if units["transparency"].notna().any():  # the budget-document index, per unit
                st.caption(ctx.t("col_transparency"))
                tw = units.pivot_table(
                    index="unit", columns="round", values="transparency", sort=False, dropna=False
                )
                tw = tw[[c for c in per_round["round"] if c in tw.columns]]
                tw.index = [f"{c} · {province('current', c).short}" for c in tw.index]
                readable_dataframe(
                    ctx,
                    "units_transparency",
                    tw.sort_index().style.format("{:.1f}", na_rep="—"),
                    caption=ctx.t("col_transparency"),
                )

        if guard.apart:
            st.subheader(ctx.t("trend_apart_title"))
            st.warning(
                ctx.t(
                    "trend_apart",
                    rounds=escape_markdown(
                        ", ".join(f"{r} ({rub or '—'})" for r, rub in guard.apart.items())
                    ),
                    rubric=escape_markdown(guard.base_rubric),
                    file=escape_markdown(MAPPING_FILE),
                )
            )
            apart["rubric"] = [guard.apart[r] for r in apart["round"]]
            apart["era"] = [ctx.t("era_" + e) for e in apart["era"]]
            readable_dataframe(
                ctx,
                "apart",
                apart[["round", "rubric", "era", "provinces", "mean_index", "any_reply"]],
                hide_index=True,
                column_config={
                    "round": ctx.t("round"),
                    "rubric": ctx.t("col_rubric"),
                    "era": ctx.t("col_era"),
                    "provinces": ctx.t("col_provinces"),
                    "mean_index": st.column_config.NumberColumn(
                        ctx.t("col_mean_index"), format="%.1f"
                    ),
                    "any_reply": st.column_config.NumberColumn(
                        ctx.t("measure_any_reply"), format="percent"
                    ),
                },
            )

        st.subheader(ctx.t("crosswalk_title"))
        readable_dataframe(
            ctx,
            "crosswalk",
            pd.DataFrame(
                [
                    {
                        ctx.t("col_current_unit"): f"{p.code} · {p.short}",
                        ctx.t("col_legacy_sources"): ", ".join(
                            f"{s.code} · {s.short}" for s in legacy_sources(p.code)
                        ),
                        ctx.t("col_n_sources"): len(p.related_codes),
                    }
                    for p in provinces("current")
                ]
            ),
            hide_index=True,
            width="stretch",
        )
