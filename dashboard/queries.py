"""The dashboard's only door to the store: every read and every write of the database is here.

Reads return plain data (pandas DataFrames, dicts) and are cached with ``st.cache_data`` keyed on
the database URL, the round and a cheap *data version* (row counts and newest ids of every table
the pages read, see :func:`data_version`), so a page re-reads only when the data changed. Writes
(the Review page) append rows with coder, time and reason, as the schema's history rule says, and
are never cached.

Nothing here renders anything; the pages decide what to show (and what public mode hides).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Select, func, inspect, select, text
from sqlalchemy.orm import Session

from pobi.clock import aware, now
from pobi.config import Config, load_config
from pobi.errors import InputError, NotFoundError, StateError
from pobi.evidence import EvidenceStore
from pobi.models import (
    Channel,
    Coding,
    DeadlineStatus,
    Era,
    MatchMethod,
    ReplyKind,
    RequestState,
    ReviewStatus,
)
from pobi.registry import REGIONS, provinces
from pobi.reviews import rejected_finding_ids
from pobi.stats import kaplan_meier, wilson
from pobi.store import Store
from pobi.store.tables import (
    CrawlSite,
    Evidence,
    Finding,
    FindingReview,
    Message,
    MessageAssignment,
    MessageCoding,
    Page,
    ProbeRequest,
    ProvinceIndex,
    Round,
    Score,
    ScoreOverride,
)
from pobi.timing import latest_codings, request_timings
from pobi.workdays import Calendar

TTL = 600  # seconds; a safety net on top of the data-version key (clock-dependent figures)

# Tables whose newest id / row count make up the data version.
_VERSION_SQL = text(
    "SELECT "
    + ", ".join(
        f"(SELECT {expr} FROM {table})"
        for table, expr in [
            ("rounds", "COUNT(*)"),
            ("crawl_sites", "MAX(id)"),
            ("pages", "MAX(id)"),
            ("findings", "MAX(id)"),
            ("finding_reviews", "MAX(id)"),
            ("requests", "COUNT(*)"),
            ("request_events", "MAX(id)"),
            ("messages", "MAX(id)"),
            ("message_codings", "MAX(id)"),
            ("message_assignments", "MAX(id)"),
            ("scores", "COUNT(*)"),
            ("scores", "MAX(computed_at)"),
            ("score_overrides", "MAX(id)"),
            ("province_index", "MAX(computed_at)"),
        ]
    )
)


@dataclass(frozen=True)
class Source:
    """Where the dashboard's data lives (from POBI_HOME / POBI_DATABASE_URL)."""

    database_url: str
    evidence_dir: str
    home: str


def source() -> Source:
    cfg = load_config()
    return Source(cfg.database_url, str(cfg.evidence_dir), str(cfg.home))


def _config() -> Config:
    return load_config()


_CALENDARS: dict[frozenset, Calendar] = {}


def _calendar() -> Calendar:
    """The configured working-day calendar, kept per process so its year tables are built once."""
    off = Calendar.from_config(_config()).extra_days_off
    if off not in _CALENDARS:
        _CALENDARS[off] = Calendar(off)
    return _CALENDARS[off]


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    # The CLI migrates before starting the app; the dashboard never changes the schema itself.
    return Store.open(url=url, migrate_schema=False)


def store_ready(src: Source) -> bool:
    """True when the database exists and has pobi's tables."""
    if src.database_url.startswith("sqlite"):
        path = src.database_url.split(":///", 1)[-1]
        if not Path(path).exists():
            return False
    try:
        return "rounds" in inspect(_store(src.database_url).engine).get_table_names()
    except Exception:  # an unreachable server is shown as "no data", with the URL
        return False


def data_version(src: Source) -> str:
    """A cheap fingerprint that changes whenever any table the pages read changes."""
    with _store(src.database_url).engine.connect() as conn:
        row = conn.execute(_VERSION_SQL).one()
    return "|".join("" if v is None else str(v) for v in row)


def _table(s: Session, query: Select[Any]) -> pd.DataFrame:
    """The query's rows as a frame whose columns are named after what it selects (an attribute's
    name, or its label)."""
    result = s.execute(query)
    return pd.DataFrame(result.all(), columns=list(result.keys()))


# --------------------------------------------------------------------------- rounds


@st.cache_data(show_spinner=False, ttl=TTL)
def rounds(url: str, version: str) -> pd.DataFrame:
    with _store(url).session() as s:
        return _table(
            s,
            select(Round.id, Round.era, Round.rubric, Round.note, Round.created_at).order_by(
                Round.created_at, Round.id
            ),
        )


def round_era(url: str, version: str, round_id: str) -> str:
    df = rounds(url, version)
    match = df[df["id"] == round_id]
    if match.empty:
        raise NotFoundError(f"No round {round_id!r} in the store")
    return str(match.iloc[0]["era"])


# --------------------------------------------------------------------------- per province


def _timing_frame(session: Any, round_id: str) -> pd.DataFrame:
    cfg = _config()
    timings = request_timings(session, round_id, calendar=_calendar(), deadlines=cfg.deadlines)
    cols = [
        "request_id",
        "province_code",
        "recipient",
        "state",
        "sent_at",
        "first_reply_at",
        "first_human_reply_at",
        "first_substantive_at",
        "days_to_first_reply",
        "days_to_human_reply",
        "days_to_substantive",
        "days_elapsed",
        "deadline_status",
        "wave",
        "channel",
    ]
    return pd.DataFrame(
        [
            [
                t.request_id,
                t.province_code,
                t.recipient,
                t.state,
                t.sent_at,
                t.first_reply_at,
                t.first_human_reply_at,
                t.first_substantive_at,
                t.days_to_first_reply,
                t.days_to_human_reply,
                t.days_to_substantive,
                t.days_elapsed,
                t.deadline_status.value,
                t.wave,
                t.channel,
            ]
            for t in timings
        ],
        columns=cols,
    )


@st.cache_data(show_spinner=False, ttl=TTL)
def request_timing(url: str, version: str, round_id: str) -> pd.DataFrame:
    """One row per request: reply times in working days and deadline status (pobi.timing)."""
    with _store(url).session() as s:
        return _timing_frame(s, round_id)


@st.cache_data(show_spinner=False, ttl=TTL)
def province_table(url: str, version: str, round_id: str) -> pd.DataFrame:
    """One row per province of the round's era: index, band, rank, channels and replies."""
    era = round_era(url, version, round_id)
    timing = request_timing(url, version, round_id)
    with _store(url).session() as s:
        rejected = rejected_finding_ids(s, round_id)
        found = s.execute(
            select(Finding.id, Finding.province_code, Finding.channel).where(
                Finding.round_id == round_id
            )
        ).all()
        index_rows = s.execute(
            select(
                ProvinceIndex.province_code,
                ProvinceIndex.index_value,
                ProvinceIndex.band,
                ProvinceIndex.rank,
            ).where(ProvinceIndex.round_id == round_id, ProvinceIndex.index_name != "transparency")
        ).all()
        t_rows = s.execute(  # the transparency index (budget documents), beside it
            select(
                ProvinceIndex.province_code,
                ProvinceIndex.index_value,
                ProvinceIndex.band,
                ProvinceIndex.rank,
            ).where(ProvinceIndex.round_id == round_id, ProvinceIndex.index_name == "transparency")
        ).all()
        sites = s.execute(
            select(CrawlSite.province_code, CrawlSite.fetch_status).where(
                CrawlSite.round_id == round_id
            )
        ).all()
    channels: dict[str, set[str]] = {}
    for fid, code, channel in found:
        if fid not in rejected:
            channels.setdefault(code, set()).add(channel)
    index = {code: (value, band, rank) for code, value, band, rank in index_rows}
    t_index = {code: (value, band, rank) for code, value, band, rank in t_rows}
    crawled: dict[str, bool] = {}
    for code, status in sites:
        crawled[code] = crawled.get(code, False) or status == "ok"
    # per-province aggregates in plain Python (one pass; pandas filtering per province is slow)
    agg: dict[str, dict[str, Any]] = {}
    for r in timing.itertuples():
        a = agg.setdefault(
            r.province_code,
            {
                "sent": 0,
                "any": False,
                "human": False,
                "subst": False,
                "bounced": False,
                "on_time": False,
                "days": None,
            },
        )
        a["bounced"] |= r.state == RequestState.BOUNCED.value
        a["on_time"] |= r.deadline_status == DeadlineStatus.ON_TIME.value
        if _missing(r.sent_at) or r.state not in ("sent", "bounced"):
            continue
        a["sent"] += 1
        a["any"] |= not _missing(r.first_reply_at)
        a["human"] |= not _missing(r.first_human_reply_at)
        a["subst"] |= not _missing(r.first_substantive_at)
        if not _missing(r.days_to_first_reply):
            d = float(r.days_to_first_reply)
            a["days"] = d if a["days"] is None else min(a["days"], d)
    rows = []
    for p in provinces(era):
        a = agg.get(p.code, {"sent": 0, "bounced": False, "on_time": False, "days": None})
        asked = a["sent"] > 0
        value, band, rank = index.get(p.code, (None, "", None))
        t_value, t_band, t_rank = t_index.get(p.code, (None, "", None))
        found = channels.get(p.code, set())
        rows.append(
            {
                "code": p.code,
                "name": p.short,
                "region": p.region,
                "index": value,
                "band": band or "",
                "rank": rank,
                "site_ok": crawled.get(p.code),
                "qa_section": Channel.QA_SECTION.value in found,
                "email_found": Channel.EMAIL.value in found,
                "requests_sent": a["sent"],
                "any_reply": a["any"] if asked else None,
                "human_reply": a["human"] if asked else None,
                "substantive": a["subst"] if asked else None,
                "bounced": a["bounced"],
                "days_to_first_reply": a["days"],
                "on_time": a["on_time"],
                "t_index": t_value,
                "t_band": t_band or "",
                "t_rank": t_rank,
            }
        )
    return pd.DataFrame(rows)


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _rate(k: int, n: int) -> dict[str, Any]:
    r = wilson(k, n)
    return {"k": r.k, "n": r.n, "p": r.p, "low": r.low, "high": r.high}


@st.cache_data(show_spinner=False, ttl=TTL)
def headline(url: str, version: str, round_id: str) -> dict[str, Any]:
    """The overview's figures: reply rates (province level, Wilson 95%) and channel counts."""
    table = province_table(url, version, round_id)
    asked = table[table["requests_sent"] > 0]
    with _store(url).session() as s:
        scored = s.scalar(
            select(func.count(ProvinceIndex.id)).where(
                ProvinceIndex.round_id == round_id, ProvinceIndex.index_name != "transparency"
            )
        )
        n_sites = s.scalar(select(func.count(CrawlSite.id)).where(CrawlSite.round_id == round_id))
    return {
        "provinces": len(table),
        "asked": len(asked),
        "any_reply": _rate(int(asked["any_reply"].sum()), len(asked)),
        "human_reply": _rate(int(asked["human_reply"].sum()), len(asked)),
        "substantive": _rate(int(asked["substantive"].sum()), len(asked)),
        "qa_section": int(table["qa_section"].sum()),
        "email_found": int(table["email_found"].sum()),
        "bounced": int(table["bounced"].sum()),
        "crawled": bool(n_sites),
        "scored": bool(scored),
        "mean_index": float(table["index"].dropna().mean())
        if table["index"].notna().any()
        else None,
        "mean_transparency": float(table["t_index"].dropna().mean())
        if table["t_index"].notna().any()
        else None,
    }


@st.cache_data(show_spinner=False, ttl=TTL)
def rates_by_region(url: str, version: str, round_id: str) -> pd.DataFrame:
    table = province_table(url, version, round_id)
    asked = table[table["requests_sent"] > 0]
    rows = []
    for region in REGIONS:
        part = asked[asked["region"] == region]
        for measure in ("any_reply", "substantive"):
            r = wilson(int(part[measure].sum()), len(part))
            rows.append(
                {
                    "region": region,
                    "measure": measure,
                    "k": r.k,
                    "n": r.n,
                    "p": r.p,
                    "low": r.low,
                    "high": r.high,
                }
            )
    return pd.DataFrame(rows)


@st.cache_data(show_spinner=False, ttl=TTL)
def survival(url: str, version: str, round_id: str) -> pd.DataFrame:
    """Kaplan–Meier curves of 'no reply yet' per request: any reply, human, substantive."""
    timing = request_timing(url, version, round_id)
    sent = timing[timing["sent_at"].notna() & timing["state"].isin(["sent", "bounced"])]
    frames = []
    for measure, col in (
        ("any_reply", "days_to_first_reply"),
        ("human_reply", "days_to_human_reply"),
        ("substantive", "days_to_substantive"),
    ):
        observed = sent[col].notna()
        durations = sent[col].where(observed, sent["days_elapsed"]).fillna(0).astype(float)
        curve = kaplan_meier(list(durations), list(observed))
        frames.append(
            pd.DataFrame(
                {
                    "measure": measure,
                    "days": curve.times,
                    "survival": curve.survival,
                    "low": curve.low,
                    "high": curve.high,
                    "median": curve.median,
                    "n": curve.n,
                    "events": curve.events,
                }
            )
        )
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


# --------------------------------------------------------------------------- trends


@st.cache_data(show_spinner=False, ttl=TTL)
def trends(url: str, version: str) -> pd.DataFrame:
    """One row per round: era, mean index, reply rates with intervals, Q&A share."""
    rows = []
    for r in rounds(url, version).itertuples():
        head = headline(url, version, r.id)
        rows.append(
            {
                "round": r.id,
                "era": r.era,
                "provinces": head["provinces"],
                "mean_index": head["mean_index"],
                "mean_transparency": head["mean_transparency"],
                "any_reply": head["any_reply"]["p"],
                "any_reply_low": head["any_reply"]["low"],
                "any_reply_high": head["any_reply"]["high"],
                "substantive": head["substantive"]["p"],
                "substantive_low": head["substantive"]["low"],
                "substantive_high": head["substantive"]["high"],
                "qa_share": head["qa_section"] / head["provinces"] if head["provinces"] else None,
            }
        )
    return pd.DataFrame(rows)


@st.cache_data(show_spinner=False, ttl=TTL)
def province_trends(url: str, version: str) -> pd.DataFrame:
    """Index per round on the current (34-unit) map: legacy rounds are carried across the 2025
    merger by the crosswalk (a current unit's value is the mean of its legacy sources')."""
    from pobi.registry import successor

    rows = []
    for r in rounds(url, version).itertuples():
        table = province_table(url, version, r.id)
        for row in table.itertuples():
            unit = row.code if r.era == Era.CURRENT.value else successor(row.code).code
            rows.append(
                {
                    "round": r.id,
                    "era": r.era,
                    "unit": unit,
                    "source_code": row.code,
                    "index": row.index,
                    "any_reply": row.any_reply,
                    "transparency": row.t_index,
                }
            )
    df = pd.DataFrame(
        rows,
        columns=["round", "era", "unit", "source_code", "index", "any_reply", "transparency"],
    )
    if df.empty:
        return df
    df["any_reply"] = df["any_reply"].astype("float")
    df["transparency"] = df["transparency"].astype("float")
    return df.groupby(["round", "era", "unit"], as_index=False, sort=False).agg(
        index=("index", "mean"),
        any_reply=("any_reply", "mean"),
        sources=("source_code", "count"),
        transparency=("transparency", "mean"),
    )


# --------------------------------------------------------------------------- one province


@st.cache_data(show_spinner=False, ttl=TTL)
def province_scores(url: str, version: str, round_id: str, code: str) -> pd.DataFrame:
    """Each indicator's answer and explanation, with the latest override's reason and coder."""
    with _store(url).session() as s:
        scores = s.scalars(
            select(Score)
            .where(Score.round_id == round_id, Score.province_code == code)
            .order_by(Score.pillar, Score.indicator)
        ).all()
        overrides = s.scalars(
            select(ScoreOverride)
            .where(ScoreOverride.round_id == round_id, ScoreOverride.province_code == code)
            .order_by(ScoreOverride.id)
        ).all()
    latest = {o.indicator: o for o in overrides}
    return pd.DataFrame(
        [
            {
                "pillar": sc.pillar,
                "indicator": sc.indicator,
                "answer": sc.answer,
                "computed_answer": sc.computed_answer,
                "points": sc.points,
                "overridden": bool(sc.overridden),
                "override_reason": latest[sc.indicator].reason if sc.indicator in latest else "",
                "override_coder": latest[sc.indicator].coder if sc.indicator in latest else "",
                "explanation": sc.explanation,
                "explanation_vi": sc.explanation_vi,
                "evidence": ", ".join(e[:12] for e in (sc.evidence or [])),
            }
            for sc in scores
        ],
        columns=[
            "pillar",
            "indicator",
            "answer",
            "computed_answer",
            "points",
            "overridden",
            "override_reason",
            "override_coder",
            "explanation",
            "explanation_vi",
            "evidence",
        ],
    )


@st.cache_data(show_spinner=False, ttl=TTL)
def province_sites(url: str, version: str, round_id: str, code: str) -> pd.DataFrame:
    with _store(url).session() as s:
        return _table(
            s,
            select(
                CrawlSite.site_kind,
                CrawlSite.url,
                CrawlSite.final_url,
                CrawlSite.fetch_status,
                CrawlSite.pages_fetched,
                CrawlSite.under_reported,
                CrawlSite.finished_at,
            ).where(CrawlSite.round_id == round_id, CrawlSite.province_code == code),
        )


@st.cache_data(show_spinner=False, ttl=TTL)
def province_findings(url: str, version: str, round_id: str, code: str) -> pd.DataFrame:
    """Channels found, with the archived page (URL, capture time, WARC hash) and review status."""
    with _store(url).session() as s:
        rows = s.execute(
            select(
                Finding.id,
                Finding.site_kind,
                Finding.channel,
                Finding.value,
                Finding.found_on,
                Finding.evidence_sha256,
                Finding.screenshot_sha256,
                Finding.found_at,
                Page.fetched_at,
                Page.screenshot_sha256,
            )
            .outerjoin(
                Page,
                (Page.site_id == Finding.site_id)
                & (Page.url == Finding.found_on)
                & (Page.round_id == Finding.round_id),
            )
            .where(Finding.round_id == round_id, Finding.province_code == code)
            .order_by(Finding.site_kind, Finding.channel, Finding.id)
        ).all()
        reviews = _latest_reviews(s, [r[0] for r in rows])
    out = []
    for fid, kind, channel, value, found_on, warc, shot, found_at, fetched_at, page_shot in rows:
        out.append(
            {
                "id": fid,
                "site_kind": kind,
                "channel": channel,
                "value": value,
                "found_on": found_on,
                "captured_at": fetched_at or found_at,
                "warc_sha256": warc,
                "screenshot_sha256": shot or page_shot or "",
                "review": reviews.get(fid, ReviewStatus.UNREVIEWED.value),
            }
        )
    return pd.DataFrame(
        out,
        columns=[
            "id",
            "site_kind",
            "channel",
            "value",
            "found_on",
            "captured_at",
            "warc_sha256",
            "screenshot_sha256",
            "review",
        ],
    )


@st.cache_data(show_spinner=False, ttl=TTL)
def province_screenshots(url: str, version: str, round_id: str, code: str) -> pd.DataFrame:
    """Pages of the province's sites that have a screenshot: URL, capture time, hashes."""
    with _store(url).session() as s:
        return _table(
            s,
            select(
                Page.url,
                Page.fetched_at.label("captured_at"),
                Page.screenshot_sha256,
                Page.warc_sha256,
            )
            .join(CrawlSite, CrawlSite.id == Page.site_id)
            .where(
                Page.round_id == round_id,
                CrawlSite.province_code == code,
                Page.screenshot_sha256 != "",
            )
            .order_by(Page.depth, Page.id)
            .limit(12),
        )


@st.cache_data(show_spinner=False, ttl=TTL)
def province_requests(url: str, version: str, round_id: str, code: str) -> pd.DataFrame:
    timing = request_timing(url, version, round_id)
    t = timing[timing["province_code"] == code]
    with _store(url).session() as s:
        reqs = {
            r.id: r
            for r in s.scalars(
                select(ProbeRequest).where(
                    ProbeRequest.round_id == round_id, ProbeRequest.province_code == code
                )
            )
        }
    cfg = _config()
    cal = _calendar()
    rows = []
    for row in t.itertuples():
        r = reqs[row.request_id]
        deadline = (
            cal.add_working_days(aware(row.sent_at), cfg.deadlines.simple)
            if row.sent_at is not None and not pd.isna(row.sent_at)
            else None
        )
        rows.append(
            {
                "request_id": row.request_id,
                "recipient": r.recipient,
                "recipient_kind": r.recipient_kind,
                "subject": r.subject,
                "state": r.state,
                "sent_at": row.sent_at,
                "deadline": deadline,
                "deadline_status": row.deadline_status,
                "days_to_first_reply": row.days_to_first_reply,
                "days_to_human_reply": row.days_to_human_reply,
                "eml_sha256": r.eml_sha256,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "request_id",
            "recipient",
            "recipient_kind",
            "subject",
            "state",
            "sent_at",
            "deadline",
            "deadline_status",
            "days_to_first_reply",
            "days_to_human_reply",
            "eml_sha256",
        ],
    )


@st.cache_data(show_spinner=False, ttl=TTL)
def province_messages(url: str, version: str, round_id: str, code: str) -> pd.DataFrame:
    """Every message matched to one of the province's requests, with kind, coding, working days."""
    cal = _calendar()
    with _store(url).session() as s:
        codings = latest_codings(s, round_id)
        rows = s.execute(
            select(Message, ProbeRequest.sent_at)
            .join(ProbeRequest, ProbeRequest.id == Message.request_id)
            .where(Message.round_id == round_id, ProbeRequest.province_code == code)
            .order_by(Message.received_at, Message.id)
        ).all()
    out = []
    for m, sent_at in rows:
        received = aware(m.received_at)
        out.append(
            {
                "pk": m.id,
                "request_id": m.request_id,
                "kind": m.kind,
                "bounce_type": m.bounce_type,
                "coding": codings.get(m.id, ""),
                "received_at": received,
                "working_days": cal.working_days_between(aware(sent_at), received)
                if sent_at
                else None,
                "match_method": m.match_method,
                "from_addr": m.from_addr,
                "subject": m.subject,
                "body_text": m.body_text,
                "raw_sha256": m.raw_sha256,
            }
        )
    return pd.DataFrame(
        out,
        columns=[
            "pk",
            "request_id",
            "kind",
            "bounce_type",
            "coding",
            "received_at",
            "working_days",
            "match_method",
            "from_addr",
            "subject",
            "body_text",
            "raw_sha256",
        ],
    )


@st.cache_data(show_spinner=False, ttl=3600, max_entries=64)
def evidence_bytes(evidence_dir: str, sha256: str) -> bytes | None:
    """An evidence file's bytes, or None when it is not in the evidence store."""
    try:
        return EvidenceStore(Path(evidence_dir)).read(sha256)
    except Exception:
        return None


# --------------------------------------------------------------------------- exports (Data page)

EXPORT_TABLES = (
    "sites", "channels", "requests", "replies", "scores", "rankings",
    "documents", "finance_sites", "codings", "agreement", "disputes",
)  # fmt: skip
# the tables `pobi export` builds in the core (pobi.export_rows), offered here with its columns
CORE_TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": (
        "province_code", "site_url", "doc_type", "fiscal_year", "period", "title", "url",
        "found_on", "published_on", "date_source", "format", "sha256",
    ),
    "finance_sites": (
        "province_code", "site_url", "source", "fetch_status", "pages_fetched", "used_for_scores",
        "discovered_from", "link_label", "evidence_sha256", "reason",
    ),
    "codings": ("message_id", "coder", "role", "code", "coded_at"),
    "agreement": ("measure", "category", "value", "n"),
    "disputes": (
        "dispute_id", "province_code", "target", "finding_id", "indicator", "filed_by", "filed_at",
        "claim", "evidence", "decision", "decided_at", "decided_by", "reason", "change",
    ),
}  # fmt: skip


def _cell(value: Any) -> Any:
    """A core row's value as the CSV shows it: times ISO, dates ISO, booleans true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return aware(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


def _core_table(session: Session, round_id: str, name: str) -> pd.DataFrame:
    from pobi import export_rows

    build = {
        "documents": export_rows.documents_rows,
        "finance_sites": export_rows.finance_sites_rows,
        "codings": export_rows.codings_rows,
        "agreement": export_rows.agreement_table,
        "disputes": export_rows.dispute_rows,
    }[name]
    cols = CORE_TABLE_COLUMNS[name]
    rows = [[_cell(r.get(c)) for c in cols] for r in build(session, round_id)]
    return pd.DataFrame(rows, columns=list(cols))


@st.cache_data(show_spinner=False, ttl=TTL)
def export_table(url: str, version: str, round_id: str, name: str) -> pd.DataFrame:
    """The DESIGN.md §6 export tables, built from the store (same columns)."""
    if name not in EXPORT_TABLES:
        raise InputError(f"Unknown table {name!r}; one of {', '.join(EXPORT_TABLES)}")
    with _store(url).session() as s:
        if name in CORE_TABLE_COLUMNS:
            return _core_table(s, round_id, name)
        if name == "sites":
            rows = s.execute(
                select(
                    CrawlSite.province_code,
                    CrawlSite.site_kind,
                    CrawlSite.url,
                    CrawlSite.final_url,
                    CrawlSite.fetch_status,
                    CrawlSite.pages_fetched,
                )
                .where(CrawlSite.round_id == round_id)
                .order_by(CrawlSite.province_code, CrawlSite.site_kind, CrawlSite.id)
            ).all()
            cols = [
                "province_code",
                "site_kind",
                "url",
                "final_url",
                "fetch_status",
                "pages_fetched",
            ]
        elif name == "channels":
            rejected = rejected_finding_ids(s, round_id)
            raw = s.execute(
                select(
                    Finding.id,
                    Finding.province_code,
                    Finding.site_kind,
                    CrawlSite.url,
                    Finding.channel,
                    Finding.value,
                    Finding.found_on,
                    Finding.evidence_sha256,
                )
                .join(CrawlSite, CrawlSite.id == Finding.site_id)
                .where(Finding.round_id == round_id)
                .order_by(Finding.province_code, Finding.site_kind, Finding.channel, Finding.id)
            ).all()
            rows = [r[1:] for r in raw if r[0] not in rejected]
            cols = [
                "province_code",
                "site_kind",
                "site_url",
                "channel",
                "value",
                "found_on",
                "evidence_sha256",
            ]
        elif name == "requests":
            timing = request_timing(url, version, round_id)
            mids = dict(
                s.execute(
                    select(ProbeRequest.id, ProbeRequest.message_id).where(
                        ProbeRequest.round_id == round_id
                    )
                ).all()
            )
            rows = [
                (
                    t.request_id,
                    t.province_code,
                    t.recipient,
                    t.state,
                    _iso(t.sent_at),
                    mids.get(t.request_id, ""),
                    _iso(t.first_reply_at),
                    _iso(t.first_human_reply_at),
                    t.deadline_status,
                    t.wave,
                    t.channel,
                )
                for t in timing.itertuples()
            ]
            cols = [
                "request_id",
                "province_code",
                "recipient",
                "state",
                "sent_at",
                "message_id",
                "first_reply_at",
                "first_human_reply_at",
                "deadline_status",
                "wave",
                "channel",
            ]
        elif name == "replies":
            cal = _calendar()
            codings = latest_codings(s, round_id)
            raw = s.execute(
                select(Message, ProbeRequest.sent_at)
                .outerjoin(ProbeRequest, ProbeRequest.id == Message.request_id)
                .where(Message.round_id == round_id)
                .order_by(Message.received_at, Message.id)
            ).all()
            rows = [
                (
                    m.message_id,
                    m.request_id or "",
                    m.kind,
                    _iso(m.received_at),
                    cal.working_days_between(aware(sent), aware(m.received_at)) if sent else None,
                    codings.get(m.id, ""),
                    m.raw_sha256,
                    m.source,
                )
                for m, sent in raw
            ]
            cols = [
                "message_id",
                "request_id",
                "kind",
                "received_at",
                "working_days",
                "coding",
                "raw_sha256",
                "source",
            ]
        elif name == "scores":
            rows = s.execute(
                select(
                    Score.province_code,
                    Score.indicator,
                    Score.pillar,
                    Score.answer,
                    Score.computed_answer,
                    Score.points,
                    Score.overridden,
                    Score.explanation,
                )
                .where(Score.round_id == round_id)
                .order_by(Score.province_code, Score.indicator)
            ).all()
            cols = [
                "province_code",
                "indicator",
                "pillar",
                "answer",
                "computed_answer",
                "points",
                "overridden",
                "explanation",
            ]
        else:  # rankings
            rows = s.execute(
                select(
                    ProvinceIndex.rank,
                    ProvinceIndex.province_code,
                    ProvinceIndex.index_value,
                    ProvinceIndex.band,
                    ProvinceIndex.indicators_applicable,
                )
                .where(
                    ProvinceIndex.round_id == round_id,
                    ProvinceIndex.index_name != "transparency",
                )
                .order_by(ProvinceIndex.rank, ProvinceIndex.province_code)
            ).all()
            cols = ["rank", "province_code", "index", "band", "indicators_applicable"]
    df = pd.DataFrame(rows, columns=cols)
    if name == "replies":
        df["working_days"] = df["working_days"].astype("Int64")
    return df


def _iso(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, datetime):
        return aware(value).isoformat()
    return str(value)


def codebook(src: Source, round_id: str) -> tuple[str, str] | None:
    """(path, text) of the newest CODEBOOK.md written by `pobi export` under POBI_HOME, if any."""
    home = Path(src.home)
    extra = os.environ.get("POBI_DASHBOARD_EXPORTS", "")
    candidates = [Path(extra) / "CODEBOOK.md"] if extra else []
    if home.is_dir():
        candidates += sorted(home.glob("**/CODEBOOK.md"), key=lambda p: p.stat().st_mtime)[::-1]
    preferred = [p for p in candidates if round_id in p.parts] + candidates
    for path in preferred:
        if path.is_file():
            try:
                return str(path), path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
    return None


# --------------------------------------------------------------------------- review (writes)


def _latest_reviews(session: Any, finding_ids: list[int]) -> dict[int, str]:
    if not finding_ids:
        return {}
    rows = session.execute(
        select(FindingReview.finding_id, FindingReview.status)
        .where(FindingReview.finding_id.in_(finding_ids))
        .order_by(FindingReview.id)
    ).all()
    return {fid: status for fid, status in rows}


def review_findings(url: str, version: str, round_id: str) -> pd.DataFrame:
    """Every finding of the round with its latest review (researcher mode)."""
    with _store(url).session() as s:
        df = _table(
            s,
            select(
                Finding.id,
                Finding.province_code,
                Finding.site_kind,
                Finding.channel,
                Finding.value,
                Finding.found_on,
            )
            .where(Finding.round_id == round_id)
            .order_by(Finding.province_code, Finding.channel, Finding.id),
        )
        reviews = _latest_reviews(s, [int(i) for i in df["id"]])
    df["review"] = [reviews.get(i, ReviewStatus.UNREVIEWED.value) for i in df["id"]]
    return df


def review_messages(url: str, version: str, round_id: str, *, unmatched: bool) -> pd.DataFrame:
    """Messages to code (matched human replies) or the holding pen (unmatched messages)."""
    with _store(url).session() as s:
        codings = latest_codings(s, round_id)
        q = select(Message).where(Message.round_id == round_id)
        if unmatched:
            q = q.where(Message.request_id.is_(None))
        else:
            q = q.where(Message.request_id.is_not(None), Message.kind == ReplyKind.HUMAN.value)
        msgs = s.scalars(q.order_by(Message.received_at, Message.id)).all()
    return pd.DataFrame(
        [
            {
                "pk": m.id,
                "request_id": m.request_id or "",
                "kind": m.kind,
                "received_at": aware(m.received_at),
                "from_addr": m.from_addr,
                "subject": m.subject,
                "coding": codings.get(m.id, ""),
                "match_method": m.match_method,
                "body_text": m.body_text,
            }
            for m in msgs
        ],
        columns=[
            "pk",
            "request_id",
            "kind",
            "received_at",
            "from_addr",
            "subject",
            "coding",
            "match_method",
            "body_text",
        ],
    )


def request_choices(url: str, round_id: str) -> list[tuple[str, str, str]]:
    """(request id, province code, recipient) of the round, for manual assignment."""
    with _store(url).session() as s:
        return [
            (rid, code, rcpt)
            for rid, code, rcpt in s.execute(
                select(ProbeRequest.id, ProbeRequest.province_code, ProbeRequest.recipient)
                .where(ProbeRequest.round_id == round_id)
                .order_by(ProbeRequest.n)
            )
        ]


def _need(coder: str, reason: str, *, reason_required: bool = True) -> tuple[str, str]:
    coder, reason = coder.strip(), reason.strip()
    if not coder:
        raise InputError("Coder name is required / Cần nhập tên người mã hóa")
    if reason_required and not reason:
        raise InputError("A reason is required / Cần nhập lý do")
    return coder, reason


def _member(enum: Any, value: str) -> str:
    try:
        return enum(value).value
    except ValueError as exc:
        allowed = ", ".join(m.value for m in enum)
        raise InputError(f"{value!r} is not one of {allowed}") from exc


def write_finding_review(url: str, finding_id: int, status: str, reason: str, coder: str) -> int:
    coder, reason = _need(coder, reason)
    status = _member(ReviewStatus, status)
    with _store(url).session() as s:
        if s.get(Finding, finding_id) is None:
            raise NotFoundError(f"No finding {finding_id}")
        row = FindingReview(
            finding_id=finding_id, status=status, reason=reason, coder=coder, at=now()
        )
        s.add(row)
        s.flush()
        return row.id


def write_coding(url: str, message_pk: int, coding: str, note: str, coder: str) -> int:
    coder, note = _need(coder, note)
    coding = _member(Coding, coding)
    with _store(url).session() as s:
        if s.get(Message, message_pk) is None:
            raise NotFoundError(f"No message {message_pk}")
        row = MessageCoding(message_pk=message_pk, coding=coding, note=note, coder=coder, at=now())
        s.add(row)
        s.flush()
        return row.id


def assign_message(url: str, message_pk: int, request_id: str, reason: str, coder: str) -> int:
    """Resolve a holding-pen message: record the assignment and set the effective match."""
    coder, reason = _need(coder, reason)
    with _store(url).session() as s:
        msg = s.get(Message, message_pk)
        if msg is None:
            raise NotFoundError(f"No message {message_pk}")
        req = s.get(ProbeRequest, request_id)
        if req is None or req.round_id != msg.round_id:
            raise NotFoundError(f"No request {request_id!r} in round {msg.round_id}")
        if msg.request_id is not None:
            raise StateError(f"Message {message_pk} is already matched to {msg.request_id}")
        row = MessageAssignment(
            message_pk=message_pk, request_id=request_id, reason=reason, coder=coder, at=now()
        )
        s.add(row)
        msg.request_id = request_id
        msg.match_method = MatchMethod.MANUAL.value
        msg.match_detail = f"assigned by {coder}: {reason}"[:2000]
        s.flush()
        return row.id


def evidence_kind(url: str, sha256: str) -> str | None:
    with _store(url).session() as s:
        row = s.get(Evidence, sha256)
        return row.media_type if row else None


@st.cache_data(show_spinner=False, ttl=3600, max_entries=64)
def request_text(evidence_dir: str, sha256: str) -> str | None:
    """The plain-text body of the request as sent (its .eml in the evidence store)."""
    import email
    from email import policy

    raw = evidence_bytes(evidence_dir, sha256) if sha256 else None
    if raw is None:
        return None
    msg = email.message_from_bytes(raw, policy=policy.default)
    headers = "\n".join(f"{k}: {msg[k]}" for k in ("From", "To", "Subject", "Date") if msg[k])
    part = msg.get_body(preferencelist=("plain",))  # type: ignore[attr-defined]
    body = part.get_content() if part is not None else ""
    return f"{headers}\n\n{body}".strip()


# --------------------------------------------------------------------------- survey (issue 17)


@st.cache_data(show_spinner=False, ttl=TTL)
def review_disagreements(url: str, version: str, round_id: str) -> pd.DataFrame:
    """Human replies whose blind coders disagree and no adjudicator has decided (for the
    adjudicator: the codes are shown here, never on a coder's own view)."""
    from pobi.store.tables import Message as Msg
    from pobi.store.tables import MessageCoding as MC

    with _store(url).session() as s:
        codes: dict[int, dict[str, str]] = {}
        settled: set[int] = set()
        for pk, coder, coding, role in s.execute(
            select(MC.message_pk, MC.coder, MC.coding, MC.role)
            .join(Msg, Msg.id == MC.message_pk)
            .where(Msg.round_id == round_id, MC.role.in_(("coder", "adjudicator")))
            .order_by(MC.id)
        ):
            if role == "adjudicator":
                settled.add(pk)
            else:
                codes.setdefault(pk, {})[coder] = coding
        open_pks = [
            pk
            for pk, by in codes.items()
            if pk not in settled and len(by) >= 2 and len(set(by.values())) > 1
        ]
        rows = []
        if open_pks:
            for m in s.scalars(select(Msg).where(Msg.id.in_(open_pks)).order_by(Msg.id)):
                rows.append(
                    (
                        m.id,
                        m.request_id or "",
                        m.subject,
                        ", ".join(f"{k}: {v}" for k, v in sorted(codes[m.id].items())),
                        m.body_text,
                    )
                )
    return pd.DataFrame(rows, columns=["pk", "request_id", "subject", "codes", "body_text"])


def write_adjudication(
    url: str, message_pk: int, coding: str, reason: str, adjudicator: str
) -> int:
    """The adjudicator's code (role adjudicator, append-only); only a registered adjudicator."""
    from pobi.store.tables import Coder

    adjudicator, reason = _need(adjudicator, reason)
    coding = _member(Coding, coding)
    with _store(url).session() as s:
        who = s.get(Coder, adjudicator)
        if who is None or who.role != "adjudicator":
            raise InputError(
                f"{adjudicator!r} is not a registered adjudicator / không phải người phân xử "
                "(pobi probe coders add NAME --adjudicator)"
            )
        if s.get(Message, message_pk) is None:
            raise NotFoundError(f"No message {message_pk}")
        row = MessageCoding(
            message_pk=message_pk,
            coding=coding,
            note=reason,
            coder=adjudicator,
            role="adjudicator",
            at=now(),
        )
        s.add(row)
        s.flush()
        return row.id


@st.cache_data(show_spinner=False, ttl=TTL)
def province_disputes(url: str, version: str, round_id: str, code: str) -> pd.DataFrame:
    """A province's disputes (right of reply) with the newest decision and the change it made."""
    from pobi.store.tables import Dispute, DisputeDecision

    with _store(url).session() as s:
        latest: dict[int, DisputeDecision] = {}
        for d in s.scalars(
            select(DisputeDecision)
            .join(Dispute, Dispute.id == DisputeDecision.dispute_id)
            .where(Dispute.round_id == round_id, Dispute.province_code == code)
            .order_by(DisputeDecision.id)
        ):
            latest[d.dispute_id] = d
        rows = []
        for d in s.scalars(
            select(Dispute)
            .where(Dispute.round_id == round_id, Dispute.province_code == code)
            .order_by(Dispute.id)
        ):
            dec = latest.get(d.id)
            rows.append(
                (
                    d.id,
                    f"finding #{d.finding_id}" if d.target == "finding" else d.indicator,
                    d.filed_by,
                    aware(d.filed_at),
                    d.claim,
                    len(d.evidence or []),
                    dec.decision if dec else "",
                    dec.reason if dec else "",
                    dec.change if dec else "",
                )
            )
    return pd.DataFrame(
        rows,
        columns=[
            "dispute_id",
            "target",
            "filed_by",
            "filed_at",
            "claim",
            "evidence_files",
            "decision",
            "reason",
            "change",
        ],
    )


# --------------------------------------------------------------------------- budget documents


@st.cache_data(show_spinner=False, ttl=TTL)
def province_documents(url: str, version: str, round_id: str, code: str) -> pd.DataFrame:
    """A province's budget documents with their dates, deadline and deadline status (the
    deadlines of ``[documents]`` in the workspace's configuration)."""
    from pobi.config import load_config
    from pobi.publication import due_date, timeliness
    from pobi.store.tables import Document
    from pobi.workdays import Calendar

    cfg = load_config()
    calendar = Calendar.from_config(cfg)
    today = now().date()
    with _store(url).session() as s:
        docs = s.scalars(
            select(Document)
            .where(Document.round_id == round_id, Document.province_code == code)
            .order_by(Document.doc_type, Document.fiscal_year, Document.period, Document.url)
        ).all()
    rows = []
    for d in docs:
        own = date.fromisoformat(d.document_date) if d.document_date else None
        published = date.fromisoformat(d.published_on) if d.published_on else None
        due = due_date(cfg.documents, calendar, d.doc_type or "other", d.fiscal_year,
                       d.period or "year", own)  # fmt: skip
        found = bool(d.sha256) or d.format == "too_large"
        status, late = timeliness(due, published, found, today)
        rows.append(
            {
                "doc_type": d.doc_type,
                "fiscal_year": d.fiscal_year,
                "period": d.period,
                "title": d.title,
                "published_on": d.published_on,
                "date_source": d.date_source,
                "deadline": due.due.isoformat() if due.due else "",
                "deadline_status": status.value,
                "days_late": late,
                "format": d.format,
                "forms": ", ".join(str(n) for n in d.forms or []),
                "url": d.url,
                "found_on": d.found_on,
                "sha256": d.sha256,
                "warc_sha256": d.warc_sha256,
                "legal_basis": due.legal,
                "why": "; ".join(d.reasons or []),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "doc_type", "fiscal_year", "period", "title", "published_on", "date_source",
            "deadline", "deadline_status", "days_late", "format", "forms", "url", "found_on",
            "sha256", "warc_sha256", "legal_basis", "why",
        ],
    )  # fmt: skip


def blind_queue(url: str, round_id: str, coder: str) -> pd.DataFrame:
    """The human replies a registered blind coder has not coded yet: text only, never anyone's
    codes (not cached: it changes with every code saved)."""
    from pobi.store.tables import Coder

    coder = coder.strip()
    with _store(url).session() as s:
        who = s.get(Coder, coder)
        if who is None or who.role != "coder":
            raise InputError(
                f"{coder!r} is not a registered coder / chưa đăng ký là người mã hóa "
                "(pobi probe coders add NAME)"
            )
        done = set(
            s.scalars(
                select(MessageCoding.message_pk)
                .join(Message, Message.id == MessageCoding.message_pk)
                .where(
                    Message.round_id == round_id,
                    MessageCoding.coder == coder,
                    MessageCoding.role == "coder",
                )
            )
        )
        msgs = s.scalars(
            select(Message)
            .where(Message.round_id == round_id, Message.kind == ReplyKind.HUMAN.value)
            .order_by(Message.received_at, Message.id)
        ).all()
        rows = [
            (m.id, m.request_id or "", aware(m.received_at), m.from_addr, m.subject, m.body_text)
            for m in msgs
            if m.id not in done
        ]
    return pd.DataFrame(
        rows, columns=["pk", "request_id", "received_at", "from_addr", "subject", "body_text"]
    )


def write_blind_code(url: str, message_pk: int, coding: str, note: str, coder: str) -> int:
    """A blind coder's code (role coder, append-only); only a registered coder."""
    from pobi.store.tables import Coder

    coder, note = _need(coder, note, reason_required=False)
    coding = _member(Coding, coding)
    with _store(url).session() as s:
        who = s.get(Coder, coder)
        if who is None or who.role != "coder":
            raise InputError(f"{coder!r} is not a registered coder / chưa đăng ký")
        msg = s.get(Message, message_pk)
        if msg is None or msg.kind != ReplyKind.HUMAN.value:
            raise NotFoundError(f"No human reply {message_pk}")
        row = MessageCoding(
            message_pk=message_pk, coding=coding, note=note, coder=coder, role="coder", at=now()
        )
        s.add(row)
        s.flush()
        return row.id


@st.cache_data(show_spinner=False, ttl=TTL)
def round_rubrics(url: str, version: str) -> dict[str, str]:
    """round -> the rubric its participation index was scored with (the trends' rubric guard,
    :func:`pobi.rubricmap.round_rubric`), in the rounds' order."""
    from pobi.rubricmap import round_rubric

    with _store(url).session() as s:
        return {rid: round_rubric(s, rid) for rid in rounds(url, version)["id"]}


@st.cache_data(show_spinner=False, ttl=TTL)
def email_references(url: str, version: str, round_id: str) -> dict[str, str]:
    """SHA-256 of every e-mail of the round -> its public reference (public mode shows these in
    evidence lists, never an e-mail's hash: :mod:`pobi.publicrefs`)."""
    from pobi.publicrefs import email_references as references

    with _store(url).session() as s:
        return references(s, round_id)
