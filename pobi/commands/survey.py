"""`pobi survey ...`: the annual survey's right of reply (disputes) and earlier POBI rounds.

Stages are imported inside each command (DESIGN.md §3).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from pobi.commands.common import console, workspace

RoundOpt = Annotated[str, typer.Option("--round", "-r", help="Survey round id, e.g. 2026.")]
survey_app = typer.Typer(
    help="Right of reply (disputes of findings and scores) and earlier POBI rounds.\n\n"
    "Quyền phản hồi của tỉnh (khiếu nại kết quả) và dữ liệu các vòng POBI trước.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(survey_app, name="survey")


@survey_app.command("dispute")
def dispute_cmd(
    round_id: RoundOpt,
    by: Annotated[str, typer.Option("--by", help="Who disputes (agency, person).")],
    claim: Annotated[str, typer.Option("--claim", help="What they say is wrong.")],
    finding: Annotated[
        int | None, typer.Option("--finding", help="The disputed finding's number.")
    ] = None,
    province: Annotated[str, typer.Option("--province", help="Province code (scores).")] = "",
    indicator: Annotated[str, typer.Option("--indicator", help="Disputed indicator id.")] = "",
    evidence: Annotated[
        list[Path] | None,
        typer.Option("--evidence", help="A file they sent (letter, screenshot); repeatable."),
    ] = None,
) -> None:
    """Record a dispute of a finding or a score (append-only), with its evidence.

    Ghi nhận khiếu nại của tỉnh về một phát hiện hoặc một điểm số.

    Example: pobi survey dispute --round 2026 --province 01 --indicator budget_published
    --by "Sở Tài chính Hà Nội" --claim "published on 2026-01-10" --evidence cong-van.pdf
    """
    from scoring.disputes import file_dispute

    ws = workspace()
    with ws.store.session() as s:
        d = file_dispute(
            s,
            ws.evidence,
            round_id,
            filed_by=by,
            claim=claim,
            finding_id=finding,
            province_code=province,
            indicator=indicator,
            files=evidence or [],
        )
        console.print(
            f"Dispute #{d.id} ({d.target}, province {d.province_code}) recorded with "
            f"{len(d.evidence)} evidence files. Decide with: pobi survey decide {d.id} ..."
        )


@survey_app.command("decide")
def decide_cmd(
    dispute_id: Annotated[int, typer.Argument(help="Dispute number.")],
    decision: Annotated[str, typer.Option("--decision", help="upheld | rejected")],
    reason: Annotated[str, typer.Option("--reason", help="Why (published with the data).")],
    by: Annotated[str, typer.Option("--by", help="The researcher deciding.")],
    answer: Annotated[
        str, typer.Option("--answer", help="Upheld score dispute: the new answer (a-e).")
    ] = "",
) -> None:
    """Decide a dispute; an upheld one changes the score (override) or the finding (rejected).

    Quyết định về khiếu nại; nếu chấp nhận thì điểm số hoặc phát hiện được điều chỉnh.
    """
    from scoring.disputes import decide

    ws = workspace()
    with ws.store.session() as s:
        row = decide(s, dispute_id, decision, reason=reason, researcher=by, answer=answer)
        console.print(f"Dispute #{dispute_id}: {row.decision}; change: {escape(row.change)}")
        if row.change.startswith("score override"):
            console.print("Run pobi score --round ... to recompute the index with it.")


@survey_app.command("disputes")
def disputes_cmd(round_id: RoundOpt) -> None:
    """List the round's disputes and decisions."""
    from scoring.disputes import dispute_rows

    ws = workspace()
    with ws.store.session() as s:
        rows = dispute_rows(s, round_id)
    table = Table(title=f"Disputes in round {round_id}: {len(rows)}")
    for col in ("#", "province", "target", "by", "claim", "decision", "change"):
        table.add_column(col, overflow="fold")
    for r in rows:
        target = f"finding #{r['finding_id']}" if r["target"] == "finding" else r["indicator"]
        table.add_row(
            str(r["dispute_id"]),
            str(r["province_code"]),
            escape(str(target)),
            escape(str(r["filed_by"])),
            escape(str(r["claim"])),
            str(r["decision"] or "undecided"),
            escape(str(r["change"])),
        )
    console.print(table)


@survey_app.command("import-legacy")
def import_legacy_cmd(
    path: Annotated[Path, typer.Argument(help="CSV: province_code,indicator,answer,score,year")],
    round_id: Annotated[
        str | None,
        typer.Option("--round", "-r", help="Round id to create (default: pobi-<year>)."),
    ] = None,
    rubric: Annotated[
        str,
        typer.Option(
            "--rubric", help="The rubric those results were scored with (e.g. pobi-2019)."
        ),
    ] = "",
) -> None:
    """Import the published results of an earlier POBI round as a legacy-era round.

    Nhập kết quả công bố của các vòng POBI trước (63 tỉnh) để xem xu hướng từ 2017.

    The format is in docs/earlier-rounds.md. A bad line is named and nothing is imported.
    """
    from scoring.legacy import import_legacy

    ws = workspace()
    with ws.store.session() as s:
        report = import_legacy(s, path, round_id=round_id, rubric=rubric, source=str(path))
    console.print(
        f"Round {report.round_id} (legacy era, rubric {report.rubric}): {report.rows} results, "
        f"{report.indices} province indices."
    )


@survey_app.command("trends")
def trends_cmd(
    round_id: Annotated[str, typer.Option("--round", "-r", help="The round to read trends on.")],
    rounds: Annotated[
        str, typer.Option("--rounds", help="Earlier rounds to join, comma-separated.")
    ],
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="TOML file declaring how another rubric's index reads on this round's "
            "(default: $POBI_HOME/rubric-mappings.toml).",
        ),
    ] = None,
) -> None:
    """Show a trend across rounds, refusing rounds scored with another rubric unless mapped.

    Xu hướng qua các vòng; từ chối ghép các vòng chấm theo bộ tiêu chí khác nếu không có ánh xạ.
    """
    from scoring.crosswalk import trends_rows
    from scoring.trendjoin import check_joinable, load_mappings, round_rubric

    ws = workspace()
    path = mapping or ws.config.home / "rubric-mappings.toml"
    if mapping is not None and not mapping.is_file():
        from pobi.errors import InputError

        raise InputError(f"No mapping file {mapping}")
    maps = load_mappings(path)
    wanted = [round_id, *[r.strip() for r in rounds.split(",") if r.strip()]]
    with ws.store.session() as s:
        base = round_rubric(s, round_id)
        joined = check_joinable(s, wanted, base, maps)
        rows = [r for r in trends_rows(s, base, maps) if r["round"] in joined]
    table = Table(title=f"Trends on rubric {base}: rounds {', '.join(wanted)}")
    for col in ("round", "current_code", "index", "band", "method"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["round"],
            r["current_code"],
            "" if r["index"] is None else f"{r['index']:.2f}",
            r["band"],
            r["method"],
        )
    console.print(table)
    for rid, m in joined.items():
        if m.source != m.target:
            console.print(f"{rid}: {m.source} -> {m.target} by the declared mapping ({m.why})")
