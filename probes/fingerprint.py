"""The normalised-content key: one message, however many times and ways it was exported.

``raw_sha256`` (SHA-256 of the bytes) is the evidence's identity and stays so (replies.csv,
DESIGN §6). But the same message reaches us with different bytes: IMAP collection and a later
``.mbox`` export of the same mailbox, a webmail "download original" that rewrites ``Received``,
adds ``X-`` headers, folds lines differently or re-encodes the body (quoted-printable ↔ base64,
another charset). Those are one message and must be stored once.

The Message-ID header alone cannot say so: broken, anonymised or reused Message-IDs are common
(auto-responders and list software re-use one for every message; test corpora anonymise them),
and two different messages are two pieces of evidence.

So the key is the SHA-256 of what a reader sees, normalised (version ``v1``):

- the Message-ID as written (angle brackets and case dropped; empty when the message had none —
  a synthesized id comes from the bytes and would differ between copies),
- the ``Date`` as an instant in UTC (or its raw text, whitespace collapsed, when unparseable),
- the sender's and the recipients' (To, Cc) addresses, lower-cased and sorted,
- the decoded subject, whitespace collapsed,
- when the message has neither a Message-ID nor a readable Date: the date of its topmost
  ``Received`` header (two identical undated notices that arrived at different times are two),
- the decoded body text (the plain part, else the text of the HTML part), Unicode NFC, mbox
  ``>From `` quoting undone, line ends and every run of white space collapsed to one space,
- the SHA-256 of every attachment's decoded bytes, sorted.

Two copies of one message agree on all of these whatever transport encoding, charset, header
folding or added trace headers each has. Two messages that differ in any of them are two rows.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC

from probes.parse import ParsedMail

KEY_VERSION = "v1"
_WS = re.compile(r"\s+")


_MBOX_FROM = re.compile(r"(?m)^>+(From )")


def _norm(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def _norm_body(text: str) -> str:
    return _norm(_MBOX_FROM.sub(r"\1", text or ""))


def content_key(p: ParsedMail) -> str:
    """64 hex digits; equal for copies of one message with rewritten headers or encodings."""
    mid = "" if p.synthesized_message_id else p.message_id.strip().strip("<>").strip().lower()
    if p.sent_at is not None:
        d = p.sent_at
        date = (d.astimezone(UTC) if d.tzinfo else d.replace(tzinfo=UTC)).isoformat()
    else:
        date = "raw:" + _norm(p.header("Date"))
    if not mid and p.sent_at is None and p.received_header_at is not None:
        r = p.received_header_at
        date += (
            " received:" + (r.astimezone(UTC) if r.tzinfo else r.replace(tzinfo=UTC)).isoformat()
        )
    rcpts = sorted({a.lower() for a in [*p.to_addrs, *p.cc_addrs] if a})
    body = _norm_body(p.body_text) or _norm_body(p.html_text)
    atts = sorted(hashlib.sha256(a.data).hexdigest() for a in p.attachments)
    parts = [
        KEY_VERSION,
        mid,
        date,
        p.from_addr.lower(),
        ",".join(rcpts),
        _norm(p.subject),
        body,
        ",".join(atts),
    ]
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        h.update(str(len(data)).encode() + b":" + data + b"\x00")
    return h.hexdigest()
