"""Earlier POBI rounds (2017-2021): published results imported as legacy-era rounds.

The file format (docs/earlier-rounds.md) is a UTF-8 CSV with the header
``province_code,indicator,answer,score,year`` (optional extra columns ``province_name``,
``note``, ignored) and one line per province and indicator:

- ``province_code``: the official two-digit code of the 63-unit era (e.g. ``01`` Hà Nội);
- ``indicator``: the question's id as the report numbers it (``Q1``, ``C2.3``...), or ``index``
  for the province's published overall POBI score;
- ``answer``: the letter a-e (e = not applicable), or empty;
- ``score``: 0-100, or empty (an answer letter alone gives a=100, b=67, c=33, d=0); an ``index``
  line needs a score;
- ``year``: the survey year (2017-2025: the legacy era ends 2025-06-30).

Each year becomes a round ``pobi-<year>`` (or ``--round`` for a one-year file) in the legacy era,
bound to the rubric the results were scored with (``--rubric``, default ``pobi-<year>``). Index
lines become the province indices (band and rank follow), so trends start in 2017; a province
without an index line gets the mean of its question scores. Every line is checked first: one bad
line and nothing is imported, and the error names each bad line. A round that already holds
imported results is never changed.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.clock import now
from pobi.errors import CsvRowError, InputError, NotFoundError, StateError
from pobi.models import Era, band_for
from pobi.registry import province
from pobi.rounds import ROUND_ID, create_round
from pobi.store.tables import LegacyResult, ProvinceIndex, Round, Score

HEADER = ("province_code", "indicator", "answer", "score", "year")
OPTIONAL = {"province_name", "note"}
POINTS = {"a": 100.0, "b": 67.0, "c": 33.0, "d": 0.0}


@dataclass
class Line:
    line: int
    code: str
    indicator: str
    answer: str
    score: float | None
    year: int


@dataclass
class ImportReport:
    round_id: str
    rubric: str
    rows: int
    indices: int


def read_legacy_csv(path: Path) -> list[Line]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from exc
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    if [h for h in header if h not in OPTIONAL] != list(HEADER):
        raise CsvRowError(
            str(path), [(1, f"header must be {','.join(HEADER)}, not {','.join(header)}")]
        )
    col = {name: header.index(name) for name in HEADER}
    problems: list[tuple[int, str]] = []
    out: list[Line] = []
    seen: dict[tuple[int, str, str], int] = {}
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise CsvRowError(str(path), [(reader.line_num, f"not valid CSV: {exc}")]) from exc
    for line, row in rows:
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != len(header):
            problems.append((line, f"{len(row)} fields, the header has {len(header)}"))
            continue
        get = {name: row[i].strip() for name, i in col.items()}
        try:
            year = int(get["year"])
        except ValueError:
            problems.append((line, f"year {get['year']!r} is not a year"))
            continue
        if not 2017 <= year <= 2025:
            problems.append((line, f"year {year}: earlier POBI rounds are 2017-2025"))
            continue
        try:
            code = province(Era.LEGACY, get["province_code"]).code
        except (NotFoundError, ValueError):
            problems.append(
                (line, f"{get['province_code']!r} is not a province code of the 63-unit era")
            )
            continue
        indicator = get["indicator"]
        if not indicator or len(indicator) > 64:
            problems.append((line, "indicator must be a question id (1-64 characters) or 'index'"))
            continue
        answer = get["answer"].lower()
        if answer and answer not in {"a", "b", "c", "d", "e"}:
            problems.append((line, f"answer {get['answer']!r} is not a-e"))
            continue
        score: float | None = None
        if get["score"]:
            try:
                score = float(get["score"].replace(",", "."))
            except ValueError:
                problems.append((line, f"score {get['score']!r} is not a number"))
                continue
            if not 0 <= score <= 100:
                problems.append((line, f"score {score} is outside 0-100"))
                continue
        if indicator.lower() == "index":
            indicator = "index"
            if score is None:
                problems.append((line, "an 'index' line needs its score (0-100)"))
                continue
        elif score is None and not answer:
            problems.append((line, "give an answer (a-e) or a score"))
            continue
        key = (year, code, indicator)
        if key in seen:
            problems.append((line, f"duplicate of line {seen[key]} ({code}, {indicator}, {year})"))
            continue
        seen[key] = line
        out.append(Line(line, code, indicator, answer, score, year))
    if problems:
        raise CsvRowError(str(path), problems)
    if not out:
        raise InputError(f"{path}: no results (only a header)")
    return out


def import_legacy(
    session: Session,
    path: Path,
    *,
    round_id: str | None = None,
    rubric: str = "",
    source: str = "",
) -> ImportReport:
    lines = read_legacy_csv(path)
    years = sorted({ln.year for ln in lines})
    if round_id and len(years) > 1:
        raise InputError(
            f"{path} holds {len(years)} years ({', '.join(map(str, years))}); --round names one "
            "round, so import one year per file or leave --round out (rounds pobi-<year>)."
        )
    if round_id and not ROUND_ID.match(round_id):
        raise InputError(f"Round id {round_id!r} is not valid (e.g. pobi-2019).")
    plans = [(round_id or f"pobi-{y}", y, rubric or f"pobi-{y}") for y in years]
    for rid, _y, _rub in plans:  # check everything before writing anything
        existing = session.get(Round, rid)
        if existing is not None and existing.era != Era.LEGACY.value:
            raise StateError(f"Round {rid} exists in the {existing.era} era; nothing imported.")
        if session.scalar(select(LegacyResult.id).where(LegacyResult.round_id == rid).limit(1)):
            raise StateError(
                f"Round {rid} already holds imported results; nothing imported.",
                hint="Import into another round id (--round).",
            )
    total = indices = 0
    for rid, year, rub in plans:
        create_round(session, rid, Era.LEGACY, rubric=rub, note=f"earlier POBI results ({source})")
        mine = [ln for ln in lines if ln.year == year]
        per_province: dict[str, list[float]] = defaultdict(list)
        index_of: dict[str, float] = {}
        for ln in mine:
            points = ln.score if ln.score is not None else POINTS.get(ln.answer)
            session.add(
                LegacyResult(
                    round_id=rid,
                    province_code=ln.code,
                    indicator=ln.indicator,
                    answer=ln.answer,
                    score=ln.score,
                    year=year,
                    source=f"{source}:{ln.line}",
                    imported_at=now(),
                )
            )
            if ln.indicator == "index":
                index_of[ln.code] = float(ln.score or 0.0)
                continue
            session.add(
                Score(
                    round_id=rid,
                    province_code=ln.code,
                    indicator=ln.indicator,
                    answer=ln.answer or "",
                    computed_answer=ln.answer or "",
                    points=points,
                    explanation=f"published result of POBI {year} ({source}, line {ln.line})",
                    explanation_vi=f"kết quả công bố POBI {year}",
                    rubric=rub,
                    computed_at=now(),
                )
            )
            if points is not None:
                per_province[ln.code].append(points)
        for code, values in per_province.items():
            index_of.setdefault(code, round(sum(values) / len(values), 2))
        ordered = sorted(index_of.items(), key=lambda kv: -kv[1])
        for code, value in ordered:
            rank = 1 + sum(1 for _c, v in ordered if v > value)
            session.add(
                ProvinceIndex(
                    round_id=rid,
                    province_code=code,
                    index_value=value,
                    band=band_for(value).value,
                    rank=rank,
                    indicators_applicable=len(per_province.get(code, [])),
                    rubric=rub,
                    computed_at=now(),
                )
            )
        total += len(mine)
        indices += len(index_of)
    session.flush()
    return ImportReport(
        ", ".join(p[0] for p in plans), ", ".join(p[2] for p in plans), total, indices
    )
