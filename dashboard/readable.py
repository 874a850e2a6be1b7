"""Every table and chart of the dashboard with its HTML table text: ``st.dataframe`` and Vega charts
draw on a canvas (a screen reader, a text search or a copy-paste finds no province name in them),
so each is shown inside a keyed container (``st-key-readable_<name>``) that also holds the same
data as an HTML table (:mod:`dashboard.texttable`), in an expander. The browser test walks every
view and fails on a canvas table or chart outside such a container.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.texttable import html_table

KEY_PREFIX = "readable_"


@contextmanager
def readable(name: str, html: str, label: str) -> Iterator[None]:
    """The canvas elements drawn inside the ``with`` block, then ``html`` (their data as an HTML
    table) in an expander labelled ``label``, all in one container keyed ``readable_<name>``."""
    with st.container(key=KEY_PREFIX + name):
        yield
        with st.expander(label):
            st.html(html)


def _label(config: Any, column: str) -> str | None:
    """A column's shown header from a ``column_config`` entry (None: the column is hidden)."""
    if config is None:
        return column
    if isinstance(config, str):
        return config
    if isinstance(config, Mapping):
        return str(config.get("label") or column)
    return column


def _cell(value: Any, config: Any, percent: bool) -> Any:
    if value is None or (not isinstance(value, str | list | tuple) and pd.isna(value)):
        return None
    kind = config.get("type_config", {}) if isinstance(config, Mapping) else {}
    fmt = kind.get("format") or ""
    if isinstance(value, bool) or kind.get("type") == "checkbox":
        return "✓" if value else "—"
    number = isinstance(value, numbers.Real)
    if number and (percent or fmt == "percent"):
        return f"{value:.0%}"
    if number and fmt in ("%d", "%.0f"):
        return f"{value:.0f}"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d %H:%M}"
    return float(value) if isinstance(value, float) else str(value)


def text_copy(
    data: pd.DataFrame | Any,
    column_config: Mapping[str, Any] | None = None,
    caption: str = "",
    percent: tuple[str, ...] = (),
    with_index: bool = False,
) -> str:
    """``data`` (a frame, or a pandas Styler over one) as HTML table text, with the headers the
    ``column_config`` gives (the column's own name otherwise) and values formatted as shown; the
    index is the first column when ``with_index`` (headed by its name, if any)."""
    df = data.data if hasattr(data, "data") and not isinstance(data, pd.DataFrame) else data
    if with_index and not isinstance(df.index, pd.RangeIndex):
        df = df.reset_index(names=[str(df.index.name or "")])
    config = dict(column_config or {})
    # the configured columns in the configuration's order, then the others as they come
    order = [c for c in config if c in df.columns] + [c for c in df.columns if c not in config]
    headers = {str(col): str(_label(config.get(col), str(col))) for col in order}
    headers = {k: v for k, v in headers.items() if not (k in config and config[k] is None)}
    flat = pd.DataFrame(
        {
            str(col): [
                _cell(v, config.get(col), str(col) in percent or col in percent) for v in df[col]
            ]
            for col in df.columns
        }
    )
    return html_table(flat, headers, caption, integers=("rank",))


def dataframe(
    ctx: Any,
    name: str,
    data: pd.DataFrame | Any,
    *,
    caption: str = "",
    percent: tuple[str, ...] = (),
    **kwargs: Any,
) -> None:
    """``st.dataframe(data, **kwargs)`` and its HTML table text, in one readable container."""
    html = text_copy(
        data, kwargs.get("column_config"), caption, percent, not kwargs.get("hide_index", False)
    )
    with readable(name, html, ctx.t("table_as_text")):
        st.dataframe(data, **kwargs)
