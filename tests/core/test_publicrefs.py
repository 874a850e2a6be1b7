"""pobi.publicrefs: in public evidence lists an e-mail's hash becomes its reference; web evidence
keeps its hash."""

from __future__ import annotations

from pobi.publicrefs import public_evidence

REQ, REPLY, REPLY2, WARC = "a" * 64, "b" * 64, "c" * 64, "d" * 64
REFS = {REQ: "request:2026-3", REPLY: "reply:2026-3", REPLY2: "reply:2026-3"}


def test_emails_become_references_web_evidence_stays() -> None:
    value = f"{WARC};{REQ};{REPLY};{REPLY2}"
    assert public_evidence(value, REFS) == f"{WARC};request:2026-3;reply:2026-3"
    assert public_evidence("", REFS) == "" and public_evidence(None, REFS) is None
    assert public_evidence(WARC, {}) == WARC  # nothing known as an e-mail: unchanged
