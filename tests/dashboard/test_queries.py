"""queries.py against the seeded store: figures recomputed independently, export columns as in
DESIGN.md §6, the data version moves when the data does, writes keep history."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from dashboard import queries
from pobi.errors import InputError, NotFoundError, StateError
from pobi.models import RequestState
from pobi.stats import wilson
from pobi.store import Store
from pobi.store.tables import Finding, FindingReview, Message, ProbeRequest
from pobi.timing import request_timings
from tests.dashboard.seed import Seeded

DESIGN_COLUMNS = {
    "sites": "province_code,site_kind,url,final_url,fetch_status,pages_fetched",
    "channels": "province_code,site_kind,site_url,channel,value,found_on,evidence_sha256",
    "requests": "request_id,province_code,recipient,state,sent_at,message_id,first_reply_at,"
    "first_human_reply_at,deadline_status,wave,channel",
    "replies": "message_id,request_id,kind,received_at,working_days,coding,raw_sha256,source",
}


@pytest.fixture
def src(seeded: Seeded) -> queries.Source:
    return queries.source()


def test_headline_matches_an_independent_count(seeded: Seeded, src: queries.Source) -> None:
    version = queries.data_version(src)
    store = Store.open(url=seeded.url, migrate_schema=False)
    for round_id, units in (("2021", 63), ("2026", 34)):
        head = queries.headline(src.database_url, version, round_id)
        with store.session() as s:
            timings = request_timings(s, round_id)
            rejected = {
                r.finding_id for r in s.scalars(select(FindingReview)) if r.status == "rejected"
            }
            qa = {
                f.province_code
                for f in s.scalars(
                    select(Finding).where(
                        Finding.round_id == round_id, Finding.channel == "qa_section"
                    )
                )
                if f.id not in rejected
            }
            bounced = {
                r.province_code
                for r in s.scalars(select(ProbeRequest).where(ProbeRequest.round_id == round_id))
                if r.state == RequestState.BOUNCED.value
            }
        sent = [t for t in timings if t.sent_at and t.state in ("sent", "bounced")]
        asked = {t.province_code for t in sent}
        replied = {t.province_code for t in sent if t.first_reply_at}
        substantive = {t.province_code for t in sent if t.first_substantive_at}
        assert head["provinces"] == units
        assert head["asked"] == len(asked) > 0
        assert (head["any_reply"]["k"], head["any_reply"]["n"]) == (len(replied), len(asked))
        expected = wilson(len(replied), len(asked))
        assert head["any_reply"]["low"] == pytest.approx(expected.low)
        assert head["substantive"]["k"] == len(substantive)
        assert head["qa_section"] == len(qa)
        assert head["bounced"] == len(bounced)
        assert head["scored"] == (round_id in seeded.scored)
    store.close()


def test_survival_curves_start_at_one_and_never_rise(src: queries.Source) -> None:
    version = queries.data_version(src)
    curves = queries.survival(src.database_url, version, "2026")
    assert set(curves["measure"]) == {"any_reply", "human_reply", "substantive"}
    for _, c in curves.groupby("measure"):
        values = list(c["survival"])
        assert values[0] <= 1.0 and all(a >= b for a, b in itertools.pairwise(values))


@pytest.mark.parametrize("name", list(DESIGN_COLUMNS))
def test_export_tables_have_the_design_columns(src: queries.Source, name: str) -> None:
    version = queries.data_version(src)
    df = queries.export_table(src.database_url, version, "2026", name)
    assert ",".join(df.columns) == DESIGN_COLUMNS[name]
    assert len(df) > 0


def test_replies_table_lists_every_stored_message(seeded: Seeded, src: queries.Source) -> None:
    version = queries.data_version(src)
    df = queries.export_table(src.database_url, version, "2021", "replies")
    store = Store.open(url=seeded.url, migrate_schema=False)
    with store.session() as s:
        n = len(s.scalars(select(Message.id).where(Message.round_id == "2021")).all())
    store.close()
    assert len(df) == n
    assert (df["request_id"] == "").sum() == 2  # the holding pen's two unmatched messages
    with pytest.raises(InputError):
        queries.export_table(src.database_url, version, "2021", "secrets")


def test_data_version_changes_when_data_changes(src: queries.Source) -> None:
    before = queries.data_version(src)
    assert queries.data_version(src) == before  # stable when nothing changes
    finding = queries.review_findings(src.database_url, before, "2026").iloc[0]
    queries.write_finding_review(
        src.database_url, int(finding["id"]), "rejected", "dead link", "Lan"
    )
    after = queries.data_version(src)
    assert after != before
    # the cached read under the new version sees the change
    reviewed = queries.review_findings(src.database_url, after, "2026")
    assert reviewed.loc[reviewed["id"] == finding["id"], "review"].item() == "rejected"


def test_writes_refuse_bad_input_and_keep_history(seeded: Seeded, src: queries.Source) -> None:
    url = src.database_url
    version = queries.data_version(src)
    pen = queries.review_messages(url, version, "2026", unmatched=True)
    pk = int(pen.iloc[0]["pk"])
    rid = queries.request_choices(url, "2026")[0][0]
    with pytest.raises(InputError):
        queries.assign_message(url, pk, rid, "reason", "   ")
    with pytest.raises(InputError):
        queries.assign_message(url, pk, rid, "", "Lan")
    with pytest.raises(NotFoundError):
        queries.assign_message(url, pk, "2026-99999", "reason", "Lan")
    queries.assign_message(url, pk, rid, "same thread", "Lan")
    with pytest.raises(StateError):  # already matched: a second assignment is refused
        queries.assign_message(url, pk, rid, "again", "Lan")
    queries.write_coding(url, pk, "referral", "sent elsewhere", "Lan")
    queries.write_coding(url, pk, "substantive", "attachment read", "Minh")
    with pytest.raises(InputError):
        queries.write_coding(url, pk, "excellent", "not a coding", "Minh")
    version = queries.data_version(src)
    coded = queries.review_messages(url, version, "2026", unmatched=False)
    assert coded.loc[coded["pk"] == pk, "coding"].item() == "substantive"  # latest wins
    assert pk not in set(queries.review_messages(url, version, "2026", unmatched=True)["pk"])
