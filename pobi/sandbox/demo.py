"""The demo: every stage of the survey, run through the real `pobi` CLI against a simulated world.

The simulated world runs on loopback only: portals and finance sites (``pobi.sandbox.web``), a
mail server that accepts only the sandbox's own addresses and simulated agencies
(``pobi.sandbox.mail``, ``pobi.sandbox.agencies``). Each stage is the same command a researcher
types, run in a subprocess with ``POBI_HOME`` pointing at the demo's workspace.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.rule import Rule
from rich.table import Table

from pobi.errors import ExternalServiceError
from pobi.models import Era
from pobi.registry import provinces

console = Console(highlight=False)


@dataclass
class DemoOptions:
    home: Path | None = None
    era: Era = Era.CURRENT
    seed: int = 2026
    dashboard: bool = True
    port: int = 8501
    now: str | None = None


@dataclass
class DemoRun:
    opts: DemoOptions
    home: Path
    env: dict[str, str]
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def pobi(
        self, *args: str, env: dict[str, str] | None = None, capture: bool = False
    ) -> subprocess.CompletedProcess[str]:
        """Run a real `pobi` command in the demo workspace; a failure stops the demo."""
        cmd = [sys.executable, "-m", "pobi.cli", *args]
        console.print(f"[dim]$ pobi {' '.join(args)}[/dim]")
        res = subprocess.run(
            cmd, env={**self.env, **(env or {})}, text=True, capture_output=capture
        )
        if res.returncode != 0:
            detail = (res.stderr or "").strip()[-2000:] if capture else ""
            raise ExternalServiceError(
                f"demo step `pobi {' '.join(args)}` failed (exit {res.returncode}). {detail}"
            )
        return res


def _step(run: DemoRun, title: str, fn: Callable[[DemoRun], None]) -> None:
    console.print(Rule(f"[bold]{title}"))
    start = time.monotonic()
    fn(run)
    run.timings[title] = time.monotonic() - start


def step_registry(run: DemoRun) -> None:
    legacy, current = provinces(Era.LEGACY), provinces(Era.CURRENT)
    console.print(
        f"Registry: {len(legacy)} provincial units until 2025-06-30 (legacy), "
        f"{len(current)} from 2025-07-01 (current, Resolution 202/2025/QH15)."
    )
    table = Table(title="Crosswalk: current units formed by merging legacy units")
    table.add_column("code")
    table.add_column("current unit")
    table.add_column("legacy sources")
    merged = [p for p in current if len(p.related_codes) > 1]
    names = {p.code: p.short for p in legacy}
    for p in merged:
        table.add_row(p.code, p.name, ", ".join(f"{c} {names[c]}" for c in p.related_codes))
    console.print(table)
    console.print(
        f"{len(current) - len(merged)} units kept their borders; {len(merged)} were formed by mergers."
    )
    run.pobi(
        "round",
        "create",
        "demo",
        "--era",
        run.opts.era.value,
        "--note",
        "pobi demo (simulated world)",
    )


STEPS: list[tuple[str, Callable[[DemoRun], None]]] = [
    ("1. Registry and round", step_registry),
]


def run_demo(opts: DemoOptions) -> DemoRun:
    home = (opts.home or Path(tempfile.mkdtemp(prefix="pobi-demo-"))).resolve()
    home.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "POBI_HOME": str(home),
        "POBI_CODER": "demo-researcher",
        "COLUMNS": os.environ.get("COLUMNS", "120"),
    }
    env.pop("POBI_DATABASE_URL", None)
    run = DemoRun(opts=opts, home=home, env=env)
    console.print(
        Rule("[bold]pobi demo — a simulated country, offline / mô phỏng, không cần Internet")
    )
    console.print(f"Workspace: {home}")
    started = time.monotonic()
    for title, fn in STEPS:
        _step(run, title, fn)
    run.timings["total"] = time.monotonic() - started
    console.print(Rule("[bold]Done"))
    console.print(f"Workspace: {home}   total {run.timings['total']:.1f} s")
    return run
