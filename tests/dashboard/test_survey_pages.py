"""The Review page lists coder disagreements for the adjudicator (and records the decision);
the Province page shows the province's disputes, decisions and the change made (issue 17)."""

from __future__ import annotations

from sqlalchemy import select

from pobi.clock import now
from pobi.store import Store
from pobi.store.tables import (
    Coder,
    Dispute,
    DisputeDecision,
    Message,
    MessageCoding,
)
from pobi.timing import latest_codings
from tests.dashboard.seed import Seeded
from tests.dashboard.test_pages import app, go, ok, rendered


def _seed(seeded: Seeded) -> tuple[int, str]:
    """Two coders disagreeing on a 2026 human reply; a decided dispute for province 01."""
    store = Store.open(url=seeded.url, migrate_schema=False)
    with store.session() as s:
        m = s.scalar(
            select(Message)
            .where(Message.round_id == "2026", Message.kind == "human")
            .order_by(Message.id)
            .limit(1)
        )
        assert m is not None
        s.add_all(
            [
                Coder(name="lan", role="coder", registered_at=now()),
                Coder(name="minh", role="coder", registered_at=now()),
                Coder(name="hoa", role="adjudicator", registered_at=now()),
                MessageCoding(
                    message_pk=m.id, coding="substantive", coder="lan", role="coder", at=now()
                ),
                MessageCoding(
                    message_pk=m.id, coding="refusal", coder="minh", role="coder", at=now()
                ),
            ]
        )
        d = Dispute(
            round_id="2026",
            province_code="01",
            target="score",
            indicator="contact_email",  # a real indicator of participation-v1
            filed_by="Sở Tài chính",
            claim="we answered on time by post",
            evidence=[],
            filed_at=now(),
        )
        s.add(d)
        s.flush()
        s.add(
            DisputeDecision(
                dispute_id=d.id,
                decision="rejected",
                reason="no postal record",
                change="none",
                researcher="r",
                at=now(),
            )
        )
        pk = m.id
    store.close()
    return pk, "01"


def test_review_lists_disagreements_and_adjudicates(seeded: Seeded) -> None:
    pk, _ = _seed(seeded)
    at = go(app("en"), "review")
    ok(at)
    text = rendered(at)
    assert "Coder disagreements" in text and "lan: substantive, minh: refusal" in text
    at.text_input(key="coder").set_value("lan").run()
    form_button = next(b for b in at.button if b.label == "Adjudicate (this code wins)")
    at.text_input[-1].set_value("the tables are attached")
    form_button.click().run()
    assert at.error and "not a registered adjudicator" in at.error[0].value
    at.text_input(key="coder").set_value("hoa").run()
    at.text_input[-1].set_value("the tables are attached")
    next(b for b in at.button if b.label == "Adjudicate (this code wins)").click().run()
    ok(at)
    assert any("Saved the adjudication" in s.value for s in at.success)
    store = Store.open(url=seeded.url, migrate_schema=False)
    with store.session() as s:
        assert latest_codings(s, "2026")[pk] == "substantive"  # the first option
    store.close()


def test_province_page_shows_disputes(seeded: Seeded) -> None:
    _seed(seeded)
    at = go(app("en", round="2026", province="01"), "province")
    ok(at)
    text = rendered(at)
    assert "Disputes (right of reply)" in text
    assert "we answered on time by post" in text and "no postal record" in text


def test_blind_coding_shows_no_codes_and_records_the_coders_code(seeded: Seeded) -> None:
    pk, _ = _seed(seeded)
    store = Store.open(url=seeded.url, migrate_schema=False)
    with store.session() as s:  # a third coder, who has coded nothing yet
        s.add(Coder(name="thu", role="coder", registered_at=now()))
    at = go(app("en"), "review")
    at.text_input(key="coder").set_value("nobody").run()
    at.toggle(key="blind_mode").set_value(True).run()
    ok(at)
    assert at.error and "not a registered coder" in at.error[0].value
    at.text_input(key="coder").set_value("thu").run()
    ok(at)
    text = rendered(at)
    assert "Blind coding" in text and "replies left to code" in text
    # no one's codes, no disagreements, no tabs with the current codes
    assert "lan: substantive" not in text and "Coder disagreements" not in text
    assert not at.tabs and not at.dataframe
    at.selectbox(key="b_pk").set_value(pk).run()
    next(b for b in at.button if b.label == "Save").click().run()
    ok(at)
    with store.session() as s:
        row = s.scalar(select(MessageCoding).where(MessageCoding.coder == "thu"))
        assert row is not None and row.role == "coder" and row.message_pk == pk
    store.close()
