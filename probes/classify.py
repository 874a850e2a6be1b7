"""Every message is a ``bounce``, an ``auto_reply`` or ``human``, with the reasons recorded.

Layers, in order; the layer that decides names itself in a reason starting with "layer" (the first
reason, after "permanent bounce"/"temporary bounce" for a bounce) so that ``pobi probe show``
tells the researcher which evidence decided:

1. feedback-loop reports (ARF, JMRP, SES complaints: :mod:`probes.feedback`) → ``auto_reply``,
   flag ``feedback_report``;
2. challenge-response messages (:mod:`probes.challenge`) → ``auto_reply``, flag
   ``challenge_response`` (before the DSN layer: some dress as a DSN);
3. delivery reports (:mod:`probes.bounce`): the message's own DSN structure (multipart/report,
   message/delivery-status, Amazon SES), then null or daemon senders and Exchange NDR headers
   with flufl.bounce and the report phrase tables, then a report's subject or ``Auto-Submitted``
   together with a report's wording → ``bounce``, permanent or temporary;
4. RFC 3834 and vendor headers, Exchange message classes, read receipts and success-only DSNs
   (:mod:`probes.autoreply`) → ``auto_reply``;
5. out-of-office subjects per language, no-reply senders → ``auto_reply``;
6. a message from MAILER-DAEMON that is no failure report (a quota warning) → ``auto_reply``;
7. otherwise ``human``.

The closed ``ReplyKind`` contract (bounce / auto_reply / human) is kept in every export; feedback
reports and challenges are told apart by their flag (``messages.flags``) and reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pobi.models import ReplyKind
from probes.autoreply import detect_autoreply
from probes.bounce import BounceVerdict, detect_bounce
from probes.challenge import detect_challenge
from probes.feedback import detect_feedback
from probes.parse import ParsedMail

FEEDBACK_FLAG = "feedback_report"
CHALLENGE_FLAG = "challenge_response"


@dataclass
class Classification:
    kind: ReplyKind
    reasons: list[str]
    bounce: BounceVerdict | None = None
    flags: list[str] = field(default_factory=list)  # feedback_report | challenge_response


def classify(p: ParsedMail) -> Classification:
    feedback = detect_feedback(p)
    if feedback:
        return Classification(
            ReplyKind.AUTO_REPLY,
            [f"layer feedback loop: {feedback[0]}", *feedback[1:]],
            flags=[FEEDBACK_FLAG],
        )
    challenge = detect_challenge(p)
    if challenge:
        return Classification(
            ReplyKind.AUTO_REPLY,
            [f"layer challenge-response: {challenge[0]}", *challenge[1:]],
            flags=[CHALLENGE_FLAG],
        )
    verdict = detect_bounce(p)
    if verdict is not None:
        return Classification(
            ReplyKind.BOUNCE, [f"{verdict.bounce_type.value} bounce", *verdict.reasons], verdict
        )
    auto = detect_autoreply(p)
    if auto:
        return Classification(ReplyKind.AUTO_REPLY, [f"layer auto-reply: {auto[0]}", *auto[1:]])
    local = p.from_addr.split("@", 1)[0].lower()
    if local.startswith(("mailer-daemon", "mailerdaemon")):
        return Classification(
            ReplyKind.AUTO_REPLY,
            [f"layer mail system: a notice from {p.from_addr} that reports no failed delivery"],
        )
    return Classification(ReplyKind.HUMAN, ["no bounce or auto-reply markers"])
