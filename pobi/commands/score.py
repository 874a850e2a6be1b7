"""`pobi rubric show`, `pobi score`, `pobi score override`, `pobi export` (stage: scoring).

The scoring stage is imported inside each command function (DESIGN.md §3).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from pobi.commands.common import console, workspace

RoundOpt = Annotated[str, typer.Option("--round", "-r", help="Survey round id, e.g. 2026.")]
RubricOpt = Annotated[
    Path | None,
    typer.Option(
        "--rubric",
        help="A rubric TOML file (copy data/rubrics/participation-v1.toml to make your own). "
        "Default: the round's rubric.",
    ),
]


def register(app: typer.Typer) -> None:
    rubric = typer.Typer(
        help="The scoring rubric (indicators, options a–e, pillars). Bộ tiêu chí chấm điểm.",
        no_args_is_help=True,
    )
    rubric.command("show")(rubric_show)
    app.add_typer(rubric, name="rubric")

    score = typer.Typer(
        help="Score a round: answers with reasons and evidence, index, band, rank. "
        "Chấm điểm một đợt khảo sát.\n\n"
        "  pobi score --round 2026\n\n"
        "  pobi score override --round 2026 --province 01 --indicator reply --answer b "
        "--reason '...' --coder NAME",
        invoke_without_command=True,
    )
    score.callback(invoke_without_command=True)(score_round_cmd)
    score.command("override")(score_override)
    score.command("show")(score_show)
    app.add_typer(score, name="score")

    app.command("export")(export_cmd)


def _load(rubric: Path | str):  # type: ignore[no-untyped-def]
    from scoring.rubric import load_rubric

    return load_rubric(rubric)


def _round_rubric(round_id: str, rubric: Path | None):  # type: ignore[no-untyped-def]
    from pobi.rounds import get_round

    if rubric is not None:
        return _load(rubric)
    ws = workspace()
    with ws.store.session() as s:
        name = get_round(s, round_id).rubric
    return _load(name)


def rubric_show(
    rubric: Annotated[
        str,
        typer.Option(
            "--rubric", help="A rubric TOML file or a bundled rubric id.", show_default=True
        ),
    ] = "participation-v1",
) -> None:
    """Show a rubric: pillars and weights, each indicator's question and options a–e (vi + en).

    Hiển thị bộ tiêu chí: trụ cột, trọng số, câu hỏi và các phương án a–e của từng chỉ số.
    """
    from pobi.models import ANSWER_POINTS

    r = _load(rubric)
    console.print(f"[bold]{r.id}[/bold] version {r.version}  ({r.path})")
    console.print(f"{r.title_en}\n{r.title_vi}\n")
    pt = Table(title="Pillars / Trụ cột")
    for col in ("pillar", "weight", "name (en)", "tên (vi)"):
        pt.add_column(col)
    for p in r.pillars.values():
        pt.add_row(p.id, f"{p.weight:g}", p.name_en, p.name_vi)
    console.print(pt)
    for ind in r.indicators:
        t = Table(
            title=f"{ind.id} · {ind.pillar} · rule {ind.rule} {ind.params or ''}",
            show_lines=True,
            title_justify="left",
        )
        t.add_column("", width=3)
        t.add_column("points", justify="right")
        t.add_column("English")
        t.add_column("Tiếng Việt")
        t.add_row("Q", "", ind.question_en, ind.question_vi)
        for answer, opt in ind.options.items():
            pts = ANSWER_POINTS[answer]
            t.add_row(answer.value, "—" if pts is None else str(pts), opt.en, opt.vi)
        t.add_row("ev.", "", "; ".join(ind.evidence), "")
        console.print(t)


def score_round_cmd(
    ctx: typer.Context,
    round_id: Annotated[
        str | None, typer.Option("--round", "-r", help="Survey round id, e.g. 2026.")
    ] = None,
    rubric: RubricOpt = None,
) -> None:
    """Compute every province's answers (with a one-line reason and evidence hashes), index,
    band and rank; replace the round's previous scores. Overrides are applied and flagged.

    Tính câu trả lời từng chỉ số (kèm lý do và bằng chứng), chỉ số, nhóm và thứ hạng.
    """
    if ctx.invoked_subcommand:
        return
    if not round_id:
        console.print(ctx.get_help())
        raise typer.Exit(2)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from pobi.models import Era
    from pobi.registry import provinces
    from pobi.rounds import get_round
    from pobi.workdays import Calendar
    from scoring.scorer import score_round

    ws = workspace()
    rub = _round_rubric(round_id, rubric)
    with ws.store.session() as s:
        era = Era(get_round(s, round_id).era)
        with Progress(
            TextColumn("Scoring / chấm điểm"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("score", total=len(provinces(era)))
            result = score_round(
                s,
                round_id,
                rub,
                calendar=Calendar.from_config(ws.config),
                deadlines=ws.config.deadlines,
                progress=lambda n: bar.advance(task, n),
                documents=ws.config.documents,
            )
            transparency = None
            if rub.index != "transparency":  # the budget-document index, beside it
                transparency = score_round(
                    s,
                    round_id,
                    _load("transparency-v1"),
                    calendar=Calendar.from_config(ws.config),
                    deadlines=ws.config.deadlines,
                    documents=ws.config.documents,
                )
    overridden = sum(len(p.overridden) for p in result.provinces.values())
    console.print(
        f"Round [bold]{round_id}[/bold] scored with {rub.id}@{rub.version}: "
        f"{result.scored} of {len(result.provinces)} provinces have an index"
        + (f", {overridden} answers overridden" if overridden else "")
        + "."
    )
    if transparency is not None:
        console.print(
            f"Transparency index (budget documents, {transparency.rubric.id}): "
            f"{transparency.scored} of {len(transparency.provinces)} provinces have an index."
        )
    if result.scored == 0:
        console.print(
            f"[yellow]No province has an index: round {round_id} has no crawl findings and no "
            "requests yet (every answer is e, not applicable). Run pobi crawl / pobi probe first."
            "[/yellow]"
        )
        return
    _print_ranking(round_id, limit=10)
    console.print(
        f"Details: pobi score show --round {round_id} · Data: pobi export --round {round_id} --out DIR"
    )


def _print_ranking(round_id: str, limit: int | None = None, code: str | None = None) -> None:
    from sqlalchemy import select

    from pobi.models import Era
    from pobi.registry import province
    from pobi.rounds import get_round
    from pobi.store.tables import ProvinceIndex, Score

    ws = workspace()
    with ws.store.session() as s:
        era = Era(get_round(s, round_id).era)
        every = list(s.scalars(select(ProvinceIndex).where(ProvinceIndex.round_id == round_id)))
        rows = [p for p in every if p.index_name != "transparency"]
        tindex = {p.province_code: p for p in every if p.index_name == "transparency"}
        if not rows:
            from pobi.errors import NotFoundError

            raise NotFoundError(
                f"Round {round_id} is not scored yet.", hint=f"pobi score --round {round_id}"
            )
        rows.sort(key=lambda p: (p.rank is None, p.rank or 0, p.province_code))
        if code:
            detail = list(
                s.scalars(
                    select(Score)
                    .where(Score.round_id == round_id, Score.province_code == code)
                    .order_by(Score.id)
                )
            )
            t = Table(title=f"{province(era, code).name} — round {round_id}", show_lines=True)
            for col in ("indicator", "answer", "points", "why / lý do", "evidence"):
                t.add_column(col)
            for sc in detail:
                mark = (
                    f"{sc.answer} (override; computed {sc.computed_answer})"
                    if sc.overridden
                    else sc.answer
                )
                t.add_row(
                    sc.indicator,
                    mark,
                    "—" if sc.points is None else f"{sc.points:g}",
                    f"{sc.explanation}\n{sc.explanation_vi}",
                    "\n".join(h[:12] + "…" for h in sc.evidence or []),
                )
            console.print(t)
            rows = [p for p in rows if p.province_code == code]
        t = Table(title=f"Ranking / Xếp hạng — round {round_id}")
        for col in ("rank", "code", "province", "index", "band", "applicable", "transparency"):
            t.add_column(col)
        for p in rows[:limit] if limit else rows:
            tp = tindex.get(p.province_code)
            t.add_row(
                str(p.rank or "—"),
                p.province_code,
                province(era, p.province_code).name,
                "—" if p.index_value is None else f"{p.index_value:.2f}",
                p.band or "—",
                str(p.indicators_applicable),
                "—"
                if tp is None or tp.index_value is None
                else f"{tp.index_value:.2f} {tp.band} (#{tp.rank})",
            )
        console.print(t)


def score_show(
    round_id: RoundOpt,
    province_code: Annotated[
        str | None, typer.Option("--province", "-p", help="One province: every answer and why.")
    ] = None,
) -> None:
    """Show a scored round's ranking, or one province's answers with reasons and evidence."""
    code = None
    if province_code:
        from pobi.models import Era
        from pobi.registry import province
        from pobi.rounds import get_round

        with workspace().store.session() as s:
            code = province(Era(get_round(s, round_id).era), province_code).code
    _print_ranking(round_id, code=code)


def score_override(
    round_id: RoundOpt,
    province_code: Annotated[str, typer.Option("--province", "-p", help="Province code, e.g. 01.")],
    indicator: Annotated[
        str, typer.Option("--indicator", "-i", help="Indicator id (pobi rubric show).")
    ],
    answer: Annotated[
        str, typer.Option("--answer", "-a", help="a, b, c, d or e (not applicable).")
    ],
    reason: Annotated[
        str, typer.Option("--reason", help="Why: shown next to the answer everywhere.")
    ],
    coder: Annotated[
        str, typer.Option("--coder", help="Who decides (default: $USER).", envvar="USER")
    ] = "researcher",
    rubric: RubricOpt = None,
) -> None:
    """Replace a computed answer with a researcher's answer and reason (kept with coder and time;
    append-only, the latest override wins). Re-scores the round so the change shows at once.

    Điều chỉnh câu trả lời của một chỉ số (ghi lại người điều chỉnh, lý do, thời điểm).
    """
    from pobi.workdays import Calendar
    from scoring.scorer import add_override, score_round

    ws = workspace()
    rub = _round_rubric(round_id, rubric)
    with ws.store.session() as s:
        row = add_override(s, round_id, province_code, indicator, answer, reason, coder, rub)
        score_round(
            s,
            round_id,
            rub,
            calendar=Calendar.from_config(ws.config),
            deadlines=ws.config.deadlines,
        )
        console.print(
            f"Override recorded: round {round_id}, province {row.province_code}, "
            f"{indicator} = {row.answer} by {row.coder} ({row.reason}). Round re-scored."
        )


def export_cmd(
    round_id: RoundOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (created if needed).")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="csv (+ datapackage.json), xlsx, or all.")
    ] = "csv",
    excel: Annotated[
        bool, typer.Option("--excel", help="Add a UTF-8 BOM to CSVs so Excel shows Vietnamese.")
    ] = False,
    rubric: RubricOpt = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Judge deadlines and censor pending requests as of this ISO date-time "
            "(default: now, or $POBI_NOW). Fix it to reproduce an export byte for byte.",
        ),
    ] = None,
) -> None:
    """Write the round's data for publication: sites, channels, requests, replies, scores (tidy
    and wide), rankings, statistics, survival, trends, inherited; datapackage.json, CODEBOOK.md
    and an XLSX workbook. Headers are written even when a table is empty.

    Xuất dữ liệu của đợt khảo sát (CSV UTF-8, Excel, gói dữ liệu Frictionless, sổ mã).
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from pobi.clock import VN_TZ
    from pobi.errors import InputError
    from scoring.export import export_round

    at = None
    if as_of:
        try:
            at = datetime.fromisoformat(as_of)
        except ValueError as exc:
            raise InputError(f"--as-of {as_of!r} is not an ISO 8601 date or date-time") from exc
        if at.tzinfo is None:
            at = at.replace(tzinfo=VN_TZ)
    ws = workspace()
    rub = _load(rubric) if rubric else None
    with (
        ws.store.session() as s,
        Progress(
            SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True
        ) as bar,
    ):
        task = bar.add_task("Exporting")
        result = export_round(
            s,
            round_id,
            out,
            ws.config,
            rubric=rub,
            fmt=fmt,
            bom=excel,
            at=at,
            progress=lambda name: bar.update(task, description=f"Exporting {name}"),
        )
    t = Table(title=f"Round {round_id} → {result.out_dir}")
    t.add_column("table")
    t.add_column("rows", justify="right")
    for name, n in result.rows.items():
        t.add_row(name, str(n))
    console.print(t)
    if not result.scored:
        console.print(
            f"[yellow]Round {round_id} is not scored yet: score tables have headers only "
            f"(run pobi score --round {round_id}).[/yellow]"
        )
    console.print(f"{len(result.files)} files written, rubric {result.rubric}.")
