"""Per-request reply tokens (Alaveteli style) and subject tags.

Reply address: ``<local>+<round>-<n>-<mac8>@<domain>`` where ``mac8`` is the first 8 hex digits
of HMAC-SHA256(secret, "<round>-<n>"). Subject tag: ``[POBI-<round>-<n>]``, the prefix configurable
(``[probes] subject_tag``, e.g. ``[YC-2026-7]``) so a letter need not name the tool.

Finding a token tolerates what people and mail systems do to addresses: any letter case, and the
retyping confusions l/I/1 and o/O/0 (in the round id, the number and the MAC). A token whose MAC
does not verify is ignored, so a guessed or mangled number never matches the wrong request.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from pobi.errors import ConfigError

_FOLD = str.maketrans({"l": "1", "i": "1", "o": "0"})
# local+<round>-<n>-<mac>@ ; round ids may contain '-', '.', '_' so we anchor on the right.
_TOKEN = re.compile(r"\+([a-z0-9][a-z0-9._-]*?)-([0-9lio]{1,9})-([0-9a-fio l]{8})@", re.IGNORECASE)
DEFAULT_TAG = "POBI"
TAG_PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,15}$")


def fold(text: str) -> str:
    """Case-fold and map l/i -> 1, o -> 0 (for comparing retyped tokens)."""
    return text.lower().translate(_FOLD)


def mac8(secret: str, round_id: str, n: int) -> str:
    if not secret:
        raise ConfigError(
            "POBI_TOKEN_SECRET is not set: it signs the reply tokens.",
            hint="export POBI_TOKEN_SECRET=$(python -c 'import secrets; print(secrets.token_hex(16))')",
        )
    return hmac.new(secret.encode(), f"{round_id}-{n}".encode(), hashlib.sha256).hexdigest()[:8]


def reply_address(local: str, domain: str, round_id: str, n: int, secret: str) -> str:
    if not local or not domain:
        raise ConfigError(
            "The reply address is not configured: set [probes] reply_local and reply_domain "
            "(POBI_PROBES_REPLY_LOCAL / POBI_PROBES_REPLY_DOMAIN)."
        )
    return f"{local}+{round_id}-{n}-{mac8(secret, round_id, n)}@{domain}"


def check_tag_prefix(prefix: str) -> str:
    """A subject tag prefix ([probes] subject_tag): 1-16 letters and digits, starting with a
    letter (e.g. POBI, YC, KS). Anything else is a ConfigError."""
    if not TAG_PREFIX.match(prefix or ""):
        raise ConfigError(
            f"The subject tag {prefix!r} must be 1-16 letters or digits, starting with a letter "
            "(setting probes.subject_tag, e.g. YC).",
        )
    return prefix


def subject_tag(round_id: str, n: int, prefix: str = DEFAULT_TAG) -> str:
    return f"[{check_tag_prefix(prefix)}-{round_id}-{n}]"


def _tag_pattern(prefixes: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in sorted(set(prefixes)) if TAG_PREFIX.match(p))
    return re.compile(
        rf"\[\s*(?:{alternatives or DEFAULT_TAG})-([A-Za-z0-9._-]+?)-([0-9lIoO]{{1,9}})\s*\]",
        re.IGNORECASE,
    )


def tag_prefix_of(subject: str) -> str:
    """The prefix of a subject tag we wrote ('[YC-2026-7] ...' -> 'YC'); '' if none."""
    m = re.match(r"\s*\[([A-Za-z][A-Za-z0-9]{0,15})-", subject or "")
    return m.group(1) if m else ""


@dataclass(frozen=True)
class TokenHit:
    round_id: str
    n: int
    where: str  # what text it was found in (header name)


def _known(rounds: list[str]) -> dict[str, str]:
    return {fold(r): r for r in rounds}


def _number(raw: str) -> int | None:
    digits = fold(raw)
    return int(digits) if digits.isdigit() else None


def find_tokens(text: str, rounds: list[str], secret: str, where: str = "") -> list[TokenHit]:
    """Verified tokens in a header value (To, Cc, Delivered-To, Received, ...)."""
    hits: list[TokenHit] = []
    known = _known(rounds)
    for m in _TOKEN.finditer(text or ""):
        round_id = known.get(fold(m.group(1)))
        n = _number(m.group(2))
        if round_id is None or n is None:
            continue
        if fold(m.group(3).replace(" ", "")) == fold(mac8(secret, round_id, n)):
            hit = TokenHit(round_id, n, where)
            if hit not in hits:
                hits.append(hit)
    return hits


def find_subject_tags(
    subject: str, rounds: list[str], prefixes: tuple[str, ...] = (DEFAULT_TAG,)
) -> list[TokenHit]:
    hits: list[TokenHit] = []
    known = _known(rounds)
    for m in _tag_pattern(prefixes).finditer(subject or ""):
        round_id = known.get(fold(m.group(1)))
        n = _number(m.group(2))
        if round_id is not None and n is not None:
            hit = TokenHit(round_id, n, "Subject")
            if hit not in hits:
                hits.append(hit)
    return hits
