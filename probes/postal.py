"""The request as a printable letter (PDF) for registered mail, with a box for the number.

The letter is the same template as the e-mail (``probes/templates``), addressed to the agency's
postal address. Printing it plans a ``postal`` request (state ``draft``), so the letter carries
the request's own reply address and subject tag: an answer by e-mail matches it. Once posted,
``pobi probe log-request --channel postal --ref <number>`` marks it sent.

Vietnamese needs a Unicode TrueType font: DejaVu Sans (Debian ``fonts-dejavu-core``) or the file
in ``POBI_PDF_FONT``.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.clock import now
from pobi.config import Config
from pobi.errors import ConfigError, InputError
from pobi.models import RequestChannel
from pobi.registry import province
from pobi.rounds import get_round
from pobi.store.tables import ProbeRequest
from probes.channels import new_request
from probes.law import law_in_force
from probes.outbox import round_ask
from probes.template import Letter, load_template, render, require_requester
from probes.token import reply_address, subject_tag

FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arial.ttf",
)


def _font() -> str:
    for path in (os.environ.get("POBI_PDF_FONT", ""), *FONTS):
        if path and Path(path).is_file():
            return path
    raise ConfigError(
        "No Unicode TrueType font found for the PDF letter.",
        hint="Install fonts-dejavu-core, or set POBI_PDF_FONT=/path/to/font.ttf",
    )


def prepare_letter(
    session: Session,
    cfg: Config,
    round_id: str,
    province_code: str,
    recipient: str,
    kind: str,
    channel: RequestChannel,
) -> tuple[ProbeRequest, Letter]:
    """The request (planned as a ``draft`` of ``channel`` if new) and its letter, carrying the
    request's own reply address and subject tag and citing the law in force today."""
    rnd = get_round(session, round_id)
    require_requester(cfg.requester)
    unit = province(rnd.era, province_code)
    req = session.scalar(
        select(ProbeRequest).where(
            ProbeRequest.round_id == round_id,
            ProbeRequest.province_code == unit.code,
            ProbeRequest.recipient == recipient,
        )
    )
    if req is None:
        req = new_request(
            session,
            round_id,
            unit.code,
            channel,
            recipient,
            kind=kind,
            template=cfg.probes.template,
            detail=f"{channel.value} request prepared",
        )
    elif req.channel != channel.value:
        raise InputError(f"{recipient} is already a {req.channel} request ({req.id}).")
    when = now()
    law = law_in_force(when)
    reply = reply_address(
        cfg.probes.reply_local,
        cfg.probes.reply_domain,
        round_id,
        req.n,
        cfg.secret("token_secret"),
    )
    letter = render(
        load_template(req.template or cfg.probes.template),
        round_ask(cfg, round_id, None),
        requester=cfg.requester,
        province_name=unit.name,
        recipient_kind=kind,
        tag=subject_tag(round_id, req.n, cfg.probes.subject_tag),
        reply_to=reply,
        when=when,
        law_vi=law.vi,
        law_en=law.en,
    )
    req.law, req.reply_address, req.subject = law.id, reply, letter.subject
    session.flush()
    return req, letter


def write_letter_pdf(
    session: Session,
    cfg: Config,
    round_id: str,
    province_code: str,
    address: str,
    kind: str,
    out: Path,
) -> Path:
    from fpdf import FPDF

    address = " ".join((address or "").split())
    if not address:
        raise InputError("--address: the agency's postal address.")
    font = _font()
    _req, letter = prepare_letter(
        session, cfg, round_id, province_code, address, kind, RequestChannel.POSTAL
    )
    pdf = FPDF(format="A4")
    pdf.set_creator("")
    pdf.set_producer("")  # a citizen's letter names no tool
    pdf.add_font("body", "", font)
    pdf.set_margins(20, 18, 20)
    pdf.add_page()
    pdf.set_font("body", size=9)
    pdf.multi_cell(0, 5, f"Nơi nhận / To: {address}")
    pdf.ln(2)
    pdf.multi_cell(
        0,
        6,
        "Số hiệu bưu gửi bảo đảm / Registered-mail no.: ................................"
        "      Ngày gửi / Posted on: ........ / ........ / ............",
        border=1,
    )
    pdf.ln(4)
    pdf.set_font("body", size=11)
    pdf.multi_cell(0, 6, letter.body)
    pdf.ln(6)
    pdf.multi_cell(0, 6, "Người yêu cầu (ký, ghi rõ họ tên):\n\n\n" + cfg.requester.full_name)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(bytes(pdf.output()))
    session.flush()
    return out
