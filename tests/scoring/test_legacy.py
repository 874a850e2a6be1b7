"""Earlier POBI rounds: the documented CSV imported as legacy-era rounds; a bad line named and
nothing changed; trends refuse another rubric unless a mapping is declared."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from pobi.store.tables import LegacyResult, ProvinceIndex, Round
from tests.scoring.conftest import Built, Result

GOOD = """province_code,indicator,answer,score,year,province_name
01,index,,62.5,2019,Hà Nội
01,Q1,a,,2019,Hà Nội
01,Q2,c,,2019,Hà Nội
79,Q1,b,,2019,TP Hồ Chí Minh
79,Q2,d,,2019,TP Hồ Chí Minh
02,index,,12,2019,Hà Giang
"""


def test_import_and_trends(fresh: Built, invoke: Callable[..., Result], tmp_path: Path) -> None:
    env = fresh.env()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        GOOD + "99,Q1,a,,2019,\n01,Q3,z,,2019,\n01,index,,,2019,\n01,Q1,a,,2019,dup\n",
        encoding="utf-8",
    )
    r = invoke("survey", "import-legacy", str(bad), env=env)
    assert r.returncode == 2
    for line, text in (
        (8, "'99' is not a province code"),
        (9, "answer 'z' is not a-e"),
        (10, "needs its score"),
        (11, "duplicate of line 3"),
    ):
        assert f"bad.csv:{line}: " in r.stderr and text in r.stderr, r.stderr
    with fresh.store.session() as s:
        assert s.scalar(select(func.count(LegacyResult.id))) == 0
        assert s.get(Round, "pobi-2019") is None

    good = tmp_path / "pobi2019.csv"
    good.write_text(GOOD, encoding="utf-8")
    r = invoke("survey", "import-legacy", str(good), env=env)
    assert r.returncode == 0 and "Round pobi-2019 (legacy era, rubric pobi-2019)" in r.stdout
    with fresh.store.session() as s:
        assert s.get(Round, "pobi-2019").era == "legacy"  # type: ignore[union-attr]
        idx = {
            p.province_code: (p.index_value, p.band, p.rank)
            for p in s.scalars(select(ProvinceIndex).where(ProvinceIndex.round_id == "pobi-2019"))
        }
    # 01 as published; 79 the mean of its question scores (67 + 0) / 2; 02 as published
    assert idx == {"01": (62.5, "B", 1), "79": (33.5, "C", 2), "02": (12.0, "D", 3)}
    r = invoke("survey", "import-legacy", str(good), env=env)
    assert r.returncode == 5 and "already holds imported results" in r.stderr

    # trends: another rubric is refused, a declared mapping joins it
    r = invoke("survey", "trends", "--round", "2026", "--rounds", "pobi-2019", env=env)
    assert r.returncode == 5 and "pobi-2019 (pobi-2019)" in r.stderr, r.stderr
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        '[[mapping]]\nfrom = "pobi-2019"\nto = "participation-v1"\nscale = 1.0\noffset = 0.0\n'
        'why = "both are 0-100 means of a-d answers"\n',
        encoding="utf-8",
    )
    r = invoke(
        "survey",
        "trends",
        "--round",
        "2026",
        "--rounds",
        "pobi-2019",
        "--mapping",
        str(mapping),
        env=env,
    )
    assert r.returncode == 0, r.stderr
    # Hà Nội (current 01) is the mean of its legacy sources that have an index (01 Hà Nội only)
    line = next(x for x in r.stdout.splitlines() if "pobi-2019" in x and " 01 " in x)
    assert "62.50" in line and "mean_of_sources" in line
