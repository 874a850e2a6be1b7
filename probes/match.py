"""Which request is this message about? Methods in order, the first that decides wins:

1. ``token``: a verified reply token (``local+<round>-<n>-<mac8>@``) in To, Cc, Delivered-To,
   X-Original-To, Envelope-To, Resent-To or Received (for a bounce also in the returned original's
   headers, the DSN's recipient fields and the report's text);
2. ``thread``: In-Reply-To / References (for a bounce also the returned original's Message-ID)
   against the Message-IDs of the round's requests;
3. ``subject_tag``: ``[POBI-<round>-<n>]`` in the subject (or the returned original's subject);
4. ``sender``: the sender's address is the recipient of exactly one request of the round (for a
   bounce: a failed recipient is), else the sender's domain is the domain of exactly one;
5. otherwise ``unmatched``: the message waits in the holding pen.

A token whose MAC does not verify never matches, so a mistyped number cannot land on another
request; ``match_detail`` says what matched, where.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.models import MatchMethod, ReplyKind
from pobi.store.tables import ProbeRequest, RequestWave
from probes.classify import Classification
from probes.parse import ParsedMail
from probes.text import bare_id, domain_of, message_ids
from probes.token import find_subject_tags, find_tokens, tag_prefix_of

TOKEN_HEADERS = (
    "Delivered-To",
    "X-Original-To",
    "Envelope-To",
    "X-Envelope-To",
    "To",
    "Cc",
    "Resent-To",
    "X-Forwarded-To",
    "Received",
)
RETURNED_TOKEN_HEADERS = ("From", "Reply-To", "Return-Path", "Sender", "To", "Cc")


@dataclass(frozen=True)
class Match:
    request_id: str | None
    method: MatchMethod
    detail: str


class RoundRequests:
    """The round's requests, indexed for matching (loaded once per ingest)."""

    def __init__(self, session: Session, round_id: str) -> None:
        self.round_id = round_id
        self.rows = list(
            session.scalars(select(ProbeRequest).where(ProbeRequest.round_id == round_id))
        )
        self.by_n = {r.n: r for r in self.rows}
        self.by_mid: dict[str, ProbeRequest] = {}
        for r in self.rows:
            if r.message_id:
                self.by_mid[bare_id(r.message_id)] = r
        # reminders (issue 17) are in the request's thread: their Message-IDs stand for it
        by_id = {r.id: r for r in self.rows}
        for request_id, mid in session.execute(
            select(RequestWave.request_id, RequestWave.message_id)
            .join(ProbeRequest, ProbeRequest.id == RequestWave.request_id)
            .where(ProbeRequest.round_id == round_id, RequestWave.message_id != "")
        ):
            if request_id in by_id:
                self.by_mid[bare_id(mid)] = by_id[request_id]
        # subject tag prefixes as written in our own subjects (configurable, default POBI)
        self.tag_prefixes = tuple(
            sorted({"POBI"} | {p for p in (tag_prefix_of(r.subject) for r in self.rows) if p})
        )

    def by_recipient(self, address: str) -> list[ProbeRequest]:
        a = address.lower().strip()
        return [r for r in self.rows if r.recipient.lower().strip() == a]

    def by_domain(self, domain: str) -> list[ProbeRequest]:
        return [r for r in self.rows if domain and domain_of(r.recipient) == domain]


def _token_match(
    texts: list[tuple[str, str]], reqs: RoundRequests, secret: str
) -> tuple[Match | None, list[str]]:
    notes: list[str] = []
    hits: list[tuple[str, ProbeRequest]] = []
    for where, text in texts:
        for hit in find_tokens(text, [reqs.round_id], secret, where):
            r = reqs.by_n.get(hit.n)
            if r is None:
                notes.append(f"token for request #{hit.n} in {where}, but no such request")
                continue
            if all(r.id != h.id for _, h in hits):
                hits.append((where, r))
    if not hits:
        return None, notes
    where, r = hits[0]
    detail = f"reply token of {r.id} in {where}"
    if len(hits) > 1:
        detail += "; also tokens of " + ", ".join(h.id for _, h in hits[1:])
    return Match(r.id, MatchMethod.TOKEN, detail), notes


def is_ours(address: str, reply_local: str, reply_domain: str) -> bool:
    """Is this our own reply address (``local@domain`` or ``local+anything@domain``)?"""
    if not address or not reply_local or not reply_domain or "@" not in address:
        return False
    local, domain = address.lower().rsplit("@", 1)
    return domain == reply_domain.lower() and (
        local == reply_local.lower() or local.startswith(reply_local.lower() + "+")
    )


def match_message(
    p: ParsedMail,
    c: Classification,
    reqs: RoundRequests,
    secret: str,
    *,
    reply_local: str = "",
    reply_domain: str = "",
) -> Match:
    """The request this message is about (see the module docstring for the order)."""
    notes: list[str] = []
    bounce = c.bounce if c.kind == ReplyKind.BOUNCE else None

    # Our own mail (a request or a follow-up, e.g. collected from a Sent folder or a copy to
    # ourselves) is never a reply: it would otherwise match by thread and count as an answer.
    own = reqs.by_mid.get(p.message_id.strip("<>"))
    if own is not None:
        return Match(None, MatchMethod.UNMATCHED, f"this is our own request {own.id}, not a reply")
    if is_ours(p.from_addr, reply_local, reply_domain):
        return Match(None, MatchMethod.UNMATCHED, f"sent by us ({p.from_addr}), not a reply")

    # 1. token
    texts: list[tuple[str, str]] = []
    for name in TOKEN_HEADERS:
        texts.extend((name, v) for v in p.header_all(name))
    if bounce is not None:
        texts.extend(
            (f"returned {k}", v)
            for k, v in bounce.returned_headers
            if k.lower() in {h.lower() for h in (*RETURNED_TOKEN_HEADERS, *TOKEN_HEADERS)}
        )
        texts.extend((f"DSN {k}", v) for k, v in bounce.recipient_fields)
        texts.append(("bounce report text", p.body_text[:100_000]))
    if secret:
        found, more = _token_match(texts, reqs, secret)
        notes.extend(more)
        if found is not None:
            return found
    else:
        notes.append("no token secret set (POBI_TOKEN_SECRET): tokens not checked")

    # 2. thread
    ids: list[tuple[str, str]] = []
    for name in ("In-Reply-To", "References"):
        for v in p.header_all(name):
            ids.extend((name, i) for i in message_ids(v))
    if bounce is not None:
        for k, v in bounce.returned_headers:
            if k.lower() in {"message-id", "in-reply-to", "references"}:
                ids.extend((f"returned {k}", i) for i in message_ids(v))
        ids.extend(("bounce report text", i) for i in message_ids(p.body_text[:100_000]))
    for where, mid in ids:
        r = reqs.by_mid.get(mid)
        if r is not None:
            return Match(r.id, MatchMethod.THREAD, f"{where} <{mid}> is the request {r.id}")

    # 3. subject tag
    subjects = [("Subject", p.subject)]
    if bounce is not None:
        subjects += [
            (f"returned {k}", v) for k, v in bounce.returned_headers if k.lower() == "subject"
        ]
    for where, subject in subjects:
        for hit in find_subject_tags(subject, [reqs.round_id], reqs.tag_prefixes):
            r = reqs.by_n.get(hit.n)
            if r is not None:
                return Match(
                    r.id,
                    MatchMethod.SUBJECT_TAG,
                    f"subject tag [..-{hit.round_id}-{hit.n}] in {where}",
                )
            notes.append(f"subject tag for request #{hit.n}, but no such request")

    # 4. sender (a bounce's failed recipients stand in for the sender)
    candidates: list[tuple[str, str]] = []
    if bounce is not None:
        candidates += [("failed recipient", a) for a in bounce.recipients]
    if p.from_addr:
        candidates.append(("sender", p.from_addr))
    for label, address in candidates:
        found_rows = reqs.by_recipient(address)
        if len(found_rows) == 1:
            r = found_rows[0]
            return Match(r.id, MatchMethod.SENDER, f"{label} {address} is the recipient of {r.id}")
        if len(found_rows) > 1:
            notes.append(f"{label} {address} is the recipient of {len(found_rows)} requests")
    domain = domain_of(p.from_addr)
    if domain and bounce is None:
        found_rows = reqs.by_domain(domain)
        if len(found_rows) == 1:
            r = found_rows[0]
            return Match(
                r.id,
                MatchMethod.SENDER,
                f"sender domain {domain} is the domain of {r.recipient} ({r.id})",
            )
        if len(found_rows) > 1:
            notes.append(f"sender domain {domain} fits {len(found_rows)} requests")
    return Match(None, MatchMethod.UNMATCHED, "; ".join(notes) or "no token, thread, tag or sender")
