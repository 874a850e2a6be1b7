"""`pobi publish`: a round as a static report site (stage: scoring, imported inside the command)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from pobi.commands.common import console, workspace


def register(app: typer.Typer) -> None:
    app.command("publish")(publish_cmd)


def publish_cmd(
    round_id: Annotated[str, typer.Option("--round", "-r", help="Survey round id, e.g. 2026.")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the site (created; must be empty).")
    ],
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            help="Languages, comma-separated; the first is the site's root, the others live "
            "in a sub-folder (en/).",
        ),
    ] = "vi,en",
    force: Annotated[
        bool, typer.Option("--force", help="Replace the content of a non-empty --out folder.")
    ] = False,
    base_url: Annotated[
        str,
        typer.Option(
            "--base-url",
            help="Where you will host the site (https://…): each finding then also links to its "
            "archived page replayed by ReplayWeb.page from the hosted WACZ.",
        ),
    ] = "",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Judge deadlines as of this ISO date-time (default: when the round was last "
            "scored, so re-publishing gives identical files).",
        ),
    ] = None,
) -> None:
    """Publish a scored round as a static site: HTML, CSS and a little JavaScript that work from
    file:// and any static host, nothing fetched from outside. index.html (headline rates with
    Wilson intervals, the map, the ranking), a page per province (indicators, evidence with the
    archived page and its screenshot, replies' aggregates), methodology, downloads (the exports
    in public mode, the data package and a WACZ web archive that ReplayWeb.page or pywb opens).

    Xuất bản kết quả một đợt thành trang web tĩnh (tiếng Việt và tiếng Anh), không cần máy chủ.
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from pobi.clock import VN_TZ
    from pobi.errors import InputError
    from scoring.site.build import parse_langs, publish_round

    langs = parse_langs(lang)
    at = None
    if as_of:
        try:
            at = datetime.fromisoformat(as_of)
        except ValueError as exc:
            raise InputError(f"--as-of {as_of!r} is not an ISO 8601 date or date-time") from exc
        if at.tzinfo is None:
            at = at.replace(tzinfo=VN_TZ)
    ws = workspace()
    with (
        ws.store.session() as s,
        Progress(
            SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True
        ) as bar,
    ):
        task = bar.add_task("Publishing")
        result = publish_round(
            s,
            round_id,
            out,
            ws.config,
            ws.evidence,
            langs=langs,
            force=force,
            at=at,
            base_url=base_url,
            progress=lambda name: bar.update(task, description=f"Publishing: {name}"),
        )
    console.print(
        f"Round {round_id} published to {result.out_dir}: {result.pages} pages "
        f"({', '.join(result.langs)}), {result.files} files, {result.bytes / 1e6:.1f} MB; "
        f"{result.archived_pages} archived pages in the WACZ."
    )
    if result.unreadable:
        console.print(
            f"[yellow]{len(result.unreadable)} evidence files are recorded but missing or "
            "corrupt; they are left out (run pobi evidence verify).[/yellow]"
        )
    console.print(f"Open {result.out_dir / 'index.html'} in a browser.")
