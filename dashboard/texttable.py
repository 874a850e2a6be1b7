"""Tables as HTML table text (``st.html``), beside the canvas-drawn ``st.dataframe``: a screen
reader, a text search or a copy-paste finds every province name and figure in them."""

from __future__ import annotations

from html import escape

import pandas as pd


def html_table(
    df: pd.DataFrame,
    headers: dict[str, str],
    caption: str = "",
    integers: tuple[str, ...] = ("rank",),
) -> str:
    """``headers`` maps the frame's columns to shown headers, in order; other columns are left
    out. Missing values show as '—'; ``integers`` are shown without decimals."""
    cols = [c for c in headers if c in df.columns]
    out = ['<table class="pobi-text-table">']
    if caption:
        out.append(f"<caption>{escape(caption)}</caption>")
    out.append(
        "<thead><tr>"
        + "".join(f'<th scope="col">{escape(headers[c])}</th>' for c in cols)
        + "</tr></thead><tbody>"
    )
    for row in df[cols].itertuples(index=False):
        cells = []
        for col, value in zip(cols, row, strict=True):
            if value is None or (isinstance(value, float) and pd.isna(value)):
                text = "—"
            elif isinstance(value, float):
                text = f"{value:.0f}" if col in integers else f"{value:.1f}"
            else:
                text = str(value)
            cells.append(f"<td>{escape(text)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def frame_table(df: pd.DataFrame, caption: str = "", percent: tuple[str, ...] = ()) -> str:
    """A frame whose column names (and index name, if any) are already the shown headers."""
    flat = df.reset_index() if df.index.name else df
    flat = flat.copy()
    for col in percent:
        if col in flat.columns:
            flat[col] = [v if pd.isna(v) else f"{v:.0%}" for v in flat[col]]
    return html_table(flat, {str(c): str(c) for c in flat.columns}, caption)
