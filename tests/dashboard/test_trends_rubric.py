"""The Trends page applies the rubric guard of `pobi survey trends` (issue 17): a round scored
with another rubric is never joined to the trend unless a declared mapping says how its index
reads on the trend's rubric; it is shown apart, with a note."""

from __future__ import annotations

from sqlalchemy import update

from pobi.store import Store
from pobi.store.tables import ProvinceIndex, Round
from tests.dashboard.seed import Seeded, write_scores
from tests.dashboard.test_pages import app, go, ok, rendered


def _shown(markdown: str) -> str:
    """Markdown as the reader sees it (untrusted ids are escaped: 'pobi\\-2019')."""
    return markdown.replace("\\", "")


def _score_2021_with_another_rubric(seeded: Seeded) -> float:
    """Round 2021 (63 legacy units) scored with 'pobi-2019'; returns its mean index."""
    store = Store.open(url=seeded.url, migrate_schema=False)
    write_scores(store, "2021", seed=3)
    with store.session() as s:
        s.execute(
            update(ProvinceIndex).where(ProvinceIndex.round_id == "2021").values(rubric="pobi-2019")
        )
        s.execute(update(Round).where(Round.id == "2021").values(rubric="pobi-2019"))
        values = [
            v
            for v in s.scalars(
                ProvinceIndex.__table__.select()
                .with_only_columns(ProvinceIndex.index_value)
                .where(ProvinceIndex.round_id == "2021")
            )
            if v is not None
        ]
    store.close()
    return sum(values) / len(values)


def test_a_round_with_another_rubric_is_shown_apart_not_joined(seeded: Seeded) -> None:
    mean_2021 = _score_2021_with_another_rubric(seeded)
    at = go(app("en", round="2026"), "trends")
    ok(at)
    joined = at.dataframe[0].value
    assert list(joined["round"]) == ["2026"]  # 2021 is not on the trend
    per_unit = at.dataframe[1].value
    assert list(per_unit.columns) == ["2026"]
    assert any("Not joined to the trend: 2021 (pobi-2019)" in _shown(w.value) for w in at.warning)
    apart = next(d.value for d in at.dataframe if "rubric" in d.value.columns)
    assert list(apart["round"]) == ["2021"] and list(apart["rubric"]) == ["pobi-2019"]
    assert abs(apart["mean_index"].iloc[0] - mean_2021) < 1e-6  # its own figures, unmapped
    assert "participation-v1" in _shown(rendered(at))  # the rubric the trend is read on


def test_a_declared_mapping_joins_the_round_with_its_index_mapped(seeded: Seeded) -> None:
    mean_2021 = _score_2021_with_another_rubric(seeded)
    (seeded.home / "rubric-mappings.toml").write_text(
        '[[mapping]]\nfrom = "pobi-2019"\nto = "participation-v1"\nscale = 0.5\noffset = 10.0\n'
        'why = "a test scale"\n',
        encoding="utf-8",
    )
    at = go(app("vi", round="2026"), "trends")
    ok(at)
    joined = at.dataframe[0].value
    assert list(joined["round"]) == ["2021", "2026"]
    mapped = joined.loc[joined["round"] == "2021", "mean_index"].iloc[0]
    assert abs(mapped - (0.5 * mean_2021 + 10.0)) <= 0.005  # each mapped index is rounded to 0.01
    assert any(
        "a test scale" in _shown(i.value) and "pobi-2019" in _shown(i.value) for i in at.info
    )
    assert not at.warning  # nothing left apart


def test_read_on_the_legacy_rounds_rubric_the_new_round_is_apart(seeded: Seeded) -> None:
    """The trend follows the selected round: on 2021's rubric, 2026 is the one left apart."""
    _score_2021_with_another_rubric(seeded)
    at = go(app("en", round="2021"), "trends")
    ok(at)
    assert list(at.dataframe[0].value["round"]) == ["2021"]
    assert any("2026 (participation-v1)" in _shown(w.value) for w in at.warning)


def test_an_unreadable_mapping_file_is_said_and_nothing_is_joined(seeded: Seeded) -> None:
    _score_2021_with_another_rubric(seeded)
    (seeded.home / "rubric-mappings.toml").write_text("[[mapping]\n", encoding="utf-8")
    at = go(app("en", round="2026"), "trends")
    ok(at)
    assert at.error and "cannot be read" in at.error[0].value
    assert list(at.dataframe[0].value["round"]) == ["2026"]


def test_the_rounds_apart_read_in_vietnamese(seeded: Seeded) -> None:
    from tests.dashboard.test_vi_walk import RAW_ID, seen

    _score_2021_with_another_rubric(seeded)
    at = go(app("vi", round="2026"), "trends")
    ok(at)
    out: list[tuple[str, str]] = []
    seen(at._tree, "trends", out)
    headers = [text for kind, text in out if kind == "header"]
    assert "Bộ tiêu chí" in headers and not [h for h in headers if RAW_ID.search(h)]
    assert any("Không ghép vào xu hướng: 2021" in _shown(w.value) for w in at.warning)
