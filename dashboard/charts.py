"""Altair charts (rendered offline by Streamlit's bundled Vega-Lite): survival curves, rates with
intervals, trends and a request's timeline."""

from __future__ import annotations

import altair as alt
import pandas as pd

# any reply, human reply, substantive reply: distinct hues, not shades of one
MEASURE_COLOURS = ("#1f77b4", "#2ca02c", "#d62728")


def survival_chart(
    df: pd.DataFrame, labels: dict[str, str], x_title: str, y_title: str, max_days: float
) -> alt.Chart:
    """Step curves with their 95% band; the x axis stops at ``max_days`` (censored tails of
    requests nobody answered can run for months and would squash the part that matters)."""
    data = df[df["days"] <= max_days].copy()
    data["label"] = data["measure"].map(labels)
    colours = alt.Scale(domain=list(labels.values()), range=list(MEASURE_COLOURS))
    base = alt.Chart(data).encode(
        x=alt.X("days:Q", title=x_title, scale=alt.Scale(domain=[0, max_days])),
        color=alt.Color("label:N", title=None, scale=colours, legend=alt.Legend(orient="bottom")),
    )
    band = base.mark_area(opacity=0.15, interpolate="step-after").encode(
        y=alt.Y("low:Q", title=y_title, scale=alt.Scale(domain=[0, 1])), y2="high:Q"
    )
    line = base.mark_line(interpolate="step-after").encode(
        y=alt.Y("survival:Q", title=y_title),
        tooltip=[
            alt.Tooltip("label:N"),
            alt.Tooltip("days:Q"),
            alt.Tooltip("survival:Q", format=".2f"),
        ],
    )
    return (band + line).properties(height=320)


def rates_chart(df: pd.DataFrame, y_field: str, y_title: str, x_title: str) -> alt.Chart:
    """Point estimates with Wilson 95% intervals; ``df`` has p, low, high, label, group."""
    base = alt.Chart(df).encode(
        y=alt.Y(f"{y_field}:N", title=y_title, sort=None),
        color=alt.Color("label:N", title=None, legend=alt.Legend(orient="bottom")),
        yOffset="label:N",
    )
    rule = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("low:Q", title=x_title, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        x2="high:Q",
    )
    point = base.mark_point(filled=True, size=60).encode(
        x="p:Q",
        tooltip=[
            alt.Tooltip(f"{y_field}:N"),
            alt.Tooltip("label:N"),
            alt.Tooltip("k:Q"),
            alt.Tooltip("n:Q"),
            alt.Tooltip("p:Q", format=".0%"),
            alt.Tooltip("low:Q", format=".0%"),
            alt.Tooltip("high:Q", format=".0%"),
        ],
    )
    return (rule + point).properties(height=max(160, 46 * df[y_field].nunique()))


def trend_chart(df: pd.DataFrame, x_title: str, y_title: str, merger_label: str) -> alt.Chart:
    """Rates per round with intervals; ``df`` has round, label, p, low, high, era."""
    base = alt.Chart(df).encode(
        x=alt.X("round:O", title=x_title, sort=None),
        color=alt.Color("label:N", title=None, legend=alt.Legend(orient="bottom")),
    )
    band = base.mark_errorbar(ticks=True).encode(
        y=alt.Y("low:Q", title=y_title, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        y2="high:Q",
    )
    line = base.mark_line(point=True).encode(
        y="p:Q",
        strokeDash=alt.StrokeDash("era:N", title=merger_label),
        tooltip=["round:N", "era:N", "label:N", alt.Tooltip("p:Q", format=".0%")],
    )
    return (band + line).properties(height=300)


def timeline_chart(events: pd.DataFrame, x_title: str, kind_title: str) -> alt.Chart:
    """Sent, deadline and replies of a province's requests on one time axis.

    ``events`` has at (datetime), request_id, event (label), days, coding."""
    base = alt.Chart(events).encode(
        x=alt.X("at:T", title=x_title),
        y=alt.Y("request_id:N", title=None),
    )
    line = base.mark_line(color="#999").encode(detail="request_id:N")
    points = base.mark_point(filled=True, size=120).encode(
        shape=alt.Shape("event:N", title=kind_title),
        color=alt.Color("event:N", title=kind_title),
        tooltip=[
            "request_id:N",
            "event:N",
            alt.Tooltip("at:T", format="%Y-%m-%d %H:%M"),
            "days:Q",
            "coding:N",
        ],
    )
    return (line + points).properties(height=max(120, 60 * events["request_id"].nunique()))
