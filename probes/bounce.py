"""Is this message a bounce (a delivery failure report)? One decision: :func:`detect_bounce`.

Evidence, strongest first:
1. an RFC 3464 DSN (``multipart/report; report-type=delivery-status`` or a
   ``message/delivery-status`` part): per recipient, ``Action: failed`` or a 5.x.x ``Status`` is a
   permanent failure, ``Action: delayed`` or 4.x.x a temporary one; a DSN that reports only
   success (delivered, relayed, expanded) is not a bounce;
2. a non-standard report from a mail system (sender MAILER-DAEMON/postmaster, an empty
   Return-Path, ``X-Failed-Recipients``, or a typical subject such as "Undeliverable:",
   "failure notice", "Không gửi được:") read by flufl.bounce's detectors (qmail, Exim, Exchange,
   GroupWise, ...) and by the SMTP status codes in its text.

flufl.bounce only runs on messages that look machine-made, so a person quoting a bounce in a
human reply is never taken for one.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from email.message import Message

from pobi.models import BounceType
from probes.parse import ParsedMail, decode_header_value
from probes.text import ascii_fold

DAEMON_LOCALS = {
    "mailer-daemon",
    "mailerdaemon",
    "mail-daemon",
    "postmaster",
    "mail.delivery.system",
    "maildelivery",
    "mail-delivery-system",
    "mdaemon",
}
DAEMON_NAMES = (
    "mail delivery subsystem",
    "mail delivery system",
    "mailer-daemon",
    "postmaster",
    "system administrator",
)

BOUNCE_SUBJECTS = re.compile(
    r"^(undeliverable|undelivered mail|undeliverable mail|delivery status notification"
    r"|mail delivery failed|returned mail|failure notice|delivery failure|delivery_failure"
    r"|delivery has failed|delivery notification: delivery has failed|nondeliverable"
    r"|non-delivery|warning: could not send message|delayed mail|delivery delayed"
    r"|message delivery delayed|mail system error|could not send message|rejected:"
    r"|permanent delivery failure|warning: message delivery delayed|delivery notification"
    r"|khong gui duoc|khong the gui|khong the chuyen|khong chuyen phat duoc|thu khong gui duoc"
    r"|thu bi tra lai|khong the phat|gui thu that bai|loi gui thu)",
)
PERMANENT_CODE = re.compile(r"(?<![\d.])5\.\d{1,3}\.\d{1,3}(?![\d.])|\b55[0-4]\b")
ENHANCED_CODE = re.compile(r"(?<![\d.])[45]\.\d{1,3}\.\d{1,3}(?![\d.])")
TEMPORARY_CODE = re.compile(r"(?<![\d.])4\.\d{1,3}\.\d{1,3}(?![\d.])")
DELAY_WORDS = re.compile(
    r"(delayed|has not yet been delivered|will (continue to )?retry|not been delivered yet"
    r"|hasn't been delivered yet|not delivered yet|warning message only|no action is required"
    r"|temporary failure|tri hoan|chua duoc gui|dang thu lai|se thu lai|tiep tuc thu gui)"
)


@dataclass
class BounceVerdict:
    bounce_type: BounceType
    recipients: list[str]  # addresses that failed (of the bounce type)
    reasons: list[str]
    returned_headers: list[tuple[str, str]] = field(default_factory=list)  # original's headers
    recipient_fields: list[tuple[str, str]] = field(default_factory=list)  # DSN per-recipient


def _addr(value: str) -> str:
    """'rfc822; a@b.vn' or '<a@b.vn>' -> 'a@b.vn'."""
    value = value.split(";", 1)[1] if ";" in value else value
    value = value.strip().strip("<>").strip()
    m = re.search(r"[^\s<>;\"']+@[^\s<>;\"']+", value)
    return m.group(0).lower().rstrip(".") if m else ""


def _dsn_blocks(msg: Message) -> list[Message]:
    blocks: list[Message] = []
    for part in msg.walk():
        try:
            ctype = part.get_content_type()
        except Exception:
            continue
        if ctype != "message/delivery-status":
            continue
        payload = part.get_payload()
        if isinstance(payload, list):
            blocks.extend(b for b in payload if isinstance(b, Message))
        elif isinstance(payload, str):  # unparsed: split blank-line separated blocks ourselves
            import email

            for chunk in re.split(r"\r?\n\r?\n", payload):
                if chunk.strip():
                    blocks.append(email.message_from_string(chunk.strip() + "\n\n"))
    return blocks


def _returned_headers(msg: Message) -> list[tuple[str, str]]:
    import email

    out: list[tuple[str, str]] = []
    for part in msg.walk():
        try:
            ctype = part.get_content_type()
        except Exception:
            continue
        inner: Message | None = None
        if ctype == "message/rfc822":
            payload = part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                inner = payload[0]
        elif ctype == "text/rfc822-headers":
            try:
                data = part.get_payload(decode=True) or b""
                inner = email.message_from_bytes(bytes(data))
            except Exception:
                inner = None
        if inner is not None:
            flags: list[str] = []
            out.extend((str(k), decode_header_value(v, flags)) for k, v in inner._headers[:500])
    return out


_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_COPY_MARKERS = re.compile(
    r"(copy of the message|original message|below this line|returned message"
    r"|message headers|^from:|^subject:|^return-path:)",
    re.IGNORECASE | re.MULTILINE,
)


def addresses_in_report(p: ParsedMail) -> list[str]:
    """Addresses a mail system's report names before the copy of the original message."""
    text = p.body_text[:8000]
    cut = _COPY_MARKERS.search(text)
    if cut:
        text = text[: cut.start()]
    own = {p.from_addr, *p.to_addrs, *p.cc_addrs}
    out: list[str] = []
    for m in _ADDRESS.finditer(text):
        a = m.group(0).lower().rstrip(".")
        local = a.split("@", 1)[0]
        if a in own or local in DAEMON_LOCALS or a in out:
            continue
        out.append(a)
    return out[:20]


def looks_machine_made(p: ParsedMail) -> list[str]:
    """Why this message looks generated by a mail system ('' list when it does not)."""
    why: list[str] = []
    local = p.from_addr.split("@", 1)[0].lower()
    if local in DAEMON_LOCALS or local.startswith("mailer-daemon"):
        why.append(f"sender is {p.from_addr}")
    elif local.startswith("microsoftexchange") or any(
        n in ascii_fold(p.from_name) for n in DAEMON_NAMES
    ):
        why.append(f"sender is the mail system ({p.from_name or p.from_addr})")
    rp = p.header("Return-Path").strip()
    if rp in {"<>", "<<>>"}:
        why.append("empty Return-Path (null sender)")
    if p.has_header("X-Failed-Recipients"):
        why.append("X-Failed-Recipients header")
    if p.header("X-MDDSN-Message").strip().lower() == "yes":
        why.append("MDaemon delivery status message (X-MDDSN-Message)")
    if BOUNCE_SUBJECTS.search(ascii_fold(p.subject)):
        why.append(f"subject {p.subject[:60]!r}")
    return why


def _flufl(p: ParsedMail) -> tuple[set[str], set[str], str]:
    """flufl.bounce's (temporary, permanent, error) recipients; never raises.

    flufl's detectors expect header values to be plain strings; with raw 8-bit headers Python
    hands them ``Header`` objects and several detectors crash, which makes ``all_failures`` give
    up on every detector. So they read a copy whose top-level headers are our decoded text, and
    if one still fails, the others run one by one in flufl's order, the failing one skipped.
    """
    import copy

    assert p.msg is not None
    msg = copy.copy(p.msg)
    msg._headers = [(k, v) for k, v in p.headers]  # shared payload, decoded header text
    logging.getLogger("flufl.bounce").disabled = True  # it logs tracebacks; we record reasons
    dec = lambda xs: {x.decode("ascii", "replace").lower() for x in xs if x}  # noqa: E731
    try:
        from flufl.bounce import all_failures

        temp, perm = all_failures(msg)
        return dec(temp), dec(perm), ""
    except Exception as exc:
        error = type(exc).__name__
    try:  # flufl's own order, one detector at a time (its private list; absent: give up)
        from flufl.bounce._scan import _DETECTORS
    except ImportError:
        return set(), set(), error
    failed: list[str] = []
    for detector in _DETECTORS:
        try:
            temp, perm = detector().process(msg)
        except Exception:
            failed.append(detector.__name__)
            continue
        if temp or perm:
            return dec(temp), dec(perm), ""
    return set(), set(), f"{error} in {', '.join(failed)}" if failed else ""


def detect_bounce(p: ParsedMail) -> BounceVerdict | None:
    msg = p.msg
    if msg is None:
        return None
    report_type = ""
    try:
        if p.content_type == "multipart/report":
            report_type = str(msg.get_param("report-type") or "").lower()
    except Exception:
        report_type = ""
    blocks = _dsn_blocks(msg)
    is_dsn = report_type == "delivery-status" or bool(blocks)
    machine = looks_machine_made(p)
    strong = [w for w in machine if not w.startswith("subject")]
    if not is_dsn and not strong:
        return None  # a typical subject alone is not enough: people write those too

    permanent: list[str] = []
    temporary: list[str] = []
    succeeded: list[str] = []
    fields: list[tuple[str, str]] = []
    reasons: list[str] = []
    for block in blocks:
        final = str(block.get("Final-Recipient", "") or "")
        original = str(block.get("Original-Recipient", "") or "")
        xorig = str(block.get("X-Original-To", "") or "")
        for name, value in (
            ("Final-Recipient", final),
            ("Original-Recipient", original),
            ("X-Original-To", xorig),
        ):
            if value:
                fields.append((name, value))
        addr = _addr(original) or _addr(final) or _addr(xorig)
        if not addr:
            continue
        action = str(block.get("Action", "") or "").strip().lower()
        status = str(block.get("Status", "") or "").strip()
        diag = str(block.get("Diagnostic-Code", "") or "").strip()
        if action.startswith(("failed", "fail", "error")) or status.startswith("5"):
            permanent.append(addr)
            reasons.append(f"DSN: {addr} failed ({status or action}) {diag[:80]}".strip())
        elif action.startswith("delayed") or status.startswith("4"):
            temporary.append(addr)
            reasons.append(f"DSN: {addr} delayed ({status or action})")
        elif action:
            succeeded.append(addr)

    if is_dsn:
        reasons.insert(0, "RFC 3464 delivery status notification")
        if not permanent and not temporary and succeeded:
            return None  # a success report (delivery receipt): not a bounce
    else:
        reasons.extend(machine)

    t_flufl, p_flufl, err = _flufl(p)
    if err:
        reasons.append(f"flufl.bounce failed ({err})")
    text = ascii_fold(p.subject) + "\n" + ascii_fold(p.body_text[:20000])
    if not is_dsn and p_flufl and DELAY_WORDS.search(text) and not PERMANENT_CODE.search(text):
        # flufl's heuristics read a delay warning as a failure: the wording says otherwise
        reasons.append("delay warning wording, no 5.x.x status: temporary")
        t_flufl, p_flufl = t_flufl | p_flufl, set()
    for a in sorted(p_flufl):
        if a not in permanent:
            permanent.append(a)
            reasons.append(f"flufl.bounce: {a} failed permanently")
    for a in sorted(t_flufl):
        if a not in temporary and a not in permanent:
            temporary.append(a)
            reasons.append(f"flufl.bounce: {a} failed temporarily")

    if not is_dsn and not permanent and not temporary:
        # A mail system's message naming no recipient we can read: a bounce only when its
        # subject, enhanced status codes or delay wording say so (not, say, a quota warning).
        subject_hit = any(w.startswith("subject") for w in machine)
        if not (
            subject_hit
            or ENHANCED_CODE.search(text)
            or (DELAY_WORDS.search(text) and "deliver" in text)
        ):
            return None

    if permanent:
        btype = BounceType.PERMANENT
        recipients = permanent
    elif temporary:
        btype = BounceType.TEMPORARY
        recipients = temporary
    elif (TEMPORARY_CODE.search(text) and not PERMANENT_CODE.search(text)) or DELAY_WORDS.search(
        ascii_fold(p.subject)
    ):
        btype = BounceType.TEMPORARY
        recipients = []
        reasons.append("status code 4.x.x / delay wording: temporary")
    else:
        btype = BounceType.PERMANENT
        recipients = []
        if PERMANENT_CODE.search(text):
            reasons.append("status code 5.x.x: permanent")
    # Recipients named in X-Failed-Recipients, else in the report's own text
    if not recipients and p.has_header("X-Failed-Recipients"):
        recipients = [
            a for a in (_addr(v) for v in p.header("X-Failed-Recipients").split(",")) if a
        ]
    if not recipients:
        recipients = addresses_in_report(p)
        if recipients:
            reasons.append("failed recipient read from the report text: " + ", ".join(recipients))
    return BounceVerdict(
        bounce_type=btype,
        recipients=recipients,
        reasons=reasons,
        returned_headers=_returned_headers(msg),
        recipient_fields=fields,
    )
