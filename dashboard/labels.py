"""Values of the closed vocabularies shown in the reader's language, never as raw ids.

Tables read from the store hold ids (``qa_section``, ``not_sent``, ``contact_email``). Pages pass
a frame through :func:`localise` before showing it: every column this module knows is mapped to
labels (unknown values are left as they are, so a value a newer version adds still shows).
Indicator and pillar names come from the bundled rubric files (``data/rubrics/*.toml``), read
here with ``tomllib`` because the dashboard may not import the scoring stage.
"""

from __future__ import annotations

import tomllib
from functools import cache

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

COLUMNS = {
    "channel": CHANNEL,
    "site_kind": SITE_KIND,
    "fetch_status": FETCH_STATUS,
    "state": REQUEST_STATE,
    "deadline_status": DEADLINE,
    "kind": REPLY_KIND,
    "review": REVIEW,
    "recipient_kind": SITE_KIND,
}


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
