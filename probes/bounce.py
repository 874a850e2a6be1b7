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

3. the wording of a mail system's report (:mod:`probes.phrases`, per mail-system family and
   language) in the report's own text (:mod:`probes.excerpt`), with a typical subject or
   ``Auto-Submitted`` (Exim, Amazon SES, KDDI and SendGrid reports carry it and were read as
   auto-replies before);
4. permanent or temporary: per DSN recipient; else a delay warning's wording ("will be retried",
   "has not yet been delivered", "awaiting moderator approval", "trì hoãn") without wording that
   says the system has given up, or 4.x.x codes and no 5.x.x, is temporary.

A message's own DSN structure counts, not a DSN inside an attached message: a person forwarding a
bounce as an attachment is not a bounce. flufl.bounce and the phrases only run on messages that
look machine-made or carry a report's typical subject, and a subject that is a reply or forward
("Re:", "Fwd:", "TR:", "Trả lời:") with no machine marker stops them, so a person quoting a bounce
in a human reply is never taken for one.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from email.message import Message

from pobi.models import BounceType
from probes.excerpt import own_text, report_text
from probes.feedback import top_parts
from probes.parse import ParsedMail, decode_header_value
from probes.phrases import (
    BOUNCE_BODY,
    BOUNCE_SUBJECTS,
    DELAY,
    FAILURE_WORDS,
    GIVEN_UP,
    REPLY_PREFIX,
    find,
    find_prefix,
)
from probes.text import ascii_fold

DAEMON_LOCALS = {
    "mailer-daemon",
    "post_master",  # Verizon (vtext.com)
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

PERMANENT_CODE = re.compile(r"(?<![\d.])5\.\d{1,3}\.\d{1,3}(?![\d.])|\b55[0-4]\b")
ENHANCED_CODE = re.compile(r"(?<![\d.])[45]\.\d{1,3}\.\d{1,3}(?![\d.])")
TEMPORARY_CODE = re.compile(r"(?<![\d.])4\.\d{1,3}\.\d{1,3}(?![\d.])")


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
    for part in top_parts(msg):
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
    if p.header("X-MS-Exchange-Message-Is-Ndr").strip() != "" or p.has_header(
        "X-MS-Embedded-Report"
    ):
        why.append("Exchange non-delivery report header")
    if p.has_header("X-MLServer") and "-admin@" in p.from_addr:
        why.append(f"mailing-list server's administrative sender ({p.from_addr}, X-MLServer)")
    subj = bounce_subject(p.subject)
    if subj:
        why.append(f"subject {p.subject[:60]!r} ({subj[0]} report subject)")
    return why


def bounce_subject(subject: str) -> tuple[str, str] | None:
    """(family, phrase) when the subject is a delivery report's own (not a reply or forward)."""
    folded = ascii_fold(subject).lstrip("*[ ")
    if REPLY_PREFIX.match(folded):
        return None
    return find_prefix(folded, BOUNCE_SUBJECTS) or find_prefix(
        folded.lstrip("*[ "), [("Apache James", "bounce]")]
    )


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


def _noreply(p: ParsedMail) -> bool:
    from probes.autoreply import sender_reason

    return bool(sender_reason(p))


def _bulk(p: ParsedMail) -> bool:
    return p.header("Precedence").strip().lower() in {"bulk", "junk", "auto_reply"}


def _ooo(p: ParsedMail) -> bool:
    from probes.autoreply import subject_reason

    return bool(subject_reason(p.subject))


def _ses_bounce(p: ParsedMail) -> str:
    """Amazon SES bounce notification (JSON in the body): its bounceType, else ''."""
    body = p.body_text[:20000].replace(" ", "").replace("\\", "")
    if '"notificationType":"Bounce"' not in body:
        return ""
    m = re.search(r'"bounceType":"(\w+)"', body)
    return m.group(1) if m else "Undetermined"


def _delay_or_permanent(text: str) -> tuple[bool, str]:
    """(temporary?, why) from a report's wording and codes (no DSN fields to go by)."""
    delay = find(text, DELAY)
    given_up = find(text, GIVEN_UP)
    if delay and not given_up and not PERMANENT_CODE.search(text):
        return True, f"delay warning wording ({delay[0]}: {delay[1]!r}): temporary"
    if TEMPORARY_CODE.search(text) and not PERMANENT_CODE.search(text) and not given_up:
        return True, "status code 4.x.x and no 5.x.x: temporary"
    if given_up:
        return False, f"wording says the system gave up ({given_up[0]}: {given_up[1]!r})"
    if PERMANENT_CODE.search(text):
        return False, "status code 5.x.x: permanent"
    return False, "a returned message: permanent"


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
    subject_hit = bounce_subject(p.subject)
    report = report_text(p)
    phrase = find(report, BOUNCE_BODY)
    auto = p.header("Auto-Submitted").strip().lower()
    auto_generated = bool(auto) and not auto.startswith("no")
    ses = _ses_bounce(p)
    # Who may be read as a mail system's report at all: a DSN, a machine-made message, or a
    # report's subject / Auto-Submitted together with a report's wording. A person's reply or
    # forward ("Re:", "Fwd:") quoting a bounce has none of these.
    machine_sent = (auto_generated or _noreply(p)) and not _ooo(p)  # not an out-of-office
    by_wording = bool(phrase) and (bool(subject_hit) or machine_sent)
    by_wording = by_wording or (bool(subject_hit) and auto_generated)  # "Undeliverable:" + RFC 3834
    failure_words = None
    if not by_wording and (auto_generated or _noreply(p) or _bulk(p)) and not _ooo(p):
        # machine-made, no out-of-office: a failure's vocabulary says report, not auto-reply
        failure_words = find(own_text(p), FAILURE_WORDS)  # not in quoted '>' lines
        if failure_words and (subject_hit or PERMANENT_CODE.search(report) or _noreply(p)):
            by_wording = True
            phrase = phrase or failure_words
    if not is_dsn and not strong and not by_wording and not ses:
        return None

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
        reasons.insert(0, "layer DSN: RFC 3464 delivery status notification")
        if not permanent and not temporary and succeeded:
            return None  # a success report (delivery receipt): not a bounce
    elif ses:
        reasons.insert(0, f"layer DSN: Amazon SES bounce notification (bounceType {ses})")
    else:
        layer = "mail system" if strong else "report wording"
        reasons.insert(0, f"layer {layer}: " + "; ".join(machine or ["Auto-Submitted: " + auto]))
    if phrase:
        reasons.append(f"report wording ({phrase[0]}: {phrase[1]!r})")

    if is_dsn and (permanent or temporary):
        t_flufl, p_flufl, err = set(), set(), ""  # the DSN named them: flufl adds nothing
    else:
        t_flufl, p_flufl, err = _flufl(p)
    if err:
        reasons.append(f"flufl.bounce failed ({err})")
    text = ascii_fold(p.subject) + "\n" + report
    if not is_dsn and p_flufl:
        temp_words, why = _delay_or_permanent(text)
        if temp_words:  # flufl's heuristics read a delay warning as a failure
            reasons.append(why)
            t_flufl, p_flufl = t_flufl | p_flufl, set()
    for a in sorted(p_flufl):
        if a not in permanent:
            permanent.append(a)
            reasons.append(f"flufl.bounce: {a} failed permanently")
    for a in sorted(t_flufl):
        if a not in temporary and a not in permanent:
            temporary.append(a)
            reasons.append(f"flufl.bounce: {a} failed temporarily")

    # A mail system's message naming no recipient we can read: a bounce only when its
    # subject, a report's wording or enhanced status codes say so (not a quota warning).
    named = bool(is_dsn or ses or permanent or temporary)
    if not named and not (subject_hit or phrase or ENHANCED_CODE.search(text)):
        # a daemon or null sender whose report uses a failure's vocabulary ("has failed due
        # to a full mailbox") and no out-of-office wording
        failure_words = find(own_text(p), FAILURE_WORDS) if strong and not _ooo(p) else None
        if failure_words is None:
            return None
        reasons.append(f"failure wording ({failure_words[1]!r}) from a mail system")

    if permanent:
        btype = BounceType.PERMANENT
        recipients = permanent
    elif temporary:
        btype = BounceType.TEMPORARY
        recipients = temporary
    elif ses:
        btype = BounceType.TEMPORARY if ses.lower() == "transient" else BounceType.PERMANENT
        recipients = []
    else:
        temp_words, why = _delay_or_permanent(text)
        btype = BounceType.TEMPORARY if temp_words else BounceType.PERMANENT
        recipients = []
        reasons.append(why)
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
