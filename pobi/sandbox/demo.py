"""The demo: every stage of the survey, run through the real `pobi` CLI against a simulated world.

The simulated world runs on loopback only: portals and finance sites (``pobi.sandbox.web``), a
mail server that accepts only the sandbox's own addresses and simulated agencies
(``pobi.sandbox.mail``, ``pobi.sandbox.agencies``). Each stage is the same command a researcher
types, run in a subprocess with ``POBI_HOME`` pointing at the demo's workspace.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.rule import Rule
from rich.table import Table

from pobi.errors import ExternalServiceError
from pobi.models import Era
from pobi.registry import provinces

console = Console(highlight=False)

SURVEY_END = "2026-10-30T17:00:00+07:00"  # collection, scoring and the report happen here


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
    end: str = SURVEY_END
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    cleanup: list[Callable[[], object]] = field(default_factory=list)
    sites_csv: Path | None = None
    truth_csv: Path | None = None
    exports: Path | None = None
    world: Any = None
    mail: Any = None
    agencies: Any = None
    ground_truth: Any = None
    report: dict[str, Any] = field(default_factory=dict)

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


SURVEY_START = "2026-09-07T09:00:00+07:00"  # a Monday: crawl, plan and send happen "now"

# The demo's requester is a fictitious person, labelled as such in every request it sends.
DEMO_REQUESTER = {
    "full_name": "Nguyễn Thị Mô Phỏng (người dùng thử / demo user)",
    "address": "Số 1 Đường Thử Nghiệm, Phường Mô Phỏng, Hà Nội (địa chỉ giả / fictitious)",
    "id_number": "000000000000",
    "phone": "0900000000",
    "email": "khaosat@pobi.sandbox.test",
}


def step_world(run: DemoRun) -> None:
    """Start the simulated web (a separate process) and the mail world (in this process)."""
    from pobi.sandbox.mail import DEFAULT_RESEARCHER, MailSandbox
    from pobi.sandbox.world import build_country

    sandbox = run.home / "sandbox"
    sandbox.mkdir(exist_ok=True)
    run.sites_csv = sandbox / "sites.csv"
    run.truth_csv = sandbox / "truth.csv"
    cmd = [
        sys.executable,
        "-m",
        "pobi.sandbox.web",
        "--farm",
        "country",
        "--era",
        run.opts.era.value,
        "--seed",
        str(run.opts.seed),
        "--sites-out",
        str(run.sites_csv),
        "--truth-out",
        str(run.truth_csv),
    ]
    log = (sandbox / "web.log").open("w")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True, env=run.env)
    run.cleanup.append(lambda: (proc.terminate(), proc.wait(10)))
    line = proc.stdout.readline() if proc.stdout else ""
    if line.strip() != "READY":
        raise ExternalServiceError(f"the simulated web did not start (see {sandbox / 'web.log'})")
    world = build_country(run.opts.era, run.opts.seed)
    run.world = world
    addresses = list(world.published_addresses())
    run.agencies = _agencies_plan(run, world)
    mail = MailSandbox(
        addresses,
        researcher=DEFAULT_RESEARCHER,
        bouncing=run.agencies.bouncing(),
        password=os.environ.get("POBI_SANDBOX_PASSWORD") or None,  # tests set it to grep for leaks
    )
    mail.start()
    run.cleanup.append(mail.stop)
    run.mail = mail
    settings = mail.settings()
    settings["crawl"] = {
        "allow_private_addresses": True,
        "browser_loopback_only": True,  # the simulated country is on loopback; nothing else
        "contact": DEFAULT_RESEARCHER,
    }
    # Real mail servers want a gentle rate (default 10/min); the sandbox's own server does not.
    settings["smtp"]["rate_per_minute"] = 6000.0
    settings["requester"] = DEMO_REQUESTER
    import tomli_w

    (run.home / "pobi.toml").write_text(
        "# Written by `pobi demo`: points pobi at the simulated world on loopback.\n"
        + tomli_w.dumps(settings),
        encoding="utf-8",
    )
    run.env.update(mail.environment())
    run.env["POBI_TOKEN_SECRET"] = (
        os.environ.get("POBI_TOKEN_SECRET") or "demo-secret-not-for-real-use"
    )
    sites = sum(1 for _ in run.sites_csv.open(encoding="utf-8")) - 1
    console.print(
        f"Simulated web: {sites} sites of {len(world.sites) if hasattr(world, 'sites') else '?'} "
        f"on their own loopback addresses (127.0.0.x). Mail: SMTP 127.0.0.1:{mail.smtp_port}, "
        f"IMAP 127.0.0.1:{mail.imap_port}; {len(addresses)} agency addresses, the only recipients "
        "the sandbox accepts."
    )


def _agencies_plan(run: DemoRun, world: Any) -> Any:
    from pobi.sandbox.agencies import plan_agencies

    return plan_agencies(world.published_addresses(), run.opts.seed)


def step_agencies(run: DemoRun) -> None:
    """The simulated agencies read the requests and answer (or not), with dates over the survey."""
    from pobi.sandbox.agencies import answer

    truth = answer(run.mail, run.agencies)
    run.ground_truth = truth
    if run.opts.now is None and truth.survey_end and truth.survey_end > run.end:
        run.end = truth.survey_end
    path = run.home / "sandbox" / "ground-truth.json"
    path.write_text(json.dumps(truth.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    counts = run.agencies.counts()
    table = Table(title="How the simulated agencies behave (calibrated on POBI 2019)")
    behaviours = sorted({b for row in counts.values() for b in row})
    table.add_column("agency")
    for b in behaviours:
        table.add_column(b, justify="right")
    for kind, row in sorted(counts.items()):
        table.add_row(kind, *(str(row.get(b, 0)) for b in behaviours))
    console.print(table)
    console.print(
        f"{len(truth.requests)} requests reached an agency; {len(truth.replies())} messages came "
        f"back. Ground truth: {path}"
    )


def step_coding(run: DemoRun) -> None:
    """A researcher codes what each human reply says; the sandbox supplies a simulated coding."""
    from pobi.sandbox.agencies import write_coding_file

    path = run.home / "sandbox" / "coding-SIMULATED.csv"
    n = write_coding_file(path, run.ground_truth)
    console.print(
        f"[yellow]Simulated coding[/yellow] of {n} human replies (from the sandbox's ground truth, labelled as such)."
    )
    run.pobi(
        "probe",
        "code",
        "--import",
        str(path),
        env={"POBI_NOW": run.end, "POBI_CODER": "simulated-researcher"},
    )
    # issue 17: two blind coders who disagree on some replies, and an adjudicator
    from pobi.sandbox.agencies import (
        SIMULATED_ADJUDICATOR,
        SIMULATED_CODERS,
        write_two_coder_files,
    )

    a, b, adj, disagree = write_two_coder_files(run.home / "sandbox" / "coders", run.ground_truth)
    env = {"POBI_NOW": run.end}
    for name in SIMULATED_CODERS:
        run.pobi("probe", "coders", "add", name, env=env)
    run.pobi("probe", "coders", "add", SIMULATED_ADJUDICATOR, "--adjudicator", env=env)
    for name, path in zip(SIMULATED_CODERS, (a, b), strict=True):
        run.pobi(
            "probe", "blind", "--round", "demo", "--coder", name, "--import", str(path), env=env
        )
    run.pobi("probe", "disagreements", "--round", "demo", env=env)
    run.pobi(
        "probe",
        "adjudicate",
        "--round",
        "demo",
        "--adjudicator",
        SIMULATED_ADJUDICATOR,
        "--import",
        str(adj),
        env=env,
    )
    console.print(
        f"[yellow]Two simulated coders[/yellow] coded the human replies blind and disagreed on "
        f"{disagree}; the simulated adjudicator settled them (codings.csv, agreement.csv)."
    )


def step_crawl(run: DemoRun) -> None:
    run.pobi(
        "crawl", "--round", "demo", "--sites", str(run.sites_csv), env={"POBI_NOW": SURVEY_START}
    )


def step_plan(run: DemoRun) -> None:
    run.pobi("probe", "plan", "--round", "demo", env={"POBI_NOW": SURVEY_START})


def step_send(run: DemoRun) -> None:
    run.pobi("probe", "send", "--round", "demo", "--send", "--yes", env={"POBI_NOW": SURVEY_START})


def step_collect(run: DemoRun) -> None:
    run.pobi("probe", "collect", "--round", "demo", env={"POBI_NOW": run.end})


def step_score(run: DemoRun) -> None:
    run.pobi("score", "--round", "demo", env={"POBI_NOW": run.end})


def step_export(run: DemoRun) -> None:
    run.exports = run.home / "exports" / "demo"
    run.pobi(
        "export",
        "--round",
        "demo",
        "--out",
        str(run.exports),
        "--format",
        "all",
        env={"POBI_NOW": run.end},
    )
    # the static report site (docs/publish.md): open <home>/site/demo/index.html
    run.pobi(
        "publish", "--round", "demo", "--out", str(run.home / "site" / "demo"), "--force",
        env={"POBI_NOW": run.end},
    )  # fmt: skip


def _rendering(run: DemoRun) -> dict[str, Any]:
    """Share of the crawled pages rendered in Chromium, by reason (pobi.sandbox.render_share)."""
    from pobi.config import load_config
    from pobi.sandbox.render_share import rendered_share
    from pobi.store import Store

    store = Store.open(load_config(run.home), migrate_schema=False)
    try:
        with store.session() as s:
            return rendered_share(s, "demo")
    finally:
        store.close()


def step_report(run: DemoRun) -> None:
    from pobi.sandbox.report import demo_report, print_report

    assert run.exports is not None and run.truth_csv is not None
    report = demo_report(
        run.exports, run.truth_csv, run.ground_truth, end=run.end, era=run.opts.era
    )
    from pobi.sandbox.doc_truth import compare_documents, read_documents

    report["documents"] = compare_documents(
        read_documents(run.exports / "documents.csv"), run.world.documents
    )
    report["timings_s"] = {k: round(v, 1) for k, v in run.timings.items()}
    report["rendering"] = _rendering(run)
    (run.home / "sandbox" / "demo-report.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    run.report = report
    print_report(console, report, home=run.home, exports=run.exports)


STEPS: list[tuple[str, Callable[[DemoRun], None]]] = [
    ("1. Registry and round", step_registry),
    ("2. The simulated world", step_world),
    ("3. Crawl portals and finance sites", step_crawl),
    ("4. Plan the information requests", step_plan),
    ("5. Send them (to the sandbox's mail server only)", step_send),
    ("6. The agencies answer — or don't", step_agencies),
    ("7. Collect replies over IMAP; match and classify", step_collect),
    ("8. Code the human replies", step_coding),
    ("9. Score", step_score),
    ("10. Export and publish the static site", step_export),
    ("11. Closing report: the tool checked against the simulation's truth", step_report),
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
    run = DemoRun(opts=opts, home=home, env=env, end=opts.now or SURVEY_END)
    console.print(
        Rule("[bold]pobi demo — a simulated country, offline / mô phỏng, không cần Internet")
    )
    console.print(f"Workspace: {home}")
    started = time.monotonic()
    try:
        for title, fn in STEPS:
            _step(run, title, fn)
    finally:
        _stop_world(run)  # the simulated web and mail servers, whatever happened
    run.timings["total"] = time.monotonic() - started
    console.print(Rule("[bold]Done"))
    console.print(f"Whole survey: {run.timings['total']:.0f} s. Workspace: {home}")
    if opts.dashboard:
        _dashboard(run)
    return run


def _stop_world(run: DemoRun) -> None:
    while run.cleanup:
        stop = run.cleanup.pop()
        try:
            stop()
        except Exception:  # best-effort shutdown of sandbox servers
            pass


def _dashboard(run: DemoRun) -> None:
    console.print(Rule("[bold]12. Dashboard"))
    console.print(
        f"Dashboard at [bold]http://127.0.0.1:{run.opts.port}[/bold] (Ctrl-C to stop). "
        f"To reopen it later: POBI_HOME={run.home} POBI_NOW={run.end} pobi dashboard --round demo"
    )
    cmd = [sys.executable, "-m", "pobi.cli", "dashboard", "--round", "demo"]
    proc = subprocess.Popen(
        [*cmd, "--port", str(run.opts.port)], env={**run.env, "POBI_NOW": run.end}
    )

    def _terminate(*_: object) -> None:
        raise KeyboardInterrupt

    # Ctrl-C and SIGTERM stop the dashboard, even when SIGINT was ignored at start
    previous = {sig: signal.signal(sig, _terminate) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        console.print("Dashboard stopped.")
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
