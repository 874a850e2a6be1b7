"""``pobi sites verify`` and ``pobi sites discover``: the registry checked against the live web."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from pobi.commands.common import console
from pobi.models import Era, SiteKind


def _load(sites: Path | None, era: Era | None) -> tuple[list, Era]:  # type: ignore[type-arg]
    """The sites to check and the era for rows that carry none (a user's file: --era or current)."""
    from pobi.errors import InputError
    from pobi.registry import REGISTRY_COLUMNS, read_sites_file, registry_sites

    if sites is None:
        chosen = registry_sites(era)
        return chosen, era or Era.CURRENT
    try:
        first = sites.read_text(encoding="utf-8-sig").split("\n", 1)[0].strip()
    except OSError as exc:
        raise InputError(f"Cannot read {sites}: {exc.strerror or exc}") from exc
    if first.split(",") == REGISTRY_COLUMNS:  # a file in the registry's own form
        return registry_sites(era, path=sites), era or Era.CURRENT
    from dataclasses import replace

    from pobi.registry import provinces

    current = {p.code for p in provinces(Era.CURRENT)}
    rows = []
    for s in read_sites_file(sites, era):  # rows may carry their era (a --write file)
        if s.era is None:  # else: --era, or the era the code exists in (current first)
            s = replace(s, era=era or (Era.CURRENT if s.province_code in current else Era.LEGACY))
        rows.append(s)
    return rows, era or Era.CURRENT


def sites_verify(
    era: Annotated[
        Era | None,
        typer.Option("--era", help="Check the registry's sites of this era (default: both)."),
    ] = None,
    sites: Annotated[
        Path | None,
        typer.Option(
            "--sites",
            help="Check your own file instead: province_code,site_kind,url [,era,source,"
            "verified_on,note] (a file written by --write is one); codes are read in --era, "
            "else in the era they exist in (current first).",
        ),
    ] = None,
    provinces: Annotated[
        str | None, typer.Option("--provinces", help="Only these codes, e.g. 01,79.")
    ] = None,
    kind: Annotated[
        SiteKind | None, typer.Option("--kind", help="Only portal or finance sites.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="The CSV report (default: sites-verify-YYYY-MM-DD.csv here)."),
    ] = None,
    write: Annotated[
        Path | None,
        typer.Option(
            "--write",
            help="Also write an updated sites file (province_code,site_kind,url then era,source,"
            "verified_on,note; pobi crawl --sites reads it): source=verified and "
            "verified_on for URLs seen to be the unit's site, the old value kept in note. "
            "Never the bundled data/sites.csv.",
        ),
    ] = None,
    per_host: Annotated[
        float,
        typer.Option(
            "--per-host", help="Seconds one host may take in all (robots, redirects, bodies)."
        ),
    ] = 30.0,
    workers: Annotated[int, typer.Option("--workers", help="Hosts checked at once.")] = 8,
) -> None:
    """Check site URLs on the live web before a round. Kiểm tra địa chỉ các trang trước mỗi đợt.

    Per URL: DNS, connection, TLS (an untrusted certificate is reported, the page still read),
    HTTP status, redirects and final host, page title, and whether the page names the unit under
    either era's name ("Sở Tài chính" too for finance sites). Verdicts: ok, moved,
    redirects_to_successor, wrong_site, unreachable, timeout, tls_error, blocked, http_error,
    redirect_loop, garbage. Polite: robots.txt, one request per host at a time.

    Offline every host is reported unreachable and the command ends normally. Names can be
    mapped to addresses without DNS with POBI_HOSTS_FILE (hosts-file format).
    """
    from pobi.commands.common import workspace
    from pobi.errors import InputError
    from pobi.hostmap import Resolver
    from pobi.registry import parse_codes
    from pobi.sitecheck import targets_for, updated_rows, verify, write_report, write_sites

    chosen, default_era = _load(sites, era)
    if provinces:
        from pobi.errors import NotFoundError

        codes: set[str] = set()
        for e in [era] if era else list(Era):
            try:
                codes |= set(parse_codes(provinces, e))
            except NotFoundError:
                if era:
                    raise
        chosen = [s for s in chosen if s.province_code in codes]
    if kind:
        chosen = [s for s in chosen if s.site_kind == kind]
    if not chosen:
        raise InputError("Nothing to check: no site matches.")
    if write is not None:
        from pobi.config import data_dir

        bundled = (data_dir() / "sites.csv").resolve()
        if write.resolve() == bundled:
            raise InputError(
                f"--write {write}: that is the bundled registry; write a new file and review it.",
                hint="e.g. --write sites-verified.csv, then pass it to pobi crawl --sites.",
            )
    targets = targets_for(chosen, default_era)
    resolver = Resolver.from_environment()
    cfg = workspace().config
    from pobi import __version__

    agent = cfg.crawl.user_agent.format(version=__version__, contact=cfg.crawl.contact)
    out = out or Path(f"sites-verify-{date.today().isoformat()}.csv")
    progress = Progress(
        TextColumn("[bold]Verify[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("URLs · {task.fields[last]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    with progress:
        task = progress.add_task("verify", total=len(targets), last="")

        def seen(r) -> None:  # type: ignore[no-untyped-def]
            progress.update(task, advance=1, last=f"{r.url} {r.verdict}")

        results = verify(
            targets,
            resolver=resolver,
            user_agent=agent,
            per_host=per_host,
            workers=workers,
            delay=cfg.crawl.download_delay,  # the crawl's pause between two requests to a host
            on_result=seen,
        )
    with out.open("w", encoding="utf-8", newline="") as fh:
        write_report(results, fh)
    counts = Counter(r.verdict for r in results)
    table = Table(title=f"{len(results)} URLs checked")
    table.add_column("verdict")
    table.add_column("URLs", justify="right")
    for verdict, n in counts.most_common():
        table.add_row(verdict, str(n))
    console.print(table)
    console.print(f"Report: {out}")
    if write is not None:
        rows = updated_rows(targets, results, date.today())
        write_sites(rows, write)
        verified = sum(1 for r in rows if r[4] == "verified")
        console.print(
            f"Updated sites file: {write} ({verified} of {len(rows)} rows verified). "
            f"Crawl with it: pobi crawl --round R --sites {write}"
        )
    if counts.get("unreachable", 0) == len(results):
        console.print(
            "[yellow]Every host is unreachable: is this machine offline?[/yellow]", highlight=False
        )
    sys.stdout.flush()


def sites_discover(
    from_url: Annotated[
        str,
        typer.Option(
            "--from",
            help="A directory page: the national portal's list of local portals, or a "
            "province's list of departments ('Liên kết website').",
        ),
    ],
    era: Annotated[
        Era, typer.Option("--era", help="Match names against this era's units.")
    ] = Era.CURRENT,
    province: Annotated[
        str | None,
        typer.Option(
            "--province",
            help="The page is this province's own list: its 'Sở Tài chính' link is its finance site.",
        ),
    ] = None,
    others: Annotated[
        bool,
        typer.Option("--all", help="With --province: list the other departments too (kind other)."),
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the candidates here (default: print).")
    ] = None,
    per_host: Annotated[float, typer.Option("--per-host", help="Seconds for the page.")] = 30.0,
) -> None:
    """Candidate site rows from a directory page. Tìm địa chỉ trang từ trang danh bạ liên kết.

    Each link to another host whose label (or host) names a unit of the era becomes a row:
    province_code,site_kind,url then label, found_on, registry_url, same_as_registry. The first
    three columns make it a sites file: review it, then check it with
    pobi sites verify --sites FILE and crawl with pobi crawl --sites FILE.
    Example: pobi sites discover --from https://chinhphu.vn/... --era current --out candidates.csv
    """
    import time

    from pobi.commands.common import workspace
    from pobi.directory import discover, write_candidates
    from pobi.errors import ExternalServiceError, InputError
    from pobi.hostmap import Resolver
    from pobi.registry import province as province_of
    from pobi.sitecheck import Failure, Session

    if urlsplit_scheme(from_url) not in ("http", "https"):
        raise InputError(f"--from {from_url!r}: give an http:// or https:// URL")
    code = province_of(era, province).code if province else ""
    if others and not code:
        raise InputError("--all needs --province (the page is that province's list).")
    cfg = workspace().config
    from pobi import __version__

    agent = cfg.crawl.user_agent.format(version=__version__, contact=cfg.crawl.contact)
    import threading

    session = Session(
        Resolver.from_environment(), agent, time.monotonic() + per_host, {}, threading.Lock()
    )
    try:
        rows, final = discover(session, from_url, era, code, others)
    except Failure as exc:
        raise ExternalServiceError(
            f"Cannot read {from_url}: {exc.verdict.value}: {exc.detail}",
            hint="Offline? This command needs the live web (or POBI_HOSTS_FILE for a local copy).",
        ) from exc
    if out is None:
        write_candidates(rows, sys.stdout)
    else:
        with out.open("w", encoding="utf-8", newline="") as fh:
            write_candidates(rows, fh)
        kinds = Counter(r["site_kind"] for r in rows)
        differ = sum(1 for r in rows if r["same_as_registry"] == "no")
        console.print(
            f"{len(rows)} candidates from {final} "
            f"({', '.join(f'{n} {k}' for k, n in sorted(kinds.items())) or 'none'}); "
            f"{differ} differ from the registry. Written to {out}."
        )


def urlsplit_scheme(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).scheme
