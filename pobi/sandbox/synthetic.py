"""A synthetic store: plausible crawl, request and reply rows for every province of some rounds.

For tests, benchmarks and the dashboard's development, never for publication: every row it writes
is marked (``crawl_sites.source='synthetic'``, ``requests.reason``/``template``, message sources
``synthetic://...``, codings by coder ``synthetic``, notes saying so).

:func:`populate` is deterministic for a seed: the same seed and rounds give the same rows, the same
evidence bytes and the same timestamps (derived from each round's year, never from the clock).
Scores are *not* written: run ``pobi score --round R`` (or ``scoring``'s ``score_round``) after.

It can include personal data (a requester's name, officials' names, phones and e-mail addresses
inside reply bodies and headers) and one hostile reply (``<script>``, a remote ``<img>`` beacon),
so privacy and XSS tests have something to catch: see :class:`Summary.personal_strings` and
:data:`HOSTILE_MARKERS`.
"""

from __future__ import annotations

import random
import struct
import zlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from itertools import pairwise
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from pobi.evidence import EvidenceStore, record, sha256_bytes
from pobi.models import (
    BounceType,
    Channel,
    Coding,
    Era,
    FetchStatus,
    MatchMethod,
    RecipientKind,
    ReplyKind,
    RequestState,
    ReviewStatus,
    SiteKind,
)
from pobi.registry import Province, ascii_name, provinces
from pobi.rounds import DEFAULT_RUBRIC
from pobi.store.tables import (
    Attachment,
    CrawlSite,
    Finding,
    FindingReview,
    Message,
    MessageAssignment,
    MessageCoding,
    Page,
    ProbeRequest,
    RequestEvent,
    Round,
)
from pobi.workdays import Calendar

SOURCE = "synthetic"
CODER = "synthetic"
TEMPLATE = "synthetic-v1"
DEFAULT_ROUNDS: tuple[tuple[str, Era], ...] = (("2021", Era.LEGACY), ("2026", Era.CURRENT))

HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_BEACON = '<img src="http://198.51.100.7/beacon.gif">'
HOSTILE_MARKERS = (HOSTILE_SCRIPT, HOSTILE_BEACON)

REQUESTER_NAME = "Nguyễn Thị Minh Anh"
REQUESTER_EMAIL = "minhanh.nguyen@example.org"
REQUESTER_PHONE = "0912345678"

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"]
_MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thanh", "Quốc", "Thu", "Hữu"]
_GIVEN = ["Hùng", "Lan", "Dũng", "Hương", "Tuấn", "Mai", "Sơn", "Hà", "Long", "Ngọc", "Bình"]

_BODIES = {
    Coding.SUBSTANTIVE: (
        "Kính gửi Bà {requester},\n\nSở Tài chính {province} xin gửi kèm theo đây dự toán ngân sách "
        "địa phương năm {year} và báo cáo quyết toán ngân sách năm {prev} đã được Hội đồng nhân "
        "dân tỉnh phê chuẩn, theo yêu cầu cung cấp thông tin của Bà.\n\nTrân trọng,\n{official}\n"
        "Phòng Quản lý ngân sách\nĐiện thoại: {phone}\nEmail: {email}\n"
    ),
    Coding.PARTIAL: (
        "Kính gửi Bà {requester},\n\nSở Tài chính {province} gửi Bà dự toán ngân sách năm {year}. "
        "Báo cáo quyết toán năm {prev} hiện chưa được phê chuẩn nên chưa thể cung cấp.\n\n"
        "Trân trọng,\n{official}\nĐiện thoại: {phone}\n"
    ),
    Coding.ACKNOWLEDGMENT: (
        "Kính gửi Bà {requester},\n\nSở Tài chính {province} đã nhận được yêu cầu cung cấp thông "
        "tin của Bà và sẽ trả lời trong thời hạn theo quy định của Luật Tiếp cận thông tin.\n\n"
        "Trân trọng,\n{official}\n"
    ),
    Coding.REFERRAL: (
        "Kính gửi Bà {requester},\n\nThông tin Bà yêu cầu thuộc thẩm quyền của Văn phòng Ủy ban "
        "nhân dân {province}. Đề nghị Bà liên hệ trực tiếp Văn phòng để được hướng dẫn.\n\n"
        "Trân trọng,\n{official}\nĐiện thoại: {phone}\n"
    ),
    Coding.REFUSAL: (
        "Kính gửi Bà {requester},\n\nĐề nghị Bà gửi Phiếu yêu cầu cung cấp thông tin theo mẫu "
        "ban hành kèm Nghị định 13/2018/NĐ-CP, có chữ ký, đến bộ phận một cửa của Sở. Sở không "
        "tiếp nhận yêu cầu qua thư điện tử.\n\n{official}\n"
    ),
    Coding.OTHER: ("Chào Bà,\n\nBà vui lòng cho biết mục đích sử dụng thông tin.\n\n{official}\n"),
}

_AUTO_REPLY = (
    "Trả lời tự động: Hộp thư đã nhận được thư của Quý vị. Thư sẽ được chuyển đến bộ phận "
    "chuyên môn xử lý.\n(Automatic reply: your message has been received.)\n"
)


@dataclass
class Summary:
    """What :func:`populate` wrote, for tests to check against."""

    rounds: list[str] = field(default_factory=list)
    sites: int = 0
    pages: int = 0
    findings: int = 0
    requests: int = 0
    messages: int = 0
    evidence_files: int = 0
    personal_strings: set[str] = field(default_factory=set)  # names, phones, e-mails written
    hostile_message_ids: list[str] = field(default_factory=list)


def _png(rgb: tuple[int, int, int], width: int = 4, height: int = 3) -> bytes:
    """A small, valid PNG of one colour (a stand-in for a screenshot)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height, 9)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _warc(pages: list[tuple[str, str]], when: datetime) -> bytes:
    """A small WARC file holding one response record per (url, html) page."""
    out = []
    stamp = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for n, (url, html) in enumerate(pages):
        body = html.encode("utf-8")
        http = (
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        head = (
            "WARC/1.0\r\nWARC-Type: response\r\n"
            f"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{sha256_bytes(url.encode())[:12]}>\r\n"
            f"WARC-Target-URI: {url}\r\nWARC-Date: {stamp}\r\n"
            "Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http)}\r\nWARC-Block-Digest: synthetic-{n}\r\n\r\n"
        ).encode()
        out.append(head + http + b"\r\n\r\n")
    return b"".join(out)


def _domain(url: str) -> str:
    host = urlsplit(url).hostname or "example.gov.vn"
    return host


def _year(round_id: str) -> int:
    digits = round_id[:4]
    return int(digits) if digits.isdigit() and 2000 <= int(digits) <= 2100 else 2026


def _official(rng: random.Random) -> str:
    return f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"


def _person_email(name: str, domain: str) -> str:
    parts = ascii_name(name).lower().split()
    return f"{parts[-1]}.{''.join(p[0] for p in parts[:-1])}@{domain}"


class _Writer:
    def __init__(
        self,
        session: Session,
        evidence: EvidenceStore,
        seed: int,
        personal_data: bool,
        hostile: bool,
        with_evidence: bool,
    ) -> None:
        self.s = session
        self.ev = evidence
        self.seed = seed
        self.personal = personal_data
        self.hostile = hostile
        self.with_evidence = with_evidence
        self.summary = Summary()
        self.cal = Calendar()
        self._hashes: set[str] = set()
        self._hostile_done = False

    def put(self, data: bytes, kind: str, media_type: str, note: str) -> str:
        if not self.with_evidence:
            return sha256_bytes(data)
        digest = record(self.s, self.ev, data, kind=kind, media_type=media_type, note=note)
        self._hashes.add(digest)
        return digest

    # ------------------------------------------------------------------ one round

    def round(self, round_id: str, era: Era) -> None:
        year = _year(round_id)
        if self.s.get(Round, round_id) is None:
            self.s.add(
                Round(
                    id=round_id,
                    era=era.value,
                    rubric=DEFAULT_RUBRIC,
                    note="synthetic data (pobi.sandbox.synthetic) — not a real survey",
                    created_at=datetime(year, 3, 1, 1, 0, tzinfo=UTC),
                )
            )
            self.s.flush()
        self.summary.rounds.append(round_id)
        # URLs follow the usual pattern from the province's codename, not data/sites.csv, so
        # editing the registry never changes synthetic data (or the golden exports built on it).
        urls: dict[tuple[str, str], str] = {}
        crawl_at = datetime(year, 3, 2, 2, 0, tzinfo=UTC)
        # requests go out on the first working day on or after 16 March, 09:00 Vietnamese time
        send_day = date(year, 3, 16)
        while not self.cal.is_working_day(send_day):
            send_day += timedelta(days=1)
        send_at = datetime(send_day.year, send_day.month, send_day.day, 2, 0, tzinfo=UTC)
        n = 0
        plist = provinces(era)
        for i, prov in enumerate(plist):
            rng = random.Random(f"{self.seed}:{round_id}:{prov.code}")
            quality = rng.random()
            emails = self.crawl(round_id, prov, urls, crawl_at + timedelta(minutes=i), rng, quality)
            n = self.probe(
                round_id, prov, emails, send_at + timedelta(minutes=i), rng, quality, n, year
            )
        self.unmatched(round_id, send_at, year)

    # ------------------------------------------------------------------ crawl

    def crawl(
        self,
        round_id: str,
        prov: Province,
        urls: dict[tuple[str, str], str],
        at: datetime,
        rng: random.Random,
        quality: float,
    ) -> list[tuple[str, RecipientKind, int]]:
        """Sites, pages and findings of one province; returns (address, kind, finding id)."""
        emails: list[tuple[str, RecipientKind, int]] = []
        default_portal = f"https://{prov.codename.replace('_', '')}.gov.vn/"
        portal_url = urls.get((prov.code, "portal"), default_portal)
        finance_url = urls.get(
            (prov.code, "finance"), f"https://stc.{_domain(portal_url).removeprefix('www.')}/"
        )
        for kind, url in ((SiteKind.PORTAL, portal_url), (SiteKind.FINANCE, finance_url)):
            roll = rng.random()
            if kind == SiteKind.PORTAL:
                status = FetchStatus.OK if roll < 0.95 else FetchStatus.TIMEOUT
            else:
                status = (
                    FetchStatus.OK
                    if roll < 0.8
                    else rng.choice(
                        [FetchStatus.DNS_ERROR, FetchStatus.HTTP_5XX, FetchStatus.TLS_ERROR]
                    )
                )
            final_url = url
            if status == FetchStatus.OK and rng.random() < 0.15:
                final_url = url.replace("https://", "https://www.", 1)
            site = CrawlSite(
                round_id=round_id,
                province_code=prov.code,
                site_kind=kind.value,
                url=url,
                final_url=final_url if status == FetchStatus.OK else "",
                fetch_status=status.value,
                pages_fetched=0,
                source=SOURCE,
                note="synthetic site row",
                started_at=at,
                finished_at=at + timedelta(minutes=3),
            )
            self.s.add(site)
            self.s.flush()
            self.summary.sites += 1
            if status != FetchStatus.OK:
                self.s.add(
                    Page(
                        round_id=round_id,
                        site_id=site.id,
                        url=url,
                        status=status.value,
                        fetched_at=at,
                        detail="synthetic: start page failed",
                    )
                )
                self.summary.pages += 1
                continue
            emails += self.site_findings(round_id, prov, site, final_url, kind, at, rng, quality)
        return emails

    def site_findings(
        self,
        round_id: str,
        prov: Province,
        site: CrawlSite,
        base: str,
        kind: SiteKind,
        at: datetime,
        rng: random.Random,
        quality: float,
    ) -> list[tuple[str, RecipientKind, int]]:
        domain = _domain(site.url).removeprefix("www.")
        home = base
        contact = base.rstrip("/") + "/lien-he"
        qa = base.rstrip("/") + ("/hoi-dap" if rng.random() < 0.7 else "/hoi-ap")
        name = prov.name
        page_html = {
            home: f"<html><body><h1>{name}</h1><a href='{contact}'>Liên hệ</a>"
            f"<a href='{qa}'>Hỏi đáp</a><p>synthetic {round_id}</p></body></html>",
            contact: f"<html><body><h1>Liên hệ — {name}</h1><p>synthetic</p></body></html>",
            qa: f"<html><body><h1>Hỏi - Đáp trực tuyến</h1><p>{name}</p></body></html>",
        }
        warc = self.put(
            _warc(list(page_html.items()), at),
            "warc",
            "application/warc",
            f"synthetic WARC for {site.url}",
        )
        shot = self.put(
            _png((rng.randrange(256), rng.randrange(256), rng.randrange(256))),
            "screenshot",
            "image/png",
            f"synthetic screenshot of {home}",
        )
        for depth, url in enumerate(page_html):
            self.s.add(
                Page(
                    round_id=round_id,
                    site_id=site.id,
                    url=url,
                    final_url=url,
                    depth=min(depth, 1),
                    status=FetchStatus.OK.value,
                    http_status=200,
                    content_type="text/html; charset=utf-8",
                    size=len(page_html[url].encode()),
                    warc_sha256=warc,
                    screenshot_sha256=shot if depth == 0 else "",
                    fetched_at=at + timedelta(seconds=depth),
                    detail="synthetic page",
                )
            )
        site.pages_fetched = len(page_html)
        self.summary.pages += len(page_html)

        drafts: list[tuple[Channel, str, str, dict]] = []
        good = quality + rng.uniform(-0.2, 0.2)
        if good > 0.25:
            months = 1 + int(rng.random() * 30 * (1 - min(good, 1)))
            last = (at - timedelta(days=30 * months)).date()
            broken = good < 0.35
            drafts.append(
                (
                    Channel.QA_SECTION,
                    qa,
                    qa,
                    {
                        "label": "Hỏi - Đáp trực tuyến",
                        "has_form": good > 0.45,
                        "questions_listed": 0 if broken else 1 + int(good * 40),
                        "newest_question_date": None
                        if broken
                        else (last - timedelta(days=3)).isoformat(),
                        "newest_answer_date": None if broken else last.isoformat(),
                        "how": "label",
                        "synthetic": True,
                        # what the crawler records (crawler/checks/qa_section.py): scoring judges
                        # a section empty only on such evidence
                        "list_state": "none_seen" if broken else "listed",
                        "evidence": [
                            "no question listed, and the page loads nothing by script"
                            if broken
                            else f"{1 + int(good * 40)} question(s) listed"
                        ],
                    },
                )
            )
        if kind == SiteKind.FINANCE:
            if good > 0.3:
                drafts.append(
                    (
                        Channel.EMAIL,
                        f"stc@{domain.removeprefix('stc.')}",
                        contact,
                        {"via": "mailto"},
                    )
                )
            elif good > 0.2:
                drafts.append(
                    (Channel.EMAIL, f"image:{base.rstrip('/')}/images/email.png", contact, {})
                )
        else:
            if good > 0.15:
                drafts.append((Channel.EMAIL, f"vanphong@{domain}", contact, {"via": "mailto"}))
            if rng.random() < 0.8:
                drafts.append(
                    (
                        Channel.FEEDBACK_FORM,
                        base.rstrip("/") + "/gop-y",
                        contact,
                        {"has_form": True},
                    )
                )
            for channel, url in (
                (
                    Channel.FACEBOOK,
                    f"https://www.facebook.com/{prov.codename.replace('_', '')}.gov",
                ),
                (Channel.ZALO, f"https://zalo.me/{rng.randrange(10**15, 10**16)}"),
                (Channel.YOUTUBE, f"https://www.youtube.com/@{prov.codename.replace('_', '')}tv"),
            ):
                if rng.random() < 0.2 + 0.6 * quality:
                    drafts.append((channel, url, home, {}))
        if rng.random() < 0.9:
            drafts.append(
                (
                    Channel.PHONE,
                    f"02{rng.randrange(10**8, 10**9)}",
                    contact,
                    {"label": "Điện thoại"},
                )
            )
        if good > 0.4 or rng.random() < 0.2:
            drafts.append(
                (
                    Channel.INFO_ACCESS,
                    base.rstrip("/") + "/tiep-can-thong-tin",
                    home,
                    {"label": "Tiếp cận thông tin", "empty": good < 0.5},
                )
            )
        emails: list[tuple[str, RecipientKind, int]] = []
        rows = [
            Finding(
                round_id=round_id,
                site_id=site.id,
                province_code=prov.code,
                site_kind=kind.value,
                channel=channel.value,
                value=value,
                found_on=found_on,
                evidence_sha256=warc,
                screenshot_sha256=shot if found_on == home else "",
                details={**details, "synthetic": True},
                found_at=at,
            )
            for channel, value, found_on, details in drafts
        ]
        self.s.add_all(rows)
        self.s.flush()  # one batched insert per site; ids needed below
        self.summary.findings += len(rows)
        for f in rows:
            if f.channel == Channel.EMAIL.value and not f.value.startswith("image:"):
                rk = RecipientKind.FINANCE if kind == SiteKind.FINANCE else RecipientKind.PORTAL
                emails.append((f.value, rk, f.id))
            if rng.random() < 0.03:  # a researcher rejected this finding (a false positive)
                self.s.add(
                    FindingReview(
                        finding_id=f.id,
                        status=ReviewStatus.REJECTED.value,
                        reason="synthetic: false positive",
                        coder=CODER,
                        at=at + timedelta(days=2),
                    )
                )
            elif rng.random() < 0.1:
                self.s.add(
                    FindingReview(
                        finding_id=f.id,
                        status=ReviewStatus.CONFIRMED.value,
                        reason="synthetic: checked",
                        coder=CODER,
                        at=at + timedelta(days=2),
                    )
                )
        return emails

    # ------------------------------------------------------------------ probes

    def probe(
        self,
        round_id: str,
        prov: Province,
        emails: list[tuple[str, RecipientKind, int]],
        at: datetime,
        rng: random.Random,
        quality: float,
        n: int,
        year: int,
    ) -> int:
        for address, rkind, finding_id in emails:
            n += 1
            rid = f"{round_id}-{n}"
            domain = address.split("@", 1)[1]
            state = RequestState.SENT
            roll = rng.random()
            if roll < 0.08:
                state = RequestState.BOUNCED
            elif roll < 0.1:
                state = RequestState.REJECTED
            token = f"{rng.getrandbits(40):010x}"
            msgid = f"<{rid}.{token}@requests.pobi.example>"
            subject = f"Yêu cầu cung cấp thông tin ngân sách năm {year} [POBI-{token}]"
            sent_eml = EmailMessage()
            sent_eml["From"] = (
                f"{REQUESTER_NAME} <pobi+{token}@pobi.example>"
                if self.personal
                else f"pobi+{token}@pobi.example"
            )
            sent_eml["To"] = address
            sent_eml["Subject"] = subject
            sent_eml["Message-ID"] = msgid
            sent_eml["Date"] = format_datetime(at)
            sent_eml.set_content(
                f"Kính gửi {prov.name},\n\nTheo Luật Tiếp cận thông tin số 104/2016/QH13, tôi đề "
                f"nghị được cung cấp dự toán ngân sách năm {year}.\n\n"
                + (
                    f"Người yêu cầu: {REQUESTER_NAME}\nĐiện thoại: {REQUESTER_PHONE}\n"
                    f"Email: {REQUESTER_EMAIL}\n"
                    if self.personal
                    else "Người yêu cầu: (ẩn)\n"
                )
                + "(synthetic request — not sent)\n"
            )
            if self.personal:
                self.summary.personal_strings |= {REQUESTER_NAME, REQUESTER_PHONE, REQUESTER_EMAIL}
            eml_hash = self.put(
                bytes(sent_eml), "email", "message/rfc822", f"synthetic request {rid}"
            )
            sent = state != RequestState.REJECTED
            self.s.add(
                ProbeRequest(
                    id=rid,
                    round_id=round_id,
                    n=n,
                    province_code=prov.code,
                    recipient=address,
                    recipient_kind=rkind.value,
                    reason=f"synthetic: address found on the {rkind.value} site",
                    finding_id=finding_id,
                    template=TEMPLATE,
                    state=state.value,
                    message_id=msgid,
                    reply_address=f"pobi+{token}@pobi.example",
                    subject=subject,
                    eml_sha256=eml_hash,
                    attempts=1,
                    last_error="550 5.1.1 mailbox unavailable (synthetic)"
                    if state == RequestState.REJECTED
                    else "",
                    created_at=at - timedelta(days=1),
                    sent_at=at if sent else None,
                )
            )
            self.s.flush()  # before its events and messages (no ORM relationships to order them)
            self.summary.requests += 1
            path = [RequestState.DRAFT, RequestState.QUEUED, RequestState.SENDING]
            path.append(RequestState.SENT if sent else RequestState.REJECTED)
            if state == RequestState.BOUNCED:
                path.append(RequestState.BOUNCED)
            for k, (a, b) in enumerate(pairwise(path)):
                self.s.add(
                    RequestEvent(
                        request_id=rid,
                        from_state=a.value,
                        to_state=b.value,
                        detail="synthetic",
                        at=at + timedelta(seconds=k),
                    )
                )
            if state == RequestState.BOUNCED:
                self.message(
                    round_id,
                    rid,
                    ReplyKind.BOUNCE,
                    at + timedelta(minutes=5),
                    f"MAILER-DAEMON@{domain}",
                    "Undelivered Mail Returned to Sender",
                    f"This is the mail system at host mail.{domain}.\n\n<{address}>: "
                    "host said: 550 5.1.1 User unknown (synthetic)\n",
                    msgid,
                    bounce_to=address,
                )
                continue
            if not sent:
                continue
            if rng.random() < 0.25:
                self.message(
                    round_id,
                    rid,
                    ReplyKind.AUTO_REPLY,
                    at + timedelta(minutes=2),
                    address,
                    f"Trả lời tự động: {subject}",
                    _AUTO_REPLY,
                    msgid,
                )
            p_reply = (
                0.05 + 0.45 * quality if rkind == RecipientKind.FINANCE else 0.03 + 0.2 * quality
            )
            if rng.random() >= p_reply:
                continue
            delay = min(int(rng.expovariate(1 / (2 + 10 * (1 - quality)))), 40)
            when_day = self.cal.add_working_days(at, delay)
            when = datetime(
                when_day.year, when_day.month, when_day.day, 3 + rng.randrange(7), 0, tzinfo=UTC
            )
            codings = [
                Coding.SUBSTANTIVE,
                Coding.PARTIAL,
                Coding.ACKNOWLEDGMENT,
                Coding.REFERRAL,
                Coding.REFUSAL,
                Coding.OTHER,
            ]
            weights = [1 + 4 * quality, 1, 2, 1.5, 0.7, 0.3]
            coding = rng.choices(codings, weights)[0]
            official = _official(rng)
            o_mail = _person_email(official, domain)
            o_phone = f"0{rng.randrange(200000000, 299999999)}"
            if self.personal:
                self.summary.personal_strings |= {official, o_mail, o_phone}
                sender = f"{official} <{o_mail}>"
            else:
                official, o_mail, o_phone = "Phòng Ngân sách", address, "(ẩn)"
                sender = address
            body = _BODIES[coding].format(
                requester=REQUESTER_NAME if self.personal else "(ẩn)",
                province=prov.name,
                year=year,
                prev=year - 1,
                official=official,
                phone=o_phone,
                email=o_mail,
            )
            hostile = self.hostile and not self._hostile_done
            if hostile:
                body += f"\n{HOSTILE_SCRIPT}\n{HOSTILE_BEACON}\n"
                self._hostile_done = True
            pk = self.message(
                round_id,
                rid,
                ReplyKind.HUMAN,
                when,
                sender,
                f"Re: {subject}",
                body,
                msgid,
                html=hostile,
                attachment=coding in (Coding.SUBSTANTIVE, Coding.PARTIAL),
                hostile=hostile,
            )
            history = [coding]
            if coding == Coding.SUBSTANTIVE and rng.random() < 0.2:
                history = [Coding.ACKNOWLEDGMENT, Coding.SUBSTANTIVE]  # recoded later
            for k, c in enumerate(history):
                self.s.add(
                    MessageCoding(
                        message_pk=pk,
                        coding=c.value,
                        note="synthetic coding" + (" (revised)" if k else ""),
                        coder=CODER,
                        at=when + timedelta(days=1 + k),
                    )
                )
        return n

    def message(
        self,
        round_id: str,
        request_id: str | None,
        kind: ReplyKind,
        when: datetime,
        sender: str,
        subject: str,
        body: str,
        in_reply_to: str,
        *,
        bounce_to: str = "",
        html: bool = False,
        attachment: bool = False,
        hostile: bool = False,
        method: MatchMethod | None = None,
    ) -> int:
        self.summary.messages += 1
        index = self.summary.messages
        domain = sender.rsplit("@", 1)[-1].rstrip(">")
        msgid = f"<syn-{round_id}-{index}@{domain}>"
        em = EmailMessage()
        em["From"] = sender
        em["To"] = "pobi@pobi.example"
        em["Subject"] = subject
        em["Message-ID"] = msgid
        em["Date"] = format_datetime(when)
        if in_reply_to:
            em["In-Reply-To"] = in_reply_to
        if kind == ReplyKind.AUTO_REPLY:
            em["Auto-Submitted"] = "auto-replied"
        em["X-Pobi-Synthetic"] = "yes"
        em.set_content(body)
        if html:
            em.add_alternative(f"<html><body><pre>{body}</pre></body></html>", subtype="html")
        att_bytes = b""
        if attachment:
            att_bytes = (
                f"%PDF-1.4\n% synthetic budget table {round_id} {request_id}\n%%EOF\n".encode()
            )
            em.add_attachment(
                att_bytes, maintype="application", subtype="pdf", filename="du-toan-ngan-sach.pdf"
            )
        for k, part in enumerate(em.walk()):
            if part.is_multipart():  # fixed boundaries: the same seed gives the same bytes
                part.set_boundary(f"==pobi-synthetic-{round_id}-{index}-{k}==")
        raw = bytes(em)
        digest = self.put(raw, "email", "message/rfc822", f"synthetic message {msgid}")
        if method is None:
            method = MatchMethod.THREAD if request_id else MatchMethod.UNMATCHED
        reasons: list[str] = {
            ReplyKind.BOUNCE: ["synthetic: DSN 5.1.1"],
            ReplyKind.AUTO_REPLY: ["synthetic: Auto-Submitted: auto-replied"],
            ReplyKind.HUMAN: ["synthetic: no automatic markers"],
        }[kind]
        row = Message(
            round_id=round_id,
            message_id=msgid,
            raw_sha256=digest,
            source=f"synthetic://{round_id}/INBOX;UID={index}",
            from_addr=sender.rsplit("<", 1)[-1].rstrip(">"),
            to_addrs="pobi@pobi.example",
            subject=subject,
            sent_at=when - timedelta(minutes=1),
            received_at=when,
            kind=kind.value,
            kind_reasons=reasons,
            bounce_type=BounceType.PERMANENT.value if kind == ReplyKind.BOUNCE else "",
            bounced_recipients=[bounce_to] if bounce_to else [],
            request_id=request_id,
            match_method=method.value,
            match_detail=f"In-Reply-To {in_reply_to}" if request_id and in_reply_to else "",
            flags=["synthetic"],
            body_text=body,
            stored_at=when + timedelta(minutes=30),
        )
        self.s.add(row)
        self.s.flush()
        if hostile:
            self.summary.hostile_message_ids.append(msgid)
        if attachment:
            sha = self.put(att_bytes, "attachment", "application/pdf", "du-toan-ngan-sach.pdf")
            self.s.add(
                Attachment(
                    message_pk=row.id,
                    filename="du-toan-ngan-sach.pdf",
                    content_type="application/pdf",
                    sha256=sha,
                    size=len(att_bytes),
                )
            )
        return row.id

    def unmatched(self, round_id: str, send_at: datetime, year: int) -> None:
        """Two messages nobody could match (the holding pen) and one assigned by hand."""
        rng = random.Random(f"{self.seed}:{round_id}:unmatched")
        for k in range(2):
            self.message(
                round_id,
                None,
                ReplyKind.HUMAN,
                send_at + timedelta(days=3 + k, hours=k),
                f"hanhchinh{k}@example.gov.vn",
                "Về việc cung cấp thông tin",
                "Cơ quan chúng tôi đã nhận được thư nhưng không rõ yêu cầu của Quý vị "
                f"(synthetic, {year}).\n",
                "",
            )
        first = (
            self.s.query(ProbeRequest)
            .filter(
                ProbeRequest.round_id == round_id,
                ProbeRequest.state == RequestState.SENT.value,
            )
            .order_by(ProbeRequest.n)
            .first()
        )
        if first is None:
            return
        pk = self.message(
            round_id,
            first.id,
            ReplyKind.HUMAN,
            send_at + timedelta(days=6, hours=rng.randrange(5)),
            f"vanthu@{first.recipient.split('@', 1)[1]}",
            "Trả lời thư của bà (forwarded)",
            "Văn thư đã chuyển thư của bà đến lãnh đạo Sở (synthetic).\n",
            "",
            method=MatchMethod.MANUAL,
        )
        self.s.add(
            MessageAssignment(
                message_pk=pk,
                request_id=first.id,
                reason="synthetic: matched by hand from the holding pen",
                coder=CODER,
                at=send_at + timedelta(days=7),
            )
        )
        self.s.add(
            MessageCoding(
                message_pk=pk,
                coding=Coding.REFERRAL.value,
                note="synthetic coding",
                coder=CODER,
                at=send_at + timedelta(days=7),
            )
        )


def populate(
    session: Session,
    evidence_store: EvidenceStore,
    rounds: list[tuple[str, Era]] | tuple[tuple[str, Era], ...] = DEFAULT_ROUNDS,
    seed: int = 0,
    *,
    personal_data: bool = True,
    hostile: bool = True,
    with_evidence: bool = True,
) -> Summary:
    """Fill the store with a synthetic survey for each ``(round_id, era)`` (every province).

    Deterministic for ``seed``. ``personal_data=False`` writes role addresses and no names;
    ``hostile=False`` leaves out the hostile reply. ``with_evidence=False`` skips writing evidence
    files (hashes are still computed), for large benchmarks. Rounds must not already hold
    crawl or probe rows (the round row itself may exist).
    """
    writer = _Writer(session, evidence_store, seed, personal_data, hostile, with_evidence)
    for round_id, era in rounds:
        writer.round(round_id, Era(era))
    session.flush()
    writer.summary.evidence_files = len(writer._hashes)
    return writer.summary
