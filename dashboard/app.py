"""The dashboard's entry point: page setup and navigation only (the pages do the work).

Started by ``pobi dashboard`` (``streamlit run dashboard/app.py``); see docs/dashboard.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # streamlit runs this file as a script
    sys.path.insert(0, str(ROOT))

from dashboard.context import setup  # noqa: E402

st.set_page_config(page_title="pobi", page_icon=":bar_chart:", layout="wide")
ctx = setup()
# Not "pages/": Streamlit treats a pages/ folder next to the entry script as its legacy
# multipage mode and would ignore st.navigation.
PAGES = Path(__file__).resolve().parent / "views"
pages = [
    st.Page(PAGES / "overview.py", title=ctx.t("nav_overview"), url_path="overview", default=True),
    st.Page(PAGES / "province.py", title=ctx.t("nav_province"), url_path="province"),
    st.Page(PAGES / "replies.py", title=ctx.t("nav_replies"), url_path="replies"),
    st.Page(PAGES / "trends.py", title=ctx.t("nav_trends"), url_path="trends"),
    st.Page(PAGES / "data.py", title=ctx.t("nav_data"), url_path="data"),
]
if not ctx.public:
    pages.append(st.Page(PAGES / "review.py", title=ctx.t("nav_review"), url_path="review"))
st.navigation(pages).run()
