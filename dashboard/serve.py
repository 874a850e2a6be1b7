"""Start Streamlit with a warm process: ``python -m dashboard.serve run dashboard/app.py …``.

``pobi dashboard`` uses this instead of ``python -m streamlit``: before the server opens its
port, it imports what every page needs and builds the reference tables (provinces of both eras,
the working-day calendar of recent years), so the first visitor does not wait for them. The
arguments are Streamlit's own.
"""

from __future__ import annotations

import logging
import sys
from datetime import date


def warm() -> None:
    import altair  # noqa: F401
    import lifelines  # noqa: F401  (Replies page)
    import pandas  # noqa: F401
    import sqlalchemy  # noqa: F401
    import streamlit  # noqa: F401

    # Importing queries before the server exists is safe: st.cache_data only validates its
    # parameters at decoration time and creates its storage on the first call, inside the
    # server. Its "No runtime found" warning is silenced here.
    cache_log = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    level = cache_log.level
    cache_log.setLevel(logging.ERROR)
    try:
        from dashboard import charts, context, i18n, privacy, queries  # noqa: F401
    finally:
        cache_log.setLevel(level)
    from dashboard.tilemap import layout
    from pobi.registry import provinces
    from pobi.workdays import Calendar

    for era in ("legacy", "current"):
        provinces(era)
        layout(era)
    calendar = Calendar()
    for year in range(2016, date.today().year + 2):
        calendar.is_working_day(date(year, 1, 2))  # builds the year's holiday table


def main() -> None:
    warm()
    from streamlit.web import cli

    sys.argv = ["streamlit", *sys.argv[1:]]
    sys.exit(cli.main(prog_name="streamlit"))


if __name__ == "__main__":
    main()
