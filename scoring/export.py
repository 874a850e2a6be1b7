"""`pobi export`: every table of a round as CSV, a Frictionless data package, a codebook, XLSX.

Tables and columns come from :mod:`scoring.columns` (one declaration). Same store, same rubric,
same ``as_of`` ⇒ byte-identical files. An empty round gives headers only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi import __version__
from pobi.clock import now
from pobi.config import Config
from pobi.errors import InputError, PobiError
from pobi.models import Era
from pobi.registry import province, provinces
from pobi.rounds import DEFAULT_RUBRIC, get_round
from pobi.store.tables import ProvinceIndex, Score
from pobi.workdays import Calendar
from scoring import columns as cols
from scoring.crosswalk import inherited_rows, trends_rows
from scoring.document_views import documents_rows
from scoring.finance import finance_sites_rows
from scoring.rubric import Rubric, load_rubric
from scoring.statistics import MEASURES, compute_statistics
from scoring.views import Row, base_tables
from scoring.writers import (
    codebook,
    datapackage,
    write_csv,
    write_file,
    write_json,
    write_xlsx,
)

FORMATS = ("csv", "xlsx", "all")


@dataclass
class ExportResult:
    out_dir: Path
    files: list[Path] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    rubric: str = ""
    scored: bool = False


def rubric_for_round(session: Session, round_id: str, rubric: Rubric | None) -> Rubric:
    """The rubric the round was scored with (or will be): ``--rubric`` wins, else the stored id."""
    rnd = get_round(session, round_id)
    stored = session.scalars(
        select(Score.rubric)
        .where(Score.round_id == round_id, Score.index_name != "transparency")
        .limit(1)
    ).first()
    if rubric is not None:
        if stored and stored != rubric.id:
            raise InputError(
                f"Round {round_id} was scored with rubric {stored!r}, not {rubric.id!r}.",
                hint=f"Re-score first: pobi score --round {round_id} --rubric {rubric.path}",
            )
        return rubric
    name = stored or rnd.rubric
    try:
        return load_rubric(name)
    except PobiError as exc:  # a custom rubric file that is not bundled
        if not stored:
            # Not scored yet: the score tables are empty whatever the rubric; describe them with
            # the bundled default rather than refusing to export the crawl and probe tables.
            return load_rubric(DEFAULT_RUBRIC)
        raise InputError(
            f"Round {round_id} uses rubric {name!r}, which is not a bundled rubric.",
            hint="Pass the rubric file: pobi export --round R --out DIR --rubric FILE.toml",
        ) from exc


def transparency_rubric(session: Session, round_id: str, main: Rubric) -> Rubric | None:
    """The transparency rubric a round was also scored with (None when it was not)."""
    if main.index == "transparency":
        return None
    stored = session.scalars(
        select(Score.rubric)
        .where(Score.round_id == round_id, Score.index_name == "transparency")
        .limit(1)
    ).first()
    if not stored:
        return None
    try:
        return load_rubric(stored)
    except PobiError:  # a custom transparency rubric file: rows are exported without a version
        return None


def _names(era: Era) -> dict[str, str]:
    return {p.code: p.name for p in provinces(era)}


def score_tables(
    session: Session, round_id: str, era: Era, rubric: Rubric
) -> tuple[list[Row], list[Row], list[Row], cols.Table]:
    """(scores, rankings, wide rows, wide table) read from the store."""
    names = _names(era)
    companion = transparency_rubric(session, round_id, rubric)
    versions = {rubric.id: rubric.version}
    listed = list(rubric.indicators)
    if companion is not None:
        versions[companion.id] = companion.version
        listed += list(companion.indicators)
    order = {ind.id: i for i, ind in enumerate(listed)}
    scores = list(session.scalars(select(Score).where(Score.round_id == round_id)))
    scores.sort(key=lambda s: (s.province_code, order.get(s.indicator, len(order)), s.indicator))
    tidy = [
        {
            "round_id": round_id,
            "province_code": s.province_code,
            "province_name": names.get(s.province_code, ""),
            "pillar": s.pillar,
            "indicator": s.indicator,
            "answer": s.answer,
            "computed_answer": s.computed_answer,
            "points": s.points,
            "overridden": bool(s.overridden),
            "explanation_en": s.explanation,
            "explanation_vi": s.explanation_vi,
            "evidence": ";".join(s.evidence or []),
            "rubric": f"{s.rubric}@{versions[s.rubric]}" if s.rubric in versions else s.rubric,
        }
        for s in scores
    ]
    overrides: dict[str, int] = {}
    for s in scores:
        overrides[s.province_code] = overrides.get(s.province_code, 0) + int(bool(s.overridden))
    index_rows = list(
        session.scalars(select(ProvinceIndex).where(ProvinceIndex.round_id == round_id))
    )
    rankings = [
        {
            "round_id": round_id,
            "rank": p.rank,
            "province_code": p.province_code,
            "province_name": names.get(p.province_code, ""),
            "region": province(era, p.province_code).region if p.province_code in names else "",
            "index": p.index_value,
            "band": p.band,
            "indicators_applicable": p.indicators_applicable,
            "overrides": overrides.get(p.province_code, 0),
            "rubric": f"{p.rubric}@{versions[p.rubric]}" if p.rubric in versions else p.rubric,
        }
        for p in index_rows
    ]
    # participation ranking first, then the transparency ranking (its rubric in the column)
    transparency = {p.id for p in index_rows if p.index_name == "transparency"}
    by_id = {id(r): p.id for r, p in zip(rankings, index_rows, strict=True)}
    rankings.sort(
        key=lambda r: (
            by_id[id(r)] in transparency,
            r["rank"] is None,
            r["rank"] or 0,
            r["province_code"],
        )
    )
    indicator_ids = [ind.id for ind in listed]
    extra = sorted({s.indicator for s in scores} - set(indicator_ids))
    wide_table = cols.wide_table(
        [(ind.id, ind.question_en, ind.question_vi) for ind in listed] + [(i, i, i) for i in extra]
    )
    by_prov: dict[str, dict[str, Any]] = {}
    for s in scores:
        row = by_prov.setdefault(
            s.province_code,
            {
                "round_id": round_id,
                "province_code": s.province_code,
                "province_name": names.get(s.province_code, ""),
            },
        )
        row[s.indicator] = s.answer + ("*" if s.overridden else "")
    for p in index_rows:
        if p.index_name == "transparency":  # the wide table's index columns: participation
            continue
        row = by_prov.setdefault(
            p.province_code,
            {
                "round_id": round_id,
                "province_code": p.province_code,
                "province_name": names.get(p.province_code, ""),
            },
        )
        row.update({"index": p.index_value, "band": p.band, "rank": p.rank})
    wide = [by_prov[c] for c in sorted(by_prov)]
    return tidy, rankings, wide, wide_table


def _rubric_extra(rub: Rubric) -> str:
    lines = [
        f"## Rubric / Bộ tiêu chí: `{rub.id}` version `{rub.version}`",
        "",
        f"{rub.title_en}. {rub.title_vi}.",
        "",
        "Points: a=100, b=67, c=33, d=0, e=not applicable (left out). Index: mean of applicable "
        "points within each pillar, then the weighted mean of the pillars.",
        "",
        "| pillar | weight | name | tên |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| `{p.id}` | {p.weight:g} | {p.name_en} | {p.name_vi} |" for p in rub.pillars.values()
    ]
    for ind in rub.indicators:
        lines += [
            "",
            f"### `{ind.id}` ({ind.pillar})",
            "",
            f"{ind.question_en}  ",
            f"{ind.question_vi}",
            "",
            "| answer | criteria | tiêu chí |",
            "|---|---|---|",
        ]
        lines += [f"| {a.value} | {_cell(o.en)} | {_cell(o.vi)} |" for a, o in ind.options.items()]
        params = ", ".join(f"{k} = {json.dumps(v)}" for k, v in ind.params.items())
        rule = f"`{ind.rule}` ({params})" if params else f"`{ind.rule}`"
        lines += ["", f"Evidence read: {'; '.join(ind.evidence)}. Rule: {rule}."]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _statistics_extra() -> str:
    lines = [
        "## Measures in `statistics.csv` / Các đại lượng",
        "",
        "| measure | meaning / ý nghĩa |",
        "|---|---|",
    ]
    lines += [f"| `{m}` | {text} |" for m, text in MEASURES.items()]
    lines += [
        "",
        "`unit=request`: every request handed to a mail server is a trial. `unit=province`: a "
        "province with at least one request sent is a trial and counts as replied when any of "
        "its requests got that reply. Intervals: Wilson score, 95%.",
        "",
        "## How to cite / Trích dẫn",
        "",
        "Cite the round, the rubric id and version, and the tool version above, e.g. "
        "“pobi <tool version>, round <round>, rubric <rubric>@<version>”, and keep the SHA-256 "
        "values: each names an archived page, screenshot or e-mail a province can check.",
    ]
    return "\n".join(lines)


def export_round(
    session: Session,
    round_id: str,
    out_dir: Path,
    cfg: Config,
    *,
    rubric: Rubric | None = None,
    fmt: str = "csv",
    bom: bool = False,
    at: datetime | None = None,
    progress: Callable[[str], None] | None = None,
    redact: Callable[[str, Row], Row] | None = None,
) -> ExportResult:
    """``redact(table_name, row)``, when given, rewrites every row before it is written (the
    static site publishes with :func:`pobi.privacy.public_row`)."""
    if fmt not in FORMATS:
        raise InputError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    rnd = get_round(session, round_id)
    era = Era(rnd.era)
    rub = rubric_for_round(session, round_id, rubric)
    at = at or now()
    calendar = Calendar.from_config(cfg)
    step = progress or (lambda _name: None)

    step("sites, channels, requests, replies")
    base, timings = base_tables(
        session, round_id, calendar=calendar, deadlines=cfg.deadlines, at=at
    )
    step("scores and rankings")
    tidy, rankings, wide, wide_table = score_tables(session, round_id, era, rub)
    step("statistics")
    stats, survival = (
        compute_statistics(round_id, era, timings, rub.statistics.get("follow_up_working_days", 60))
        if timings
        else ([], [])
    )
    step("trends across the 2025 merger")
    # Only a scored round shows trends (every scored round in the store, side by side) and the
    # inherited view: an empty or unscored round exports headers only.
    # rounds scored with another rubric join only through a declared mapping (scoring.trendjoin)
    from scoring.trendjoin import load_mappings, round_rubric

    trends = (
        trends_rows(
            session,
            round_rubric(session, round_id),
            load_mappings(cfg.home / "rubric-mappings.toml"),
        )
        + trends_rows(session, index_name="transparency")  # then the transparency index
        if rankings
        else []
    )
    inherited = inherited_rows(session, round_id) if rankings else []

    data: list[tuple[cols.Table, list[Row]]] = [
        (cols.SITES, base["sites"]),
        (cols.CHANNELS, base["channels"]),
        (cols.REQUESTS, base["requests"]),
        (cols.REPLIES, base["replies"]),
        (cols.DOCUMENTS, documents_rows(session, round_id)),
        (cols.SCORES, tidy),
        (wide_table, wide),
        (cols.RANKINGS, rankings),
        (cols.STATISTICS, stats),
        (cols.SURVIVAL, survival),
        (cols.TRENDS, trends),
        (cols.INHERITED, inherited),
        (cols.FINANCE_SITES, finance_sites_rows(session, round_id)),
    ]
    step("codings, agreement and disputes")
    from scoring.survey import survey_tables

    survey = survey_tables(session, round_id)
    data += [(t, survey[t.name]) for t in cols.SURVEY_TABLES]
    if redact is not None:
        data = [(t, [redact(t.name, r) for r in rows]) for t, rows in data]
    meta = {
        "package_name": f"pobi-round-{round_id.lower()}",
        "title": f"pobi round {round_id} — budget responsiveness of Vietnam's provinces",
        "description": (
            f"Round {round_id} ({era.value} era, {len(provinces(era))} provincial units): sites "
            "crawled, channels found, information requests and replies, indicator answers with "
            "evidence, index, bands, ranks, reply statistics and cross-era trends. "
            "Đợt khảo sát mức độ công khai và phản hồi về ngân sách cấp tỉnh."
        ),
        "round": round_id,
        "era": era.value,
        "rubric": rub.id,
        "rubric_version": rub.version,
        "rubric_sha256": rub.sha256,
        "tool_version": __version__,
        "scored": bool(tidy),
    }
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"Cannot create the output folder {out}: {exc.strerror or exc}") from exc
    result = ExportResult(out, rubric=f"{rub.id}@{rub.version}", scored=bool(tidy))
    tables = [t for t, _ in data]
    step("writing files")
    try:
        if fmt in ("csv", "all"):
            for table, rows in data:
                path = out / table.filename
                write_csv(path, table, rows, bom=bom)
                result.files.append(path)
            path = out / "datapackage.json"
            write_json(path, datapackage(tables, meta, bom=bom))
            result.files.append(path)
        path = out / "CODEBOOK.md"
        extra = _statistics_extra() + "\n\n" + _rubric_extra(rub)
        companion = transparency_rubric(session, round_id, rub)
        if companion is not None:
            extra += "\n\n" + _rubric_extra(companion)
        write_file(path, codebook(tables, meta, extra).encode("utf-8"))
        result.files.append(path)
        if fmt in ("xlsx", "all"):
            path = out / f"pobi-{round_id}.xlsx"
            readme = [
                ("pobi", meta["title"]),
                ("round / đợt", round_id),
                ("era / thời kỳ", era.value),
                ("rubric / bộ tiêu chí", f"{rub.id} version {rub.version}"),
                ("rubric sha256", rub.sha256),
                ("tool version / phiên bản", __version__),
                ("scored / đã chấm điểm", "yes" if tidy else "no (run pobi score)"),
                ("", ""),
                ("sheet", "content / nội dung"),
            ]
            readme += [
                (t.name[:31], f"{t.title_en} — {t.title_vi}: {t.description}") for t in tables
            ]
            readme += [("", ""), ("codebook", "See CODEBOOK.md for every column.")]
            write_xlsx(path, data, readme)
            result.files.append(path)
    except OSError as exc:
        raise InputError(f"Cannot write to {out}: {exc.strerror or exc}") from exc
    result.rows = {t.name: len(rows) for t, rows in data}
    return result
