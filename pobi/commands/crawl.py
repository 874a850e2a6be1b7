"""`pobi crawl`: find every province's channels on its portal and Department of Finance site.

The crawl itself runs in a child process (``python -m crawler.run``; Scrapy's reactor cannot
restart); this command prepares the job, supervises the child, shows its progress and prints the
summary. The ``crawler`` stage is imported only inside the command function.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Group
from rich.live import Live
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from pobi.commands.common import console, err_console, workspace
from pobi.models import RenderMode

STATUS_STYLE = {"ok": "green", "": "dim"}


def register(app: typer.Typer) -> None:
    app.command("crawl")(crawl_cmd)


def crawl_cmd(
    round_id: Annotated[str, typer.Option("--round", help="The survey round (pobi round create).")],
    action: Annotated[
        str | None,
        typer.Argument(
            metavar="[fixture]",
            help="'fixture': turn the archived pages of one crawled site (--site URL) into test "
            "fixtures in --out DIR, each with a ground-truth stub to fill in.",
            show_default=False,
        ),
    ] = None,
    site_url: Annotated[
        str | None,
        typer.Option("--site", help="With 'fixture': the crawled site's URL (as in the round)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="With 'fixture': the folder to write the fixtures to."),
    ] = None,
    provinces: Annotated[
        str | None,
        typer.Option(
            "--provinces",
            help="Only these province codes, e.g. '01,79' (codes of the round's era).",
        ),
    ] = None,
    sites: Annotated[
        Path | None,
        typer.Option(
            "--sites",
            help="Your own site list: CSV with header province_code,site_kind,url "
            "(site_kind: portal|finance|other). Default: the registry sites of the round's era.",
        ),
    ] = None,
    render: Annotated[
        RenderMode,
        typer.Option(
            "--render",
            help="auto: render in Chromium only pages that need it (script-built pages, menus, "
            "e-mails); always: every page; never: static only (flags sites that needed a browser).",
        ),
    ] = RenderMode.AUTO,
    max_pages: Annotated[
        int | None,
        typer.Option(
            "--max-pages", min=1, help="Page budget per site (default [crawl] max_pages)."
        ),
    ] = None,
    max_depth: Annotated[
        int | None,
        typer.Option("--max-depth", min=0, help="Link depth limit (default [crawl] max_depth)."),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Continue an interrupted crawl of this round: pages already stored are read "
            "back from their archived evidence, not fetched again.",
        ),
    ] = False,
    retry_failed: Annotated[
        bool,
        typer.Option(
            "--retry-failed",
            help="With --resume: fetch again the pages that failed for a reason that may pass "
            "(timeout, refused connection, DNS failure, network error, HTTP 5xx); the rest is "
            "still read back from the archive.",
        ),
    ] = False,
    distributed: Annotated[
        str | None,
        typer.Option(
            "--distributed",
            metavar="redis://HOST[:PORT][/DB]",
            help="Share the round's sites with other crawl processes (this or other machines) "
            "started with the same command, through this Redis server. See docs/crawl-distributed.md.",
        ),
    ] = None,
) -> None:
    """Crawl portals and Department of Finance sites and record their citizen channels.

    Thu thập kênh tiếp nhận câu hỏi của người dân (Hỏi đáp, e-mail, đường dây nóng, góp ý,
    tiếp cận thông tin, Facebook/Zalo/YouTube) trên cổng thông tin và trang Sở Tài chính.

    Polite by default: robots.txt obeyed, one host at a time at [crawl] download_delay seconds,
    a User-Agent naming pobi and your [crawl] contact. Every page is archived as WARC evidence;
    pages behind a finding get a screenshot. Dead sites are reported, never fatal.

    Examples:

      pobi crawl --round 2026
      pobi crawl --round 2026 --provinces 01,79 --render never
      pobi crawl --round 2026 --sites my-sites.csv --max-pages 30
      pobi crawl --round 2026 --resume      # after an interruption
      pobi crawl --round 2026 --resume --retry-failed   # and retry pages that timed out
      pobi crawl --round 2026 --distributed redis://10.0.0.5:6379/0   # on each machine
      pobi crawl fixture --round 2026 --site https://stc.tinh.gov.vn/ --out tests/crawler/checks/pages
    """
    if action is not None:
        _fixture_cmd(action, round_id, site_url, out)
        return
    from crawler.job import Job, Target, job_dir
    from pobi.registry import parse_codes, read_sites_file, registry_sites
    from pobi.rounds import get_round

    if distributed is not None:
        from crawler.distributed import check_url
        from pobi.errors import InputError

        check_url(distributed)
        if resume:
            raise InputError(
                "--resume cannot be combined with --distributed.",
                hint=f"Finish an interrupted distributed crawl with: pobi crawl --round {round_id} "
                "--resume (one process replays what was stored and fetches the rest).",
            )
    if retry_failed and not resume:
        from pobi.errors import InputError

        raise InputError(
            "--retry-failed only applies to a resumed crawl.",
            hint=f"Use: pobi crawl --round {round_id} --resume --retry-failed",
        )
    ws = workspace()
    with ws.store.session() as s:
        era = get_round(s, round_id).era
    if sites is not None:
        chosen = read_sites_file(sites, era)
        source = str(sites)
    else:
        chosen = registry_sites(era)
        source = "registry"
    if provinces:
        codes = set(parse_codes(provinces, era))
        chosen = [site for site in chosen if site.province_code in codes]
    if not chosen:
        from pobi.errors import InputError

        raise InputError("Nothing to crawl: no site matches the given provinces.")
    targets = [Target(x.province_code, x.site_kind.value, x.url, source) for x in chosen]
    reference: dict[str, list[str]] = {}
    if sites is not None:
        for t in targets:
            if t.site_kind == "finance":
                reference.setdefault(t.province_code, [t.url, str(sites)])
    for reg in registry_sites(era):
        if reg.site_kind.value == "finance":
            reference.setdefault(reg.province_code, [reg.url, "registry"])
    job = Job(
        round_id=round_id,
        era=era,
        targets=targets,
        render=render.value,
        max_pages=max_pages,
        max_depth=max_depth,
        resume=resume,
        retry_failed=retry_failed,
        finance_reference=reference,
        distributed=distributed or "",
    )
    folder = job_dir(ws.config.home, round_id)
    if distributed:  # each process of a distributed crawl has its own job folder, log and lock
        import socket

        folder = folder / f"distributed-{socket.gethostname()}-{os.getpid()}"
        folder.mkdir(parents=True, exist_ok=True)
    job_path = folder / "job.json"
    job_path.write_text(job.to_json(), encoding="utf-8")
    _supervise(job_path, folder, len(targets))
    _summary(ws, round_id, targets)


def _supervise(job_path: Path, folder: Path, total: int) -> None:
    from pobi.errors import ExternalServiceError, PobiError

    stderr_path = folder / "stderr.log"
    sites: dict[int, dict[str, Any]] = {}
    begin: dict[str, Any] = {}
    end: dict[str, Any] = {}
    error: dict[str, Any] = {}
    progress = Progress(
        TextColumn("[bold]Crawl[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("sites · {task.fields[pages]} pages · {task.fields[findings]} findings"),
        TimeElapsedColumn(),
        console=console,
    )
    task = progress.add_task("crawl", total=total, pages=0, findings=0)

    def active_table() -> Table:
        table = Table(box=None, show_header=True, header_style="bold")
        for col in ("site", "status", "pages", "rendered", "findings", "queued"):
            table.add_column(col)
        active = [s for s in sites.values() if s["phase"] != "done"][:12]
        for s in active:
            table.add_row(
                f"{s['province_code']} {s['site_kind']} {s['url']}",
                s["status"] or "…",
                str(s["pages"]),
                str(s["rendered"]),
                str(s["findings"]),
                str(s["queued"]),
            )
        return table

    # POBI_CRAWL_PARENT: the child stops within a second when this process dies (crawler.lifeline)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "POBI_CRAWL_PARENT": str(os.getpid())}
    with stderr_path.open("ab") as errf:
        child = subprocess.Popen(
            [sys.executable, "-m", "crawler.run", str(job_path)],
            stdout=subprocess.PIPE,
            stderr=errf,
            env=env,
            text=True,
            encoding="utf-8",
        )
        assert child.stdout is not None
        last = 0.0
        try:
            with Live(Group(progress, active_table()), console=console, transient=True) as live:
                for line in child.stdout:
                    try:
                        event = json.loads(line)
                    except ValueError:
                        continue
                    kind = event.get("event")
                    if kind == "site":
                        sites[event["id"]] = event
                    elif kind == "begin":
                        begin = event
                    elif kind == "end":
                        end = event
                    elif kind == "error":
                        error = event
                    done = sum(1 for s in sites.values() if s["phase"] == "done")
                    progress.update(
                        task,
                        total=max(total, len(sites)),  # discovered finance sites join the crawl
                        completed=done,
                        pages=sum(s["pages"] for s in sites.values()),
                        findings=sum(s["findings"] for s in sites.values()),
                    )
                    if time.monotonic() - last > 0.2 or kind != "site":
                        live.update(Group(progress, active_table()))
                        last = time.monotonic()
            code = child.wait()
        except KeyboardInterrupt:
            child.wait()
            raise PobiError(
                "Crawl interrupted; what was fetched is stored.",
                hint=f"Continue with: pobi crawl --round {json.loads(job_path.read_text())['round_id']} --resume",
            ) from None
    if begin:
        if begin.get("browser"):
            console.print(f"Browser: {begin.get('browser_note')}")
        else:
            console.print(
                f"[yellow]No browser: {begin.get('browser_note')}. Pages that need JavaScript were "
                "read statically; their sites are marked under-reported.[/yellow]"
            )
    if error:
        exc = PobiError(error.get("message", "crawl failed"), hint=error.get("hint") or None)
        exc.exit_code = int(error.get("code", 1))
        raise exc
    if code != 0 or not end:
        tail = _tail(folder / "crawl.log") + _tail(stderr_path)
        round_id = json.loads(job_path.read_text())["round_id"]
        raise ExternalServiceError(
            f"The crawl process stopped (exit code {code}) before finishing.\n{tail}",
            hint=f"Logs: {folder}. Continue with: pobi crawl --round {round_id} --resume",
        )
    console.print(
        f"Crawled in {end.get('elapsed', 0):.1f} s (engine {end.get('engine', 0):.1f} s): "
        f"{end.get('requests', 0)} requests, "
        f"{end.get('rendered_requests', 0)} browser navigations."
    )
    if end.get("documents"):
        console.print(
            f"Budget documents / tài liệu ngân sách: {end['documents']} downloaded or flagged "
            f"(pobi export → documents.csv)."
        )
    if begin.get("distributed"):
        console.print(
            f"Distributed ({begin['distributed']}): this process crawled "
            f"{end.get('sites_crawled', 0)} of {total} sites"
            + (" and seeded the shared queue" if begin.get("seeder") else "")
            + "; other processes may still be crawling the rest."
        )
    if end.get("internal_errors"):
        err_console.print(
            f"[yellow]{end['internal_errors']} page(s) hit an internal error; "
            f"see {folder / 'crawl.log'}[/yellow]"
        )
    if end.get("check_errors"):
        err_console.print(
            f"[yellow]{end['check_errors']} page check(s) failed; see {folder / 'crawl.log'}[/yellow]"
        )


def _tail(path: Path, lines: int = 8) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(text[-lines:]) + ("\n" if text else "")


def _summary(ws: Any, round_id: str, targets: list[Any]) -> None:
    from sqlalchemy import select

    from pobi.store.tables import CrawlSite

    wanted = {(t.province_code, t.site_kind, t.url) for t in targets}
    with ws.store.session() as s:
        rows = [
            r
            for r in s.scalars(
                select(CrawlSite)
                .where(CrawlSite.round_id == round_id)
                .order_by(CrawlSite.province_code, CrawlSite.site_kind, CrawlSite.url)
            )
            if (r.province_code, r.site_kind, r.url) in wanted
            or (r.source == "discovered" and r.started_at is not None)
        ]
        from pobi.store.tables import Finding

        found: dict[int, int] = {}
        for f in s.scalars(select(Finding.site_id).where(Finding.round_id == round_id)):
            found[f] = found.get(f, 0) + 1
    table = Table(title=f"Crawl of round {round_id}: {len(rows)} sites")
    for col in ("prov.", "kind", "url", "final url", "status", "pages", "rendered", "findings"):
        table.add_column(col, overflow="fold")
    under = []
    for r in rows:
        final = r.final_url if r.final_url and r.final_url.rstrip("/") != r.url.rstrip("/") else ""
        style = "green" if r.fetch_status == "ok" else "red"
        table.add_row(
            r.province_code,
            r.site_kind,
            r.url,
            final,
            f"[{style}]{r.fetch_status or '?'}[/{style}]",
            str(r.pages_fetched),
            str(r.pages_rendered),
            str(found.get(r.id, 0)),
        )
        if r.under_reported:
            under.append(r)
    console.print(table)
    for r in rows:
        if r.source == "discovered":
            console.print(
                f"Discovered: {r.province_code} finance site {r.url} (named by the portal's link "
                "directory, not the registry): crawled too; see finance_sites.csv in the export."
            )
    ok = sum(1 for r in rows if r.fetch_status == "ok")
    console.print(
        f"{ok} of {len(rows)} sites reachable; {sum(found.get(r.id, 0) for r in rows)} findings. "
        f"Export: pobi export --round {round_id} --out DIR"
    )
    for r in under:
        console.print(f"[yellow]Under-reported: {r.url}: {r.note}[/yellow]")


def _fixture_cmd(action: str, round_id: str, site_url: str | None, out: Path | None) -> None:
    """`pobi crawl fixture`: archived pages of one crawled site -> fixtures with a stub."""
    from pobi.errors import InputError

    if action != "fixture":
        raise InputError(
            f"Unknown crawl action {action!r}.",
            hint="Use: pobi crawl --round R  or  pobi crawl fixture --round R --site URL --out DIR",
        )
    if not site_url or out is None:
        raise InputError(
            "pobi crawl fixture needs --site URL and --out DIR.",
            hint="e.g. pobi crawl fixture --round 2026 --site https://stc.tinh.gov.vn/ --out fx/",
        )
    from crawler.fixture import export
    from pobi.rounds import get_round

    ws = workspace()
    with ws.store.session() as s:
        get_round(s, round_id)
    written = export(ws.store, ws.evidence, round_id, site_url, out)
    table = Table(title=f"Fixtures from {site_url} (round {round_id}): {len(written)} page(s)")
    for col in ("page", "fixture", "findings now"):
        table.add_column(col, overflow="fold")
    for w in written:
        table.add_row(w.url, w.html.name, str(w.found))
    console.print(table)
    console.print(
        f"Written to {out}. Each .json holds a ground-truth stub: correct 'expected', name the "
        "quirk, check the licence, delete 'stub' — the page tests refuse a fixture that still "
        "has it. / Mỗi tệp .json là bản nháp: hãy sửa 'expected', rồi xoá khoá 'stub'."
    )
