"""`pobi probe plan | send | collect`: the sending half of probes.

The probes stage is imported inside each command (DESIGN.md §3).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from pobi.commands.common import console, err_console, interactive, workspace

RoundOpt = Annotated[str, typer.Option("--round", "-r", help="Survey round id, e.g. 2026.")]


def register(probe_app: typer.Typer) -> None:
    probe_app.command("plan")(plan_cmd)
    probe_app.command("send")(send_cmd)
    probe_app.command("collect")(collect_cmd)
    probe_app.command("requeue")(requeue_cmd)


def plan_cmd(
    round_id: RoundOpt,
    targets: Annotated[
        Path | None,
        typer.Option(
            "--targets",
            help="CSV with header province_code,recipient[,reason]: your own recipients, "
            "overriding the crawl's for those provinces. Bad rows are named by line.",
        ),
    ] = None,
) -> None:
    """Choose who receives the round's information request, and show why. Sends nothing.

    Chọn nơi nhận yêu cầu cung cấp thông tin cho từng tỉnh (không gửi gì).

    From the round's crawl findings (e-mail addresses; those only in images and those rejected
    in review are skipped): the Department of Finance's address first, else the provincial
    portal's contact address. A targets file overrides both. Re-running is safe: the plan is
    rewritten as drafts, and requests already queued or sent are never touched.

    Example: pobi probe plan --round 2026 --targets my-targets.csv
    """
    from probes.plan import plan_round

    ws = workspace()
    with ws.store.session() as s:
        result = plan_round(s, round_id, targets_file=targets, template=ws.config.probes.template)
    table = Table(title=f"Plan for round {round_id}: {len(result.targets)} recipients")
    for col in ("province", "recipient", "kind", "why"):
        table.add_column(col, overflow="fold")
    for t in result.targets:
        table.add_row(
            f"{t.province_code} {result.names.get(t.province_code, '')}",
            t.recipient,
            t.kind.value,
            escape(t.reason),
        )
    console.print(table)
    console.print(
        f"Drafts added: {result.added}; removed (no longer planned): {result.removed}; "
        f"already queued or sent (untouched): {result.kept}."
    )
    if result.unreached:
        console.print(
            f"[yellow]{len(result.unreached)} provinces have no recipient "
            f"(không tìm thấy địa chỉ nhận):[/yellow] "
            + ", ".join(f"{c} {n}" for c, n in result.unreached)
        )
        console.print("Add them with --targets FILE.csv if you know an address.")
    console.print(
        "Next: pobi probe send --round " + round_id + "  (writes previews, sends nothing)"
    )


def send_cmd(
    round_id: RoundOpt,
    send: Annotated[
        bool,
        typer.Option(
            "--send", help="Really send (after a typed confirmation). Without it: previews only."
        ),
    ] = False,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            help="Skip the confirmation (for scripts). Requests whose fate is unclear after a "
            "crash are then left in 'sending' and reported, never re-sent.",
        ),
    ] = False,
    ask: Annotated[
        Path | None,
        typer.Option(
            "--ask",
            help="TOML file with the information to ask for (purpose_vi, purpose_en, [[item]] "
            "vi/en). Saved for the round's later runs. Default: probes/templates/default-ask.toml.",
        ),
    ] = None,
    trust_sent_folder: Annotated[
        bool,
        typer.Option(
            "--trust-sent-folder",
            help="Declare that your server files every accepted message in the Sent folder at "
            "once (Gmail, Exchange, the sandbox): a crashed request missing from it is sent again.",
        ),
    ] = False,
) -> None:
    """Write the requests as .eml previews, or send them with --send (exactly once).

    Xem trước (.eml) hoặc gửi yêu cầu (--send), mỗi nơi nhận đúng một lần.

    Without --send: writes $POBI_HOME/outbox/ROUND/NNNN-CODE.eml for every request still to send
    and sends nothing. With --send: fixes each message's bytes and Message-ID, asks you to type
    the number of recipients, and submits them over SMTP ([smtp] settings; password only from
    POBI_SMTP_PASSWORD), rate limited, retrying 4xx answers with backoff. Only the round's
    planned recipients (pobi probe plan) can receive anything. A request left in 'sending' by a
    crash is looked up in the Sent folder over IMAP before anything else happens.

    Example: pobi probe send --round 2026 ; pobi probe send --round 2026 --send
    """
    from probes.outbox import (
        Composer,
        queue_request,
        reconcile,
        refresh_unsent,
        resolve,
        round_ask,
        send_queued,
        sendable,
        write_previews,
    )
    from probes.template import require_requester

    ws = workspace()
    cfg = ws.config
    require_requester(cfg.requester)
    ask_obj = round_ask(cfg, round_id, ask)
    with ws.store.session() as s:
        composer = Composer.for_round(s, cfg, round_id, ask_obj)
        todo = sendable(s, round_id)
        if not send:
            paths = write_previews(s, ws.evidence, composer, cfg, round_id)
            s.rollback()
    if not send:
        if not paths:
            console.print(f"No request of round {round_id} is waiting to be sent.")
            return
        console.print(
            f"Wrote {len(paths)} previews to {paths[0].parent} (nothing was sent; "
            "không có thư nào được gửi)."
        )
        console.print(f"Review them, then: pobi probe send --round {round_id} --send")
        return

    from probes.smtp import Submission

    Submission(cfg.smtp, cfg.secret("smtp_password"))  # checks host, security, password first
    if not yes and not interactive():
        from pobi.errors import InputError

        raise InputError(
            "Refusing to send without a terminal to confirm on.",
            hint="Run it in a terminal, or add --yes in scripts.",
        )
    # 1. Reconcile anything a crash left in 'sending' (sends nothing).
    rec = reconcile(ws.store, cfg, round_id, trust_sent_folder=trust_sent_folder)
    for rid in rec.found_sent:
        console.print(f"{rid}: found in the Sent folder -> sent")
    for rid in rec.requeued:
        console.print(f"{rid}: had not been sent -> queued again")
    for u in rec.unresolved:
        console.print(
            f"[yellow]{u.request_id} to {u.recipient}: unclear whether it was sent "
            f"({escape(u.reason)}).[/yellow]"
        )
        if yes or not interactive():
            continue
        choice = typer.prompt(
            "  Was it sent? Type 'sent' (mark as sent), 'resend' (send again) or 'leave'",
            default="leave",
        ).strip()
        if choice in ("sent", "resend"):
            resolve(ws.store, u.request_id, choice)
    with ws.store.session() as s:
        todo = sendable(s, round_id)
        n = len(todo)
        recipients = sorted({r.recipient for r in todo})
    if n == 0:
        console.print(f"Nothing to send for round {round_id}.")
        _report_left(ws, round_id)
        return
    if not yes:
        console.print(
            f"About to send {n} information requests to {len(recipients)} recipients "
            f"(sắp gửi {n} yêu cầu tới {len(recipients)} địa chỉ) via {cfg.smtp.host}:{cfg.smtp.port}."
        )
        typed = typer.prompt(f"Type the number of recipients ({len(recipients)}) to confirm")
        if typed.strip() != str(len(recipients)):
            from pobi.errors import Aborted

            raise Aborted("Not confirmed; nothing was sent (không gửi).")
    # 2. Fix bytes and Message-IDs (committed) before any connection.
    with ws.store.session() as s:
        for req in sendable(s, round_id):
            if refresh_unsent(s, ws.evidence, composer, req):
                console.print(f"{req.id}: reply address changed since it was queued; rebuilt")
            if req.state != "queued":
                queue_request(s, ws.evidence, composer, req)
            s.commit()
    # 3. Submit.
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task(f"Sending round {round_id}", total=n)

        def tick(rid: str, outcome: str) -> None:
            progress.update(task, advance=1, description=f"{rid}: {outcome}")

        report = asyncio.run(send_queued(ws.store, cfg, ws.evidence, round_id, on_progress=tick))
    console.print(
        f"Sent {len(report.sent)}; rejected {len(report.rejected)}; failed after retries "
        f"{len(report.failed)}; unclear {len(report.unknown)}."
    )
    for rid, why in report.rejected:
        console.print(f"[red]{rid} rejected:[/red] {escape(why)}")
    for rid, why in report.failed:
        console.print(f"[yellow]{rid} failed (will be retried next run):[/yellow] {escape(why)}")
    if report.unknown:
        rec = reconcile(ws.store, cfg, round_id, trust_sent_folder=False)
        for rid in rec.found_sent:
            console.print(f"{rid}: connection broke, but the Sent folder has it -> sent")
    _report_left(ws, round_id)


def _report_left(ws, round_id: str) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from pobi.store.tables import ProbeRequest

    with ws.store.session() as s:
        stuck = list(
            s.scalars(
                select(ProbeRequest).where(
                    ProbeRequest.round_id == round_id, ProbeRequest.state == "sending"
                )
            )
        )
    for r in stuck:
        err_console.print(
            f"[yellow]{r.id} to {r.recipient} is still 'sending': pobi does not know whether the "
            "server took it, and will not send it again blindly. Check your Sent folder, then "
            f"run pobi probe send --round {round_id} --send in a terminal to decide.[/yellow]"
        )


def collect_cmd(round_id: RoundOpt) -> None:
    """Read replies from the mailbox over IMAP into the store (only new messages).

    Thu thập thư trả lời qua IMAP (chỉ thư mới).

    Reads INBOX and the folders in [imap] folders (Junk/Spam included; a folder the account does
    not have is skipped with a note), from where the last run stopped (UIDVALIDITY + UID). Each
    message's exact bytes are stored as evidence, classified (bounce / auto_reply / human) and
    matched to a request. Password only from POBI_IMAP_PASSWORD. Safe to interrupt and re-run.

    Example: pobi probe collect --round 2026
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from probes.collect import collect

    ws = workspace()
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
    ) as progress:
        tasks: dict[str, int] = {}

        def on_folder(folder: str, count: int) -> None:
            tasks[folder] = progress.add_task(f"{folder}", total=count)

        def on_message(folder: str, uid: int) -> None:
            progress.update(tasks[folder], advance=1)

        report = collect(
            ws.store, ws.evidence, ws.config, round_id, on_folder=on_folder, on_message=on_message
        )
    for folder in report.skipped_folders:
        console.print(f"Note: the account has no folder {folder!r}; skipped.")
    for folder, old, new in report.rescanned:
        console.print(
            f"Note: {folder} changed UIDVALIDITY ({old} -> {new}); rescanned it, duplicates dropped."
        )
    console.print(
        f"{report.account}: {report.new} new messages, {report.duplicates} already stored."
    )
    if report.new:
        table = Table(title="New messages")
        table.add_column("by kind")
        table.add_column("n", justify="right")
        for kind, count in sorted(report.kinds.items()):
            table.add_row(kind, str(count))
        console.print(table)
        table = Table(title="By match method")
        table.add_column("method")
        table.add_column("n", justify="right")
        for method, count in sorted(report.methods.items()):
            table.add_row(method, str(count))
        console.print(table)
    if report.methods.get("unmatched"):
        console.print(
            "Unmatched messages wait in the holding pen: pobi probe holding --round " + round_id
        )


def requeue_cmd(
    request_id: Annotated[str, typer.Argument(help="The rejected request's id (probe show).")],
    reason: Annotated[
        str,
        typer.Option(
            "--reason",
            help="Why it may now be accepted (journaled), e.g. 'the server's policy block was "
            "lifted'.",
        ),
    ],
) -> None:
    """Queue a rejected request again; the next `probe send --send` sends the same bytes.

    Xếp lại hàng đợi một yêu cầu đã bị máy chủ từ chối (5xx); lần gửi sau gửi đúng thư cũ.

    A 5xx answer means the server did not take the message, so sending it again cannot make a
    second copy. pobi never does this on its own: a rejection is usually final (no such mailbox,
    policy). Use it when the cause is fixed, and say so with --reason.

    Example: pobi probe requeue r2026-0042 --reason "Sở TC confirmed the address works again"
    """
    from probes.outbox import requeue_rejected

    ws = workspace()
    req = requeue_rejected(ws.store, request_id, reason)
    console.print(
        f"Request {req.id} to {req.recipient} is queued again (same Message-ID {req.message_id}). "
        f"Send it with: pobi probe send --round {req.round_id} --send"
    )
