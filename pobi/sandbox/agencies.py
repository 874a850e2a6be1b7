"""Simulated agencies: they read the requests delivered to their sandbox mailboxes and answer the
way real ones do -- or don't -- and say, as ground truth, what the tool should conclude.

Calibrated on POBI 2019 (8 of 63 Departments of Finance answered the researchers' e-mail), each
agency gets one behaviour, allocated deterministically for a seed:

=================  =========  ========  =====================================================
behaviour          finance    portal    what arrives in the researcher's mailbox
=================  =========  ========  =====================================================
``substantive``    8 %        6 %       a human answer with the documents, within 3 working days
``late``           5 %        6 %       a human answer after the deadline (5-20 working days)
``acknowledgment`` 6 %        6 %       a human "we received your request" only
``referral``       4 %        9 %       a human "ask another agency / see the portal" only
``out_of_office``  6 %        6 %       an RFC 3834 auto-reply ("Trả lời tự động: ...") only
``bounce``         6 %        6 %       an RFC 3464 DSN from the sandbox MTA (address dead)
``silent``         the rest             nothing
=================  =========  ========  =====================================================

So about one Department of Finance in eight answers substantively (on time or late), as in
POBI 2019 (8 of 63), and about one in four sends any human reply. With 7 or more agencies of a kind, every behaviour appears at least once. Human replies reach
the researcher by different routes, so every match method is exercised: most press *Reply*
(the token address), some write to the requester's plain address with only the thread headers,
some quote only the subject tag ``[POBI-round-n]``, and some carry nothing but their own sender
address. Replies carry ``Date``, ``Received`` and INTERNALDATE spread over the survey window
(office hours, Vietnamese working days), computed from the request's ``Date``; everything is
deterministic for a seed.

Use::

    agencies = plan_agencies(world.published_addresses(), seed)
    with MailSandbox(agencies.addresses(), bouncing=agencies.bouncing()) as mail:
        ...  # pobi probe plan / send
        truth = answer(mail, agencies)       # replies delivered; ground truth returned
        write_coding_file(path, truth)       # the simulated researcher's codings
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, time, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr, parseaddr, parsedate_to_datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from pobi.clock import VN_TZ
from pobi.models import Coding, DeadlineStatus, MatchMethod, ReplyKind, SiteKind
from pobi.sandbox.mail import MailSandbox
from pobi.workdays import Calendar

SIMULATED_CODER = "simulated-researcher"
PDF_STUB = (
    b"%PDF-1.4\n% pobi sandbox: simulated budget document\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
)
_TAG = re.compile(r"\[POBI-([A-Za-z0-9._-]+?)-(\d+)\]")


class Behaviour(StrEnum):
    SUBSTANTIVE = "substantive"
    LATE = "late"
    ACKNOWLEDGMENT = "acknowledgment"
    REFERRAL = "referral"
    OUT_OF_OFFICE = "out_of_office"
    BOUNCE = "bounce"
    SILENT = "silent"


class Route(StrEnum):
    """How a human reply reaches the researcher (which match method should find it)."""

    TOKEN = "token"  # Reply: to the per-request reply address
    THREAD = "thread"  # to the plain address, with In-Reply-To / References
    SUBJECT_TAG = "subject_tag"  # to the plain address, a new message quoting the tag
    SENDER = "sender"  # to the plain address, nothing but the agency's own address


CALIBRATION: dict[str, list[tuple[Behaviour, float]]] = {
    SiteKind.FINANCE.value: [
        (Behaviour.SUBSTANTIVE, 0.08),
        (Behaviour.LATE, 0.05),
        (Behaviour.ACKNOWLEDGMENT, 0.06),
        (Behaviour.REFERRAL, 0.04),
        (Behaviour.OUT_OF_OFFICE, 0.06),
        (Behaviour.BOUNCE, 0.06),
    ],
    SiteKind.PORTAL.value: [
        (Behaviour.SUBSTANTIVE, 0.06),
        (Behaviour.LATE, 0.06),
        (Behaviour.ACKNOWLEDGMENT, 0.06),
        (Behaviour.REFERRAL, 0.09),
        (Behaviour.OUT_OF_OFFICE, 0.06),
        (Behaviour.BOUNCE, 0.06),
    ],
}
ROUTES = [Route.TOKEN, Route.THREAD, Route.SUBJECT_TAG, Route.SENDER, Route.TOKEN, Route.TOKEN]
HUMAN_CODING = {
    Behaviour.SUBSTANTIVE: Coding.SUBSTANTIVE,
    Behaviour.LATE: Coding.SUBSTANTIVE,
    Behaviour.ACKNOWLEDGMENT: Coding.ACKNOWLEDGMENT,
    Behaviour.REFERRAL: Coding.REFERRAL,
}
DAYS = {  # working days after the request, inclusive ranges
    Behaviour.SUBSTANTIVE: (1, 3),
    Behaviour.LATE: (5, 20),
    Behaviour.ACKNOWLEDGMENT: (0, 2),
    Behaviour.REFERRAL: (1, 3),
}


@dataclass(frozen=True)
class Agency:
    address: str
    province_code: str
    site_kind: str
    behaviour: Behaviour
    route: Route


@dataclass
class AgencyPlan:
    seed: int
    agencies: dict[str, Agency]

    def addresses(self) -> list[str]:
        return sorted(self.agencies)

    def bouncing(self) -> list[str]:
        return sorted(a for a, ag in self.agencies.items() if ag.behaviour is Behaviour.BOUNCE)

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for ag in self.agencies.values():
            row = out.setdefault(ag.site_kind, {})
            row[ag.behaviour.value] = row.get(ag.behaviour.value, 0) + 1
        return out


def plan_agencies(
    published: dict[str, tuple[str, Any]], seed: int, *, calibration: dict | None = None
) -> AgencyPlan:
    """Give every published address a behaviour and a reply route, deterministically."""
    calibration = calibration or CALIBRATION
    rng = random.Random(f"agencies:{seed}")
    by_kind: dict[str, list[str]] = {}
    codes: dict[str, str] = {}
    for address, (code, kind) in sorted(published.items()):
        by_kind.setdefault(str(getattr(kind, "value", kind)), []).append(address.lower())
        codes[address.lower()] = code
    agencies: dict[str, Agency] = {}
    for kind, addresses in sorted(by_kind.items()):
        rng.shuffle(addresses)
        shares = calibration.get(kind, calibration[SiteKind.PORTAL.value])
        n = len(addresses)
        behaviours: list[Behaviour] = []
        for behaviour, share in shares:
            count = round(share * n)
            if n >= 7:
                count = max(count, 1)
            behaviours += [behaviour] * count
        behaviours = behaviours[:n] + [Behaviour.SILENT] * max(0, n - len(behaviours))
        route_i = 0
        for address, behaviour in zip(addresses, behaviours, strict=True):
            route = Route.TOKEN
            if behaviour in HUMAN_CODING:
                route = ROUTES[route_i % len(ROUTES)]
                route_i += 1
            agencies[address] = Agency(address, codes[address], kind, behaviour, route)
    return AgencyPlan(seed, agencies)


# --------------------------------------------------------------------------- ground truth


@dataclass
class ExpectedReply:
    message_id: str
    kind: str  # ReplyKind
    coding: str  # Coding for human replies, '' otherwise
    match_method: str  # MatchMethod the tool should find
    received_at: str  # ISO 8601
    working_days: int


@dataclass
class ExpectedRequest:
    request_tag: str  # [POBI-round-n]
    round_id: str
    n: int
    recipient: str
    province_code: str
    site_kind: str
    behaviour: str
    message_id: str  # of the request
    sent_at: str  # the request's Date header
    state: str  # RequestState the tool should end with
    replies: list[ExpectedReply] = field(default_factory=list)

    def first_reply_days(self) -> int | None:
        days = [r.working_days for r in self.replies if r.kind != ReplyKind.BOUNCE.value]
        return min(days) if days else None

    def human_reply_days(self) -> int | None:
        days = [r.working_days for r in self.replies if r.kind == ReplyKind.HUMAN.value]
        return min(days) if days else None

    def deadline_status(self, at: datetime, calendar: Calendar, simple: int = 3) -> str:
        human = self.human_reply_days()
        if human is not None:
            return (DeadlineStatus.ON_TIME if human <= simple else DeadlineStatus.LATE).value
        if self.state == "bounced":
            return DeadlineStatus.BOUNCED.value
        elapsed = calendar.working_days_between(datetime.fromisoformat(self.sent_at), at)
        return (DeadlineStatus.OVERDUE if elapsed > simple else DeadlineStatus.PENDING).value


@dataclass
class GroundTruth:
    seed: int
    survey_end: str  # a time after every reply: evaluate deadlines here (POBI_NOW)
    requests: list[ExpectedRequest] = field(default_factory=list)
    unrequested: list[str] = field(default_factory=list)  # agencies no request reached

    def to_json(self, calendar: Calendar | None = None) -> dict[str, Any]:
        cal = calendar or Calendar()
        at = datetime.fromisoformat(self.survey_end)
        return {
            "simulated": True,
            "note": "Ground truth of the pobi sandbox: what a correct tool concludes.",
            "seed": self.seed,
            "survey_end": self.survey_end,
            "requests": [
                {
                    **asdict(r),
                    "first_reply_days": r.first_reply_days(),
                    "human_reply_days": r.human_reply_days(),
                    "deadline_status": r.deadline_status(at, cal),
                }
                for r in self.requests
            ],
            "unrequested": self.unrequested,
        }

    def replies(self) -> list[ExpectedReply]:
        return [x for r in self.requests for x in r.replies]


# --------------------------------------------------------------------------- answering


def _header(raw: bytes, name: str) -> str:
    msg = message_from_bytes(raw)
    value = msg.get(name, "")
    try:
        return str(make_header(decode_header(str(value))))
    except Exception:  # a header we cannot decode: keep it raw
        return str(value)


def _office_time(day: Any, rng: random.Random) -> datetime:
    minutes = rng.randint(8 * 60, 16 * 60 + 30)
    return datetime.combine(day, time(minutes // 60, minutes % 60), VN_TZ)


def _reply_time(sent: datetime, days: int, rng: random.Random, cal: Calendar) -> datetime:
    if days == 0:
        return sent + timedelta(minutes=rng.randint(20, 150))
    return _office_time(cal.add_working_days(sent, days), rng)


BODIES = {
    Behaviour.SUBSTANTIVE: (
        "Kính gửi ông/bà {name},\n\n{agency} trân trọng gửi kèm theo thư này dự toán ngân sách "
        "địa phương năm {year} đã được Hội đồng nhân dân tỉnh phê chuẩn và báo cáo tình hình "
        "thực hiện dự toán ngân sách quý gần nhất.\nCâu hỏi về ngân sách xin gửi về địa chỉ "
        "thư điện tử này hoặc chuyên mục Hỏi đáp trên Cổng thông tin điện tử.\n\nTrân trọng,\n"
        "Văn phòng {agency}\n"
    ),
    Behaviour.ACKNOWLEDGMENT: (
        "Kính gửi ông/bà {name},\n\n{agency} đã nhận được phiếu yêu cầu cung cấp thông tin của "
        "ông/bà. Chúng tôi đang xem xét và sẽ trả lời trong thời hạn theo quy định của Luật "
        "Tiếp cận thông tin.\n\nTrân trọng,\nVăn phòng {agency}\n"
    ),
    Behaviour.REFERRAL: (
        "Kính gửi ông/bà {name},\n\nThông tin ông/bà đề nghị không thuộc thẩm quyền cung cấp "
        "của {agency}. Đề nghị ông/bà liên hệ Sở Tài chính hoặc tra cứu tại mục Công khai ngân "
        "sách trên Cổng thông tin điện tử của tỉnh.\n\nTrân trọng,\n{agency}\n"
    ),
}
OOO_BODY = (
    "Tôi đang đi công tác và sẽ trở lại vào tuần sau. Thư của quý vị sẽ được xử lý khi tôi trở "
    "lại. / I am out of the office and will reply when I return.\n"
)


def _agency_name(agency: Agency) -> str:
    return "Sở Tài chính" if agency.site_kind == SiteKind.FINANCE.value else "Văn phòng UBND tỉnh"


def _human_reply(
    agency: Agency,
    behaviour: Behaviour,
    request: bytes,
    *,
    when: datetime,
    mid: str,
    plain: str,
    with_pdf: bool,
) -> tuple[bytes, str]:
    """(raw bytes, expected match method)."""
    subject = _header(request, "Subject")
    tag_m = _TAG.search(subject)
    request_mid = _header(request, "Message-ID").strip()
    reply_to = parseaddr(_header(request, "Reply-To") or _header(request, "From"))[1]
    name = parseaddr(_header(request, "From"))[0] or "người yêu cầu"
    agency_name = _agency_name(agency)
    body_key = Behaviour.SUBSTANTIVE if behaviour is Behaviour.LATE else behaviour
    body = BODIES[body_key].format(name=name, agency=agency_name, year=when.year)
    msg = EmailMessage(policy=SMTP)
    msg["From"] = formataddr((agency_name, agency.address))
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = mid
    route = agency.route
    bare = re.sub(r"\s*\[POBI-[^\]]*\]\s*", " ", subject).strip()
    if route is Route.TOKEN:
        msg["To"] = reply_to
        msg["Subject"] = f"Re: {subject}"
        msg["In-Reply-To"] = request_mid
        msg["References"] = request_mid
        method = MatchMethod.TOKEN
    elif route is Route.THREAD:
        msg["To"] = plain
        msg["Subject"] = f"Re: {bare}"
        msg["In-Reply-To"] = request_mid
        msg["References"] = request_mid
        method = MatchMethod.THREAD
    elif route is Route.SUBJECT_TAG:
        msg["To"] = plain
        tag = tag_m.group(0) if tag_m else ""
        msg["Subject"] = f"V/v trả lời yêu cầu cung cấp thông tin {tag}".strip()
        method = MatchMethod.SUBJECT_TAG
    else:
        msg["To"] = plain
        msg["Subject"] = "V/v cung cấp thông tin ngân sách"
        method = MatchMethod.SENDER
    msg.set_content(body, charset="utf-8", cte="quoted-printable")
    if with_pdf:
        msg.add_attachment(
            PDF_STUB, maintype="application", subtype="pdf", filename=f"du-toan-{when.year}.pdf"
        )
    return msg.as_bytes(policy=SMTP), method.value


def _auto_reply(agency: Agency, request: bytes, *, when: datetime, mid: str) -> bytes:
    subject = _header(request, "Subject")
    reply_to = parseaddr(_header(request, "Reply-To") or _header(request, "From"))[1]
    msg = EmailMessage(policy=SMTP)
    msg["From"] = formataddr((_agency_name(agency), agency.address))
    msg["To"] = reply_to
    msg["Subject"] = f"Trả lời tự động: {subject}"
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = mid
    msg["In-Reply-To"] = _header(request, "Message-ID").strip()
    msg["Auto-Submitted"] = "auto-replied"
    msg["X-Autoreply"] = "yes"
    msg["Precedence"] = "auto_reply"
    msg.set_content(OOO_BODY, charset="utf-8", cte="quoted-printable")
    return msg.as_bytes(policy=SMTP)


def answer(mail: MailSandbox, plan: AgencyPlan, *, calendar: Calendar | None = None) -> GroundTruth:
    """Every agency reads the requests delivered to its mailbox (a bouncing address has none:
    its requests are taken from the researcher's Sent folder) and answers by its behaviour; the
    replies are delivered with their dates, and the ground truth is returned. Idempotent for a sandbox: requests already answered are not
    answered again."""
    cal = calendar or Calendar()
    plain = mail.researcher
    truth = GroundTruth(seed=plan.seed, survey_end="")
    latest: datetime | None = None
    reached: set[str] = set()
    answered = mail.answered
    # Each agency reads its own mailbox; a bouncing address has none, so its requests are
    # known from what the researcher sent (the Sent folder equals what the server accepted).
    inbox: list[tuple[Agency, Any]] = []
    for address, ag in sorted(plan.agencies.items()):
        if ag.behaviour is not Behaviour.BOUNCE:
            inbox += [(ag, m) for m in mail.messages(address)]
    for m in mail.messages(mail.researcher, "Sent"):
        ag = plan.agencies.get(parseaddr(_header(m.raw, "To"))[1].lower())
        if ag is not None and ag.behaviour is Behaviour.BOUNCE:
            inbox.append((ag, m))
    for agency, stored in inbox:
        raw = stored.raw
        to = agency.address
        reached.add(to)
        subject = _header(raw, "Subject")
        tag_m = _TAG.search(subject)
        if tag_m is None:
            continue
        round_id, n = tag_m.group(1), int(tag_m.group(2))
        request_mid = _header(raw, "Message-ID").strip()
        try:
            sent = parsedate_to_datetime(_header(raw, "Date"))
        except (TypeError, ValueError):
            sent = stored.internaldate
        sent = sent.astimezone(VN_TZ)
        rng = random.Random(f"{plan.seed}:{to}:{round_id}:{n}")
        expected = ExpectedRequest(
            request_tag=tag_m.group(0),
            round_id=round_id,
            n=n,
            recipient=to,
            province_code=agency.province_code,
            site_kind=agency.site_kind,
            behaviour=agency.behaviour.value,
            message_id=request_mid,
            sent_at=sent.isoformat(),
            state="sent",
        )
        domain = to.rsplit("@", 1)[-1]

        def mid(k: int, domain: str = domain, round_id: str = round_id, n: int = n) -> str:
            return f"<sim.{plan.seed}.{round_id}.{n}.{k}@{domain}>"

        b = agency.behaviour
        deliveries: list[tuple[bytes, str, datetime]] = []  # raw, rcpt, when
        if b is Behaviour.BOUNCE:
            expected.state = "bounced"
            dsn = next(
                (
                    m
                    for m in mail.messages(mail.researcher)
                    if b"multipart/report" in m.raw and request_mid.encode() in m.raw
                ),
                None,
            )
            if dsn is not None:
                dsn_mid = _header(dsn.raw, "Message-ID").strip()
                expected.replies.append(
                    ExpectedReply(
                        dsn_mid,
                        ReplyKind.BOUNCE.value,
                        "",
                        MatchMethod.TOKEN.value,
                        dsn.internaldate.isoformat(),
                        cal.working_days_between(sent, dsn.internaldate),
                    )
                )
                latest = max(latest or dsn.internaldate, dsn.internaldate)
        elif b is Behaviour.OUT_OF_OFFICE:
            when = sent + timedelta(minutes=rng.randint(1, 5))
            m = mid(1)
            deliveries.append(
                (
                    _auto_reply(agency, raw, when=when, mid=m),
                    parseaddr(_header(raw, "Reply-To"))[1],
                    when,
                )
            )
            expected.replies.append(
                ExpectedReply(
                    m,
                    ReplyKind.AUTO_REPLY.value,
                    "",
                    MatchMethod.TOKEN.value,
                    when.isoformat(),
                    cal.working_days_between(sent, when),
                )
            )
        elif b in HUMAN_CODING:
            lo, hi = DAYS[b]
            days = rng.randint(lo, hi)
            when = _reply_time(sent, days, rng, cal)
            m = mid(1)
            body, method = _human_reply(
                agency,
                b,
                raw,
                when=when,
                mid=m,
                plain=plain,
                with_pdf=b in (Behaviour.SUBSTANTIVE, Behaviour.LATE),
            )
            rcpt = message_from_bytes(body)["To"]
            deliveries.append((body, parseaddr(str(rcpt))[1], when))
            expected.replies.append(
                ExpectedReply(
                    m,
                    ReplyKind.HUMAN.value,
                    HUMAN_CODING[b].value,
                    method,
                    when.isoformat(),
                    cal.working_days_between(sent, when),
                )
            )
        key = f"{round_id}:{n}:{to}"
        if key not in answered:
            for body, rcpt, when in deliveries:
                mail.deliver(rcpt or plain, body, at=when, helo=f"mail.{domain}")
            answered.add(key)
        for r in expected.replies:
            t = datetime.fromisoformat(r.received_at)
            latest = max(latest or t, t)
        latest = max(latest or sent, sent)
        truth.requests.append(expected)
    truth.requests.sort(key=lambda r: (r.round_id, r.n))
    truth.unrequested = sorted(set(plan.agencies) - reached)
    end_day = cal.add_working_days(latest or datetime.now(VN_TZ), 5)
    truth.survey_end = datetime.combine(end_day, time(17, 0), VN_TZ).isoformat()
    return truth


def write_coding_file(path: Path, truth: GroundTruth) -> int:
    """The simulated researcher's codings (``message_id,coding,note,coder``), one row per human
    reply, for ``pobi probe code --import``. Clearly labelled as simulated."""
    rows = [r for r in truth.replies() if r.kind == ReplyKind.HUMAN.value]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["message_id", "coding", "note", "coder"])
        for r in rows:
            writer.writerow(
                [
                    r.message_id,
                    r.coding,
                    "SIMULATED coding from the sandbox's ground truth, not a researcher's judgement",
                    SIMULATED_CODER,
                ]
            )
    return len(rows)


SIMULATED_CODERS = ("coder-a-SIMULATED", "coder-b-SIMULATED")
SIMULATED_ADJUDICATOR = "adjudicator-SIMULATED"


def write_two_coder_files(folder: Path, truth: GroundTruth) -> tuple[Path, Path, Path, int]:
    """Two simulated blind coders and an adjudicator (issue 17), for ``pobi probe blind --import``
    and ``pobi probe adjudicate --import``. Coder A codes the ground truth; coder B disagrees on
    every third human reply (the next code in the list), as a second person sometimes would; the
    adjudicator settles each disagreement with the ground truth. Clearly labelled as simulated.
    Returns (coder A file, coder B file, adjudicator file, disagreements)."""
    rows = [r for r in truth.replies() if r.kind == ReplyKind.HUMAN.value]
    codes = [c.value for c in Coding]
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{name}.csv" for name in (*SIMULATED_CODERS, SIMULATED_ADJUDICATOR)]
    note = "SIMULATED code from the sandbox's ground truth, not a person's judgement"
    disagree = 0
    with (
        paths[0].open("w", newline="", encoding="utf-8") as fa,
        paths[1].open("w", newline="", encoding="utf-8") as fb,
        paths[2].open("w", newline="", encoding="utf-8") as fj,
    ):
        a, b, j = (csv.writer(f, lineterminator="\n") for f in (fa, fb, fj))
        a.writerow(["message_id", "code", "note"])
        b.writerow(["message_id", "code", "note"])
        j.writerow(["message_id", "code", "reason"])
        for i, r in enumerate(rows):
            a.writerow([r.message_id, r.coding, note])
            other = r.coding
            if i % 3 == 1:
                other = codes[(codes.index(r.coding) + 1) % len(codes)]
                disagree += 1
                j.writerow([r.message_id, r.coding, note])
            b.writerow([r.message_id, other, note])
    return paths[0], paths[1], paths[2], disagree
