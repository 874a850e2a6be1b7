"""The parts of a message's text that a classifier may read as the sender's own words.

A delivery report quotes the message it returns, and a person quoting a bounce quotes the
report: a phrase only counts where the sender wrote it. :func:`own_text` is the folded body text
before the first quoted line block, forwarded-message separator or copy of the original message;
:func:`report_text` keeps the report part of a mail system's message (up to the copy of the
original), which may itself contain the remote server's quoted SMTP dialogue (``<<< 550 ...``).
"""

from __future__ import annotations

import re

from probes.parse import ParsedMail
from probes.text import ascii_fold

LIMIT = 20_000
_COPY = re.compile(
    r"^\s*(-{2,}\s*(original message|forwarded message|ursprungliche nachricht|message d'origine"
    r"|messaggio originale|mensaje original|wiadomosc oryginalna|thu goc|thu chuyen tiep)"
    r"|-+ ?(this is a copy of the message|below this line is a copy|original message follows"
    r"|the header of the original message|message headers follow|returned message)"
    r"|original message follows|original message headers|-----original message-----"
    r"|on .{4,80} wrote:\s*$|vao .{4,80} da viet:\s*$|am .{4,80} schrieb .{0,60}:\s*$"
    r"|le .{4,80} a ecrit\s*:\s*$|from: .+\n(sent|date): )",
    re.IGNORECASE | re.MULTILINE,
)
_QUOTED = re.compile(r"^\s*>", re.MULTILINE)


def report_text(p: ParsedMail) -> str:
    """Folded text of the report, up to the copy of the original message."""
    text = p.body_text[:LIMIT] or p.html_text[:LIMIT]
    m = _COPY.search(text)
    if m and m.start() > 0:
        text = text[: m.start()]
    return ascii_fold(text)


def own_text(p: ParsedMail) -> str:
    """Folded text the sender wrote: before any quoted block ('>') or forwarded/original copy."""
    text = p.body_text[:LIMIT] or p.html_text[:LIMIT]
    cut = len(text)
    m = _COPY.search(text)
    if m:
        cut = m.start()
    lines = text[:cut].splitlines()
    own: list[str] = []
    for line in lines:
        if _QUOTED.match(line) and not line.lstrip().startswith((">>>", "<<<")):
            break  # a quoted block starts; an SMTP transcript ('>>> RCPT') is not quoting
        own.append(line)
    return ascii_fold("\n".join(own))
