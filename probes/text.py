"""Small text helpers shared by the mail modules."""

from __future__ import annotations

import re
import unicodedata


def ascii_fold(text: str) -> str:
    """Lower-case ASCII without diacritics: 'Trả lời Tự động' -> 'tra loi tu dong'."""
    text = text or ""
    if text.isascii():  # fast path: most of a report is ASCII
        return re.sub(r"\s+", " ", text.lower()).strip()
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return re.sub(r"\s+", " ", stripped.lower()).strip()


def domain_of(address: str) -> str:
    return address.rsplit("@", 1)[1].lower().strip(".> ") if "@" in (address or "") else ""


_ID = re.compile(r"<([^<>\s]{3,990})>")


def message_ids(text: str) -> list[str]:
    """Message-IDs (angle-bracketed) in a header value or text, without the brackets."""
    seen: list[str] = []
    for m in _ID.finditer(text or ""):
        value = m.group(1)
        if "@" in value and value not in seen:
            seen.append(value)
    return seen


def bare_id(message_id: str) -> str:
    return (message_id or "").strip().strip("<>").strip()


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def clean(text: str) -> str:
    """Text every database accepts: no NUL, no lone surrogates (replaced by U+FFFD)."""
    if not text:
        return text or ""
    return _UNSTORABLE.sub(lambda m: "" if m.group(0) == "\x00" else "\ufffd", text)


def clean_list(values: list) -> list:  # type: ignore[type-arg]
    return [clean(v) if isinstance(v, str) else v for v in values]


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def for_terminal(text: str) -> str:
    """Text safe to print: control characters (ESC sequences from a hostile e-mail could
    rewrite the screen or the window title) shown as a visible ``�`` instead. Newlines and tabs
    stay."""
    return _CONTROL.sub("\ufffd", text.replace("\r\n", "\n")) if text else ""
