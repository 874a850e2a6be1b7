"""Challenge-response messages: the recipient's spam filter holds our message and asks the
sender to prove it is a person (click a link, reply). One decision: :func:`detect_challenge`.

Not a delivery failure yet (the message waits), not written by anyone: pobi files them as
``auto_reply`` with the flag ``challenge_response`` so that a researcher answers the challenge
by hand (pobi never clicks). Some systems (Boxbe) dress the challenge as a delivery status
notification with a 4.x.x status, so this layer runs before the DSN layer.
"""

from __future__ import annotations

from probes.excerpt import own_text
from probes.parse import ParsedMail
from probes.phrases import CHALLENGE_BODY, CHALLENGE_SENDERS, find
from probes.text import domain_of


def detect_challenge(p: ParsedMail) -> list[str]:
    senders = [p.from_addr, p.header("Return-Path").strip().strip("<>"), p.header("Sender")]
    for s in senders:
        dom = domain_of(s)
        if dom and any(dom == d or dom.endswith("." + d) for d in CHALLENGE_SENDERS):
            hit = find(own_text(p)[:5000], CHALLENGE_BODY)
            if hit:
                return [f"challenge-response from {dom} ({hit[0]}: {hit[1]!r})"]
    if p.has_header("X-Boxbe-Challenge") or p.has_header("X-Spam-Arrest-Challenge"):
        return ["challenge-response header"]
    hit = find(own_text(p)[:5000], CHALLENGE_BODY)
    if hit is not None and (hit[0] != "generic" or _machine(p)):
        return [f"challenge-response wording ({hit[0]}: {hit[1]!r})"]
    return []


def _machine(p: ParsedMail) -> bool:
    auto = p.header("Auto-Submitted").strip().lower()
    return bool(
        (auto and not auto.startswith("no"))
        or p.header("Return-Path").strip() in {"<>", "<<>>"}
        or p.content_type == "multipart/report"
        or p.header("Precedence").strip().lower() in {"bulk", "junk", "auto_reply"}
    )
