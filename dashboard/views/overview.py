"""Overview: headline figures, the province map, the ranking table."""

from __future__ import annotations

import altair as alt
import streamlit as st

from dashboard import queries
from dashboard.context import current, require_round
from dashboard.readable import readable
from dashboard.texttable import html_table
from dashboard.tilemap import BAND_COLOURS, STATUS_COLOURS, tile_chart
from pobi.geomap import Shade, svg_map
from pobi.registry import REGIONS


def _pct(rate: dict) -> str:
    if rate["p"] is None:
        return "—"
    return f"{rate['p']:.0%}"


def _interval(ctx, rate: dict) -> str:
    if rate["p"] is None:
        return ctx.t("no_requests_sent")
    return ctx.t("rate_detail", k=rate["k"], n=rate["n"], low=rate["low"], high=rate["high"])


def _status(row) -> str:
    if row.requests_sent == 0:
        return "not_asked"
    if row.substantive:
        return "substantive"
    if row.human_reply:
        return "human"
    if row.any_reply:
        return "auto"
    if row.bounced:
        return "bounced"
    return "none"


ctx = current()
st.title(ctx.t("overview_title"))
if require_round(ctx):
    head = queries.headline(ctx.url, ctx.version, ctx.round_id)
    table = queries.province_table(ctx.url, ctx.version, ctx.round_id).copy()
    which = st.radio(
        ctx.t("index_choice"),
        ["participation", "transparency"],
        format_func=lambda k: ctx.t("index_" + k),
        horizontal=True,
        key="overview_index",
    )
    if which == "transparency":  # rank, band and map by the budget-document index
        table[["index", "band", "rank"]] = table[["t_index", "t_band", "t_rank"]].to_numpy()
    st.caption(
        ctx.t(
            "overview_caption", round=ctx.round_id, era=ctx.t("era_" + ctx.era), n=head["provinces"]
        )
    )

    c1, c2, c3, c4 = st.columns(4)
    c1.metric(ctx.t("any_reply_rate"), _pct(head["any_reply"]), help=ctx.t("any_reply_help"))
    c1.caption(_interval(ctx, head["any_reply"]))
    c2.metric(ctx.t("substantive_rate"), _pct(head["substantive"]), help=ctx.t("substantive_help"))
    c2.caption(_interval(ctx, head["substantive"]))
    c3.metric(ctx.t("qa_provinces"), f"{head['qa_section']} / {head['provinces']}")
    c3.caption(ctx.t("qa_provinces_help") if head["crawled"] else ctx.t("not_crawled_yet"))
    c4.metric(ctx.t("bounced_provinces"), f"{head['bounced']} / {head['provinces']}")
    c4.caption(ctx.t("bounced_help"))

    if not head["scored"]:
        st.warning(ctx.t("not_scored_yet", round=ctx.round_id))

    table["region_label"] = [REGIONS[r][ctx.lang] for r in table["region"]]
    table["label"] = table["code"]
    tooltip = [
        alt.Tooltip("name:N", title=ctx.t("col_name")),
        alt.Tooltip("code:N", title=ctx.t("col_code")),
        alt.Tooltip("index:Q", title=ctx.t("col_index"), format=".1f"),
        alt.Tooltip("band:N", title=ctx.t("col_band")),
        alt.Tooltip("status_label:N", title=ctx.t("col_reply_status")),
    ]
    table["status"] = [_status(r) for r in table.itertuples()]
    table["status_label"] = [ctx.t("status_" + s) for s in table["status"]]
    st.subheader(ctx.t("map_title"))
    domain: list[str] = []
    if head["scored"]:
        table["band_label"] = [ctx.t("band_" + (b or "none")) for b in table["band"]]
        domain = [ctx.t("band_" + b) for b in ("A", "B", "C", "D", "none")]
        chart = tile_chart(
            table,
            ctx.era,
            colour="band_label",
            domain=domain,
            colours=[BAND_COLOURS[b] for b in ("A", "B", "C", "D", "")],
            legend_title=ctx.t("col_band"),
            tooltip=tooltip,
        )
    else:
        keys = list(STATUS_COLOURS)
        chart = tile_chart(
            table,
            ctx.era,
            colour="status_label",
            domain=[ctx.t("status_" + k) for k in keys],
            colours=list(STATUS_COLOURS.values()),
            legend_title=ctx.t("col_reply_status"),
            tooltip=tooltip,
        )
    left, right = st.columns([1, 1])
    with left:
        kind = st.radio(
            ctx.t("map_kind"),
            ["map", "tiles"],
            format_func=lambda k: ctx.t("map_kind_" + k),
            horizontal=True,
            key="overview_map_kind",
        )
        if kind == "map":  # the real map (pobi.geomap), coloured like the tiles
            fills = dict(
                zip(
                    domain if head["scored"] else [ctx.t("status_" + k) for k in STATUS_COLOURS],
                    (
                        [BAND_COLOURS[b] for b in ("A", "B", "C", "D", "")]
                        if head["scored"]
                        else list(STATUS_COLOURS.values())
                    ),
                    strict=True,
                )
            )
            colour_of = "band_label" if head["scored"] else "status_label"
            shades = {
                r.code: Shade(fills[getattr(r, colour_of)], f"{r.name} · {getattr(r, colour_of)}")
                for r in table.itertuples()
            }
            # st.markdown, not st.html: st.html's sanitiser keeps the HTML profile only and
            # drops SVG. Names and colours are ours; province names come from the registry.
            svg = svg_map(ctx.era, shades, lang=ctx.lang, title=ctx.t("map_svg_title"))
            st.markdown(f'<div class="pobi-map-wrap">{svg}</div>', unsafe_allow_html=True)
            st.caption(" · ".join(f"{label}" for label in fills) + " — " + ctx.t("map_attribution"))
        else:
            colour_of = "band_label" if head["scored"] else "status_label"
            tiles_text = html_table(
                table.sort_values("code"),
                {
                    "code": ctx.t("col_code"),
                    "name": ctx.t("col_name"),
                    colour_of: ctx.t("col_band" if head["scored"] else "col_reply_status"),
                },
                caption=ctx.t("map_title"),
            )
            with readable("tiles", tiles_text, ctx.t("table_as_text")):
                st.altair_chart(chart, width="content")
            st.caption(ctx.t("map_caption"))
    with right:
        st.subheader(ctx.t("ranking_title"))
        regions = st.multiselect(
            ctx.t("filter_region"),
            list(REGIONS),
            format_func=lambda r: REGIONS[r][ctx.lang],
            key="overview_regions",
            placeholder=ctx.t("all_regions"),
        )
        shown = table[table["region"].isin(regions)] if regions else table
        shown = shown.sort_values(["rank", "code"], na_position="last")
        view = shown[
            [
                "rank",
                "code",
                "name",
                "region_label",
                "index",
                "band",
                "status_label",
                "days_to_first_reply",
                "qa_section",
                "email_found",
            ]
        ]
        ranking_text = html_table(
            view,
            {
                "rank": ctx.t("col_rank"),
                "code": ctx.t("col_code"),
                "name": ctx.t("col_name"),
                "region_label": ctx.t("col_region"),
                "index": ctx.t("col_index"),
                "band": ctx.t("col_band"),
                "status_label": ctx.t("col_reply_status"),
            },
            caption=ctx.t("ranking_title"),
        )
        with readable("ranking", ranking_text, ctx.t("ranking_text_title")):
            st.dataframe(
                view,
                hide_index=True,
                width="stretch",
                column_config={
                    "rank": st.column_config.NumberColumn(ctx.t("col_rank")),
                    "code": ctx.t("col_code"),
                    "name": ctx.t("col_name"),
                    "region_label": ctx.t("col_region"),
                    "index": st.column_config.ProgressColumn(
                        ctx.t("col_index"), min_value=0, max_value=100, format="%.1f"
                    ),
                    "band": ctx.t("col_band"),
                    "status_label": ctx.t("col_reply_status"),
                    "days_to_first_reply": st.column_config.NumberColumn(
                        ctx.t("col_days_first_reply"), format="%d"
                    ),
                    "qa_section": st.column_config.CheckboxColumn(ctx.t("col_qa")),
                    "email_found": st.column_config.CheckboxColumn(ctx.t("col_email")),
                },
            )
        st.caption(ctx.t("ranking_caption", shown=len(shown), total=len(table)))
