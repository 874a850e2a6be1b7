"""The one declaration of every exported table and column.

``datapackage.json`` (Frictionless table schemas), ``CODEBOOK.md``, the CSV headers and the XLSX
sheets are all generated from :data:`TABLES`; change a column here and every output follows.
The first four tables are DESIGN.md §6 exactly (names and order are a public interface).
"""

from __future__ import annotations

from dataclasses import dataclass

from pobi.models import (
    Answer,
    Band,
    Channel,
    Coding,
    DateSource,
    DeadlineStatus,
    DocFormat,
    DocType,
    Era,
    FetchStatus,
    ReplyKind,
    RequestChannel,
    RequestState,
    SiteKind,
)


def _values(enum: type) -> tuple[str, ...]:
    return tuple(m.value for m in enum)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless: string | integer | number | boolean | datetime | date
    en: str
    vi: str
    enum: tuple[str, ...] = ()
    decimals: int | None = None  # numbers: fixed decimals in CSV (None: as computed)


@dataclass(frozen=True)
class Table:
    name: str  # resource name, also the file stem and the XLSX sheet name
    title_en: str
    title_vi: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    sort_note: str = ""

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


def C(name: str, type_: str, en: str, vi: str, **kw: object) -> Column:
    return Column(name, type_, en, vi, **kw)  # type: ignore[arg-type]


PROVINCE = C("province_code", "string", "Official two-digit province code", "Mã tỉnh (2 chữ số)")
ROUND = C("round_id", "string", "Survey round", "Đợt khảo sát")

SITES = Table(
    "sites",
    "Sites crawled",
    "Các trang web đã thu thập",
    "One row per site crawled in the round (provincial portal, Department of Finance, other).",
    (
        PROVINCE,
        C("site_kind", "string", "Kind of site", "Loại trang", enum=_values(SiteKind)),
        C("url", "string", "Start URL exactly as the registry or sites file gives it", "URL gốc"),
        C(
            "final_url",
            "string",
            "URL after redirects (empty if unreachable)",
            "URL sau chuyển hướng",
        ),
        C(
            "fetch_status",
            "string",
            "Outcome of fetching the start URL",
            "Kết quả tải trang đầu",
            enum=_values(FetchStatus),
        ),
        C("pages_fetched", "integer", "Pages fetched on the site", "Số trang đã tải"),
    ),
    sort_note="province_code, site_kind, url",
)

CHANNELS = Table(
    "channels",
    "Channels found",
    "Các kênh tiếp nhận tìm thấy",
    "One row per channel found on a site (findings a researcher rejected are left out).",
    (
        PROVINCE,
        C("site_kind", "string", "Kind of site", "Loại trang", enum=_values(SiteKind)),
        C(
            "site_url",
            "string",
            "The site's URL as the registry or sites file gives it",
            "URL trang",
        ),
        C("channel", "string", "Kind of channel", "Loại kênh", enum=_values(Channel)),
        C(
            "value",
            "string",
            "Q&A URL, lower-cased e-mail (image:URL when only shown as an image), phone digits, "
            "or account URL",
            "Giá trị: URL, e-mail (chữ thường), số điện thoại, tài khoản",
        ),
        C("found_on", "string", "URL of the page where it was found", "Trang tìm thấy"),
        C(
            "evidence_sha256",
            "string",
            "SHA-256 of the WARC file holding that page",
            "SHA-256 của tệp WARC lưu trang",
        ),
    ),
    sort_note="province_code, site_kind, site_url, channel, value",
)

REQUESTS = Table(
    "requests",
    "Information requests",
    "Yêu cầu cung cấp thông tin",
    "One row per information request (one recipient each), with reply timing.",
    (
        C("request_id", "string", "Request id (<round>-<n>)", "Mã yêu cầu"),
        PROVINCE,
        C("recipient", "string", "Address the request was sent to", "Địa chỉ nhận"),
        C("state", "string", "Outbox state", "Trạng thái gửi", enum=_values(RequestState)),
        C("sent_at", "datetime", "When it was sent (UTC)", "Thời điểm gửi (UTC)"),
        C("message_id", "string", "Message-ID of the request e-mail", "Message-ID của thư yêu cầu"),
        C(
            "first_reply_at",
            "datetime",
            "First matched non-bounce message (auto-replies count), UTC",
            "Phản hồi đầu tiên (kể cả tự động), UTC",
        ),
        C(
            "first_human_reply_at",
            "datetime",
            "First matched human reply, UTC",
            "Thư trả lời đầu tiên do người viết, UTC",
        ),
        C(
            "deadline_status",
            "string",
            "Against the legal deadline (working days); as of the export",
            "Tình trạng so với thời hạn luật định",
            enum=_values(DeadlineStatus),
        ),
        C(
            "wave",
            "integer",
            "Wave reached when a person first replied, or so far: 1 = the request, 2 = after the "
            "first reminder, ...",
            "Đợt gửi (1 = yêu cầu, 2 = sau lần nhắc thứ nhất...) khi được trả lời hoặc đến nay",
        ),
        C(
            "channel",
            "string",
            "How the request was made",
            "Kênh gửi yêu cầu",
            enum=_values(RequestChannel),
        ),
    ),
    primary_key=("request_id",),
    sort_note="request number",
)

REPLIES = Table(
    "replies",
    "Messages received",
    "Thư nhận được",
    "One row per stored message, matched to a request or not.",
    (
        C("message_id", "string", "Message-ID header (or a synthesized id)", "Message-ID"),
        C("request_id", "string", "Matched request (empty if unmatched)", "Yêu cầu tương ứng"),
        C("kind", "string", "Kind of message", "Loại thư", enum=_values(ReplyKind)),
        C("received_at", "datetime", "When it was received (UTC)", "Thời điểm nhận (UTC)"),
        C(
            "working_days",
            "integer",
            "Vietnamese working days from the request's sending to this message",
            "Số ngày làm việc kể từ khi gửi yêu cầu",
        ),
        C(
            "coding",
            "string",
            "Latest coding of what the message says",
            "Mã hóa nội dung (mới nhất)",
            enum=_values(Coding),
        ),
        C(
            "raw_sha256",
            "string",
            "SHA-256 of the raw message bytes as received or imported",
            "SHA-256 của thư gốc",
        ),
        C("source", "string", "Where it came from (file path, or mailbox and UID)", "Nguồn"),
    ),
    sort_note="received_at, raw_sha256",
)

ANSWERS = _values(Answer)

SCORES = Table(
    "scores",
    "Indicator answers (tidy)",
    "Câu trả lời từng chỉ số (dạng dài)",
    "One row per province and indicator: the answer, its points, why, and the evidence behind it.",
    (
        ROUND,
        PROVINCE,
        C("province_name", "string", "Official name", "Tên tỉnh"),
        C("pillar", "string", "Pillar of the rubric", "Trụ cột"),
        C("indicator", "string", "Indicator id", "Mã chỉ số"),
        C("answer", "string", "Answer after overrides (a–e)", "Câu trả lời", enum=ANSWERS),
        C(
            "computed_answer",
            "string",
            "Answer computed from the evidence",
            "Câu trả lời tính từ bằng chứng",
            enum=ANSWERS,
        ),
        C(
            "points",
            "integer",
            "a=100, b=67, c=33, d=0; empty for e (not applicable)",
            "Điểm (e: không áp dụng)",
        ),
        C(
            "overridden",
            "boolean",
            "A researcher replaced the computed answer",
            "Đã được nhà nghiên cứu điều chỉnh",
        ),
        C("explanation_en", "string", "Why this answer (English)", "Lý do (tiếng Anh)"),
        C("explanation_vi", "string", "Why this answer (Vietnamese)", "Lý do (tiếng Việt)"),
        C(
            "evidence",
            "string",
            "SHA-256 of the evidence files behind it, ';'-separated; in public files an e-mail is "
            "named by an opaque reference (request:<id>, reminder:<id>/<wave>, reply:<id>) "
            "instead of its hash",
            "SHA-256 các tệp bằng chứng, cách nhau bởi ';'; trong tệp công khai, thư điện tử "
            "được ghi bằng mã tham chiếu (request:<id>, reminder:<id>/<wave>, reply:<id>) "
            "thay cho mã băm",
        ),
        C("rubric", "string", "Rubric id and version", "Bộ tiêu chí"),
    ),
    primary_key=("round_id", "province_code", "indicator"),
    sort_note="province_code, rubric order of indicators",
)

RANKINGS = Table(
    "rankings",
    "Index, band and rank",
    "Chỉ số, nhóm và xếp hạng",
    "One row per province: index (0–100), POBI band and rank (ties share a rank).",
    (
        ROUND,
        C("rank", "integer", "Rank (1 = best; ties share a rank)", "Thứ hạng"),
        PROVINCE,
        C("province_name", "string", "Official name", "Tên tỉnh"),
        C("region", "string", "Socio-economic region", "Vùng kinh tế - xã hội"),
        C("index", "number", "Index 0–100 (weighted mean of pillars)", "Chỉ số 0–100", decimals=2),
        C(
            "band",
            "string",
            "POBI band: A ≥75, B ≥50, C ≥25, D <25",
            "Nhóm POBI",
            enum=_values(Band),
        ),
        C(
            "indicators_applicable",
            "integer",
            "Indicators answered a–d (e is left out)",
            "Số chỉ số áp dụng",
        ),
        C(
            "overrides",
            "integer",
            "Answers overridden by a researcher",
            "Số câu trả lời điều chỉnh",
        ),
        C("rubric", "string", "Rubric id and version", "Bộ tiêu chí"),
    ),
    primary_key=("round_id", "province_code", "rubric"),  # participation, then transparency
    sort_note="rank, province_code",
)

STATISTICS = Table(
    "statistics",
    "Reply statistics",
    "Thống kê phản hồi",
    "Reply rates with Wilson 95% intervals, times to reply, bounces; per request and per province, "
    "overall and by region.",
    (
        ROUND,
        C("unit", "string", "Unit counted", "Đơn vị đếm", enum=("request", "province")),
        C("group", "string", "'all' or a region id", "'all' hoặc mã vùng"),
        C("measure", "string", "What is measured (see CODEBOOK)", "Đại lượng"),
        C("k", "integer", "Count with the property", "Số có đặc điểm"),
        C("n", "integer", "Denominator", "Mẫu số"),
        C("value", "number", "Rate (k/n), days or count", "Giá trị", decimals=4),
        C(
            "ci_low",
            "number",
            "Wilson 95% interval, low",
            "Khoảng tin cậy 95%, cận dưới",
            decimals=4,
        ),
        C(
            "ci_high",
            "number",
            "Wilson 95% interval, high",
            "Khoảng tin cậy 95%, cận trên",
            decimals=4,
        ),
    ),
    primary_key=("round_id", "unit", "group", "measure"),
    sort_note="unit, group, measure",
)

SURVIVAL = Table(
    "survival",
    "Time to reply (Kaplan–Meier)",
    "Thời gian đến khi được trả lời (Kaplan–Meier)",
    "Kaplan–Meier estimate of the share of delivered requests still without a human reply after t "
    "working days; requests without a reply are censored at their elapsed working days.",
    (
        ROUND,
        C("group", "string", "'all' or a region id", "'all' hoặc mã vùng"),
        C(
            "working_days",
            "number",
            "t, working days after sending",
            "Số ngày làm việc",
            decimals=0,
        ),
        C(
            "no_reply_share",
            "number",
            "Estimated share still without a reply",
            "Tỷ lệ chưa trả lời",
            decimals=4,
        ),
        C("ci_low", "number", "95% interval, low", "Cận dưới 95%", decimals=4),
        C("ci_high", "number", "95% interval, high", "Cận trên 95%", decimals=4),
    ),
    primary_key=("round_id", "group", "working_days"),
    sort_note="group, working_days",
)

TRENDS = Table(
    "trends",
    "Trends on current units",
    "Xu hướng theo đơn vị hành chính hiện hành",
    "Every scored round's index on the 34 current units; legacy rounds are mapped through the "
    "2025 crosswalk (mean of the legacy sources' indices). The participation index's rows come "
    "first, then the transparency index's; the last column, index_name, says which.",
    (
        C("round", "string", "Survey round", "Đợt khảo sát"),
        C("era", "string", "Era of the round", "Thời kỳ", enum=_values(Era)),
        C("current_code", "string", "Current (2025) province code", "Mã tỉnh hiện hành"),
        C("index", "number", "Index 0–100", "Chỉ số 0–100", decimals=2),
        C("band", "string", "POBI band of that index", "Nhóm POBI", enum=_values(Band)),
        C(
            "method",
            "string",
            "direct (current round) or mean_of_sources (legacy round mapped)",
            "Cách tính",
            enum=("direct", "mean_of_sources"),
        ),
        C("sources", "string", "Codes whose indices were used, ';'-separated", "Mã nguồn"),
        C(
            "index_name",
            "string",
            "Which index the row carries: participation (the round's rubric) or transparency "
            "(transparency-v1)",
            "Chỉ số: tham gia (participation) hoặc minh bạch (transparency)",
            enum=("participation", "transparency"),
        ),
    ),
    primary_key=("round", "current_code", "index_name"),
    sort_note="index_name (participation rows first, then transparency), round, current_code",
)

INHERITED = Table(
    "inherited",
    "Legacy units with their successor's result",
    "Tỉnh cũ với kết quả của tỉnh kế thừa",
    "For a current-era round: every legacy (63-unit) province shown with its successor's result, "
    "flagged inherited (it was not measured itself).",
    (
        ROUND,
        C("legacy_code", "string", "Legacy (pre-2025) province code", "Mã tỉnh cũ"),
        C("legacy_name", "string", "Legacy name", "Tên tỉnh cũ"),
        C("current_code", "string", "Successor's code", "Mã tỉnh kế thừa"),
        C("index", "number", "Successor's index", "Chỉ số của tỉnh kế thừa", decimals=2),
        C("band", "string", "Successor's band", "Nhóm", enum=_values(Band)),
        C("rank", "integer", "Successor's rank", "Thứ hạng"),
        C("inherited", "boolean", "Always true: the value is the successor's", "Kế thừa"),
    ),
    primary_key=("round_id", "legacy_code"),
    sort_note="legacy_code",
)

# Fixed leading and trailing columns of the wide scores table; one column per indicator between.
WIDE_LEAD = (ROUND, PROVINCE, C("province_name", "string", "Official name", "Tên tỉnh"))
WIDE_TAIL = (
    C("index", "number", "Index 0–100", "Chỉ số 0–100", decimals=2),
    C("band", "string", "POBI band", "Nhóm POBI", enum=_values(Band)),
    C("rank", "integer", "Rank", "Thứ hạng"),
)


def wide_table(indicators: list[tuple[str, str, str]]) -> Table:
    """The wide scores table for a rubric: ``indicators`` are (id, question_en, question_vi)."""
    middle = tuple(
        C(i, "string", f"Answer (a–e; * = overridden): {en}", vi) for i, en, vi in indicators
    )
    return Table(
        "scores_wide",
        "Answers (wide)",
        "Câu trả lời (dạng rộng)",
        "One row per province, one column per indicator (answer letter; '*' marks an override).",
        (*WIDE_LEAD, *middle, *WIDE_TAIL),
        primary_key=("round_id", "province_code"),
        sort_note="province_code",
    )


FIXED_TABLES: tuple[Table, ...] = (
    SITES,
    CHANNELS,
    REQUESTS,
    REPLIES,
    SCORES,
    RANKINGS,
    STATISTICS,
    SURVIVAL,
    TRENDS,
    INHERITED,
)


FINANCE_SITES = Table(
    "finance_sites",
    "Department of Finance sites used",
    "Trang Sở Tài chính được sử dụng",
    "One row per Department of Finance site crawled: the registry's (or sites file's) and any "
    "site the crawl added because the province's portal names it in its link directory. Says "
    "which sites' findings the scores used, and why.",
    (
        PROVINCE,
        C("site_url", "string", "The finance site's start URL", "URL trang Sở Tài chính"),
        C(
            "source",
            "string",
            "registry, the sites file's path, or discovered (named by the portal's link directory)",
            "Nguồn: danh mục, tệp người dùng, hoặc phát hiện từ liên kết của cổng tỉnh",
        ),
        C(
            "fetch_status",
            "string",
            "Outcome of fetching its start URL",
            "Kết quả tải trang đầu",
            enum=_values(FetchStatus),
        ),
        C("pages_fetched", "integer", "Pages fetched on the site", "Số trang đã tải"),
        C(
            "used_for_scores",
            "boolean",
            "Its findings count as the Department of Finance's (start page fetched)",
            "Kết quả từ trang này được dùng để chấm điểm",
        ),
        C(
            "discovered_from",
            "string",
            "For a discovered site: the portal page whose link directory names it",
            "Trang của cổng tỉnh có liên kết tới trang này",
        ),
        C("link_label", "string", "The link's text on that page", "Nhãn liên kết"),
        C(
            "evidence_sha256",
            "string",
            "SHA-256 of the WARC record of that portal page",
            "SHA-256 bằng chứng (WARC) của trang đó",
        ),
        C("reason", "string", "Why this site was crawled and used (or not)", "Lý do"),
    ),
    sort_note="province_code, registry first, site_url",
)
FIXED_TABLES = (*FIXED_TABLES, FINANCE_SITES)
# --------------------------------------------------------------------------- budget documents
# (DESIGN.md §6: documents.csv's columns are a public interface, in this order)

DOCUMENTS = Table(
    "documents",
    "Budget documents found",
    "Các tài liệu ngân sách tìm thấy",
    "One row per budget document a site links (downloaded once per round), with its type, "
    "fiscal year and period, the publication date and where that date comes from, its format "
    "and the SHA-256 of the archived file (empty when it could not be downloaded).",
    (
        PROVINCE,
        C(
            "site_url",
            "string",
            "The site's URL as the registry or sites file gives it",
            "URL trang",
        ),
        C("doc_type", "string", "Kind of budget document", "Loại tài liệu", enum=_values(DocType)),
        C("fiscal_year", "integer", "Budget (fiscal) year the document is about", "Năm ngân sách"),
        C(
            "period",
            "string",
            "year, q1–q4 (quarter), h1 (six months), 9m (nine months), multi (several years)",
            "Kỳ: năm, quý, 6 tháng, 9 tháng, nhiều năm",
            enum=("year", "q1", "q2", "q3", "q4", "h1", "9m", "multi", ""),
        ),
        C("title", "string", "Title as listed (link text, or its row's text)", "Tiêu đề"),
        C("url", "string", "URL of the file", "URL tệp"),
        C("found_on", "string", "URL of the page that links it", "Trang chứa liên kết"),
        C("published_on", "date", "Publication date (see date_source)", "Ngày công khai"),
        C(
            "date_source",
            "string",
            "Where published_on comes from: listing (date beside the link), document (its own "
            "'ngày … tháng … năm …'), last_modified (HTTP header), first_seen (pobi's download)",
            "Nguồn của ngày công khai",
            enum=_values(DateSource),
        ),
        C(
            "format",
            "string",
            "table (spreadsheet), text (PDF/DOC/DOCX with text), scanned (image-only PDF), "
            "archive (ZIP/RAR), unreadable (encrypted, corrupt), too_large (not downloaded)",
            "Định dạng",
            enum=_values(DocFormat),
        ),
        C("sha256", "string", "SHA-256 of the archived file", "SHA-256 của tệp lưu trữ"),
    ),
    primary_key=("url",),
    sort_note="province_code, doc_type, fiscal_year, period, url",
)
FIXED_TABLES += (DOCUMENTS,)
# --------------------------------------------------------------------------- survey (issue 17)

CODINGS = Table(
    "codings",
    "Codes of each coder",
    "Mã hóa của từng người mã hóa",
    "One row per coder and human reply: each of the two blind coders' newest code, the "
    "adjudicator's (whose code wins), or a single coder's code from before the two-coder design.",
    (
        C("message_id", "string", "Message-ID of the reply", "Message-ID của thư"),
        C("coder", "string", "Who coded", "Người mã hóa"),
        C(
            "role",
            "string",
            "coder (one of two, blind), adjudicator (wins) or single",
            "Vai trò",
            enum=("coder", "adjudicator", "single"),
        ),
        C("code", "string", "The code", "Mã", enum=_values(Coding)),
        C("coded_at", "datetime", "When (UTC)", "Thời điểm (UTC)"),
    ),
    primary_key=("message_id", "coder", "role"),
    sort_note="message_id, role (coders first), coder",
)

AGREEMENT = Table(
    "agreement",
    "Inter-coder agreement",
    "Mức độ thống nhất giữa người mã hóa",
    "Agreement of the two blind coders on human replies coded by both: percent agreement, Cohen's "
    "kappa (all codes, and per category as 'is / is not this code') and Krippendorff's alpha "
    "(nominal, every coder). Empty value: undefined (no variation). Headers only while no reply "
    "has two codes.",
    (
        C(
            "measure",
            "string",
            "Agreement measure",
            "Đại lượng",
            enum=("percent_agreement", "cohen_kappa", "krippendorff_alpha"),
        ),
        C("category", "string", "'all' or a code", "'all' hoặc một mã"),
        C("value", "number", "The measure's value", "Giá trị", decimals=4),
        C("n", "integer", "Replies used", "Số thư dùng để tính"),
    ),
    primary_key=("measure", "category"),
    sort_note="measure order as listed, category",
)

DISPUTES = Table(
    "disputes",
    "Disputes (right of reply)",
    "Khiếu nại, phản hồi của tỉnh",
    "One row per dispute of a finding or a score, with the researcher's newest decision and the "
    "change it made. Headers only when nobody disputed anything.",
    (
        C("dispute_id", "integer", "Dispute number", "Số khiếu nại"),
        PROVINCE,
        C("target", "string", "What is disputed", "Đối tượng", enum=("finding", "score")),
        C("finding_id", "integer", "Disputed finding (target=finding)", "Phát hiện bị khiếu nại"),
        C("indicator", "string", "Disputed indicator (target=score)", "Chỉ số bị khiếu nại"),
        C("filed_by", "string", "Who disputes", "Người khiếu nại"),
        C("filed_at", "datetime", "When filed (UTC)", "Thời điểm (UTC)"),
        C("claim", "string", "What is claimed", "Nội dung"),
        C(
            "evidence",
            "string",
            "SHA-256 of the evidence files, ';'-separated (in public files an e-mail is named "
            "by an opaque reference, request:<id> or reply:<id>, instead of its hash)",
            "Bằng chứng",
        ),
        C(
            "decision",
            "string",
            "upheld, rejected, or empty while undecided",
            "Quyết định",
            enum=("upheld", "rejected"),
        ),
        C("decided_at", "datetime", "When decided (UTC)", "Thời điểm quyết định"),
        C("decided_by", "string", "Researcher who decided", "Người quyết định"),
        C("reason", "string", "Why", "Lý do"),
        C("change", "string", "The change the decision made ('none' if rejected)", "Thay đổi"),
    ),
    primary_key=("dispute_id",),
    sort_note="dispute_id",
)

SURVEY_TABLES: tuple[Table, ...] = (CODINGS, AGREEMENT, DISPUTES)
