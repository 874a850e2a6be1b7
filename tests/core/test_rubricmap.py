"""The rubric guard of trends, in the core (the CLI, the export and the dashboard share it)."""

from __future__ import annotations

from pathlib import Path

from pobi.clock import now
from pobi.rubricmap import mapping_for, round_rubric
from pobi.store import Store
from pobi.store.tables import ProvinceIndex, Round


def test_a_rounds_rubric_is_its_participation_index_rubric(home: Path) -> None:
    """A round holds both indices; the transparency index's rubric (stored first here) must not
    be read as the round's rubric, or trends would refuse (or join) the wrong rounds."""
    store = Store.open(url=f"sqlite:///{home / 'pobi.sqlite'}")
    with store.session() as s:
        s.add(Round(id="2026", era="current", rubric="participation-v1", created_at=now()))
        s.add(Round(id="pobi-2019", era="legacy", rubric="pobi-2019", created_at=now()))
        s.flush()
        for index_name, rubric in (("transparency", "transparency-v1"), ("participation", "p-v2")):
            s.add(
                ProvinceIndex(
                    round_id="2026",
                    province_code="01",
                    index_value=50.0,
                    rubric=rubric,
                    computed_at=now(),
                    index_name=index_name,
                )
            )
        s.flush()
        assert round_rubric(s, "2026") == "p-v2"
        assert round_rubric(s, "pobi-2019") == "pobi-2019"  # not scored: the round's own rubric
        assert round_rubric(s, "nope") == ""
    store.close()
    assert mapping_for([], "p-v2", "p-v2") is not None
    assert mapping_for([], "pobi-2019", "p-v2") is None
