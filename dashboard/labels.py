"""Values of the closed vocabularies shown in the reader's language, never as raw ids.

Tables read from the store hold ids (``qa_section``, ``not_sent``, ``contact_email``). Pages pass
a frame through :func:`localise` before showing it: every column this module knows is mapped to
labels (unknown values are left as they are, so a value a newer version adds still shows).
Indicator and pillar names come from the bundled rubric files (``data/rubrics/*.toml``), read
here with ``tomllib`` because the dashboard may not import the scoring stage.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from typing import Any

import pandas as pd

from pobi.config import data_dir
from pobi.registry import REGIONS

CHANNEL = {
    "qa_section": {"vi": "mục hỏi đáp", "en": "Q&A section"},
    "email": {"vi": "thư điện tử", "en": "e-mail"},
    "phone": {"vi": "điện thoại", "en": "phone"},
    "feedback_form": {"vi": "mẫu góp ý", "en": "feedback form"},
    "info_access": {"vi": "mục tiếp cận thông tin", "en": "access to information"},
    "facebook": {"vi": "Facebook", "en": "Facebook"},
    "zalo": {"vi": "Zalo", "en": "Zalo"},
    "youtube": {"vi": "YouTube", "en": "YouTube"},
    "finance_site": {"vi": "trang Sở Tài chính", "en": "Finance Department site"},
}
SITE_KIND = {
    "portal": {"vi": "cổng thông tin tỉnh", "en": "provincial portal"},
    "finance": {"vi": "Sở Tài chính", "en": "Department of Finance"},
    "other": {"vi": "khác", "en": "other"},
}
FETCH_STATUS = {
    "ok": {"vi": "truy cập được", "en": "ok"},
    "dns_error": {"vi": "lỗi tên miền", "en": "DNS error"},
    "refused": {"vi": "bị từ chối kết nối", "en": "connection refused"},
    "timeout": {"vi": "quá thời gian chờ", "en": "timeout"},
    "tls_error": {"vi": "lỗi chứng chỉ TLS", "en": "TLS error"},
    "http_4xx": {"vi": "lỗi HTTP 4xx", "en": "HTTP 4xx"},
    "http_5xx": {"vi": "lỗi máy chủ HTTP 5xx", "en": "HTTP 5xx"},
    "robots_blocked": {"vi": "bị robots.txt chặn", "en": "blocked by robots.txt"},
    "too_large": {"vi": "trang quá lớn", "en": "too large"},
    "redirect_loop": {"vi": "chuyển hướng vòng lặp", "en": "redirect loop"},
    "offsite_redirect": {"vi": "chuyển sang trang khác", "en": "off-site redirect"},
    "private_address": {"vi": "địa chỉ nội bộ (bị chặn)", "en": "private address (refused)"},
    "not_html": {"vi": "không phải HTML", "en": "not HTML"},
    "decode_error": {"vi": "lỗi mã hóa ký tự", "en": "decoding error"},
    "budget_exhausted": {"vi": "hết hạn mức trang", "en": "page budget used up"},
    "network_error": {"vi": "lỗi mạng", "en": "network error"},
}
REQUEST_STATE = {
    "draft": {"vi": "bản nháp", "en": "draft"},
    "queued": {"vi": "chờ gửi", "en": "queued"},
    "sending": {"vi": "đang gửi", "en": "sending"},
    "sent": {"vi": "đã gửi", "en": "sent"},
    "failed": {"vi": "gửi lỗi", "en": "failed"},
    "rejected": {"vi": "máy chủ từ chối", "en": "rejected"},
    "bounced": {"vi": "bị trả lại", "en": "bounced"},
}
DEADLINE = {
    "on_time": {"vi": "đúng hạn", "en": "on time"},
    "late": {"vi": "trễ hạn", "en": "late"},
    "overdue": {"vi": "quá hạn, chưa trả lời", "en": "overdue, no answer"},
    "pending": {"vi": "đang chờ", "en": "pending"},
    "bounced": {"vi": "thư bị trả lại", "en": "bounced"},
    "not_sent": {"vi": "chưa gửi", "en": "not sent"},
}
REPLY_KIND = {
    "bounce": {"vi": "thư báo lỗi", "en": "bounce"},
    "auto_reply": {"vi": "trả lời tự động", "en": "auto-reply"},
    "human": {"vi": "cán bộ trả lời", "en": "human reply"},
}

REVIEW = {
    "unreviewed": {"vi": "chưa rà soát", "en": "unreviewed"},
    "confirmed": {"vi": "xác nhận", "en": "confirmed"},
    "rejected": {"vi": "bác bỏ", "en": "rejected"},
}

CODING = {
    "substantive": {"vi": "thực chất", "en": "substantive"},
    "partial": {"vi": "một phần", "en": "partial"},
    "acknowledgment": {"vi": "xác nhận đã nhận", "en": "acknowledgment"},
    "referral": {"vi": "chuyển nơi khác", "en": "referral"},
    "refusal": {"vi": "từ chối", "en": "refusal"},
    "other": {"vi": "khác", "en": "other"},
}
MATCH_METHOD = {
    "token": {"vi": "mã trả lời", "en": "reply token"},
    "thread": {"vi": "chuỗi thư", "en": "thread"},
    "subject_tag": {"vi": "nhãn tiêu đề", "en": "subject tag"},
    "sender": {"vi": "người gửi", "en": "sender"},
    "manual": {"vi": "gán thủ công", "en": "assigned by hand"},
    "unmatched": {"vi": "chưa ghép", "en": "unmatched"},
}

COLUMNS = {
    "channel": CHANNEL,
    "site_kind": SITE_KIND,
    "fetch_status": FETCH_STATUS,
    "state": REQUEST_STATE,
    "deadline_status": DEADLINE,
    "kind": REPLY_KIND,
    "review": REVIEW,
    "recipient_kind": SITE_KIND,
    "coding": CODING,
    "match_method": MATCH_METHOD,
}


def label(table: dict[str, dict[str, str]], value: object, lang: str) -> object:
    """One id shown in ``lang`` (an unknown value is left as it is)."""
    return table[value][lang] if isinstance(value, str) and value in table else value


def coder_codes(text: str, lang: str) -> str:
    """'Lan: referral, Minh: substantive' with each code in ``lang``."""
    return ", ".join(
        f"{who}: {label(CODING, code, lang)}" if sep else part
        for part in text.split(", ")
        for who, sep, code in [part.rpartition(": ")]
    )


@cache
def rubric_labels() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """(indicator id -> {vi, en} question, pillar id -> {vi, en} name) over the bundled rubrics."""
    indicators: dict[str, dict[str, str]] = {}
    pillars: dict[str, dict[str, str]] = {}
    for path in sorted((data_dir() / "rubrics").glob("*.toml")):
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            continue
        for pid, p in (doc.get("pillars") or {}).items():
            if "name_vi" in p and "name_en" in p:
                pillars.setdefault(pid, {"vi": p["name_vi"], "en": p["name_en"]})
        for ind in doc.get("indicators") or []:
            if {"id", "question_vi", "question_en"} <= ind.keys():
                indicators.setdefault(
                    ind["id"], {"vi": ind["question_vi"], "en": ind["question_en"]}
                )
    return indicators, pillars


def localise(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy of ``df`` whose id columns show labels in ``lang``."""
    if df.empty:
        return df
    out = df.copy()
    indicators, pillars = rubric_labels()
    tables = {**COLUMNS, "indicator": indicators, "pillar": pillars, "region": REGIONS}
    for column, table in tables.items():
        if column in out.columns:
            out[column] = [
                table[v][lang] if isinstance(v, str) and v in table else v for v in out[column]
            ]
    return out


_FINDING = re.compile(r"finding #(\d+)")
_SCORE_CHANGE = re.compile(
    r"score override (\S+): (\S+) -> (\S+) \(applied by the next pobi score\)"
)
_FINDING_CHANGE = re.compile(r"finding #(\d+) marked rejected \(no longer counts\)")


def dispute_target(target: str, indicators: dict[str, dict[str, str]], ctx: Any) -> str:
    """A dispute's target as the reader reads it: 'finding #12', or an indicator's question."""
    m = _FINDING.fullmatch(target or "")
    if m:
        return ctx.t("target_finding", id=m.group(1))
    return str(label(indicators, target, ctx.lang))


def dispute_change(change: str, ctx: Any) -> str:
    """The change a decision made (written in English by ``pobi survey disputes decide``), in the
    reader's language; text of another shape is shown as it is."""
    m = _SCORE_CHANGE.fullmatch(change or "")
    if m:
        return ctx.t("change_score", where=m.group(1), old=m.group(2), new=m.group(3))
    m = _FINDING_CHANGE.fullmatch(change or "")
    if m:
        return ctx.t("change_finding", id=m.group(1))
    return change
