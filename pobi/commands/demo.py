"""`pobi demo`: the whole survey against a simulated country, offline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pobi.models import Era


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    home: Annotated[
        Path | None,
        typer.Option("--home", help="Workspace for the demo (default: a new temporary folder)."),
    ] = None,
    era: Annotated[
        Era, typer.Option("--era", help="current = 34 provinces; legacy = 63.")
    ] = Era.CURRENT,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the simulated world.")] = 2026,
    no_dashboard: Annotated[
        bool,
        typer.Option("--no-dashboard", help="Stop after the report; don't start the dashboard."),
    ] = False,
    port: Annotated[int, typer.Option("--port", help="Dashboard port.")] = 8501,
    now: Annotated[
        str | None,
        typer.Option(
            "--now",
            help="The tool's clock at the end of the survey (ISO 8601); default 2026-10-30T17:00+07:00.",
        ),
    ] = None,
) -> None:
    """Run the whole survey against a simulated country on loopback, then open the dashboard.

    Chạy toàn bộ khảo sát trên một "quốc gia mô phỏng" (chỉ dùng 127.0.0.0/8, không cần Internet):
    round → crawl → probe plan → send → agencies reply → collect → coding → score → export →
    closing report (compared with the simulation's ground truth) → dashboard.
    """
    from pobi.sandbox.demo import DemoOptions, run_demo

    run_demo(
        DemoOptions(home=home, era=era, seed=seed, dashboard=not no_dashboard, port=port, now=now)
    )
