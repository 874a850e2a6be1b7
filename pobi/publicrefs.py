"""Public references to e-mails, in place of their hashes, for data that leaves the researcher's
machine (the static site's downloads, the public dashboard).

A score's ``evidence`` lists the SHA-256 of the files behind it: a finding's WARC and screenshot
(what a portal itself publishes: public, and what ``pobi evidence verify`` and the round's WACZ
check), and the request e-mail as sent and the raw replies. The hash of a raw e-mail is not
public: whoever holds a guessed message (a reply they suspect was sent, a request they think
they recognise) can confirm it by hashing it. In public files each e-mail's hash is therefore
replaced by an opaque reference to the public row it stands for:

- ``request:<request_id>``: the request e-mail as sent (a row of ``requests.csv``);
- ``reminder:<request_id>/<wave>``: a reminder of that request (wave 2, 3, …);
- ``reply:<request_id>``: a message matched to that request (its rows in ``replies.csv``);
- ``message``: a message matched to no request.

Every other hash stays as it is. The columns do not change (DESIGN §6), only these values; the
researcher's own ``pobi export`` keeps every hash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.privacy import public_row
from pobi.store.tables import Message, ProbeRequest, RequestWave

# export columns that list evidence hashes, ';'-separated
EVIDENCE_LISTS = frozenset({"evidence"})


def email_references(session: Session, round_id: str) -> dict[str, str]:
    """SHA-256 of every e-mail of the round (requests and reminders as sent, messages as
    received) -> its public reference."""
    refs: dict[str, str] = {}
    for msg_sha, request_id in session.execute(
        select(Message.raw_sha256, Message.request_id).where(Message.round_id == round_id)
    ):
        if msg_sha:
            refs[msg_sha] = f"reply:{request_id}" if request_id else "message"
    for eml, request_id, wave in session.execute(
        select(RequestWave.eml_sha256, RequestWave.request_id, RequestWave.wave)
        .join(ProbeRequest, ProbeRequest.id == RequestWave.request_id)
        .where(ProbeRequest.round_id == round_id)
    ):
        if eml:
            refs[eml] = f"reminder:{request_id}/{wave}"
    for eml, request_id in session.execute(
        select(ProbeRequest.eml_sha256, ProbeRequest.id).where(ProbeRequest.round_id == round_id)
    ):
        if eml:
            refs[eml] = f"request:{request_id}"
    return refs


def public_evidence(value: Any, references: Mapping[str, str], sep: str = ";") -> Any:
    """A ``sep``-separated list of hashes with each e-mail's hash replaced by its reference
    (duplicates dropped, order kept); other hashes stay."""
    if not isinstance(value, str) or not value:
        return value
    out: list[str] = []
    for item in value.split(sep):
        shown = references.get(item.strip(), item.strip())
        if shown not in out:
            out.append(shown)
    return sep.join(out)


def public_redactor(
    session: Session, round_id: str
) -> Callable[[str, dict[str, Any]], dict[str, Any]]:
    """The public-mode rewrite of an export row (:func:`pobi.privacy.public_row`), with the
    e-mails' hashes in evidence lists replaced by their references."""
    refs = email_references(session, round_id)

    def redact(table: str, row: dict[str, Any]) -> dict[str, Any]:
        out = public_row(table, row)
        for column in EVIDENCE_LISTS & out.keys():
            out[column] = public_evidence(out[column], refs)
        return out

    return redact
