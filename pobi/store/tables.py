"""The store's schema: every table of every stage, in one place, so stages share one contract.

Stages never call each other; they meet here. Conventions:
- every row a stage writes belongs to a round (``round_id``);
- enum columns hold the string values of :mod:`pobi.models` enums;
- evidence is referenced by SHA-256 hex (``*_sha256``), the file lives in the evidence store;
- timestamps are timezone-aware UTC (SQLite returns them naive: use ``pobi.clock.aware``);
- history is kept: codings, reviews and overrides are append-only, the latest row wins.

Any change here needs an Alembic migration in ``pobi/store/migrations/versions/``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and read back timezone-aware (UTC), on every back end.

    SQLite has no time zones: SQLAlchemy's DateTime writes the wall-clock digits and drops the
    offset, so 09:00+07:00 would come back as 09:00 (read as UTC: 7 hours off). Converting to UTC
    on the way in makes stored values comparable and exact everywhere. Naive inputs are taken as
    UTC (pobi code passes aware values; see pobi.clock).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


Ts = UtcDateTime()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


# --------------------------------------------------------------------------- core


class Round(Base):
    """One survey campaign, bound to an era (63 or 34 units) and a rubric."""

    __tablename__ = "rounds"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    era: Mapped[str] = mapped_column(String(16))
    rubric: Mapped[str] = mapped_column(String(64), default="participation-v1")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(Ts)


class Evidence(Base):
    """A file in the content-addressed evidence store (the file's name is its SHA-256)."""

    __tablename__ = "evidence"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # warc | screenshot | email | attachment | other
    media_type: Mapped[str] = mapped_column(String(128), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer)
    stored_at: Mapped[datetime] = mapped_column(Ts)
    note: Mapped[str] = mapped_column(Text, default="")  # e.g. original filename, URL


# --------------------------------------------------------------------------- crawl


class CrawlSite(Base):
    """One site crawled in a round; ``url`` is exactly as the registry or sites file gives it."""

    __tablename__ = "crawl_sites"
    __table_args__ = (UniqueConstraint("round_id", "url", "site_kind", "province_code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"), index=True)
    province_code: Mapped[str] = mapped_column(String(8))
    site_kind: Mapped[str] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str] = mapped_column(Text, default="")
    fetch_status: Mapped[str] = mapped_column(String(32), default="")  # FetchStatus of start URL
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0)
    pages_rendered: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(Text, default="registry")  # registry | sites file path
    under_reported: Mapped[bool] = mapped_column(Boolean, default=False)  # needed JS, no browser
    note: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime | None] = mapped_column(Ts, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(Ts, nullable=True)


class Page(Base):
    """One fetch attempt of one URL (robots decisions included, as status robots_blocked)."""

    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("round_id", "site_id", "url"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("crawl_sites.id"), index=True)
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str] = mapped_column(Text, default="")
    depth: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(32))  # FetchStatus
    http_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    content_type: Mapped[str] = mapped_column(String(128), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    rendered: Mapped[bool] = mapped_column(Boolean, default=False)
    render_reason: Mapped[str] = mapped_column(Text, default="")
    warc_sha256: Mapped[str] = mapped_column(String(64), default="")  # WARC file holding it
    screenshot_sha256: Mapped[str] = mapped_column(String(64), default="")
    fetched_at: Mapped[datetime] = mapped_column(Ts)
    detail: Mapped[str] = mapped_column(Text, default="")


class Finding(Base):
    """A channel found on a site: DESIGN.md §6 channels.csv is a view of this table."""

    __tablename__ = "findings"
    __table_args__ = (UniqueConstraint("round_id", "site_id", "channel", "value"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("crawl_sites.id"), index=True)
    province_code: Mapped[str] = mapped_column(String(8), index=True)
    site_kind: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(32))  # Channel
    value: Mapped[str] = mapped_column(Text)
    found_on: Mapped[str] = mapped_column(Text)  # page URL
    evidence_sha256: Mapped[str] = mapped_column(String(64), default="")  # WARC holding the page
    screenshot_sha256: Mapped[str] = mapped_column(String(64), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    found_at: Mapped[datetime] = mapped_column(Ts)


class FindingReview(Base):
    """A researcher's decision on a finding (append-only; latest wins)."""

    __tablename__ = "finding_reviews"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # ReviewStatus
    reason: Mapped[str] = mapped_column(Text, default="")
    coder: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(Ts)


# --------------------------------------------------------------------------- probes


class ProbeRequest(Base):
    """One information request to one recipient: the outbox row. ``id`` is '<round>-<n>'."""

    __tablename__ = "requests"
    __table_args__ = (
        UniqueConstraint("round_id", "n"),
        UniqueConstraint("round_id", "province_code", "recipient"),
    )
    id: Mapped[str] = mapped_column(String(96), primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"), index=True)
    n: Mapped[int] = mapped_column(Integer)
    province_code: Mapped[str] = mapped_column(String(8), index=True)
    recipient: Mapped[str] = mapped_column(String(320))
    recipient_kind: Mapped[str] = mapped_column(String(16))  # RecipientKind
    reason: Mapped[str] = mapped_column(Text, default="")  # why this recipient was chosen
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id"), nullable=True)
    template: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))  # RequestState
    message_id: Mapped[str] = mapped_column(String(512), default="")  # fixed before sending
    reply_address: Mapped[str] = mapped_column(String(320), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    eml_sha256: Mapped[str] = mapped_column(String(64), default="")  # the exact bytes sent
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(Ts)
    sent_at: Mapped[datetime | None] = mapped_column(Ts, nullable=True)
    # issue 17: the request channel (RequestChannel), its reference (registered-mail number,
    # form URL, phone number) and the access-to-information law the letter cites
    channel: Mapped[str] = mapped_column(String(16), default="email", server_default="email")
    channel_ref: Mapped[str] = mapped_column(Text, default="", server_default="")
    law: Mapped[str] = mapped_column(String(64), default="", server_default="")


class RequestEvent(Base):
    """Every state change of a request (the outbox's journal)."""

    __tablename__ = "request_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[str] = mapped_column(ForeignKey("requests.id"), index=True)
    from_state: Mapped[str] = mapped_column(String(16), default="")
    to_state: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(Ts)


class Message(Base):
    """A received or imported e-mail, matched or not (replies.csv is a view of this table)."""

    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("round_id", "raw_sha256"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"), index=True)
    message_id: Mapped[str] = mapped_column(String(998), index=True)  # header, or synthesized
    raw_sha256: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text)  # file path, or 'imap://user@host/FOLDER;UID=n'
    from_addr: Mapped[str] = mapped_column(String(320), default="")
    to_addrs: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(Ts, nullable=True)  # Date header
    received_at: Mapped[datetime] = mapped_column(Ts)  # Received / INTERNALDATE / Date
    kind: Mapped[str] = mapped_column(String(16))  # ReplyKind
    kind_reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    bounce_type: Mapped[str] = mapped_column(String(16), default="")  # BounceType
    bounced_recipients: Mapped[list[Any]] = mapped_column(JSON, default=list)
    request_id: Mapped[str | None] = mapped_column(ForeignKey("requests.id"), nullable=True)
    match_method: Mapped[str] = mapped_column(String(16))  # MatchMethod
    match_detail: Mapped[str] = mapped_column(Text, default="")
    flags: Mapped[list[Any]] = mapped_column(JSON, default=list)  # parse problems
    body_text: Mapped[str] = mapped_column(Text, default="")  # plain text, never rendered as HTML
    stored_at: Mapped[datetime] = mapped_column(Ts)
    # issue 14 (migration 0014): the normalised-content key (probes/fingerprint.py) finds a copy
    # of a stored message with other bytes; a Message-ID already used by another, different
    # message is flagged 'message_id_reused' and linked to the first message that used it.
    content_key: Mapped[str] = mapped_column(String(64), default="", index=True)
    message_id_reused_of: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id"), nullable=True
    )


class Attachment(Base):
    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_pk: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    filename: Mapped[str] = mapped_column(Text, default="")
    content_type: Mapped[str] = mapped_column(String(255), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)


class MailboxCursor(Base):
    """Incremental IMAP collection: the last UID seen per account/folder and UIDVALIDITY."""

    __tablename__ = "mailbox_cursors"
    __table_args__ = (UniqueConstraint("round_id", "account", "folder"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"))
    account: Mapped[str] = mapped_column(String(320))
    folder: Mapped[str] = mapped_column(String(255))
    # unsigned 32-bit in IMAP: beyond a signed INTEGER (PostgreSQL)
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(Ts)


class MessageCoding(Base):
    """What a reply says (append-only history; the latest row per message wins)."""

    __tablename__ = "message_codings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_pk: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    coding: Mapped[str] = mapped_column(String(16))  # Coding
    note: Mapped[str] = mapped_column(Text, default="")
    coder: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(Ts)
    # issue 17: '' (single coder, as before), 'coder' (one of two blind coders) or 'adjudicator'
    role: Mapped[str] = mapped_column(String(16), default="", server_default="")


class MessageAssignment(Base):
    """A researcher's manual match from the holding pen (append-only history)."""

    __tablename__ = "message_assignments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_pk: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    request_id: Mapped[str | None] = mapped_column(ForeignKey("requests.id"), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    coder: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(Ts)


# --------------------------------------------------------------------------- scoring


class Score(Base):
    """One province's computed answer to one indicator in a round (recomputed by `pobi score`)."""

    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("round_id", "province_code", "indicator"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"), index=True)
    province_code: Mapped[str] = mapped_column(String(8))
    indicator: Mapped[str] = mapped_column(String(64))
    pillar: Mapped[str] = mapped_column(String(64), default="")
    answer: Mapped[str] = mapped_column(String(1))  # Answer (after overrides)
    computed_answer: Mapped[str] = mapped_column(String(1))  # before overrides
    points: Mapped[float | None] = mapped_column(Float, nullable=True)
    explanation: Mapped[str] = mapped_column(Text, default="")  # English, one line
    explanation_vi: Mapped[str] = mapped_column(Text, default="")  # the same in Vietnamese
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)  # SHA-256 list
    overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    rubric: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(Ts)
    # which index the rubric computes: participation | transparency (one round holds both)
    index_name: Mapped[str] = mapped_column(
        String(16), default="participation", server_default="participation"
    )


class ScoreOverride(Base):
    """A researcher's answer replacing the computed one (append-only; latest wins)."""

    __tablename__ = "score_overrides"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"), index=True)
    province_code: Mapped[str] = mapped_column(String(8))
    indicator: Mapped[str] = mapped_column(String(64))
    answer: Mapped[str] = mapped_column(String(1))
    reason: Mapped[str] = mapped_column(Text)
    coder: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(Ts)


class ProvinceIndex(Base):
    """Index, band and rank of a province in a round."""

    __tablename__ = "province_index"
    __table_args__ = (UniqueConstraint("round_id", "province_code", "index_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"), index=True)
    province_code: Mapped[str] = mapped_column(String(8))
    index_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    band: Mapped[str] = mapped_column(String(1), default="")
    rank: Mapped[int | None] = mapped_column(Integer, nullable=True)
    indicators_applicable: Mapped[int] = mapped_column(Integer, default=0)
    rubric: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(Ts)
    index_name: Mapped[str] = mapped_column(
        String(16), default="participation", server_default="participation"
    )


# --------------------------------------------------------------------------- survey (issue 17)


class RequestWave(Base):
    """A reminder (wave 2, 3, ...) of a sent e-mail request: its own outbox row, in the request's
    thread and with the request's reply token. One per request and wave, never more."""

    __tablename__ = "request_waves"
    __table_args__ = (UniqueConstraint("request_id", "wave"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[str] = mapped_column(ForeignKey("requests.id"), index=True)
    wave: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))  # RequestState (draft is never stored)
    message_id: Mapped[str] = mapped_column(String(512), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    eml_sha256: Mapped[str] = mapped_column(String(64), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(Ts)
    sent_at: Mapped[datetime | None] = mapped_column(Ts, nullable=True)


class WaveEvent(Base):
    """Every state change of a reminder (its outbox journal)."""

    __tablename__ = "wave_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    wave_pk: Mapped[int] = mapped_column(ForeignKey("request_waves.id"), index=True)
    from_state: Mapped[str] = mapped_column(String(16), default="")
    to_state: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(Ts)


class ContactLog(Base):
    """A request made outside e-mail, by a person: a phone call, a postal letter, a portal form
    (what happened, who answered, the evidence). Append-only."""

    __tablename__ = "contact_logs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[str] = mapped_column(ForeignKey("requests.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))  # RequestChannel
    at: Mapped[datetime] = mapped_column(Ts)
    number: Mapped[str] = mapped_column(String(320), default="")  # phone number / mail number
    answered_by: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(32), default="")  # CallOutcome
    note: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)  # SHA-256 list
    researcher: Mapped[str] = mapped_column(String(128), default="")


class Coder(Base):
    """A person allowed to code replies (role coder or adjudicator); codes from anyone else are
    refused."""

    __tablename__ = "coders"
    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))  # coder | adjudicator
    registered_at: Mapped[datetime] = mapped_column(Ts)


class Dispute(Base):
    """Right of reply: someone disputes a finding or a score (append-only)."""

    __tablename__ = "disputes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"), index=True)
    province_code: Mapped[str] = mapped_column(String(8))
    target: Mapped[str] = mapped_column(String(16))  # finding | score
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id"), nullable=True)
    indicator: Mapped[str] = mapped_column(String(64), default="")
    filed_by: Mapped[str] = mapped_column(Text)
    claim: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)  # SHA-256 list
    filed_at: Mapped[datetime] = mapped_column(Ts)


class DisputeDecision(Base):
    """The researcher's decision on a dispute and the change it made (append-only; latest wins)."""

    __tablename__ = "dispute_decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id"), index=True)
    decision: Mapped[str] = mapped_column(String(16))  # upheld | rejected
    reason: Mapped[str] = mapped_column(Text)
    change: Mapped[str] = mapped_column(Text, default="")
    researcher: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(Ts)


class LegacyResult(Base):
    """A published result of an earlier POBI round, imported from a CSV (one row per line)."""

    __tablename__ = "legacy_results"
    __table_args__ = (UniqueConstraint("round_id", "province_code", "indicator"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"), index=True)
    province_code: Mapped[str] = mapped_column(String(8))
    indicator: Mapped[str] = mapped_column(String(64))  # a question id, or 'index'
    answer: Mapped[str] = mapped_column(String(1), default="")
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    year: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[datetime] = mapped_column(Ts)


Index("ix_messages_round_request", Message.round_id, Message.request_id)
Index("ix_findings_round_channel", Finding.round_id, Finding.channel)


# --------------------------------------------------------------------------- budget documents


class Document(Base):
    """A budget document a site links (documents.csv is a view of this table). One row per
    (round, URL): a document is downloaded once per round, whichever site links it first."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("round_id", "url"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("crawl_sites.id"), index=True)
    province_code: Mapped[str] = mapped_column(String(8), index=True)
    url: Mapped[str] = mapped_column(Text)  # as linked (cleaned)
    final_url: Mapped[str] = mapped_column(Text, default="")
    found_on: Mapped[str] = mapped_column(Text, default="")  # the page that links it
    title: Mapped[str] = mapped_column(Text, default="")  # link text (or its row's text)
    file_name: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(32))  # FetchStatus of the download
    http_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    content_type: Mapped[str] = mapped_column(String(128), default="")
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    kind: Mapped[str] = mapped_column(String(16), default="")  # pdf | docx | xlsx | zip | ...
    format: Mapped[str] = mapped_column(String(16), default="")  # DocFormat
    doc_type: Mapped[str] = mapped_column(String(32), default="")  # DocType
    fiscal_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    period: Mapped[str] = mapped_column(String(8), default="")  # year | q1..q4 | h1 | 9m | multi
    listing_date: Mapped[str] = mapped_column(String(10), default="")  # YYYY-MM-DD
    document_date: Mapped[str] = mapped_column(String(10), default="")
    last_modified: Mapped[str] = mapped_column(String(10), default="")
    published_on: Mapped[str] = mapped_column(String(10), default="")  # the best of the above
    date_source: Mapped[str] = mapped_column(String(16), default="")  # DateSource
    forms: Mapped[list[Any]] = mapped_column(JSON, default=list)  # Biểu số NN/CK-NSNN present
    pages: Mapped[int] = mapped_column(Integer, default=0)
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)  # how it was classified
    text_excerpt: Mapped[str] = mapped_column(Text, default="")  # the first 2,000 characters
    sha256: Mapped[str] = mapped_column(String(64), default="")  # the file's bytes
    warc_sha256: Mapped[str] = mapped_column(String(64), default="")  # the WARC of the download
    detail: Mapped[str] = mapped_column(Text, default="")  # problems (encrypted, corrupt, ...)
    first_seen: Mapped[datetime] = mapped_column(Ts)


Index("ix_documents_round_province", Document.round_id, Document.province_code)
# issue 14: one row per normalised content and round (rows from before migration 0014 have '')
Index(
    "uq_messages_round_id_content_key",
    Message.round_id,
    Message.content_key,
    unique=True,
    sqlite_where=text("content_key <> ''"),
    postgresql_where=text("content_key <> ''"),
)
