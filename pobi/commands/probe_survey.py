"""`pobi probe coders | blind | disagreements | adjudicate | letter | log-request`: the annual
survey's two-coder design and the request channels beyond e-mail (issue 17).

The probes stage is imported inside each command (DESIGN.md §3).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from pobi.commands.common import console, workspace

RoundOpt = Annotated[str, typer.Option("--round", "-r", help="Survey round id, e.g. 2026.")]
coders_app = typer.Typer(
    help="Who may code replies: two (or more) blind coders and an adjudicator.\n\n"
    "Người mã hóa (mã hóa độc lập) và người phân xử.",
    no_args_is_help=True,
)


def register(probe_app: typer.Typer) -> None:
    probe_app.add_typer(coders_app, name="coders")
    probe_app.command("blind")(blind_cmd)
    probe_app.command("disagreements")(disagreements_cmd)
    probe_app.command("adjudicate")(adjudicate_cmd)
    probe_app.command("letter")(letter_cmd)
    probe_app.command("log-request")(log_request_cmd)
    probe_app.command("form")(form_cmd)
    probe_app.command("log-reply")(log_reply_cmd)


@coders_app.command("add")
def coders_add(
    name: Annotated[str, typer.Argument(help="The person's name, as they will type it.")],
    adjudicator: Annotated[
        bool, typer.Option("--adjudicator", help="Register as the adjudicator (not a coder).")
    ] = False,
) -> None:
    """Register a coder (or the adjudicator). Codes from unregistered names are refused."""
    from probes.doublecode import register_coder

    ws = workspace()
    with ws.store.session() as s:
        row = register_coder(s, name, "adjudicator" if adjudicator else "coder")
        console.print(f"{escape(row.name)} is registered as {row.role}.")


@coders_app.command("list")
def coders_list() -> None:
    """List registered coders and adjudicators."""
    from probes.doublecode import coders

    ws = workspace()
    with ws.store.session() as s:
        rows = coders(s)
        if not rows:
            console.print("No coder registered yet: pobi probe coders add NAME")
        for c in rows:
            console.print(f"{escape(c.name)}\t{c.role}")


def blind_cmd(
    round_id: RoundOpt,
    coder: Annotated[str, typer.Option("--coder", help="Your registered coder name.")],
    message: Annotated[
        str | None, typer.Option("--message", "-m", help="Message number (#) or Message-ID.")
    ] = None,
    code: Annotated[
        str | None,
        typer.Option(
            "--code", help="substantive | partial | acknowledgment | referral | refusal | other"
        ),
    ] = None,
    note: Annotated[str, typer.Option("--note", help="Free text kept with the code.")] = "",
    import_file: Annotated[
        Path | None,
        typer.Option("--import", help="CSV message_id,code[,note]: all your codes at once."),
    ] = None,
) -> None:
    """Code human replies blind: you never see another coder's code.

    Mã hóa độc lập: không hiển thị mã của người khác.

    Without --message: lists the replies you have not coded yet (text only).
    With --message and --code: records your code (append-only; your newest code counts).

    Example: pobi probe blind --round 2026 --coder lan ; ... --message 12 --code partial
    """
    from probes.coding import parse_coding
    from probes.doublecode import blind_queue, code_blind, require_coder
    from probes.lookup import find_message

    ws = workspace()
    with ws.store.session() as s:
        if import_file is not None:
            from probes.doublecode import import_codes

            n = import_codes(s, import_file, round_id, coder, _role("coder"))
            console.print(f"{n} codes by {escape(coder)} stored.")
            return
        if message is None:
            todo = blind_queue(s, round_id, coder)
            console.print(f"{len(todo)} replies for {escape(coder)} to code (round {round_id}).")
            for m in todo:
                console.rule(f"#{m.id}  {escape(m.subject)}")
                console.print(f"From: {escape(m.from_addr)}  received {m.received_at:%Y-%m-%d}")
                console.print(escape((m.body_text or "")[:1500]))
            return
        if code is None:
            from pobi.errors import InputError

            raise InputError("Give --code with --message.")
        require_coder(s, coder, _role("coder"))
        c = parse_coding(code)
        msg = find_message(s, message, round_id)
        code_blind(s, msg, c, coder=coder, note=note)
        console.print(f"#{msg.id}: your code {c.value} is recorded.")


def _role(name: str):  # type: ignore[no-untyped-def]
    from pobi.models import CoderRole

    return CoderRole(name)


def disagreements_cmd(
    round_id: RoundOpt,
    all_: Annotated[
        bool, typer.Option("--all", help="Also show disagreements already adjudicated.")
    ] = False,
) -> None:
    """List replies whose coders disagree, for the adjudicator.

    Danh sách thư mà hai người mã hóa không thống nhất (để người phân xử quyết định).
    """
    from probes.doublecode import disagreements

    ws = workspace()
    with ws.store.session() as s:
        rows = disagreements(s, round_id, include_settled=all_)
        table = Table(title=f"Disagreements in round {round_id}: {len(rows)}")
        for col in ("#", "request", "subject", "codes", "adjudicated"):
            table.add_column(col, overflow="fold")
        for d in rows:
            table.add_row(
                str(d.message.id),
                d.message.request_id or "",
                escape(d.message.subject[:60]),
                ", ".join(f"{k}: {v}" for k, v in d.codes.items()),
                d.adjudicated,
            )
        console.print(table)
        if rows:
            console.print(
                "Decide with: pobi probe adjudicate --round "
                f"{round_id} --message N --code CODE --adjudicator NAME --reason TEXT"
            )


def adjudicate_cmd(
    round_id: RoundOpt,
    adjudicator: Annotated[str, typer.Option("--adjudicator", help="Registered adjudicator.")],
    message: Annotated[
        str | None, typer.Option("--message", "-m", help="Message number or Message-ID.")
    ] = None,
    code: Annotated[str, typer.Option("--code", help="The code that wins.")] = "",
    reason: Annotated[str, typer.Option("--reason", help="Why (kept with the code).")] = "",
    import_file: Annotated[
        Path | None,
        typer.Option("--import", help="CSV message_id,code,reason: many decisions at once."),
    ] = None,
) -> None:
    """Settle a disagreement: the adjudicator's code wins (append-only)."""
    from pobi.errors import InputError
    from probes.coding import parse_coding
    from probes.doublecode import adjudicate, import_codes
    from probes.lookup import find_message

    ws = workspace()
    with ws.store.session() as s:
        if import_file is not None:
            n = import_codes(s, import_file, round_id, adjudicator, _role("adjudicator"))
            console.print(f"{n} adjudications by {escape(adjudicator)} stored.")
            return
        if message is None or not code:
            raise InputError("Give --message and --code (or --import FILE).")
        msg = find_message(s, message, round_id)
        c = parse_coding(code)
        adjudicate(s, msg, c, adjudicator=adjudicator, note=reason)
        console.print(f"#{msg.id}: adjudicated as {c.value}.")


def letter_cmd(
    round_id: RoundOpt,
    province: Annotated[str, typer.Option("--province", help="Province code, e.g. 01.")],
    address: Annotated[str, typer.Option("--address", help="Postal address of the agency.")],
    out: Annotated[Path, typer.Option("--out", help="PDF file to write.")],
    kind: Annotated[
        str, typer.Option("--kind", help="finance | portal | override (addressee line).")
    ] = "finance",
) -> None:
    """Write the request as a printable PDF letter, with a field for the registered-mail number.

    Thư yêu cầu in ra giấy (PDF) để gửi bảo đảm qua bưu điện. Records nothing: once it is
    posted, log it with pobi probe log-request --channel postal --ref <registered-mail number>.
    """
    from probes.postal import write_letter_pdf

    ws = workspace()
    with ws.store.session() as s:
        path = write_letter_pdf(s, ws.config, round_id, province, address, kind, out)
    console.print(f"Wrote {path} (nothing recorded yet; in ra và gửi bảo đảm).")


def log_request_cmd(
    round_id: RoundOpt,
    province: Annotated[str, typer.Option("--province", help="Province code, e.g. 01.")],
    channel: Annotated[str, typer.Option("--channel", help="postal | phone | portal_form")],
    to: Annotated[str, typer.Option("--to", help="Postal address, phone number or form URL used.")],
    when: Annotated[
        datetime | None,
        typer.Option("--at", help="When it was posted / called / submitted (default: now)."),
    ] = None,
    ref: Annotated[
        str, typer.Option("--ref", help="Registered-mail number, or the form's confirmation id.")
    ] = "",
    answered_by: Annotated[
        str, typer.Option("--answered-by", help="Phone: who answered (name, office).")
    ] = "",
    outcome: Annotated[
        str,
        typer.Option(
            "--outcome",
            help="Phone: answered | referred | refused | no_answer | wrong_number.",
        ),
    ] = "",
    note: Annotated[str, typer.Option("--note", help="What was said or done.")] = "",
    evidence: Annotated[
        list[Path] | None,
        typer.Option("--evidence", help="Files: scan, filled form, screenshot (repeatable)."),
    ] = None,
    researcher: Annotated[str, typer.Option("--by", help="Who made the request.")] = "",
) -> None:
    """Record a request made by post, phone or a portal form (it counts like an e-mail).

    Ghi nhận yêu cầu gửi qua bưu điện, điện thoại hoặc biểu mẫu trên cổng thông tin.

    A phone call answered by a person (answered, referred, refused) is also stored as that
    request's human reply, so every channel counts in the response measures.

    Example: pobi probe log-request --round 2026 --province 01 --channel phone --to 02438253536
    --outcome referred --answered-by "Văn phòng Sở" --note "asked us to e-mail stc@..."
    """
    from probes.channels import log_request

    ws = workspace()
    with ws.store.session() as s:
        req = log_request(
            s,
            ws.evidence,
            round_id,
            province_code=province,
            channel=channel,
            to=to,
            at=when,
            ref=ref,
            answered_by=answered_by,
            outcome=outcome,
            note=note,
            files=evidence or [],
            researcher=researcher,
        )
        console.print(f"Request {req.id} ({req.channel}) to {escape(req.recipient)} recorded.")


def form_cmd(
    round_id: RoundOpt,
    province: Annotated[str, typer.Option("--province", help="Province code, e.g. 01.")],
    url: Annotated[str, typer.Option("--url", help="The portal's Q&A or feedback form.")],
    kind: Annotated[
        str, typer.Option("--kind", help="finance | portal | override (addressee line).")
    ] = "portal",
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds to wait for you to submit.")
    ] = 900.0,
    headless: Annotated[
        bool, typer.Option("--headless", help="No window (only for forms a script submits).")
    ] = False,
) -> None:
    """Fill the portal's own Q&A / feedback form from the request; you solve any CAPTCHA and submit.

    Điền biểu mẫu hỏi đáp / góp ý của cổng thông tin từ nội dung yêu cầu; bạn nhập mã xác nhận
    và bấm gửi.

    A Chromium window opens with the form filled in (name, e-mail, phone, address, title, the
    request's text); fields pobi does not recognise, the CAPTCHA above all, are left to you.
    Check the form and press the portal's own submit button. The filled form, the confirmation
    page and their screenshots are stored as evidence and the request (channel portal_form)
    counts from that moment. pobi never presses submit itself.

    Example: pobi probe form --round 2026 --province 01 --url https://hanoi.gov.vn/hoi-dap/gui
    """
    import tempfile

    from crawler.browser import find_browser
    from crawler.formfill import fill_form
    from pobi.config import FULL_BROWSERS
    from pobi.models import RequestChannel
    from probes.channels import log_request
    from probes.postal import prepare_letter

    ws = workspace()
    cfg = ws.config
    with ws.store.session() as s:
        req, letter = prepare_letter(
            s, cfg, round_id, province, url.strip(), kind, RequestChannel.PORTAL_FORM
        )
        request_id = req.id
    values = {
        "name": cfg.requester.full_name,
        "email": cfg.requester.email,
        "phone": cfg.requester.phone,
        "address": cfg.requester.address,
        "title": letter.subject,
        "content": letter.body,
    }
    browser = find_browser(cfg).path
    if not headless:  # a person must see the window: the full browser, not the headless shell
        browser = next((b for b in FULL_BROWSERS if Path(b).exists()), browser)
    console.print(
        f"Request {request_id}: opening {escape(url)} — check the form, solve any CAPTCHA and "
        f"submit it within {timeout:.0f} s (kiểm tra, nhập mã xác nhận và bấm gửi)."
    )
    ev = fill_form(
        url,
        values,
        browser_path=browser,
        headless=headless,
        timeout_s=timeout,
        loopback_only=cfg.crawl.browser_loopback_only,
    )
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for name, data in (
            ("filled-form.html", ev.filled_html),
            ("filled-form.png", ev.filled_png),
            ("confirmation.html", ev.confirmation_html),
            ("confirmation.png", ev.confirmation_png),
        ):
            path = Path(tmp) / name
            path.write_bytes(data)
            files.append(path)
        with ws.store.session() as s:
            log_request(
                s,
                ws.evidence,
                round_id,
                province_code=province,
                channel="portal_form",
                to=url.strip(),
                note=f"submitted by a person; confirmation page {ev.confirmation_url}; "
                f"filled: {', '.join(sorted(ev.filled))}; left to the person: "
                f"{', '.join(ev.left) or 'nothing'}",
                files=files,
            )
    console.print(
        f"Submitted; evidence stored (4 files). Confirmation page: {escape(ev.confirmation_url)}"
    )


def log_reply_cmd(
    request: Annotated[str, typer.Argument(help="The request answered, e.g. 2026-71.")],
    file: Annotated[Path, typer.Option("--file", help="The scan or saved page: the evidence.")],
    when: Annotated[
        datetime | None, typer.Option("--at", help="When it was received (default: now).")
    ] = None,
    sender: Annotated[str, typer.Option("--from", help="Who answered (agency, office).")] = "",
    note: Annotated[str, typer.Option("--note", help="What it says (for coding).")] = "",
    researcher: Annotated[str, typer.Option("--by", help="Who logs it.")] = "",
) -> None:
    """Record a reply that came on paper or on the portal's Q&A page (not by e-mail).

    Ghi nhận thư trả lời bằng văn bản giấy (công văn) hoặc trên trang hỏi đáp của cổng thông tin.

    The file's exact bytes are the evidence; the reply counts like a matched human e-mail and is
    coded the same way. Example: pobi probe log-reply 2026-71 --file cong-van-123.pdf
    --at 2026-10-12 --from "Sở Tài chính" --note "sent the 2026 estimate tables"
    """
    from probes.channels import log_reply

    ws = workspace()
    with ws.store.session() as s:
        msg = log_reply(
            s,
            ws.evidence,
            request,
            at=when,
            file=file,
            sender=sender,
            note=note,
            researcher=researcher,
        )
        console.print(f"Reply #{msg.id} to {msg.request_id} stored ({msg.raw_sha256[:12]}...).")
