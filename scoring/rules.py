"""Named rules: how an indicator's answer is computed from a province's facts.

A rubric indicator names one rule and gives its parameters. Each rule returns an
:class:`Outcome`: the answer (a–e), a one-line explanation in English and in Vietnamese, and the
SHA-256 of the evidence files behind it (WARC and screenshot of findings; the sent request and the
raw replies of requests). Rules are pure functions of the facts: no I/O.

Shared conventions (docs/scoring.md):
- finding-based rules answer ``e`` when the round has no crawl at all (nothing was measured);
- request-based rules answer ``e`` when the round has no requests at all;
- a province with several requests is judged by its best request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pobi.models import Answer, Channel, Coding, ReplyKind, RequestState, SiteKind
from pobi.store.tables import Finding
from scoring.facts import ProvinceFacts, RequestFacts, found_at


@dataclass(frozen=True)
class Outcome:
    answer: Answer
    en: str
    vi: str
    evidence: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # one line each, whatever a finding's value holds
        object.__setattr__(self, "en", " ".join(self.en.split()))
        object.__setattr__(self, "vi", " ".join(self.vi.split()))


@dataclass(frozen=True)
class Rule:
    fn: Callable[[ProvinceFacts, dict[str, Any]], Outcome]
    params: dict[str, tuple[type, Any]]  # name -> (type, default)
    doc: str


SITE_VI = {"portal": "cổng thông tin tỉnh", "finance": "trang Sở Tài chính", "other": "trang khác"}
SITE_EN = {
    "portal": "provincial portal",
    "finance": "Department of Finance site",
    "other": "other site",
}


# Reply codes in Vietnamese, for the Vietnamese explanations (the English ones use the codes).
CODING_VI = {
    "substantive": "trả lời đầy đủ",
    "partial": "trả lời một phần",
    "acknowledgment": "xác nhận đã nhận",
    "referral": "chuyển nơi khác",
    "refusal": "từ chối",
    "other": "khác",
    "not coded": "chưa mã hóa",
}


def _evidence_of_findings(findings: list[Finding]) -> tuple[str, ...]:
    out: list[str] = []
    for f in findings:
        for h in (f.evidence_sha256, f.screenshot_sha256):
            if h and h not in out:
                out.append(h)
    return tuple(out)


def _evidence_of_requests(
    reqs: list[RequestFacts], kinds: set[str] | None = None
) -> tuple[str, ...]:
    out: list[str] = []
    for r in reqs:
        if r.request.eml_sha256 and r.request.eml_sha256 not in out:
            out.append(r.request.eml_sha256)
        for m in r.messages:
            if (kinds is None or m.kind in kinds) and m.raw_sha256 not in out:
                out.append(m.raw_sha256)
    return tuple(out)


def _not_crawled() -> Outcome:
    return Outcome(
        Answer.E,
        "Not applicable: no site was crawled in this round.",
        "Không áp dụng: đợt này không thu thập trang web nào.",
    )


def _not_probed() -> Outcome:
    return Outcome(
        Answer.E,
        "Not applicable: no information request was sent in this round.",
        "Không áp dụng: đợt này không gửi yêu cầu cung cấp thông tin.",
    )


def _site_unreachable(facts: ProvinceFacts, kind: str) -> str:
    sites = facts.sites_of(kind)
    if not sites:
        return "no such site in this round"
    return (
        "unreachable (" + ", ".join(sorted({s.fetch_status or "not fetched" for s in sites})) + ")"
    )


def _as_date(value: Any) -> date | None:
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
        except ValueError:
            try:
                return date.fromisoformat(value[:10])
            except ValueError:
                return None
    return None


def _months_between(earlier: date, later: date) -> float:
    return (later - earlier).days / 30.4375


# --------------------------------------------------------------------------- findings


def qa_section(facts: ProvinceFacts, params: dict[str, Any]) -> Outcome:
    """a: form + answers within ``recent_months``; b: answers older (or no form, or undated);
    c: present but empty or broken; d: none.

    Reads the crawler's details: ``has_form``, ``questions_listed``, ``newest_answer_date``
    (else ``newest_question_date``); also ``broken``/``empty`` and older key names."""
    if not facts.round_crawled:
        return _not_crawled()
    kind = params["site_kind"]
    months = params["recent_months"]
    where_en, where_vi = SITE_EN[kind], SITE_VI[kind]
    found = facts.findings_of(Channel.QA_SECTION.value, kind)
    if not found:
        ok = [s for s in facts.sites_of(kind) if s.fetch_status == "ok"]
        if ok:
            return Outcome(
                Answer.D,
                f"No Q&A section found on the {where_en}.",
                f"Không tìm thấy mục Hỏi đáp trên {where_vi}.",
            )
        why = _site_unreachable(facts, kind)
        return Outcome(
            Answer.D,
            f"No Q&A section: the {where_en} is {why}.",
            f"Không có mục Hỏi đáp: {where_vi} {'không có trong đợt này' if why.startswith('no such') else 'không truy cập được'}.",
        )
    best: tuple[int, Outcome] | None = None
    for f in found:
        o = _qa_outcome(f, found, months, where_en, where_vi)
        rank = "abcd".index(o.answer.value)
        if best is None or rank < best[0]:
            best = (rank, o)
    assert best is not None
    return best[1]


def _qa_form_elsewhere(f: Finding, found: list[Finding]) -> str:
    """The URL of a question form on another page of the same site's Q&A section ('' if none):
    the section links to it (``form_page``), or another Q&A page of the site has the form."""
    d = f.details or {}
    others = [g for g in found if g is not f and g.site_id == f.site_id]
    linked = d.get("form_page")
    for g in others:
        if (g.details or {}).get("has_form") and (not linked or g.value == linked):
            return g.value
    for g in others:
        if (g.details or {}).get("has_form"):
            return g.value
    return ""


def _qa_outcome(
    f: Finding, found: list[Finding], months: int, where_en: str, where_vi: str
) -> Outcome:
    """One Q&A finding's answer. "Empty or broken" (c) only on evidence the crawler recorded
    (``list_state`` error / says_empty / none_seen, or an explicit ``broken``/``empty`` flag),
    and the explanation names it; a list loaded by script that was not read is not empty."""
    d = f.details or {}
    ev = _evidence_of_findings([f])
    ref = found_at(f).date()
    state = d.get("list_state")
    shown = "; ".join(str(x) for x in (d.get("evidence") or [])[:3])
    answered = _as_date(
        d.get("newest_answer_date")
        or d.get("latest_answer")
        or d.get("latest_date")
        or d.get("last_answer_at")
    )
    asked = _as_date(d.get("newest_question_date"))
    loose = _as_date(d.get("newest_date"))  # dates printed without a label
    age = d.get("newest_age_days")
    relative = (
        date.fromordinal(ref.toordinal() - int(age)) if isinstance(age, int) and age >= 0 else None
    )
    unanswered = int(d.get("unanswered_count") or 0)
    answered_n = d.get("answered_count")
    if unanswered and not answered_n and not answered:
        asked = loose = relative = None  # questions wait for answers: their dates are not answers
    latest = answered or asked or loose or relative
    answers = d.get("questions_listed", d.get("answers", d.get("items")))
    form_elsewhere = "" if d.get("has_form") else _qa_form_elsewhere(f, found)
    has_form = bool(d.get("has_form")) or bool(form_elsewhere)
    if answered:
        what_en, what_vi = "answer", "câu trả lời"
    elif asked:
        what_en, what_vi = "question", "câu hỏi"
    else:
        what_en, what_vi = "dated item", "mục có ngày"
    flagged = bool(d.get("broken")) or bool(d.get("empty"))
    if flagged or state in ("error", "says_empty", "none_seen"):
        why = shown or ("flagged broken" if d.get("broken") else "flagged empty")
        word_en = "broken" if (d.get("broken") or state == "error") else "empty"
        word_vi = "bị lỗi" if word_en == "broken" else "trống"
        return Outcome(
            Answer.C,
            f"Q&A section on the {where_en} ({f.value}) is {word_en}: {why}.",
            f"Mục Hỏi đáp trên {where_vi} ({f.value}) {word_vi}: {why} (bằng chứng của bộ thu thập).",
            ev,
        )
    form_en = f" (question form on {form_elsewhere})" if form_elsewhere else ""
    form_vi = f" (mẫu gửi câu hỏi tại {form_elsewhere})" if form_elsewhere else ""
    note_en = ""  # a and b name their dates; the crawler's evidence stays in the finding
    if latest is not None and has_form and _months_between(latest, ref) <= months:
        return Outcome(
            Answer.A,
            f"Q&A section with a question form on the {where_en}{form_en}; latest {what_en} {latest.isoformat()} (within {months} months){note_en}.",
            f"Mục Hỏi đáp có mẫu gửi câu hỏi trên {where_vi}{form_vi}; {what_vi} gần nhất {latest.isoformat()} (trong {months} tháng){note_en}.",
            ev,
        )
    if latest is not None:
        extra_en = form_en if has_form else ", no question form"
        extra_vi = form_vi if has_form else ", không có mẫu gửi câu hỏi"
        return Outcome(
            Answer.B,
            f"Q&A section on the {where_en}; latest {what_en} {latest.isoformat()}{extra_en}{note_en}.",
            f"Mục Hỏi đáp trên {where_vi}; {what_vi} gần nhất {latest.isoformat()}{extra_vi}{note_en}.",
            ev,
        )
    if unanswered and not answered_n:
        return Outcome(
            Answer.B,
            f"Q&A section on the {where_en} ({f.value}): {unanswered} question(s) shown as not answered, none answered{note_en}.",
            f"Mục Hỏi đáp trên {where_vi} ({f.value}): {unanswered} câu hỏi chưa được trả lời, không có câu trả lời.",
            ev,
        )
    if state == "script_loaded":
        return Outcome(
            Answer.B,
            f"Q&A section on the {where_en} ({f.value}); its list is loaded by script and was not read, so it is not judged empty [{shown}].",
            f"Có mục Hỏi đáp trên {where_vi} ({f.value}); danh sách do script tải, chưa đọc được nên không bị coi là trống [{shown}].",
            ev,
        )
    if answers == 0 and state is None:
        return Outcome(
            Answer.B,
            f"Q&A section on the {where_en} ({f.value}); 0 questions recorded but no evidence that it is empty.",
            f"Có mục Hỏi đáp trên {where_vi} ({f.value}); ghi nhận 0 câu hỏi nhưng không có bằng chứng là trống.",
            ev,
        )
    return Outcome(
        Answer.B,
        f"Q&A section on the {where_en} ({f.value}); dates of answers not recorded{note_en}.",
        f"Có mục Hỏi đáp trên {where_vi} ({f.value}); không ghi nhận ngày trả lời{note_en}.",
        ev,
    )


FINANCE_LOCALS = ("stc", "sotaichinh", "sotc", "tc")


def _is_finance_address(f: Finding) -> bool:
    if f.site_kind == SiteKind.FINANCE.value:
        return True
    local, _, domain = f.value.partition("@")
    return domain.startswith(("stc.", "sotaichinh.")) or local in FINANCE_LOCALS


def contact_email(facts: ProvinceFacts, params: dict[str, Any]) -> Outcome:
    """a: a Department of Finance address; b: only a general address; c: only a form or an
    e-mail shown as an image; d: none."""
    if not facts.round_crawled:
        return _not_crawled()
    emails = facts.findings_of(Channel.EMAIL.value)
    text = [f for f in emails if not f.value.startswith("image:")]
    images = [f for f in emails if f.value.startswith("image:")]
    finance = [f for f in text if _is_finance_address(f)]
    if finance:
        addrs = ", ".join(sorted({f.value for f in finance}))
        return Outcome(
            Answer.A,
            f"Department of Finance e-mail published: {addrs}.",
            f"Có công bố e-mail của Sở Tài chính: {addrs}.",
            _evidence_of_findings(finance),
        )
    if text:
        addrs = ", ".join(sorted({f.value for f in text}))
        return Outcome(
            Answer.B,
            f"Only a general e-mail address published: {addrs}.",
            f"Chỉ có địa chỉ e-mail chung: {addrs}.",
            _evidence_of_findings(text),
        )
    forms = facts.findings_of(Channel.FEEDBACK_FORM.value)
    if images or forms:
        what_en = "an e-mail address shown only as an image" if images else "a web form only"
        what_vi = "e-mail chỉ hiển thị dạng hình ảnh" if images else "chỉ có biểu mẫu trực tuyến"
        return Outcome(
            Answer.C,
            f"No readable e-mail address: {what_en}.",
            f"Không có địa chỉ e-mail đọc được: {what_vi}.",
            _evidence_of_findings(images or forms),
        )
    return Outcome(
        Answer.D,
        "No contact e-mail address, form or image found.",
        "Không tìm thấy e-mail liên hệ, biểu mẫu hay hình ảnh địa chỉ.",
    )


def _info_problem(f: Finding, ref_months: int) -> str:
    """Why an access-to-information finding is empty, broken or stale ('' when it is not), from
    the crawler's evidence (crawler/checks/info_access.py) or an explicit flag."""
    d = f.details or {}
    shown = "; ".join(str(x) for x in (d.get("evidence") or [])[:2])
    if d.get("broken"):
        return "broken" + (f" ({shown})" if shown else "")
    if d.get("empty"):
        return "empty" + (f" ({shown})" if shown else "")
    state = d.get("list_state")
    if state == "error":
        return f"broken ({shown})"
    if state in ("says_empty", "none_seen"):
        return f"empty ({shown})"
    newest = _as_date(d.get("newest_date"))
    if state == "listed" and newest is not None:
        age = _months_between(newest, found_at(f).date())
        if age > ref_months:
            return (
                f"stale: newest item {newest.isoformat()}, over {ref_months} months old ({shown})"
            )
    return ""


def info_access(facts: ProvinceFacts, params: dict[str, Any]) -> Outcome:
    """a: access-to-information section on both the portal and the Department of Finance site;
    b: on one of them; c: found but empty, broken or stale (newest item older than
    ``stale_months``), as the crawler's evidence shows; d: none."""
    if not facts.round_crawled:
        return _not_crawled()
    months = int(params.get("stale_months", 24))
    found = facts.findings_of(Channel.INFO_ACCESS.value)
    problems = {id(f): _info_problem(f, months) for f in found}
    good = [f for f in found if not problems[id(f)]]
    kinds = {f.site_kind for f in good}
    if {SiteKind.PORTAL.value, SiteKind.FINANCE.value} <= kinds:
        return Outcome(
            Answer.A,
            "Access-to-information section on the portal and the Department of Finance site.",
            "Có chuyên mục Tiếp cận thông tin trên cổng tỉnh và trang Sở Tài chính.",
            _evidence_of_findings(good),
        )
    if good:
        where = sorted(kinds)[0]
        return Outcome(
            Answer.B,
            f"Access-to-information section only on the {SITE_EN.get(where, where)}.",
            f"Chỉ có chuyên mục Tiếp cận thông tin trên {SITE_VI.get(where, where)}.",
            _evidence_of_findings(good),
        )
    if found:
        first = found[0]
        why = problems[id(first)]
        return Outcome(
            Answer.C,
            f"Access-to-information section found ({first.value}) but {why}.",
            f"Có chuyên mục Tiếp cận thông tin ({first.value}) nhưng trống, lỗi hoặc không cập nhật: {why}.",
            _evidence_of_findings(found),
        )
    return Outcome(
        Answer.D,
        "No access-to-information section found.",
        "Không tìm thấy chuyên mục Tiếp cận thông tin.",
    )


SOCIAL = (Channel.FACEBOOK.value, Channel.ZALO.value, Channel.YOUTUBE.value)


def social_accounts(facts: ProvinceFacts, params: dict[str, Any]) -> Outcome:
    """a: at least ``min_for_a`` kinds of official accounts linked from the portal; b: one kind;
    c: accounts only on other sites (e.g. the Department of Finance); d: none."""
    if not facts.round_crawled:
        return _not_crawled()
    portal = [f for c in SOCIAL for f in facts.findings_of(c, SiteKind.PORTAL.value)]
    kinds = sorted({f.channel for f in portal})
    if len(kinds) >= params["min_for_a"]:
        return Outcome(
            Answer.A,
            f"Official accounts linked from the portal: {', '.join(kinds)}.",
            f"Cổng tỉnh liên kết tài khoản chính thức: {', '.join(kinds)}.",
            _evidence_of_findings(portal),
        )
    if kinds:
        return Outcome(
            Answer.B,
            f"One kind of official account linked from the portal: {kinds[0]}.",
            f"Cổng tỉnh chỉ liên kết một loại tài khoản: {kinds[0]}.",
            _evidence_of_findings(portal),
        )
    others = [
        f for c in SOCIAL for f in facts.findings_of(c) if f.site_kind != SiteKind.PORTAL.value
    ]
    if others:
        kinds = sorted({f.channel for f in others})
        return Outcome(
            Answer.C,
            f"Accounts only on other sites, not the portal: {', '.join(kinds)}.",
            f"Tài khoản chỉ có trên trang khác, không có trên cổng tỉnh: {', '.join(kinds)}.",
            _evidence_of_findings(others),
        )
    return Outcome(
        Answer.D,
        "No official social account (Facebook, Zalo, YouTube) found.",
        "Không tìm thấy tài khoản mạng xã hội chính thức (Facebook, Zalo, YouTube).",
    )


# --------------------------------------------------------------------------- requests


def _delivered(r: RequestFacts) -> bool:
    if any(m.kind != ReplyKind.BOUNCE.value for m in r.messages):
        return True
    return r.request.state == RequestState.SENT.value


def _finance_recipient(r: RequestFacts) -> bool:
    """Chosen from the finance site, or (e.g. a researcher's override) a finance-looking address."""
    if r.request.recipient_kind == "finance":
        return True
    local, _, domain = r.request.recipient.lower().partition("@")
    return domain.startswith(("stc.", "sotaichinh.")) or local in FINANCE_LOCALS


def delivery(facts: ProvinceFacts, params: dict[str, Any]) -> Outcome:
    """a: delivered to a Department of Finance address; b: delivered only to another address;
    c: sent, but every address bounced; d: no request could be sent."""
    if not facts.round_probed:
        return _not_probed()
    reqs = facts.requests
    delivered = [r for r in reqs if _delivered(r)]
    finance = [r for r in delivered if _finance_recipient(r)]
    if finance:
        addrs = ", ".join(sorted({r.request.recipient for r in finance}))
        return Outcome(
            Answer.A,
            f"Request delivered to the Department of Finance ({addrs}).",
            f"Yêu cầu đã đến Sở Tài chính ({addrs}).",
            _evidence_of_requests(finance, {ReplyKind.BOUNCE.value}),
        )
    if delivered:
        addrs = ", ".join(sorted({r.request.recipient for r in delivered}))
        return Outcome(
            Answer.B,
            f"Request delivered only to another address ({addrs}).",
            f"Yêu cầu chỉ đến được địa chỉ khác ({addrs}).",
            _evidence_of_requests(delivered, {ReplyKind.BOUNCE.value}),
        )
    sent = [r for r in reqs if r.request.state == RequestState.BOUNCED.value]
    if sent:
        return Outcome(
            Answer.C,
            f"Every address bounced ({len(sent)} request(s)).",
            f"Mọi địa chỉ đều bị trả lại ({len(sent)} yêu cầu).",
            _evidence_of_requests(sent, {ReplyKind.BOUNCE.value}),
        )
    if reqs:
        states = ", ".join(sorted({r.request.state for r in reqs}))
        return Outcome(
            Answer.D,
            f"No request was sent successfully (states: {states}).",
            f"Không gửi được yêu cầu nào (trạng thái: {states}).",
            _evidence_of_requests(reqs, set()),
        )
    return Outcome(
        Answer.D,
        "No request could be sent: no usable e-mail address.",
        "Không thể gửi yêu cầu: không có địa chỉ e-mail dùng được.",
    )


def reply(facts: ProvinceFacts, params: dict[str, Any]) -> Outcome:
    """a: substantive reply within the legal deadline (deadlines.full working days);
    b: substantive but late, or partial; c: acknowledgment, referral, refusal or other (or not yet
    coded) only; d: no human reply."""
    if not facts.round_probed:
        return _not_probed()
    humans = [r for r in facts.requests if r.timing.first_human_reply_at is not None]
    ev = _evidence_of_requests(humans, {ReplyKind.HUMAN.value})
    on_time = [r for r in humans if r.timing.substantive_within_full]
    if on_time:
        days = min(r.timing.days_to_substantive or 0 for r in on_time)
        return Outcome(
            Answer.A,
            f"Substantive reply within the legal deadline ({days} working days).",
            f"Trả lời đầy đủ trong thời hạn luật định ({days} ngày làm việc).",
            ev,
        )
    late = [r for r in humans if r.timing.first_substantive_at is not None]
    if late:
        days = min(r.timing.days_to_substantive or 0 for r in late)
        return Outcome(
            Answer.B,
            f"Substantive reply, but late ({days} working days).",
            f"Trả lời đầy đủ nhưng chậm ({days} ngày làm việc).",
            ev,
        )
    partial = [r for r in humans if Coding.PARTIAL.value in r.timing.codings]
    if partial:
        return Outcome(
            Answer.B,
            "Partial reply (some of the information requested).",
            "Trả lời một phần thông tin được yêu cầu.",
            ev,
        )
    if humans:
        codes = sorted({c or "not coded" for r in humans for c in r.timing.codings})
        return Outcome(
            Answer.C,
            f"Human reply without the information ({', '.join(codes)}).",
            "Có thư trả lời nhưng không cung cấp thông tin "
            f"({', '.join(CODING_VI.get(c, c) for c in codes)}).",
            ev,
        )
    autos = _evidence_of_requests(facts.requests, {ReplyKind.AUTO_REPLY.value})
    return Outcome(
        Answer.D,
        "No human reply.",
        "Không có thư trả lời của cán bộ.",
        autos,
    )


def reply_time(facts: ProvinceFacts, params: dict[str, Any]) -> Outcome:
    """Working days to the first human reply: a <= a_within, b <= b_within, c <= c_within,
    d later or never."""
    if not facts.round_probed:
        return _not_probed()
    humans = [r for r in facts.requests if r.timing.days_to_human_reply is not None]
    if not humans:
        return Outcome(
            Answer.D,
            "No human reply, so no reply time.",
            "Không có thư trả lời nên không có thời gian trả lời.",
        )
    first = min(humans, key=lambda r: r.timing.days_to_human_reply or 0)
    days = first.timing.days_to_human_reply or 0
    ev = _evidence_of_requests([first], {ReplyKind.HUMAN.value})
    for answer, limit in (
        (Answer.A, params["a_within"]),
        (Answer.B, params["b_within"]),
        (Answer.C, params["c_within"]),
    ):
        if days <= limit:
            return Outcome(
                answer,
                f"First human reply after {days} working days (≤ {limit}).",
                f"Thư trả lời đầu tiên sau {days} ngày làm việc (≤ {limit}).",
                ev,
            )
    return Outcome(
        Answer.D,
        f"First human reply after {days} working days (> {params['c_within']}).",
        f"Thư trả lời đầu tiên sau {days} ngày làm việc (> {params['c_within']}).",
        ev,
    )


RULES: dict[str, Rule] = {
    "qa_section": Rule(
        qa_section,
        {"site_kind": (str, "portal"), "recent_months": (int, 12)},
        qa_section.__doc__ or "",
    ),
    "contact_email": Rule(contact_email, {}, contact_email.__doc__ or ""),
    "info_access": Rule(info_access, {"stale_months": (int, 24)}, info_access.__doc__ or ""),
    "social_accounts": Rule(
        social_accounts, {"min_for_a": (int, 2)}, social_accounts.__doc__ or ""
    ),
    "delivery": Rule(delivery, {}, delivery.__doc__ or ""),
    "reply": Rule(reply, {}, reply.__doc__ or ""),
    "reply_time": Rule(
        reply_time,
        {"a_within": (int, 3), "b_within": (int, 15), "c_within": (int, 30)},
        reply_time.__doc__ or "",
    ),
}


def check_params(rule: str, params: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """(problem or None, parameters with defaults filled in)."""
    spec = RULES[rule].params
    unknown = sorted(set(params) - set(spec))
    if unknown:
        allowed = ", ".join(sorted(spec)) or "none"
        return f"rule '{rule}' has no parameter {', '.join(unknown)} (allowed: {allowed})", {}
    full: dict[str, Any] = {}
    for name, (typ, default) in spec.items():
        value = params.get(name, default)
        if typ is int and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            return f"parameter '{name}' of rule '{rule}' must be a whole number >= 0", {}
        if typ is str and not isinstance(value, str):
            return f"parameter '{name}' of rule '{rule}' must be a text", {}
        full[name] = value
    if rule == "qa_section" and full["site_kind"] not in {k.value for k in SiteKind}:
        kinds = ", ".join(k.value for k in SiteKind)
        return f"parameter 'site_kind' must be one of {kinds}, got {full['site_kind']!r}", {}
    if rule == "reply_time" and not full["a_within"] <= full["b_within"] <= full["c_within"]:
        return "parameters must satisfy a_within <= b_within <= c_within", {}
    if rule.startswith("document_"):
        from scoring.document_rules import check_document_params

        if problem := check_document_params(full):
            return problem, {}
    return None, full


# the transparency rubric's rules (budget documents) live in their own module, which adds them
# to RULES when it is imported (whichever of the two modules is imported first)
import scoring.document_rules  # noqa: E402, F401
