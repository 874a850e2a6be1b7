"""Closed vocabularies shared by every stage.

Failures are data: each enum here is a closed set, stored as its string value, and each has one
classifier function in the stage that produces it. Adding a member is a schema decision: document
it in the README's glossary and the export codebook.
"""

from __future__ import annotations

from enum import StrEnum


class Era(StrEnum):
    LEGACY = "legacy"  # 63 provincial units, until 2025-06-30
    CURRENT = "current"  # 34 provincial units, from 2025-07-01 (Resolution 202/2025/QH15)


class SiteKind(StrEnum):
    PORTAL = "portal"  # the provincial portal (Cổng thông tin điện tử)
    FINANCE = "finance"  # the Department of Finance (Sở Tài chính)
    OTHER = "other"


class UrlSource(StrEnum):
    """How a registry URL is known."""

    VERIFIED = "verified"  # seen to work by a person on `verified_on`
    INFERRED = "inferred"  # built from the usual domain pattern; never verified
    USER = "user"  # given by the user in a sites file
    PUBLISHED = "published"  # the unit's own published domain, known to the project; not verified


class Channel(StrEnum):
    QA_SECTION = "qa_section"
    EMAIL = "email"
    PHONE = "phone"
    FEEDBACK_FORM = "feedback_form"
    INFO_ACCESS = "info_access"
    FACEBOOK = "facebook"
    ZALO = "zalo"
    YOUTUBE = "youtube"
    FINANCE_SITE = "finance_site"


class FetchStatus(StrEnum):
    OK = "ok"
    DNS_ERROR = "dns_error"
    REFUSED = "refused"
    TIMEOUT = "timeout"
    TLS_ERROR = "tls_error"
    HTTP_4XX = "http_4xx"
    HTTP_5XX = "http_5xx"
    ROBOTS_BLOCKED = "robots_blocked"
    TOO_LARGE = "too_large"
    REDIRECT_LOOP = "redirect_loop"
    OFFSITE_REDIRECT = "offsite_redirect"
    PRIVATE_ADDRESS = "private_address"  # redirect into private/loopback space refused
    NOT_HTML = "not_html"
    DECODE_ERROR = "decode_error"
    BUDGET_EXHAUSTED = "budget_exhausted"
    NETWORK_ERROR = "network_error"  # anything else at the transport level


# failures that may pass on another try: ``pobi crawl --resume --retry-failed`` fetches them again
TRANSIENT_FAILURES = frozenset(
    {
        FetchStatus.TIMEOUT,
        FetchStatus.REFUSED,
        FetchStatus.DNS_ERROR,
        FetchStatus.NETWORK_ERROR,
        FetchStatus.HTTP_5XX,
    }
)


class RenderMode(StrEnum):
    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


class ReviewStatus(StrEnum):
    UNREVIEWED = "unreviewed"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class RequestState(StrEnum):
    """Outbox states of one information request. Only `draft`/`queued`/`failed` may be sent."""

    DRAFT = "draft"
    QUEUED = "queued"
    SENDING = "sending"  # handed to SMTP; outcome unknown until reconciled
    SENT = "sent"
    FAILED = "failed"  # temporary failure, retries exhausted; may be queued again
    REJECTED = "rejected"  # 5xx from the submission server
    BOUNCED = "bounced"  # a permanent DSN came back for this recipient


class SendOutcome(StrEnum):
    """What one SMTP submission attempt came to (probes/smtp.py classifies)."""

    ACCEPTED = "accepted"  # 2xx after DATA: the server took responsibility
    TEMPORARY = "temporary"  # 4xx or a connection failure before DATA: retry later
    PERMANENT = "permanent"  # 5xx: rejected, never retried automatically
    UNKNOWN = "unknown"  # the connection broke during DATA: reconcile with the Sent folder


class RecipientKind(StrEnum):
    FINANCE = "finance"  # an address found on the Department of Finance site
    PORTAL = "portal"  # the provincial portal's contact address
    OVERRIDE = "override"  # chosen by a researcher in a targets file


class ReplyKind(StrEnum):
    BOUNCE = "bounce"
    AUTO_REPLY = "auto_reply"
    HUMAN = "human"


class BounceType(StrEnum):
    PERMANENT = "permanent"
    TEMPORARY = "temporary"


class MatchMethod(StrEnum):
    TOKEN = "token"  # reply token in a recipient or Received header
    THREAD = "thread"  # In-Reply-To / References
    SUBJECT_TAG = "subject_tag"
    SENDER = "sender"  # sender address or domain matches a recipient
    MANUAL = "manual"  # assigned by a researcher from the holding pen
    UNMATCHED = "unmatched"


class Coding(StrEnum):
    SUBSTANTIVE = "substantive"
    PARTIAL = "partial"
    ACKNOWLEDGMENT = "acknowledgment"
    REFERRAL = "referral"
    REFUSAL = "refusal"
    OTHER = "other"


class DeadlineStatus(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    PENDING = "pending"
    BOUNCED = "bounced"
    NOT_SENT = "not_sent"


class Answer(StrEnum):
    """Open Budget Survey answer options."""

    A = "a"
    B = "b"
    C = "c"
    D = "d"
    E = "e"  # not applicable: left out of the mean


ANSWER_POINTS: dict[Answer, int | None] = {
    Answer.A: 100,
    Answer.B: 67,
    Answer.C: 33,
    Answer.D: 0,
    Answer.E: None,
}


class Band(StrEnum):
    A = "A"  # 75–100  công khai đầy đủ
    B = "B"  # 50–<75  công khai tương đối
    C = "C"  # 25–<50  công khai chưa đầy đủ
    D = "D"  # 0–<25   ít công khai


def band_for(index: float) -> Band:
    """POBI band of an index in 0..100."""
    if index >= 75:
        return Band.A
    if index >= 50:
        return Band.B
    if index >= 25:
        return Band.C
    return Band.D


class SiteVerdict(StrEnum):
    """What ``pobi sites verify`` concluded about one registry URL (one value per URL)."""

    OK = "ok"  # answered, and the page names the unit (and "Sở Tài chính" for a finance site)
    MOVED = "moved"  # redirected to another host whose page names the unit
    REDIRECTS_TO_SUCCESSOR = (
        "redirects_to_successor"  # a merged unit's site now shows its successor
    )
    WRONG_SITE = "wrong_site"  # answered, but the page does not name the unit (or the department)
    UNREACHABLE = "unreachable"  # no DNS answer, connection refused or reset
    TIMEOUT = "timeout"  # the host's time ran out (slow server, endless page)
    TLS_ERROR = "tls_error"  # the certificate is invalid or the handshake failed
    BLOCKED = "blocked"  # robots.txt forbids it, or 401/403/429/451
    HTTP_ERROR = "http_error"  # another 4xx/5xx answer
    REDIRECT_LOOP = "redirect_loop"  # a redirect chain that repeats or is too long
    GARBAGE = "garbage"  # not an HTTP answer, or not a web page


# --------------------------------------------------------------------------- budget documents


class DocType(StrEnum):
    """The budget documents a province publishes (POBI's documents; Law 83/2015 Art. 15,
    Circular 343/2016/TT-BTC). ``other`` is a budget-section file of none of these kinds."""

    ESTIMATE_PROPOSED = "estimate_proposed"  # dự toán trình Hội đồng nhân dân
    ESTIMATE_APPROVED = "estimate_approved"  # dự toán đã được HĐND quyết định (công bố công khai)
    EXECUTION_QUARTERLY = "execution_quarterly"  # báo cáo thực hiện dự toán quý I / III
    EXECUTION_SIX_MONTH = "execution_six_month"  # ... 6 tháng đầu năm
    EXECUTION_NINE_MONTH = "execution_nine_month"  # ... 9 tháng
    EXECUTION_ANNUAL = "execution_annual"  # ... cả năm / ước thực hiện năm
    FINAL_ACCOUNTS_PROPOSED = "final_accounts_proposed"  # quyết toán trình HĐND
    FINAL_ACCOUNTS_APPROVED = "final_accounts_approved"  # quyết toán đã được HĐND phê chuẩn
    CITIZEN_BUDGET = "citizen_budget"  # ngân sách công dân
    MEDIUM_TERM_PLAN = "medium_term_plan"  # kế hoạch tài chính / tài chính - NS 03 năm, 5 năm
    AUDIT_REPORT = "audit_report"  # kết quả kiểm toán (Kiểm toán nhà nước)
    OTHER = "other"


class DocFormat(StrEnum):
    """How usable a document is (POBI asks for machine-readable tables)."""

    TABLE = "table"  # spreadsheet (XLS/XLSX/ODS/CSV): machine-readable
    TEXT = "text"  # PDF / DOC / DOCX with a text layer
    SCANNED = "scanned"  # PDF whose pages are images only (no text layer)
    ARCHIVE = "archive"  # ZIP / RAR / 7z bundle (members read)
    UNREADABLE = "unreadable"  # encrypted, corrupt or of an unknown kind
    TOO_LARGE = "too_large"  # over the size limit: not downloaded


class DateSource(StrEnum):
    """Where a document's publication date comes from (best first)."""

    LISTING = "listing"  # the date beside the link on the publishing page
    DOCUMENT = "document"  # the document's own "…, ngày … tháng … năm …"
    LAST_MODIFIED = "last_modified"  # the HTTP Last-Modified header
    FIRST_SEEN = "first_seen"  # when pobi first downloaded it
    NONE = ""


class Timeliness(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    NOT_DUE = "not_due"  # the deadline has not passed and nothing is published yet
    MISSING = "missing"  # the deadline passed and nothing was found
    UNKNOWN = "unknown"  # found, but no date to judge it by


# --------------------------------------------------------------------------- survey (issue 17)


class RequestChannel(StrEnum):
    """How a request reached the agency (requests.csv ``channel``)."""

    EMAIL = "email"
    PORTAL_FORM = "portal_form"  # the portal's own Q&A / feedback form, submitted by a person
    POSTAL = "postal"  # a printed letter sent by registered mail
    PHONE = "phone"  # a phone call, logged by the caller


class CallOutcome(StrEnum):
    """What a phone call gave (contact_logs.outcome)."""

    ANSWERED = "answered"  # someone answered the question (counts as a human reply)
    REFERRED = "referred"  # sent elsewhere (counts as a human reply)
    REFUSED = "refused"  # refused to answer (counts as a human reply)
    NO_ANSWER = "no_answer"  # nobody picked up, or the line rang out
    WRONG_NUMBER = "wrong_number"


class CoderRole(StrEnum):
    CODER = "coder"
    ADJUDICATOR = "adjudicator"


class DisputeTarget(StrEnum):
    FINDING = "finding"
    SCORE = "score"


class DisputeOutcome(StrEnum):
    UPHELD = "upheld"  # the dispute is right: the finding or score was changed
    REJECTED = "rejected"  # the evidence stands; nothing changed
