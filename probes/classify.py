"""Every message is a ``bounce``, an ``auto_reply`` or ``human``, with the reasons recorded.

Bounces first (a DSN often carries ``Auto-Submitted`` too), then auto-replies, else human.
"""

from __future__ import annotations

from dataclasses import dataclass

from pobi.models import ReplyKind
from probes.autoreply import detect_autoreply
from probes.bounce import BounceVerdict, detect_bounce
from probes.parse import ParsedMail


@dataclass
class Classification:
    kind: ReplyKind
    reasons: list[str]
    bounce: BounceVerdict | None = None


def classify(p: ParsedMail) -> Classification:
    verdict = detect_bounce(p)
    if verdict is not None:
        return Classification(
            ReplyKind.BOUNCE, [f"{verdict.bounce_type.value} bounce", *verdict.reasons], verdict
        )
    auto = detect_autoreply(p)
    if auto:
        return Classification(ReplyKind.AUTO_REPLY, auto)
    return Classification(ReplyKind.HUMAN, ["no bounce or auto-reply markers"])
