"""Turning bytes of unknown or wrongly declared charset into text, Vietnamese first.

Mail from Vietnamese agencies arrives in UTF-8, windows-1258 (with tone marks as combining
characters), VISCII (no Python codec: the table is here) or UTF-7, and is often labelled wrongly
(windows-1258 declared as iso-8859-1, UTF-8 declared as us-ascii). :func:`decode` tries the
declared charset and the usual suspects and keeps the most plausible reading, saying what it did.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

# VISCII (RFC 1456): bytes 0x80-0xFF, and six C0 positions that hold capital letters.
_VISCII_HIGH = (
    "ẠẮẰẶẤẦẨẬẼẸẾỀỂỄỆỐ"
    "ỒỔỖỘỢỚỜỞỊỎỌỈỦŨỤỲ"
    "Õắằặấầẩậẽẹếềểễệố"
    "ồổỗỠƠộờởịỰỨỪỬơớƯ"
    "ÀÁÂÃẢĂẳẵÈÉÊẺÌÍĨỳ"
    "ĐứÒÓÔạỷừửÙÚỹỵÝỡư"
    "àáâãảăữẫèéêẻìíĩỉ"
    "đựòóôõỏọụùúũủýợỮ"
)
_VISCII_LOW = {0x02: "Ẳ", 0x05: "Ẵ", 0x06: "Ẫ", 0x14: "Ỷ", 0x19: "Ỹ", 0x1E: "Ỵ"}
VISCII_TABLE = "".join(_VISCII_LOW.get(i, chr(i)) for i in range(128)) + _VISCII_HIGH
assert len(VISCII_TABLE) == 256

ALIASES = {
    "utf8": "utf-8",
    "unicode-1-1-utf-7": "utf-7",
    "x-unicode-2-0-utf-7": "utf-7",
    "utf7": "utf-7",
    "viscii": "viscii",
    "x-viscii": "viscii",
    "viscii1.1-1": "viscii",
    "csviscii": "viscii",
    "windows-1258": "cp1258",
    "x-cp1258": "cp1258",
    "cp-1258": "cp1258",
    "win-1258": "cp1258",
    "vn": "cp1258",
    "ansi_x3.4-1968": "ascii",
    "us-ascii": "ascii",
    "x-unknown": "",
    "unknown-8bit": "",
    "x-user-defined": "",
    "default": "",
}

# Letters of the Vietnamese alphabet beyond ASCII (NFC), both cases.
_VI_BASE = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
VIETNAMESE_LETTERS = frozenset(_VI_BASE + _VI_BASE.upper())


def normalise_charset(name: str | None) -> str:
    """A Python codec name for a MIME charset label ('' when unknown or absent)."""
    if not name:
        return ""
    label = name.strip().strip("\"'").lower()
    if label in ALIASES:
        return ALIASES[label]
    try:
        return codecs.lookup(label).name
    except (LookupError, ValueError):
        return ""


def _decode_viscii(data: bytes) -> str:
    return "".join(VISCII_TABLE[b] for b in data)


def decode_strict(data: bytes, codec: str) -> str | None:
    """Decode or None; NFC-normalised (windows-1258 carries tone marks as combining characters)."""
    try:
        text = _decode_viscii(data) if codec == "viscii" else data.decode(codec)
    except (UnicodeDecodeError, LookupError, ValueError):
        return None
    return unicodedata.normalize("NFC", text)


SCORE_SAMPLE = 20_000  # characters scored (the start of the text tells the charset)


def _score(text: str) -> tuple[float, int]:
    """(plausibility, anomalies): anomalies are what mojibake produces."""
    score = 0.0
    anomalies = 0
    prev = ""
    for ch in text[:SCORE_SAMPLE]:
        o = ord(ch)
        if o < 128:
            if o < 32 and ch not in "\r\n\t\f":
                score -= 5
                anomalies += 1
        elif ch == "\ufffd":
            score -= 5
            anomalies += 1
        elif ch in VIETNAMESE_LETTERS:
            score += 1
            # a capital right after a small letter inside a word: typical mojibake ("aÒ")
            if ch.isupper() and prev.islower():
                score -= 3
                anomalies += 1
        elif unicodedata.category(ch).startswith("L"):
            score += 0.25
            if ch.isupper() and prev.islower():
                score -= 3
                anomalies += 1
        elif unicodedata.category(ch) in {"Mn", "Cc", "Co", "Cs", "Cn"}:
            score -= 4
            anomalies += 1
        elif o < 0x2000:
            score -= 1.5  # ¶ ¤ ± ... rarely in real text
            anomalies += 1
        prev = ch
    return score, anomalies


def plausibility(text: str) -> float:
    """Higher is more plausible human text (Vietnamese or any Latin language)."""
    return _score(text)[0]


@dataclass(frozen=True)
class Decoded:
    text: str
    codec: str  # what was used
    flags: tuple[str, ...]  # bad_charset, charset_mismatch:<declared>-><used>, undecodable


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """The best text reading of ``data``. Never raises."""
    flags: list[str] = []
    label = (declared or "").strip().strip("\"'").lower()
    codec = normalise_charset(label)
    if label and not codec and label not in ALIASES:
        flags.append("bad_charset")
    if not data:
        return Decoded("", codec or "ascii", tuple(flags))
    if data.isascii() and codec not in {"utf-7", "utf-16", "utf-16-le", "utf-16-be", "utf-32"}:
        if b"+" in data and codec == "" and b"+A" in data and b"-" in data:
            pass  # could be undeclared UTF-7; fall through to try it below
        else:
            return Decoded(
                unicodedata.normalize("NFC", data.decode("ascii")), "ascii", tuple(flags)
            )
    declared_text = decode_strict(data, codec) if codec else None
    if declared_text is not None and codec in {"utf-8", "utf-7", "utf-16", "utf-32"}:
        return Decoded(declared_text, codec, tuple(flags))
    candidates: list[tuple[str, str]] = []
    if declared_text is not None:
        candidates.append((codec, declared_text))
    # A label that reads is only second-guessed by the charsets Vietnamese mail is really in
    # (mislabelling goes that way: windows-1258 sent as iso-8859-1, not the other way round).
    # A Vietnamese charset declared explicitly is trusted (only UTF-8 can overrule it).
    if declared_text is not None and codec in {"cp1258", "viscii"}:
        alternatives: tuple[str, ...] = ("utf-8",)
    elif declared_text is not None:
        alternatives = ("utf-8", "cp1258", "viscii")
    else:
        alternatives = ("utf-8", "cp1258", "viscii", "cp1252", "latin-1")
    for alt in alternatives:
        if alt == codec or alt in {c for c, _ in candidates}:
            continue
        if alt == "viscii" and not any(b >= 0x80 for b in data):
            continue
        text = decode_strict(data, alt)
        if text is not None:
            candidates.append((alt, text))
    if not candidates:  # latin-1 decodes everything, so this is only defensive
        return Decoded(data.decode("utf-8", "replace"), "utf-8", (*flags, "undecodable"))
    # UTF-8 that decodes strictly with non-ASCII bytes is almost never an accident.
    best_codec, best_text = candidates[0]
    best_score, best_anomalies = _score(best_text)
    if codec != "utf-8" and any(c == "utf-8" for c, _ in candidates):
        best_codec, best_text = next((c, t) for c, t in candidates if c == "utf-8")
    elif declared_text is None or best_anomalies:
        # A declared charset that reads cleanly is kept; otherwise the most plausible reading.
        margin = 2.0 if declared_text is not None else 0.0
        for c, t in candidates[1:]:
            s, _ = _score(t)
            if s > best_score + margin:
                best_codec, best_text, best_score = c, t, s
    if codec and best_codec != codec:
        flags.append(f"charset_mismatch:{label}->{best_codec}")
    elif not codec and label and "bad_charset" not in flags:
        flags.append("bad_charset")
    return Decoded(best_text, best_codec, tuple(flags))
