"""Robust parsing of received e-mail: any bytes in, a :class:`ParsedMail` out, never an exception.

What is odd about a message is recorded as short flags (``messages.flags``); docs/replies.md
explains each for researchers:

- ``synthesized_message_id`` (no usable Message-ID: one is made from the SHA-256 of the bytes),
  ``long_message_id``
- ``no_date`` / ``bad_date`` / ``bad_received_date``; ``no_from`` / ``bad_address``
- ``bad_charset`` / ``charset_mismatch:<declared>-><used>``; ``raw_8bit_header`` /
  ``bad_header_encoding``; ``bad_transfer_encoding``
- ``defects:<Name>,...``: what Python's MIME parser complained about (missing boundaries, ...)
- ``utf7``, ``tnef``, ``uuencode``: bodies in these encodings (decoded or kept as attachments)
- ``html_only``: the text comes from an HTML part (converted to text, never rendered)
- ``body_truncated`` (over :data:`BODY_CAP` characters), ``large_attachment`` (over
  :data:`LARGE_ATTACHMENT` bytes), ``too_many_parts`` (over :data:`MAX_PARTS`)
- ``not_email``: the bytes do not look like a message at all (no header block)
- ``leading_blank_lines``: blank lines before the header block (skipped to read the headers)
- ``parse_error:<Exception>``: the parser itself failed; the message is stored with what we have
"""

from __future__ import annotations

import binascii
import email
import email.policy
import hashlib
import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.header import decode_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from probes.charset import decode, normalise_charset
from probes.text import clean

BODY_CAP = 200_000  # characters of body_text kept in the database (the raw bytes are evidence)
LARGE_ATTACHMENT = 10 * 1024 * 1024
MAX_PARTS = 500  # walk at most this many MIME parts
MESSAGE_ID_MAX = 990


@dataclass
class AttachmentPart:
    filename: str
    content_type: str
    data: bytes


@dataclass
class ParsedMail:
    raw_sha256: str
    message_id: str
    synthesized_message_id: bool
    headers: list[tuple[str, str]]  # decoded, in order, names as written
    from_addr: str
    from_name: str
    to_addrs: list[str]
    cc_addrs: list[str]
    subject: str
    sent_at: datetime | None  # Date header
    received_header_at: datetime | None  # date of the topmost Received header
    body_text: str
    html_text: str  # text rendering of the HTML part, if any ('' otherwise)
    attachments: list[AttachmentPart]
    flags: list[str]
    content_type: str
    msg: Message | None = field(default=None, repr=False)  # the compat32 tree (for flufl.bounce)

    def header(self, name: str) -> str:
        """First value of a header ('' when absent)."""
        lname = name.lower()
        for k, v in self.headers:
            if k.lower() == lname:
                return v
        return ""

    def header_all(self, name: str) -> list[str]:
        lname = name.lower()
        return [v for k, v in self.headers if k.lower() == lname]

    def has_header(self, name: str) -> bool:
        lname = name.lower()
        return any(k.lower() == lname for k, _ in self.headers)

    def effective_received_at(
        self, internaldate: datetime | None, import_time: datetime
    ) -> tuple[datetime, str]:
        """received_at and where it came from: received | internaldate | date | import_time."""
        if self.received_header_at is not None:
            return self.received_header_at, "received"
        if internaldate is not None:
            return _utc(internaldate), "internaldate"
        if self.sent_at is not None:
            return self.sent_at, "date"
        return _utc(import_time), "import_time"


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _flag(flags: list[str], code: str) -> None:
    if code not in flags:
        flags.append(code)


_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def decode_header_value(value: object, flags: list[str]) -> str:
    """A header value as text: raw 8-bit bytes guessed, RFC 2047 words decoded, never raises."""
    if value is None:
        return ""
    text = str(value)
    if any("\udc80" <= ch <= "\udcff" for ch in text):  # raw 8-bit bytes (surrogateescape)
        raw = text.encode("ascii", "surrogateescape")
        dec = decode(raw, None)
        text = dec.text
        _flag(flags, "raw_8bit_header")
    if "=?" not in text:
        return _unfold(text)
    try:
        parts = decode_header(text)
    except Exception:  # malformed encoded words: keep the text as it is
        _flag(flags, "bad_header_encoding")
        return _unfold(text)
    out: list[str] = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            out.append(chunk)
            continue
        dec = decode(chunk, charset)
        if "bad_charset" in dec.flags or any(f.startswith("charset_mismatch") for f in dec.flags):
            _flag(flags, "bad_header_encoding")
        out.append(dec.text)
    return _unfold("".join(out))


def _unfold(text: str) -> str:
    text = re.sub(r"\r?\n[ \t]+", " ", text).replace("\r", "").replace("\n", " ").strip()
    return clean(text)


def _parse_date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        dt = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if dt is None or not (1980 <= dt.year <= 2200):
        return None
    return _utc(dt)


def _received_date(value: str) -> datetime | None:
    """The date after the last ';' of a Received header."""
    if ";" not in value:
        return None
    return _parse_date(value.rsplit(";", 1)[1].strip())


def _addresses(values: list[str], flags: list[str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if not values:
        return out
    try:
        pairs = getaddresses(values)
    except Exception:
        _flag(flags, "bad_address")
        return out
    for name, addr in pairs:
        addr = addr.strip().strip("<>").strip()
        if not addr:
            continue
        if "@" not in addr or " " in addr:
            _flag(flags, "bad_address")
            continue
        out.append((name.strip(), addr.lower()))
    return out


HTML_CAP = 1_000_000  # characters of HTML converted to text
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "tr",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "table",
        "ul",
        "ol",
        "pre",
        "hr",
        "section",
        "article",
        "header",
        "footer",
        "address",
        "dt",
        "dd",
        "form",
    ]
)


def html_to_text(html: str) -> str:
    """Text of an HTML document (data only: scripts and styles dropped, nothing is rendered).

    One pass over the parsed tree, so deeply nested or huge documents stay linear."""
    try:
        from bs4 import BeautifulSoup
        from bs4.element import (
            Comment,
            Declaration,
            Doctype,
            NavigableString,
            ProcessingInstruction,
        )

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            soup = BeautifulSoup(html[:HTML_CAP], "lxml")
        skip = {"script", "style", "head", "title", "meta", "noscript", "template"}
        parts: list[str] = []
        for node in soup.descendants:
            if isinstance(node, NavigableString):
                if isinstance(node, Comment | Declaration | Doctype | ProcessingInstruction):
                    continue
                parent = node.parent
                if parent is not None and parent.name in skip:
                    continue
                parts.append(str(node))
            elif node.name == "br" or node.name in _BLOCKS:
                parts.append("\n")
            elif node.name in {"td", "th"}:
                parts.append(" ")
        text = "".join(parts)
    except Exception:
        text = re.sub(r"<[^>]*>", " ", html[:HTML_CAP])
    lines = [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_UU_BEGIN = re.compile(rb"^begin [0-7]{3,4} (\S[^\r\n]*)\r?$", re.MULTILINE)
_UU_END = re.compile(rb"^end\r?$", re.MULTILINE)


def extract_uuencoded(data: bytes) -> tuple[bytes, list[AttachmentPart]]:
    """Split uuencoded blocks out of a text body: (remaining text, decoded files)."""
    found: list[AttachmentPart] = []
    if b"begin " not in data:
        return data, found
    pieces: list[bytes] = []
    pos = 0
    for m in _UU_BEGIN.finditer(data):
        if m.start() < pos:
            continue
        end = _UU_END.search(data, m.end())
        if end is None:
            break  # no 'end' line after this one: none after later ones either
        out = bytearray()
        ok = True
        for line in data[m.end() : end.start()].splitlines():
            line = line.rstrip(b"\r")
            if not line or line == b"`":
                continue
            try:
                out += binascii.a2b_uu(line)
            except binascii.Error:
                try:  # some encoders write too few bytes on the last line
                    nbytes = (((line[0] - 32) & 63) * 4 + 5) // 3
                    out += binascii.a2b_uu(line[:nbytes])
                except (binascii.Error, IndexError):
                    ok = False
                    break
        if not ok:
            continue
        name = m.group(1).decode("latin-1").strip()
        found.append(AttachmentPart(name, "application/octet-stream", bytes(out)))
        pieces.append(data[pos : m.start()])
        pieces.append(f"[uuencoded file: {name}]".encode())
        pos = end.end()
    pieces.append(data[pos:])
    return b"".join(pieces), found


def _payload_bytes(part: Message, flags: list[str]) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        _flag(flags, "bad_transfer_encoding")
        data = None
    if data is None:
        payload = part.get_payload()
        if isinstance(payload, str):
            return payload.encode("utf-8", "surrogateescape")
        return b""
    return data if isinstance(data, bytes) else str(data).encode("utf-8", "surrogateescape")


def _filename(part: Message, flags: list[str]) -> str:
    try:
        name = part.get_filename() or part.get_param("name") or ""
    except Exception:
        name = ""
    if isinstance(name, tuple):  # RFC 2231 leftovers
        name = email.utils.collapse_rfc2231_value(name)
    return decode_header_value(name, flags)[:255]


def _content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:
        return "application/octet-stream"


def _charset(part: Message) -> str | None:
    try:
        cs = part.get_param("charset")
    except Exception:
        return None
    if isinstance(cs, tuple):
        cs = cs[2] if len(cs) > 2 else None
    return str(cs) if cs else None


def _is_attachment(part: Message, ctype: str, filename: str) -> bool:
    disposition = str(part.get("Content-Disposition", "")).lower()
    if disposition.startswith("attachment"):
        return True
    if ctype.startswith(("text/plain", "text/html")) and not filename:
        return False
    if ctype.startswith("multipart/") or ctype == "message/delivery-status":
        return False
    return bool(filename) or not ctype.startswith("text/")


def _defect_names(msg: Message) -> list[str]:
    names: list[str] = []
    for parts, part in enumerate(msg.walk(), 1):
        if parts > MAX_PARTS:
            break
        for d in getattr(part, "defects", []) or []:
            n = type(d).__name__.removesuffix("Defect")
            if n not in names:
                names.append(n)
    return names


def synthesized_id(sha: str) -> str:
    return f"<{sha[:40]}@synthesized.pobi.invalid>"


def parse(raw: bytes) -> ParsedMail:
    """Parse any bytes as an e-mail. Never raises."""
    sha = hashlib.sha256(raw).hexdigest()
    flags: list[str] = []
    try:
        return _parse(raw, sha, flags)
    except Exception as exc:  # pragma: no cover - defensive: the parser itself failed
        _flag(flags, f"parse_error:{type(exc).__name__}")
        text = decode(raw[:BODY_CAP], None).text
        return ParsedMail(
            raw_sha256=sha,
            message_id=synthesized_id(sha),
            synthesized_message_id=True,
            headers=[],
            from_addr="",
            from_name="",
            to_addrs=[],
            cc_addrs=[],
            subject="",
            sent_at=None,
            received_header_at=None,
            body_text=text,
            html_text="",
            attachments=[],
            flags=[*flags, "synthesized_message_id"],
            content_type="",
            msg=None,
        )


def _parse(raw: bytes, sha: str, flags: list[str]) -> ParsedMail:
    head = raw[:4096].lstrip()
    if not re.match(rb"^(From |[!-9;-~]+:)", head):
        _flag(flags, "not_email")
    lead = re.match(rb"^(?:[ \t]*\r?\n)+", raw)
    if lead and re.match(rb"^[!-9;-~]+:", raw[lead.end() : lead.end() + 200]):
        # blank lines before the header block (a save from some clients or scripts): without this
        # the whole message would read as a body with no headers. The bytes stay as they are.
        _flag(flags, "leading_blank_lines")
        raw = raw[lead.end() :]
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    headers: list[tuple[str, str]] = []
    for name, value in msg._headers[:2000]:  # raw (name, value) pairs, in order
        headers.append((str(name), decode_header_value(value, flags)))

    def first(name: str) -> str:
        for k, v in headers:
            if k.lower() == name:
                return v
        return ""

    # Message-ID
    mid = first("message-id").strip()
    m = re.search(r"<[^<>\s]+>", mid)
    if m:
        mid = m.group(0)
    elif mid and " " not in mid and "@" in mid:
        mid = f"<{mid}>"
    else:
        mid = ""
    if len(mid) > MESSAGE_ID_MAX:
        _flag(flags, "long_message_id")
        mid = ""
    synthesized = not mid
    if synthesized:
        mid = synthesized_id(sha)
        _flag(flags, "synthesized_message_id")

    # Addresses
    froms = _addresses([v for k, v in headers if k.lower() == "from"], flags)
    if not froms:
        froms = _addresses([v for k, v in headers if k.lower() in {"sender", "return-path"}], [])
        if not first("from"):
            _flag(flags, "no_from")
    from_name, from_addr = froms[0] if froms else ("", "")
    to_addrs = [a for _, a in _addresses([v for k, v in headers if k.lower() == "to"], flags)]
    cc_addrs = [a for _, a in _addresses([v for k, v in headers if k.lower() == "cc"], flags)]

    # Dates
    date_value = first("date")
    sent_at = _parse_date(date_value)
    if date_value and sent_at is None:
        _flag(flags, "bad_date")
    received_at = None
    for k, v in headers:
        if k.lower() == "received":
            received_at = _received_date(v)
            if received_at is None:
                _flag(flags, "bad_received_date")
            break
    if sent_at is None and received_at is None:
        _flag(flags, "no_date")

    defects = _defect_names(msg)
    if defects:
        _flag(flags, "defects:" + ",".join(sorted(defects)))

    # Bodies and attachments
    plain: list[str] = []
    html: list[str] = []
    attachments: list[AttachmentPart] = []
    count = 0
    for part in msg.walk():
        count += 1
        if count > MAX_PARTS:
            _flag(flags, "too_many_parts")
            break
        if part.is_multipart():
            continue
        ctype = _content_type(part)
        filename = _filename(part, flags)
        cte = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
        if ctype in {"application/ms-tnef", "application/vnd.ms-tnef"} or (
            filename.lower() == "winmail.dat"
        ):
            _flag(flags, "tnef")
            attachments.append(
                AttachmentPart(filename or "winmail.dat", ctype, _payload_bytes(part, flags))
            )
            continue
        if ctype in {"message/delivery-status", "message/disposition-notification"}:
            continue
        if ctype == "text/rfc822-headers":
            continue
        if _is_attachment(part, ctype, filename):
            data = _payload_bytes(part, flags)
            attachments.append(AttachmentPart(filename, ctype, data))
            continue
        data = _payload_bytes(part, flags)
        if cte in {"x-uuencode", "uuencode", "x-uue"} or b"\nbegin " in b"\n" + data[:200_000]:
            data, uu = extract_uuencoded(data)
            if uu:
                _flag(flags, "uuencode")
                attachments.extend(uu)
        charset = _charset(part)
        if charset and normalise_charset(charset) == "utf-7":
            _flag(flags, "utf7")
        dec = decode(data, charset)
        for f in dec.flags:
            _flag(flags, f)
        if ctype == "text/html":
            html.append(html_to_text(dec.text))
        else:
            plain.append(dec.text)
    body = "\n\n".join(t for t in plain if t.strip())
    html_text = "\n\n".join(t for t in html if t.strip())
    if not body and html_text:
        body = html_text
        _flag(flags, "html_only")
    body = clean(body.replace("\r\n", "\n"))
    if len(body) > BODY_CAP:
        body = body[:BODY_CAP]
        _flag(flags, "body_truncated")
    if any(len(a.data) > LARGE_ATTACHMENT for a in attachments):
        _flag(flags, "large_attachment")
    subject = first("subject").replace("\x00", "")
    return ParsedMail(
        raw_sha256=sha,
        message_id=mid,
        synthesized_message_id=synthesized,
        headers=headers,
        from_addr=from_addr[:320],
        from_name=from_name,
        to_addrs=to_addrs,
        cc_addrs=cc_addrs,
        subject=subject,
        sent_at=sent_at,
        received_header_at=received_at,
        body_text=body,
        html_text=clean(html_text[:BODY_CAP]),
        attachments=attachments,
        flags=flags,
        content_type=_content_type(msg),
        msg=msg,
    )
