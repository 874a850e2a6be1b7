"""The dashboard's queries and writes on PostgreSQL (the team set-up), on a one-round store."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import queries
from pobi.models import Era
from tests.dashboard.seed import seed_store

pytestmark = pytest.mark.postgres


def test_every_query_and_write_on_postgresql(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("POBI_HOME", str(home))
    monkeypatch.setenv("POBI_DATABASE_URL", pg_url)
    seeded = seed_store(home, [("2026", Era.CURRENT)], unscored=(), url=pg_url)
    src = queries.source()
    assert src.database_url == pg_url and queries.store_ready(src)
    v = queries.data_version(src)
    url = src.database_url
    head = queries.headline(url, v, "2026")
    assert head["provinces"] == 34 and head["scored"] and head["asked"] > 0
    assert not queries.survival(url, v, "2026").empty
    assert len(queries.rates_by_region(url, v, "2026")) == 12
    assert len(queries.trends(url, v)) == 1 and not queries.province_trends(url, v).empty
    for name in queries.EXPORT_TABLES:
        table = queries.export_table(url, v, "2026", name)
        if name in queries.CORE_TABLE_COLUMNS:
            # the seed has no budget documents, blind codes or disputes: the query still runs on
            # PostgreSQL and gives the contract's columns (their rows: tests/dashboard/test_documents.py)
            assert tuple(table.columns) == queries.CORE_TABLE_COLUMNS[name], name
        else:
            assert len(table) > 0, name
    assert len(queries.province_scores(url, v, "2026", "01")) == 6
    assert not queries.province_findings(url, v, "2026", "01").empty
    assert not queries.province_requests(url, v, "2026", "01").empty
    queries.province_messages(url, v, "2026", "01")
    queries.province_screenshots(url, v, "2026", "01")
    # writes: a coding, then the holding pen
    msgs = queries.review_messages(url, v, "2026", unmatched=False)
    queries.write_coding(url, int(msgs.iloc[0]["pk"]), "refusal", "asks for a paper form", "Lan")
    pen = queries.review_messages(url, v, "2026", unmatched=True)
    rid = queries.request_choices(url, "2026")[0][0]
    queries.assign_message(url, int(pen.iloc[0]["pk"]), rid, "same thread", "Lan")
    v2 = queries.data_version(src)
    assert v2 != v
    coded = queries.review_messages(url, v2, "2026", unmatched=False)
    assert coded.loc[coded["pk"] == msgs.iloc[0]["pk"], "coding"].item() == "refusal"
    assert len(queries.review_messages(url, v2, "2026", unmatched=True)) == len(pen) - 1
    assert seeded.summary.requests > 0
