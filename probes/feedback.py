"""Feedback-loop reports: a mailbox provider tells the sender that a recipient marked the
message as spam (or unsubscribed). One decision: :func:`detect_feedback` (reasons, or []).

They are not delivery failures (the message was delivered) and nobody wrote them: pobi files
them as ``auto_reply`` with the flag ``feedback_report``, which a researcher reads as "the
agency's mail system or a person there reported our request as spam".

Formats: RFC 5965 ARF (``multipart/report; report-type=feedback-report`` with a
``message/feedback-report`` part: Yahoo, AOL, Comcast and most large providers); Microsoft's
JMRP complaints (from ``staff@hotmail.com``, subject "complaint about message from <IP>", or the
reported message forwarded with ``X-HmXmrOriginalRecipient``); Amazon SES complaint
notifications (JSON with ``"notificationType":"Complaint"``).
"""

from __future__ import annotations

from email.message import Message

from probes.parse import ParsedMail
from probes.text import ascii_fold


def top_parts(msg: Message) -> list[Message]:
    """The message and its MIME parts, without descending into attached messages."""
    out: list[Message] = []
    stack = [msg]
    while stack and len(out) < 500:
        part = stack.pop(0)
        out.append(part)
        try:
            ctype = part.get_content_type()
        except Exception:
            continue
        if ctype.startswith("message/") and part is not msg:
            continue
        payload = part.get_payload()
        if part.is_multipart() and isinstance(payload, list):
            stack[0:0] = [x for x in payload if isinstance(x, Message)]
    return out


def detect_feedback(p: ParsedMail) -> list[str]:
    msg = p.msg
    if msg is None:
        return []
    try:
        rtype = str(msg.get_param("report-type") or "").lower() if p.content_type else ""
    except Exception:
        rtype = ""
    if p.content_type == "multipart/report" and rtype == "feedback-report":
        return [
            "feedback-loop report (RFC 5965 ARF: multipart/report; report-type=feedback-report)"
        ]
    for part in top_parts(msg)[1:]:
        try:
            if part.get_content_type() == "message/feedback-report":
                return ["feedback-loop report (RFC 5965 ARF: message/feedback-report part)"]
        except Exception:
            continue
    subject = ascii_fold(p.subject)
    if p.from_addr == "staff@hotmail.com" and subject.startswith("complaint about message from"):
        return ["feedback-loop report (Microsoft JMRP complaint from staff@hotmail.com)"]
    if p.has_header("X-HmXmrOriginalRecipient"):
        return ["feedback-loop report (Microsoft JMRP: reported message, X-HmXmrOriginalRecipient)"]
    body = p.body_text[:20000].replace(" ", "")
    if '"notificationType":"Complaint"' in body:
        return ["feedback-loop report (Amazon SES complaint notification)"]
    return []
