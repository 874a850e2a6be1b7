"""Every page with Streamlit's AppTest against a seeded store: no exception, the expected
elements, both languages; public mode hides the Review page and all personal data."""

from __future__ import annotations

from pathlib import Path

import pytest
from google.protobuf.text_format import MessageToString
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from dashboard.i18n import TEXT
from pobi.sandbox.synthetic import HOSTILE_SCRIPT
from pobi.store import Store
from pobi.store.tables import Message, ProbeRequest
from tests.dashboard.seed import OVERRIDE_REASON, Seeded

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
VIEWS = ["province", "replies", "trends", "data", "review"]


def app(lang: str = "vi", **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def go(at: AppTest, view: str) -> AppTest:
    return at.switch_page(f"views/{view}.py").run()


def ok(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def node_text(node) -> str:  # type: ignore[no-untyped-def]
    """Everything an element would send to the browser, as text (tables as CSV)."""
    parts = []
    if getattr(node, "type", "") == "arrow_data_frame" or type(node).__name__ == "Dataframe":
        parts.append(node.value.to_csv())
    elif hasattr(node, "proto") and node.proto is not None:
        parts.append(MessageToString(node.proto, as_utf8=True))
    kids = getattr(node, "children", None) or {}
    for child in kids.values() if isinstance(kids, dict) else kids:
        parts.append(node_text(child))
    return "\n".join(parts)


def rendered(at: AppTest) -> str:
    return node_text(at._tree)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_page_renders_with_its_elements(seeded: Seeded, lang: str) -> None:
    at = app(lang)
    ok(at)
    # overview (default page, newest round 2026, scored): four headline figures, map, ranking
    assert at.title[0].value == TEXT["overview_title"][lang]
    assert [m.label for m in at.metric] == [
        TEXT[k][lang]
        for k in ("any_reply_rate", "substantive_rate", "qa_provinces", "bounced_provinces")
    ]
    assert at.metric[2].value.endswith("/ 34")
    maps = [m.value for m in at.markdown if "data-province-code" in m.value]
    assert len(maps) == 1 and maps[0].count("data-province-code=") == 34  # the real map
    assert len(at.get("vega_lite_chart")) == 0
    at.radio(key="overview_map_kind").set_value("tiles").run()
    assert len(at.get("vega_lite_chart")) == 1  # the tile grid, still an option
    at.radio(key="overview_map_kind").set_value("map").run()
    ranking = at.dataframe[0].value
    assert len(ranking) == 34 and ranking["rank"].notna().all()
    assert not at.warning  # scored: no "not scored yet"

    at = go(at, "province")
    ok(at)
    assert at.title[0].value == TEXT["province_title"][lang]
    scores = at.dataframe[0].value
    assert len(scores) == 6 and scores["overridden"].sum() == 1  # Hà Nội's override
    assert OVERRIDE_REASON in set(scores["override_reason"])
    assert len(at.get("vega_lite_chart")) >= 1  # the timeline
    assert len(at.get("image")) >= 1  # a screenshot from the evidence store

    at = go(at, "replies")
    ok(at)
    assert [m.label for m in at.metric] == [
        TEXT["measure_" + k][lang] for k in ("any_reply", "human_reply", "substantive")
    ]
    assert len(at.get("vega_lite_chart")) == 2  # Kaplan–Meier and rates by region

    at = go(at, "trends")
    ok(at)
    crosswalk = at.dataframe[-1].value
    assert len(crosswalk) == 34
    per_round = at.dataframe[0].value
    assert list(per_round["round"]) == ["2021", "2026"]

    at = go(at, "data")
    ok(at)
    assert len(at.get("download_button")) == 11  # every table of dashboard.queries.EXPORT_TABLES
    assert TEXT["no_codebook"][lang].split("`")[0] in rendered(at)

    at = go(at, "review")
    ok(at)
    assert len(at.tabs) == 3


def test_unscored_round_says_not_scored_and_colours_by_replies(seeded: Seeded) -> None:
    at = app("en", round="2021")
    ok(at)
    assert at.metric[2].value.endswith("/ 63")
    assert any("not scored yet" in w.value for w in at.warning)
    assert at.dataframe[0].value["index"].isna().all()
    at = go(at, "province")
    ok(at)
    assert any("not scored yet" in i.value for i in at.info)


def test_era_filter_narrows_the_rounds(seeded: Seeded) -> None:
    at = app("en")
    era = at.sidebar.selectbox(key="era_filter")
    assert era.options == ["All eras", TEXT["era_current"]["en"], TEXT["era_legacy"]["en"]]
    assert len(at.sidebar.selectbox(key="round").options) == 2
    era.set_value("legacy").run()
    ok(at)
    rounds = at.sidebar.selectbox(key="round")
    assert len(rounds.options) == 1 and rounds.value == "2021"
    assert at.metric[2].value.endswith("/ 63")  # the overview follows: 63 legacy units


def test_language_switch_in_the_sidebar(seeded: Seeded) -> None:
    at = app("vi")
    assert at.title[0].value == TEXT["overview_title"]["vi"]
    at.sidebar.radio[0].set_value("en").run()
    ok(at)
    assert at.title[0].value == TEXT["overview_title"]["en"]


def test_empty_workspace_shows_how_to_start(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("POBI_HOME", str(tmp_path / "nothing"))
    monkeypatch.delenv("POBI_DATABASE_URL", raising=False)
    at = app("en")
    ok(at)
    assert "pobi demo" in at.info[0].value
    for view in VIEWS[:-1]:
        ok(go(at, view))


def _hostile_province(seeded: Seeded) -> tuple[str, str]:
    store = Store.open(url=seeded.url, migrate_schema=False)
    with store.session() as s:
        row = (
            s.query(Message.round_id, ProbeRequest.province_code)
            .join(ProbeRequest, ProbeRequest.id == Message.request_id)
            .filter(Message.body_text.contains(HOSTILE_SCRIPT))
            .one()
        )
    store.close()
    return row[0], row[1]


def test_researcher_mode_shows_reply_text_as_text_never_html(seeded: Seeded) -> None:
    round_id, code = _hostile_province(seeded)
    at = go(app("en", round=round_id, province=code), "province")
    ok(at)
    bodies = [c.value for c in at.code]
    assert any(HOSTILE_SCRIPT in b for b in bodies)  # shown, in a code block (plain text)
    # nothing anywhere is rendered as HTML from untrusted text: the only HTML is the tables' text
    # copies (dashboard/readable.py), whose cells are escaped
    for h in at.get("html"):
        assert h.value.startswith('<table class="pobi-text-table">'), h.value[:80]
        assert "<script" not in h.value and "<img" not in h.value
    for md in at.markdown:
        assert HOSTILE_SCRIPT not in md.value
        assert not md.proto.allow_html, md.value


def _evidence_with_emails(seeded: Seeded) -> tuple[set[str], str, str]:
    """Give Hà Nội's 2026 'reply' score the evidence a scored round has (the seed leaves it
    empty): the request e-mail as sent, its reply's raw bytes, a finding's WARC. Returns every
    e-mail hash of the store, that request's id and the WARC's hash."""
    from pobi.store.tables import Finding, Score

    store = Store.open(url=seeded.url, migrate_schema=False)
    with store.session() as s:
        emails = {h for h in s.scalars(select(ProbeRequest.eml_sha256)) if h}
        emails |= {h for h in s.scalars(select(Message.raw_sha256)) if h}
        msg = s.scalars(
            select(Message)
            .join(ProbeRequest, ProbeRequest.id == Message.request_id)
            .where(ProbeRequest.round_id == "2026", ProbeRequest.eml_sha256 != "")
        ).first()
        request = s.get(ProbeRequest, msg.request_id)
        web = s.scalars(
            select(Finding.evidence_sha256).where(Finding.evidence_sha256 != "")
        ).first()
        score = s.scalars(
            select(Score).where(
                Score.round_id == "2026", Score.province_code == "01", Score.indicator == "reply"
            )
        ).one()
        score.evidence = [request.eml_sha256, msg.raw_sha256, web]
        request_id = request.id
        s.commit()
    store.close()
    return emails, request_id, web


def test_public_mode_hides_review_and_personal_data(seeded: Seeded, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("POBI_DASHBOARD_PUBLIC", "1")
    personal = sorted(seeded.summary.personal_strings)
    assert len(personal) > 10
    emails, request_id, web = _evidence_with_emails(seeded)
    round_id, code = _hostile_province(seeded)
    texts = []
    at = app("vi", round=round_id, province=code)
    ok(at)
    texts.append(rendered(at))
    for view in VIEWS[:-1]:
        at = go(at, view)
        ok(at)
        texts.append(rendered(at))
    with pytest.raises(ValueError):
        at.switch_page("views/review.py")
    # the other round, and the capital (which has a manually matched reply)
    at = go(app("en", round="2026", province="01"), "province")
    ok(at)
    texts.append(rendered(at))
    text = "\n".join(texts)
    assert "Rà soát và mã hóa" not in text
    leaked = [s for s in personal if s in text]
    assert leaked == []
    assert HOSTILE_SCRIPT not in text
    assert "body_text" not in text and "from_addr" not in text
    # an e-mail's hash (whole, or the prefix the Province page shows) in no evidence list: its
    # public reference instead (pobi.publicrefs); web evidence keeps its hash
    assert len(emails) > 10
    assert [h for h in emails if h[:12] in text] == []
    assert f"request:{request_id}" in text and f"reply:{request_id}" in text
    assert web[:12] in text
    # the Data page's downloads in public mode
    from dashboard import queries
    from dashboard.privacy import public_export

    src = queries.source()
    version = queries.data_version(src)
    for r in ("2021", "2026"):
        for name in queries.EXPORT_TABLES:
            raw = queries.export_table(src.database_url, version, r, name)
            refs = queries.email_references(src.database_url, version, r)
            csv = public_export(name, raw, refs).to_csv(index=False)
            assert [s for s in personal if s in csv] == [], (r, name)
            assert [h for h in emails if h in csv] == [], (r, name)


def test_researcher_mode_does_show_what_public_mode_hides(seeded: Seeded) -> None:
    """The public-mode test above is only meaningful if the same pages do carry personal data
    in researcher mode."""
    round_id, code = _hostile_province(seeded)
    at = go(app("vi", round=round_id, province=code), "province")
    ok(at)
    text = rendered(at)
    assert [s for s in seeded.summary.personal_strings if s in text]


def test_review_writes_history_with_coder_time_and_reason(seeded: Seeded) -> None:
    from pobi.store.tables import FindingReview, MessageAssignment, MessageCoding

    at = go(app("en"), "review")
    ok(at)
    # no coder name: refused, nothing written (form fields and the submit go in one run)
    at.tabs[0].text_input[0].set_value("checked on the live site")
    at.tabs[0].button[0].click().run()
    assert at.error and "Coder name is required" in at.error[0].value
    at.text_input(key="coder").set_value("Lan").run()
    # no reason: refused too
    at.tabs[0].button[0].click().run()
    assert at.error and "reason is required" in at.error[0].value
    at.tabs[0].text_input[0].set_value("checked on the live site")
    at.tabs[0].button[0].click().run()
    ok(at)
    assert any("Saved the review" in s.value for s in at.success)

    at.tabs[2].text_input[0].set_value("same thread, forwarded by the clerk")
    at.tabs[2].button[0].click().run()
    ok(at)
    assert any("Assigned message" in s.value for s in at.success)

    at.tabs[1].text_input[0].set_value("budget tables attached")
    at.tabs[1].button[0].click().run()
    ok(at)
    assert any("Saved the coding" in s.value for s in at.success)

    store = Store.open(url=seeded.url, migrate_schema=False)
    with store.session() as s:
        review = s.query(FindingReview).filter(FindingReview.coder == "Lan").one()
        assert review.reason == "checked on the live site" and review.at is not None
        assignment = s.query(MessageAssignment).filter(MessageAssignment.coder == "Lan").one()
        assert assignment.reason.startswith("same thread")
        msg = s.get(Message, assignment.message_pk)
        assert msg.request_id == assignment.request_id and msg.match_method == "manual"
        coding = s.query(MessageCoding).filter(MessageCoding.coder == "Lan").one()
        assert coding.note == "budget tables attached"
    store.close()
