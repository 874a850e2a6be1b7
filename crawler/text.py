"""Text normalisation for Vietnamese pages: NFC, diacritic folding (đ -> d), case, whitespace.

Portals write the same label many ways: 'Hỏi đáp', 'HỎI ĐÁP', 'Hoi dap', 'Hỏi - Đáp', 'Hỏi | Đáp',
NFD-decomposed text, windows-1258's base-letter-plus-tone-mark. :func:`label_key` maps them all
to one key ('hoi dap') so checks compare keys, never raw text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_COUNT = re.compile(r"[\(\[]\s*\d{1,6}\s*[\)\]]\s*$")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def squash(text: str) -> str:
    """Collapse whitespace (incl. non-breaking spaces) and strip."""
    return _SPACE.sub(" ", (text or "").replace("\xa0", " ")).strip()


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    if ch.isascii():
        return ch
    base = unicodedata.normalize("NFD", ch)
    kept = "".join(c for c in base if not unicodedata.combining(c))
    return kept if len(kept) == 1 else ch


def fold(text: str) -> str:
    """NFC, then drop diacritics character by character (đ -> d). Keeps case and length.

    Length is preserved (one output character per NFC character), so positions found in the
    folded text are positions in ``nfc(text)``.
    """
    return nfc(text).translate(_FOLD_TABLE)


class _FoldTable(dict[int, str]):
    """``str.translate`` table of :func:`_fold_char`, filled as characters are met (the checks
    fold whole page texts: a table lookup per character instead of a Python call)."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold_lower(text: str) -> str:
    """Folded and case-folded ('Đường' -> 'duong'). Length kept for Vietnamese text."""
    folded = fold(text)
    lowered = folded.casefold()
    return lowered if len(lowered) == len(folded) else folded.lower()


def label_key(text: str) -> str:
    """'  Hỏi - Đáp TRỰC TUYẾN ' -> 'hoi dap truc tuyen' (punctuation becomes a space)."""
    if len(text) > _CACHED_LENGTH:
        return _label_key(text)
    return _cached_label_key(text)


def _label_key(text: str) -> str:
    return _NON_WORD.sub(" ", fold_lower(text)).strip()


# menus, footers and the checks' own labels repeat on every page of a site: keys of short texts
# are kept (the checks called this ~780 times per page, most of the checks' time)
_CACHED_LENGTH = 200
_cached_label_key = lru_cache(maxsize=32768)(_label_key)


def slug_key(segment: str) -> str:
    """A URL path segment as a key: 'Hoi-dap-phap-luat.aspx' -> 'hoi-dap-phap-luat'."""
    segment = re.sub(r"\.(aspx?|html?|php|jsp|do|cfm)$", "", segment.strip().lower())
    segment = fold_lower(_percent_decode(segment))
    return re.sub(r"[^0-9a-z]+", "-", segment).strip("-")


def _percent_decode(text: str) -> str:
    from urllib.parse import unquote

    try:
        return unquote(text)
    except Exception:  # pragma: no cover - unquote does not raise on str
        return text


def label_matches(
    text: str, labels: Iterable[str], *, extra_words: int = 0, prefixes: Iterable[str] = ()
) -> str | None:
    """The label ``text`` matches, if any.

    ``text`` matches a label when its key equals the label's key, optionally after one of
    ``prefixes`` (e.g. 'chuyen muc'), followed by at most ``extra_words`` more words.
    Long texts (headlines) therefore never match a short label.
    """
    text = _COUNT.sub("", text or "")  # 'Hỏi đáp (25)': a menu with a counter
    key = label_key(text)
    if not key:
        return None
    for prefix in ("", *prefixes):
        p = label_key(prefix)
        rest = key
        if p:
            if not (key == p or key.startswith(p + " ")):
                continue
            rest = key[len(p) :].strip()
        for label in labels:
            lk = label_key(label)
            if rest == lk:
                return label
            if extra_words and rest.startswith(lk + " "):
                extra = rest[len(lk) :].split()
                if len(extra) <= extra_words and not any(w.isdigit() for w in extra):
                    return label
    return None


def words(text: str) -> list[str]:
    return label_key(text).split()
