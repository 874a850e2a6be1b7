"""Public-mode rules for data that leaves the researcher's machine (the static site's downloads).

The one source of these rules (the dashboard's public mode, ``dashboard/privacy.py``, imports
them): aggregates, scores and portal evidence (what a portal itself publishes) are public; requesters' and officials' personal
data are not — e-mail bodies, subjects, senders, the request's text, the addresses requests went
to, mailbox names, file paths, coders' names, raw e-mails. Export rows keep their columns (the
data package's schema stays the same); a private value is masked or blanked.
"""

from __future__ import annotations

import re
from typing import Any

# Columns that may hold personal data: the one list (the dashboard's public mode uses it too).
PRIVATE_COLUMNS = frozenset(
    {
        "from_addr",
        "subject",
        "body_text",
        "recipient",
        "source",
        "eml_sha256",
        "raw_sha256",
        "message_id",
        "override_coder",
        "coder",
        "to_addrs",
        # disputes (right of reply): who filed (an official or a citizen), who decided, and the
        # free text of the claim and the decision, which may name people or give their phones
        "filed_by",
        "decided_by",
        "claim",
        "reason",
    }
)
# Private columns that keep a public part: the domain of an address, or free text with every
# e-mail address and phone number masked. The others are blanked.
_DOMAIN_ONLY = frozenset({"recipient", "filed_by"})
_SCRUBBED = frozenset({"claim", "reason"})

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(\+?84|0)[\d .-]{8,13}\d(?!\d)")


def mask_email(address: str) -> str:
    """'nguyen.van.a@stc.hanoi.gov.vn' -> '…@stc.hanoi.gov.vn' (the agency's domain stays)."""
    if "@" not in address:
        return "…"
    return "…@" + address.rsplit("@", 1)[1]


def scrub(text: str) -> str:
    """Mask e-mail addresses and phone numbers inside free text."""
    text = _EMAIL.sub(lambda m: mask_email(m.group(0)), text)
    return _PHONE.sub("…", text)


def public_value(column: str, value: Any) -> Any:
    """One export value fit for publication: a private column's value is blanked, except the
    recipient's and a dispute filer's address, which keep only their domain, and a dispute's
    claim and decision reason, whose e-mail addresses and phone numbers are masked; other
    columns' values stay."""
    if column not in PRIVATE_COLUMNS or value is None or (isinstance(value, str) and not value):
        return value
    if column in _DOMAIN_ONLY:
        return mask_email(str(value))
    if column in _SCRUBBED:
        return scrub(str(value))
    return ""


def public_row(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """An export row fit for publication: the recipient's address keeps only its domain, every
    other private column is blanked (tables other helpers add are covered by the column list)."""
    return {column: public_value(column, value) for column, value in row.items()}
