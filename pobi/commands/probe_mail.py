"""`pobi probe import | holding | assign | code | show`: the received-mail side of probes.

The probes stage is imported inside each command (DESIGN.md §3).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape as _markup_escape
from rich.table import Table

from pobi.commands.common import console, err_console, workspace

MAX_EML_ROWS = 20  # more .eml files than this in one folder: one summary row for the folder

RoundOpt = Annotated[str, typer.Option("--round", "-r", help="Survey round id, e.g. 2026.")]
OptRoundOpt = Annotated[
    str | None,
    typer.Option("--round", "-r", help="Round id (only needed when a Message-ID is in several)."),
]
CoderOpt = Annotated[
    str | None,
    typer.Option("--coder", help="Who decides (default: $POBI_CODER, else your OS user name)."),
]


def escape(text: str) -> str:
    """Mail content for the terminal: rich markup escaped, control characters neutralised."""
    from probes.text import for_terminal

    return _markup_escape(for_terminal(str(text)))


def register(probe_app: typer.Typer) -> None:
    probe_app.command("import")(import_cmd)
    probe_app.command("holding")(holding_cmd)
    probe_app.command("assign")(assign_cmd)
    probe_app.command("code")(code_cmd)
    probe_app.command("reclassify")(reclassify_cmd)
    probe_app.command("show")(show_cmd)
    probe_app.command("rekey")(rekey_cmd)


def import_cmd(
    paths: Annotated[
        list[Path],
        typer.Argument(help=".eml files, mbox files, Maildir folders or folders of .eml files."),
    ],
    round_id: RoundOpt,
    commit_every: Annotated[
        int,
        typer.Option(
            "--commit-every",
            min=1,
            help="Commit after this many messages of a file (an interrupted import keeps them).",
        ),
    ] = 500,
    commit_mib: Annotated[
        int,
        typer.Option(
            "--commit-mib", min=1, help="Commit after this many MiB of mail, whichever comes first."
        ),
    ] = 64,
) -> None:
    """Import replies exported from a mail client or webmail.

    Nhập thư trả lời từ tệp .eml, mbox hoặc thư mục Maildir.

    Every message is stored as evidence (its exact bytes, SHA-256), parsed, classified
    (bounce / auto_reply / human) and matched to a request (token, thread, subject tag, sender);
    what cannot be matched waits in the holding pen (pobi probe holding). Importing the same
    file twice stores nothing new: the same bytes, or the same message exported again with other
    bytes (same normalised content: Message-ID, Date, addresses, subject, text, attachments), are
    stored once. A different message that reuses a stored Message-ID is stored and flagged
    message_id_reused. A large mbox is committed every 500 messages or 64 MiB: if the import is
    interrupted, run the same command again; it skips what was stored and goes on.

    Example: pobi probe import --round 2026 ~/Downloads/replies.mbox exported/*.eml
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from pobi.rounds import get_round
    from probes.batches import CommitBatches
    from probes.ingest import ingest_message
    from probes.readers import MailSource, plan_sources
    from probes.rekey import count_keyless

    ws = workspace()
    with ws.store.session() as s:
        get_round(s, round_id)
        keyless = count_keyless(s, round_id)
    if keyless:
        err_console.print(
            f"[yellow]{keyless} messages of round {round_id} were stored before the content key "
            "existed (migration 0014): a webmail export of one of them would be stored twice. Run "
            f"pobi probe rekey --round {round_id} first.[/yellow]"
        )
    sources = plan_sources(paths)
    total = sum(src.count for src in sources)
    if not ws.config.secret("token_secret"):
        err_console.print(
            "[yellow]POBI_TOKEN_SECRET is not set: reply tokens cannot be verified, so matching "
            "falls back to threads, subject tags and senders.[/yellow]"
        )
    table = Table(title=f"Import into round {round_id}: {total} messages in {len(sources)} sources")
    for col in ("source", "type", "messages", "stored", "duplicate", "flagged", "matched", "kinds"):
        table.add_column(col)
    # One row per file; many .eml files in one folder are summed into one row for the folder.
    eml_per_folder = Counter(str(src.path.parent) for src in sources if src.kind == "eml")

    def row_key(src: MailSource) -> tuple[str, str]:
        folder = str(src.path.parent)
        if src.kind == "eml" and eml_per_folder[folder] > MAX_EML_ROWS:
            return f"{folder}/ ({eml_per_folder[folder]} .eml files)", "eml"
        return str(src.path), src.kind

    rows: dict[tuple[str, str], dict[str, Counter[str]]] = {}
    totals: Counter[str] = Counter()
    kinds_all: Counter[str] = Counter()
    methods_all: Counter[str] = Counter()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task("Importing / Đang nhập", total=total)
        for src in sources:
            row = rows.setdefault(
                row_key(src), {"counts": Counter(), "kinds": Counter(), "methods": Counter()}
            )
            counts, kinds, methods = row["counts"], row["kinds"], row["methods"]
            # A transaction per batch of a file: what is committed stays done if interrupted.
            with ws.store.session() as s:
                batches = CommitBatches(s, commit_every, commit_mib * 1024 * 1024)
                for source, raw in src.messages():
                    r = ingest_message(
                        s, ws.evidence, round_id, raw, source=source, settings=ws.config
                    )
                    batches.done(len(raw))
                    counts["messages"] += 1
                    totals["messages"] += 1
                    if r.duplicate:
                        counts["duplicate"] += 1
                        totals["duplicate"] += 1
                    else:
                        counts["stored"] += 1
                        totals["stored"] += 1
                        kinds[r.kind] += 1
                        kinds_all[r.kind] += 1
                        methods[r.match_method] += 1
                        methods_all[r.match_method] += 1
                        if r.flags:
                            counts["flagged"] += 1
                            totals["flagged"] += 1
                        if r.bounced_request:
                            totals["bounced_requests"] += 1
                    progress.advance(task)
    for (name, kind), row in rows.items():
        counts, kinds, methods = row["counts"], row["kinds"], row["methods"]
        table.add_row(
            escape(name),
            kind,
            str(counts["messages"]),
            str(counts["stored"]),
            str(counts["duplicate"]),
            str(counts["flagged"]),
            escape(", ".join(f"{k} {v}" for k, v in sorted(methods.items())) or "-"),
            escape(", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) or "-"),
        )
    console.print(table)
    console.print(
        f"Stored {totals['stored']} new messages, {totals['duplicate']} duplicates skipped, "
        f"{totals['flagged']} flagged. Kinds: "
        + (", ".join(f"{k} {v}" for k, v in sorted(kinds_all.items())) or "none")
        + ". Matched: "
        + (", ".join(f"{k} {v}" for k, v in sorted(methods_all.items())) or "none")
        + "."
    )
    if totals["bounced_requests"]:
        console.print(f"{totals['bounced_requests']} requests moved to 'bounced'.")
    if methods_all.get("unmatched"):
        console.print(
            f"{methods_all['unmatched']} unmatched messages wait in the holding pen: "
            f"pobi probe holding --round {round_id}"
        )


def holding_cmd(
    round_id: RoundOpt,
    suggestions: Annotated[
        int, typer.Option("--suggestions", help="How many likely requests to show per message.")
    ] = 3,
) -> None:
    """List unmatched messages (the holding pen) with likely requests.

    Thư chưa đối chiếu được, kèm gợi ý yêu cầu phù hợp. Resolve each with
    `pobi probe assign MESSAGE REQUEST` (or `--none` when it is not about any request).
    Suggestions weigh the sender's domain, subject similarity and date proximity.
    """
    from sqlalchemy import select

    from pobi.rounds import get_round
    from pobi.store.tables import ProbeRequest
    from probes.holding import holding_messages, suggest

    ws = workspace()
    with ws.store.session() as s:
        get_round(s, round_id)
        rows = holding_messages(s, round_id)
        requests = list(s.scalars(select(ProbeRequest).where(ProbeRequest.round_id == round_id)))
        if not rows:
            console.print(f"The holding pen of round {round_id} is empty. / Không có thư chờ.")
            return
        table = Table(title=f"{len(rows)} unmatched messages in round {round_id}")
        for col in ("#", "received", "kind", "from", "subject", "suggested requests"):
            table.add_column(col)
        for m in rows:
            sug = suggest(m, requests, limit=suggestions)
            text = "\n".join(f"{x.request_id} ({x.score:g}: {'; '.join(x.reasons)})" for x in sug)
            table.add_row(
                str(m.id),
                m.received_at.strftime("%Y-%m-%d %H:%M") if m.received_at else "",
                m.kind + (" (from us)" if "from_us" in (m.flags or []) else ""),
                escape(m.from_addr),
                escape(m.subject[:70]),
                escape(text or "-"),
            )
        console.print(table)
        console.print("Assign: pobi probe assign MESSAGE REQUEST [--reason TEXT] | --none")


def assign_cmd(
    message: Annotated[str, typer.Argument(help="Message number (#) or Message-ID.")],
    request: Annotated[
        str | None, typer.Argument(help="Request id, e.g. 2026-7 (or its number with --round).")
    ] = None,
    none: Annotated[
        bool, typer.Option("--none", help="The message is not about any request.")
    ] = False,
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the history).")] = "",
    coder: CoderOpt = None,
    round_id: OptRoundOpt = None,
) -> None:
    """Match a message by hand (from the holding pen, or to correct a match).

    Gán thư cho một yêu cầu. The history of assignments is kept; the latest one counts.
    """
    from pobi.errors import InputError
    from probes.coding import coder_name
    from probes.holding import assign
    from probes.lookup import find_message, find_request

    if none and request:
        raise InputError("Give either a REQUEST or --none, not both.")
    if not none and not request:
        raise InputError("Give the REQUEST to assign to, or --none if it is not about any.")
    ws = workspace()
    who = coder_name(coder)
    with ws.store.session() as s:
        m = find_message(s, message, round_id)
        req = None if none else find_request(s, request or "", round_id or m.round_id)
        assign(s, m, req, reason=reason, coder=who)
        target = req.id if req else "no request (not related)"
        console.print(f"Message #{m.id} {escape(m.message_id)} → {target} (by {escape(who)}).")
        if req is not None and req.state == "bounced" and m.kind == "bounce":
            console.print(f"Request {req.id} is now 'bounced'.")


def reclassify_cmd(
    message: Annotated[str, typer.Argument(help="Message number (#) or Message-ID.")],
    kind: Annotated[str, typer.Option("--as", help="bounce | auto_reply | human")],
    reason: Annotated[str, typer.Option("--reason", help="Why (required; kept with the message).")],
    bounce_type: Annotated[
        str | None, typer.Option("--bounce-type", help="permanent | temporary (with --as bounce).")
    ] = None,
    coder: CoderOpt = None,
    round_id: OptRoundOpt = None,
) -> None:
    """Correct a message's kind when the classifier got it wrong.

    Sửa loại thư (thư báo lỗi / trả lời tự động / thư của người). Example: an agency's document
    system sent a real answer from a no-reply address:
    pobi probe reclassify 17 --as human --reason "official letter No. 123/STC attached".
    The classifier's reasons are kept and the correction is added to them.
    """
    from pobi.errors import InputError
    from pobi.models import BounceType, ReplyKind
    from pobi.store.tables import ProbeRequest
    from probes.coding import coder_name
    from probes.lookup import find_message
    from probes.reclassify import reclassify

    try:
        new_kind = ReplyKind(kind.strip().lower())
    except ValueError as exc:
        raise InputError(f"{kind!r} is not a kind; use bounce, auto_reply or human.") from exc
    btype = None
    if bounce_type:
        try:
            btype = BounceType(bounce_type.strip().lower())
        except ValueError as exc:
            raise InputError(f"{bounce_type!r}: use permanent or temporary.") from exc
    ws = workspace()
    who = coder_name(coder)
    with ws.store.session() as s:
        m = find_message(s, message, round_id)
        old = m.kind
        changed = reclassify(s, m, new_kind, reason=reason, coder=who, bounce_type=btype)
        console.print(f"Message #{m.id}: {old} → {m.kind} (by {escape(who)}).")
        if changed:
            console.print(f"Request {changed} is now '{s.get(ProbeRequest, changed).state}'.")


def code_cmd(
    message: Annotated[str | None, typer.Argument(help="Message number (#) or Message-ID.")] = None,
    coding: Annotated[
        str | None,
        typer.Option(
            "--as",
            help="substantive | partial | acknowledgment | referral | refusal | other",
        ),
    ] = None,
    note: Annotated[str, typer.Option("--note", help="Free text kept with the coding.")] = "",
    coder: CoderOpt = None,
    import_file: Annotated[
        Path | None,
        typer.Option("--import", help="CSV with columns message_id,coding,note[,coder]."),
    ] = None,
    export_file: Annotated[
        Path | None,
        typer.Option("--export", help="Write the round's messages and codings to this CSV."),
    ] = None,
    round_id: OptRoundOpt = None,
) -> None:
    """Code what a reply says (history kept; the latest coding counts).

    Mã hóa nội dung thư trả lời: substantive (trả lời đầy đủ), partial (một phần),
    acknowledgment (xác nhận đã nhận), referral (chuyển nơi khác), refusal (từ chối), other.

    One message: pobi probe code 12 --as substantive --note "sent the 2026 estimate"

    Batch: pobi probe code --export codes.csv --round 2026; fill in the coding column;
    pobi probe code --import codes.csv (a bad row is named by its line; nothing is written).
    """
    from pobi.errors import InputError
    from probes.coding import (
        code_message,
        coder_name,
        export_codings,
        import_codings,
        parse_coding,
    )
    from probes.lookup import find_message

    modes = sum(x is not None for x in (message, import_file, export_file))
    if modes != 1:
        raise InputError("Give one of: MESSAGE --as CODING, --import FILE.csv, --export FILE.csv.")
    ws = workspace()
    who = coder_name(coder)
    if export_file is not None:
        if not round_id:
            raise InputError("--export needs --round R.")
        from pobi.rounds import get_round

        with ws.store.session() as s:
            get_round(s, round_id)
            n = export_codings(s, round_id, export_file)
        console.print(f"Wrote {n} messages to {escape(str(export_file))}.")
        return
    if import_file is not None:
        with ws.store.session() as s:
            rep = import_codings(s, import_file, round_id=round_id, coder=who)
        console.print(
            f"{escape(str(import_file))}: {rep.coded} codings stored, {rep.unchanged} unchanged, "
            f"{rep.blank} rows without a coding skipped."
        )
        return
    if coding is None:
        raise InputError(
            "Say what the message is: --as substantive|partial|acknowledgment|referral|refusal|other"
        )
    c = parse_coding(coding)
    with ws.store.session() as s:
        m = find_message(s, message or "", round_id)
        code_message(s, m, c, note=note, coder=who)
        console.print(f"Message #{m.id} coded {c.value} by {escape(who)}.")
        if m.kind != "human":
            err_console.print(
                f"[yellow]Note: message #{m.id} is a {m.kind}; reply rates count codings of "
                "human replies only.[/yellow]"
            )
        if m.request_id is None:
            err_console.print(
                f"[yellow]Note: message #{m.id} is not matched to a request "
                "(pobi probe assign).[/yellow]"
            )


def show_cmd(
    message: Annotated[str, typer.Argument(help="Message number (#) or Message-ID.")],
    round_id: OptRoundOpt = None,
    all_headers: Annotated[
        bool, typer.Option("--headers", help="Print every header of the raw message.")
    ] = False,
) -> None:
    """Show one message: headers, kind and reasons, match, codings, and its text.

    Xem một thư. The body is printed as plain text; HTML is never rendered.
    """
    from sqlalchemy import select

    from pobi.store.tables import Attachment
    from probes.coding import history
    from probes.holding import assignment_history
    from probes.lookup import find_message
    from probes.parse import parse

    ws = workspace()
    with ws.store.session() as s:
        m = find_message(s, message, round_id)
        out = console
        out.print(f"[bold]Message #{m.id}[/bold] (round {escape(m.round_id)})")
        fields = [
            ("Message-ID", m.message_id),
            ("From", m.from_addr),
            ("To/Cc", m.to_addrs),
            ("Subject", m.subject),
            ("Date", m.sent_at.isoformat() if m.sent_at else "-"),
            ("Received", m.received_at.isoformat() if m.received_at else "-"),
            ("Source", m.source),
            ("Raw SHA-256", m.raw_sha256),
            ("Content key", m.content_key or "-"),  # issue 14: copies of one message share it
        ]
        for k, v in fields:
            out.print(f"{k + ':':<13} {escape(str(v))}")
        out.print(
            f"\n[bold]Kind:[/bold] {m.kind}" + (f" ({m.bounce_type})" if m.bounce_type else "")
        )
        for r in m.kind_reasons or []:
            out.print(f"  - {escape(str(r))}")
        if m.bounced_recipients:
            out.print("  failed recipients: " + escape(", ".join(m.bounced_recipients)))
        out.print(
            f"[bold]Match:[/bold] {m.match_method} → {m.request_id or 'no request'}\n"
            f"  {escape(m.match_detail)}"
        )
        for a in assignment_history(s, m.id):
            out.print(
                f"  assigned {a.at:%Y-%m-%d %H:%M} by {escape(a.coder)} → "
                f"{a.request_id or 'none'} {escape(a.reason)}"
            )
        if m.flags:
            out.print("[bold]Flags:[/bold] " + escape(", ".join(m.flags)))
        if m.message_id_reused_of is not None:
            out.print(
                f"  Message-ID first used by message #{m.message_id_reused_of} "
                "(a different message: both are kept)"
            )
        atts = list(s.scalars(select(Attachment).where(Attachment.message_pk == m.id)))
        if atts:
            out.print("[bold]Attachments:[/bold]")
            for a in atts:
                out.print(
                    f"  {escape(a.filename or '(no name)')}  {a.content_type}  {a.size} B  {a.sha256}"
                )
        codings = history(s, m.id)
        out.print("[bold]Codings:[/bold] " + ("none yet" if not codings else ""))
        for c in codings:
            out.print(f"  {c.at:%Y-%m-%d %H:%M} {c.coding} by {escape(c.coder)} {escape(c.note)}")
        if all_headers:
            out.print("\n[bold]Headers (from the raw message):[/bold]")
            p = parse(ws.evidence.read(m.raw_sha256))
            for k, v in p.headers:
                out.print(f"{escape(k)}: {escape(v)}", soft_wrap=True)
        out.print("\n[bold]Text:[/bold]")
        from probes.text import for_terminal

        out.print(
            for_terminal(m.body_text) or "(no text)", markup=False, highlight=False, emoji=False
        )


def rekey_cmd(
    round_id: Annotated[
        str | None, typer.Option("--round", "-r", help="Only this round (default: every round).")
    ] = None,
    batch: Annotated[
        int, typer.Option("--batch", min=1, help="Commit after this many messages.")
    ] = 200,
) -> None:
    """Give messages stored before migration 0014 their normalised-content key.

    Tạo khóa nội dung cho các thư đã lưu trước bản nâng cấp 0014.

    Messages stored before that upgrade are found again by their exact bytes but not by their
    content, so a webmail export of such a message would be stored twice. This reads each one's
    bytes back from the evidence store and records its key. A stored message that turns out to be
    a copy of another keeps its row, gains the flag content_copy and a reason naming the message
    it copies. Safe to run again; it commits as it goes, so an interrupted run resumes.

    Example: pobi probe rekey            (every round)
             pobi probe rekey --round 2026
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from probes.rekey import count_keyless, rekey

    ws = workspace()
    with ws.store.session() as s:
        todo = count_keyless(s, round_id)
    if not todo:
        console.print("Every stored message has its content key: nothing to do.")
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task("Keying / Đang tạo khóa", total=todo)
        result = rekey(
            ws.store,
            ws.evidence,
            round_id,
            batch=batch,
            progress=lambda n: progress.advance(task, n),
        )
    console.print(
        f"Keyed {result.keyed} messages; {len(result.copies)} are copies of another stored "
        f"message (flagged content_copy); {len(result.missing)} have no bytes in the evidence "
        "store."
    )
    for row, of in result.copies[:20]:
        console.print(f"  message #{row} is a copy of #{of}: pobi probe show {row}")
    if result.missing:
        err_console.print(
            "[yellow]Messages whose bytes are missing keep no key: "
            + ", ".join(f"#{m}" for m in result.missing[:20])
            + ". Run pobi evidence verify to check the evidence store.[/yellow]"
        )
