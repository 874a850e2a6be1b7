"""The one way a received e-mail enters the store (IMAP collection and file import both call it).

Contract (owned by the mail-side of probes; the sending side's `collect` calls it):

    ingest_message(session, evidence, round_id, raw: bytes, *, source: str,
                   received_at: datetime | None = None, settings=None) -> IngestResult

- stores ``raw`` in the evidence store (kind 'email') and a ``messages`` row, unless the same
  bytes or the same Message-ID are already stored for the round (then returns the existing row,
  ``duplicate=True``);
- parses robustly (never raises on bad bytes; odd messages are flagged in ``messages.flags``);
- stores attachments as evidence with their hashes;
- classifies (bounce / auto_reply / human, with reasons) and matches to a request
  (token, thread, subject tag, sender; else unmatched -> holding pen);
- a permanent bounce for a request's recipient moves that request to state ``bounced``.
"""
