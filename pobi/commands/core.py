"""Core commands: provinces, sites, round, config, evidence, workdays."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from pobi.commands.common import console, workspace
from pobi.models import Era

EraOpt = Annotated[
    Era,
    typer.Option(
        "--era", help="legacy = 63 units until 2025-06-30; current = 34 units from 2025-07-01."
    ),
]


def register(app: typer.Typer) -> None:
    app.command("provinces")(provinces_cmd)

    sites = typer.Typer(
        help="The registry's sites, and checks of your own site lists.",
        no_args_is_help=False,
        invoke_without_command=True,
    )
    sites.callback(invoke_without_command=True)(sites_list)
    sites.command("check")(sites_check)
    from pobi.commands.sites import sites_discover, sites_verify

    sites.command("verify")(sites_verify)
    sites.command("discover")(sites_discover)
    app.add_typer(sites, name="sites")

    rounds = typer.Typer(
        help="Survey rounds (one campaign each, bound to an era).", no_args_is_help=True
    )
    rounds.command("create")(round_create)
    rounds.command("list")(round_list)
    app.add_typer(rounds, name="round")

    config = typer.Typer(help="Effective configuration.", no_args_is_help=True)
    config.command("show")(config_show)
    app.add_typer(config, name="config")

    evidence = typer.Typer(help="The content-addressed evidence store.", no_args_is_help=True)
    evidence.command("verify")(evidence_verify)
    app.add_typer(evidence, name="evidence")

    workdays = typer.Typer(help="The Vietnamese working-day calendar.", no_args_is_help=True)
    workdays.command("between")(workdays_between)
    workdays.command("add")(workdays_add)
    app.add_typer(workdays, name="workdays")


def provinces_cmd(
    era: EraOpt = Era.CURRENT,
    csv_out: Annotated[
        bool, typer.Option("--csv", help="CSV: code,name,name_ascii,era,related_codes")
    ] = False,
) -> None:
    """List the provincial units of an era with the crosswalk to the other era.

    Tỉnh/thành phố theo thời kỳ: legacy (63, đến 30/6/2025) hoặc current (34, từ 1/7/2025).
    For legacy rows related_codes is the successor's code; for current rows the legacy sources.
    """
    from pobi.registry import provinces, write_provinces_csv

    rows = provinces(era)
    if csv_out:
        write_provinces_csv(rows, sys.stdout)
        return
    other = "successor (current)" if era == Era.LEGACY else "legacy sources"
    table = Table(title=f"{len(rows)} provincial units — {era.value}")
    for col in ("code", "name", "name (ASCII)", other, "region"):
        table.add_column(col)
    for p in rows:
        table.add_row(p.code, p.name, p.name_ascii, ", ".join(p.related_codes), p.region)
    console.print(table)


def sites_list(
    ctx: typer.Context,
    era: Annotated[Era | None, typer.Option("--era", help="Only this era.")] = None,
    csv_out: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")] = False,
) -> None:
    """List the registry's sites (portal and Department of Finance per unit, both eras).

    Each URL says how it is known: 'verified' (seen to work on verified_on), 'published' (the
    unit's published domain as the project knows it, not verified) or 'inferred' (built from the
    usual domain pattern, never checked). Check them live before a round: pobi sites verify.
    Check your own list's format: pobi sites check FILE.
    """
    if ctx.invoked_subcommand:
        return
    import csv

    from pobi.registry import REGISTRY_COLUMNS, registry_sites

    rows = registry_sites(era)
    if csv_out:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(REGISTRY_COLUMNS)
        for s in rows:
            writer.writerow(
                [s.era, s.province_code, s.site_kind, s.url, s.source, s.verified_on or "", s.note]
            )
        return
    table = Table(title=f"{len(rows)} registry sites")
    for col in ("era", "code", "kind", "url", "source", "verified on"):
        table.add_column(col)
    for s in rows:
        table.add_row(
            s.era or "", s.province_code, s.site_kind, s.url, s.source, str(s.verified_on or "")
        )
    console.print(table)
    inferred = sum(1 for s in rows if s.source == "inferred")
    unverified = sum(1 for s in rows if s.source != "verified")
    if unverified:
        console.print(
            f"[yellow]{unverified} of {len(rows)} URLs are not verified ({inferred} of them "
            "inferred). Check them online before a round: pobi sites verify[/yellow]"
        )


def sites_check(
    path: Annotated[Path, typer.Argument(help="CSV with header province_code,site_kind,url")],
    era: Annotated[
        Era | None, typer.Option("--era", help="Check codes against this era only.")
    ] = None,
) -> None:
    """Validate your own site list; every bad row is named by its line and reason."""
    from pobi.registry import read_sites_file

    sites = read_sites_file(path, era)
    console.print(f"[green]{path}: {len(sites)} sites, all rows valid.[/green]")


def round_create(
    round_id: Annotated[str, typer.Argument(help="A short id, e.g. 2026")],
    era: EraOpt = Era.CURRENT,
    rubric: Annotated[str, typer.Option(help="Rubric version for scoring.")] = "participation-v1",
    note: Annotated[str, typer.Option(help="Free text.")] = "",
) -> None:
    """Create a survey round (idempotent). Tạo một đợt khảo sát."""
    from pobi.rounds import create_round

    ws = workspace()
    with ws.store.session() as s:
        r = create_round(s, round_id, era, rubric=rubric, note=note)
        console.print(f"Round [bold]{r.id}[/bold]: era {r.era}, rubric {r.rubric}")


def round_list() -> None:
    """List rounds."""
    from pobi.rounds import list_rounds

    ws = workspace()
    with ws.store.session() as s:
        rows = list_rounds(s)
        table = Table(title=f"{len(rows)} rounds")
        for col in ("id", "era", "rubric", "created", "note"):
            table.add_column(col)
        for r in rows:
            table.add_row(r.id, r.era, r.rubric, r.created_at.isoformat(timespec="seconds"), r.note)
        console.print(table)


def config_show(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Print the effective settings (file + environment), secrets redacted."""
    ws = workspace()
    data = ws.config.redacted()
    if as_json:
        print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
        return
    for section, values in data.items():
        if isinstance(values, dict):
            console.print(f"[bold]\\[{section}][/bold]")
            for k, v in values.items():
                console.print(f"  {k} = {v!r}")
        else:
            console.print(f"[bold]{section}[/bold] = {values}")


def evidence_verify(
    wacz: Annotated[
        list[Path] | None,
        typer.Option(
            "--wacz",
            help="Also check a WACZ made by pobi publish against the store (repeatable): its "
            "files match their hashes and every page WARC in it is the stored file.",
        ),
    ] = None,
) -> None:
    """Re-hash every evidence file; report mismatches and files the store records but lacks."""
    from pobi.errors import EvidenceError
    from pobi.evidence import recorded_hashes

    ws = workspace()
    for path in wacz or []:
        from pobi.webarchive import verify_wacz

        checked = verify_wacz(path, ws.evidence)
        for problem in checked.problems:
            console.print(f"[red]WACZ[/red] {path}: {problem}")
        if not checked.ok:
            raise EvidenceError(
                f"{path}: {len(checked.problems)} problems; the package does not match the store."
            )
        console.print(
            f"[green]{path}: {checked.checked} page WARCs match the evidence store.[/green]"
        )
    with ws.store.session() as s:
        recorded = recorded_hashes(s)
    report = ws.evidence.verify(recorded)
    console.print(f"Checked {report.checked} evidence files under {ws.evidence.root}.")
    for h in report.mismatched:
        console.print(
            f"[red]MISMATCH[/red] {h}: content does not match its hash (tampered or corrupt)"
        )
    for h in report.missing:
        console.print(f"[red]MISSING[/red] {h}: recorded in the store, no file")
    if report.unrecorded:
        console.print(f"{len(report.unrecorded)} files not recorded in the store (harmless).")
    if not report.ok:
        raise EvidenceError(
            f"Evidence check failed: {len(report.mismatched)} mismatched, {len(report.missing)} missing."
        )
    console.print("[green]All evidence files match their hashes.[/green]")


def _parse_instant(text: str) -> datetime | date:
    try:
        if "T" in text or " " in text:
            from pobi.clock import VN_TZ

            value = datetime.fromisoformat(text)
            return value if value.tzinfo else value.replace(tzinfo=VN_TZ)
        return date.fromisoformat(text)
    except ValueError as exc:
        from pobi.errors import InputError

        raise InputError(f"{text!r} is not a date (YYYY-MM-DD) or date-time (ISO 8601)") from exc


def workdays_between(start: str, end: str) -> None:
    """Working days d with start < d <= end (Vietnamese calendar)."""
    from pobi.workdays import Calendar

    cal = Calendar.from_config(workspace().config)
    print(cal.working_days_between(_parse_instant(start), _parse_instant(end)))


def workdays_add(start: str, n: int) -> None:
    """The date of the n-th working day after START."""
    from pobi.workdays import Calendar

    cal = Calendar.from_config(workspace().config)
    print(cal.add_working_days(_parse_instant(start), n).isoformat())
