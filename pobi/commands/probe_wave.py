"""`pobi probe remind`: reminder waves to requests still without a human reply (issue 17).

The probes stage is imported inside the command (DESIGN.md §3).
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.markup import escape

from pobi.commands.common import console, interactive, workspace

RoundOpt = Annotated[str, typer.Option("--round", "-r", help="Survey round id, e.g. 2026.")]


def register(probe_app: typer.Typer) -> None:
    probe_app.command("remind")(remind_cmd)


def remind_cmd(
    round_id: RoundOpt,
    after: Annotated[
        int,
        typer.Option(
            "--after",
            help="Remind only when at least this many Vietnamese working days passed since the "
            "request's last letter (Tết and public holidays excluded).",
        ),
    ],
    wave: Annotated[
        int,
        typer.Option(
            "--wave",
            help="Which reminder: 2 = the first reminder (wave 1 is the request), 3 = the second.",
        ),
    ] = 2,
    send: Annotated[
        bool, typer.Option("--send", help="Really send (after a typed confirmation).")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Skip the confirmation (scripts).")] = False,
    trust_sent_folder: Annotated[
        bool,
        typer.Option(
            "--trust-sent-folder",
            help="As for probe send: a crashed reminder missing from the Sent folder is sent again.",
        ),
    ] = False,
) -> None:
    """Send a reminder to every e-mail request still without a human reply, in its thread.

    Gửi thư nhắc lại cho các yêu cầu chưa được trả lời (cùng luồng thư, cùng mã trả lời).

    A request is due when it was sent (and every earlier reminder too), did not bounce, has no
    human reply, and --after working days passed since its last letter. The reminder answers the
    last letter (In-Reply-To/References), comes from the same reply address and keeps the subject
    tag, so replies still match. Without --send: previews in $POBI_HOME/outbox/ROUND/wave-W/.
    With --send: exactly once per request and wave, through the same crash-proof outbox as
    `probe send`. A second reminder of a wave already sent is refused.

    Example: pobi probe remind --round 2026 --after 10 ; ... --after 10 --send
    """
    from pobi.errors import Aborted, InputError, StateError
    from pobi.workdays import Calendar
    from probes.remind import (
        ReminderComposer,
        plan_wave,
        queue_reminder,
        reconcile_wave,
        requeue_failed,
        send_wave,
        write_previews,
    )

    ws = workspace()
    cfg = ws.config
    calendar = Calendar.from_config(cfg)
    with ws.store.session() as s:
        composer = ReminderComposer.for_round(s, cfg, ws.evidence, round_id)
        plan = plan_wave(s, round_id, wave, after, calendar=calendar)
        sent_already = [w for w in plan.already if w.state == "sent"]
        for reason, count in sorted(plan.skipped.items()):
            console.print(f"  not due ({escape(reason)}): {count}")
        if not plan.due and not plan.resumable:
            if sent_already:
                raise StateError(
                    f"Wave {wave} was already sent to {len(sent_already)} requests of round "
                    f"{round_id} and no other request is due; a second reminder of the same wave "
                    "is refused (không gửi nhắc lại lần hai cùng một đợt).",
                    hint=f"For another reminder: pobi probe remind --round {round_id} "
                    f"--after {after} --wave {wave + 1}",
                )
            console.print(f"No request of round {round_id} is due a wave-{wave} reminder.")
            return
        if not send:
            paths = write_previews(s, composer, cfg, plan)
            s.rollback()
            console.print(
                f"Wrote {len(paths)} wave-{wave} reminder previews to {paths[0].parent} "
                "(nothing was sent; không có thư nào được gửi)."
            )
            console.print(
                f"Review them, then: pobi probe remind --round {round_id} --after {after} "
                f"--wave {wave} --send"
            )
            return
    from probes.smtp import Submission

    Submission(cfg.smtp, cfg.secret("smtp_password"))  # checks host, security, password first
    if not yes and not interactive():
        raise InputError(
            "Refusing to send without a terminal to confirm on.",
            hint="Run it in a terminal, or add --yes in scripts.",
        )
    rec = reconcile_wave(ws.store, cfg, round_id, wave, trust_sent_folder=trust_sent_folder)
    for rid in rec.found_sent:
        console.print(f"{rid}: wave-{wave} reminder found in the Sent folder -> sent")
    for rid in rec.unresolved:
        console.print(
            f"[yellow]{rid}: unclear whether its wave-{wave} reminder was sent; it stays in "
            "'sending' and is not sent again.[/yellow]"
        )
    with ws.store.session() as s:
        plan = plan_wave(s, round_id, wave, after, calendar=calendar)
        n = len(plan.due) + len(plan.resumable)
        if n == 0:
            console.print("Nothing to send.")
            return
        if not yes:
            console.print(
                f"About to send {n} wave-{wave} reminders (sắp gửi {n} thư nhắc lại) via "
                f"{cfg.smtp.host}:{cfg.smtp.port}."
            )
            typed = typer.prompt(f"Type the number of reminders ({n}) to confirm")
            if typed.strip() != str(n):
                raise Aborted("Not confirmed; nothing was sent (không gửi).")
        requeue_failed(s, plan)
        for due in plan.due:
            queue_reminder(s, composer, due, wave)
            s.commit()
    report = asyncio.run(send_wave(ws.store, cfg, ws.evidence, round_id, wave))
    console.print(
        f"Wave {wave}: sent {len(report.sent)}; rejected {len(report.rejected)}; failed "
        f"{len(report.failed)}; unclear {len(report.unknown)}."
    )
    for rid, why in report.rejected:
        console.print(f"[red]{rid} rejected:[/red] {escape(why)}")
    for rid, why in report.failed:
        console.print(f"[yellow]{rid} failed (retried next run):[/yellow] {escape(why)}")
    if report.unknown:
        rec = reconcile_wave(ws.store, cfg, round_id, wave)
        for rid in rec.found_sent:
            console.print(f"{rid}: connection broke, but the Sent folder has it -> sent")
