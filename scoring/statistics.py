"""Reply statistics of a round: rates with Wilson 95% intervals, times to reply, survival curves.

Two units (docs/scoring.md):
- **request**: every request handed to a mail server (state ``sent`` or ``bounced``) is one trial;
- **province**: a province is one trial when at least one of its requests was sent; it "replied"
  when any of its requests got that kind of reply.

Groups: ``all`` and each socio-economic region (``pobi.registry.REGIONS``), always all of them, so
the table has the same shape every round. Measures ending in ``_rate`` carry k/n and a Wilson
interval (:func:`pobi.stats.wilson`); ``_count`` measures carry a count in ``value`` (and ``k``);
``median_*`` measures carry working days. Survival curves (:func:`pobi.stats.kaplan_meier`) are
over delivered requests (bounced ones without a reply left out); requests without a human reply
are censored at their elapsed working days, capped at the rubric's follow-up window.
"""

from __future__ import annotations

import statistics as pystats
from collections.abc import Callable
from typing import Any

from pobi.models import Era, RequestState
from pobi.registry import REGIONS, provinces
from pobi.stats import kaplan_meier, wilson
from pobi.timing import SENT_STATES, RequestTiming

Row = dict[str, Any]

MEASURES: dict[str, str] = {
    "requests_count": "Requests in the round (every state) / Số yêu cầu",
    "sent_count": "Requests handed to a mail server (sent or bounced) / Số yêu cầu đã gửi",
    "bounced_count": "Requests whose recipient bounced permanently / Số yêu cầu bị trả lại",
    "not_sent_count": "Requests never sent or rejected by the server / Số yêu cầu chưa gửi được",
    "any_reply_rate": "Share with any reply (auto-replies count) / Tỷ lệ có phản hồi bất kỳ",
    "human_reply_rate": "Share with a reply written by a person / Tỷ lệ có thư trả lời của cán bộ",
    "substantive_reply_rate": "Share with a reply coded substantive / Tỷ lệ trả lời đầy đủ",
    "on_time_rate": "Share with a human reply within the deadline / Tỷ lệ trả lời đúng hạn",
    "median_working_days_human_reply": "Median working days to the first human reply, among "
    "those replied / Trung vị số ngày làm việc đến thư trả lời đầu tiên",
    "km_median_working_days": "Kaplan–Meier median working days to a human reply (empty if "
    "fewer than half replied) / Trung vị Kaplan–Meier",
    "provinces_count": "Provinces of the round's era / Số tỉnh",
    "contacted_count": "Provinces with at least one request sent / Số tỉnh đã được gửi yêu cầu",
    "human_reply_wave_<k>_rate": "Only in rounds with reminders: among requests that reached wave "
    "k (1 = the request, 2 = the first reminder...), the share first answered by a person at that "
    "wave / Tỷ lệ trả lời ở đợt k",
    "human_reply_by_wave_<k>_rate": "Only in rounds with reminders: share of sent requests a "
    "person had answered by wave k / Tỷ lệ đã trả lời tính đến đợt k",
    "human_reply_rate_<channel>": "Only in rounds with requests by more than e-mail: the human "
    "reply rate of requests made through that channel (email, portal_form, postal, phone) / Tỷ "
    "lệ trả lời theo kênh",
    "never_delivered_count": "unit=request: requests that reached nobody (bounced without any "
    "reply, or never sent); unit=province: provinces no request reached (no address, all bounced "
    "or unsent) / Số yêu cầu (tỉnh) không đến được người nhận",
}


def _delivered(t: RequestTiming) -> bool:
    return t.first_reply_at is not None or t.state == RequestState.SENT.value


def interval(k: int, n: int) -> tuple[float | None, float | None, float | None]:
    """(p, low, high): :func:`pobi.stats.wilson`, with the bounds clamped so they always contain
    p (floating-point rounding can put the low bound a hair above 0 when k == 0)."""
    r = wilson(k, n)
    if r.p is None or r.low is None or r.high is None:
        return None, None, None
    return r.p, min(r.low, r.p), max(r.high, r.p)


def _rate(rid: str, unit: str, group: str, measure: str, k: int, n: int) -> Row:
    p, low, high = interval(k, n)
    return {
        "round_id": rid,
        "unit": unit,
        "group": group,
        "measure": measure,
        "k": k,
        "n": n,
        "value": p,
        "ci_low": low,
        "ci_high": high,
    }


def _count(rid: str, unit: str, group: str, measure: str, k: int, n: int | None) -> Row:
    return {
        "round_id": rid,
        "unit": unit,
        "group": group,
        "measure": measure,
        "k": k,
        "n": n,
        "value": k,
        "ci_low": None,
        "ci_high": None,
    }


def _value(rid: str, unit: str, group: str, measure: str, v: float | None, k: int, n: int) -> Row:
    return {
        "round_id": rid,
        "unit": unit,
        "group": group,
        "measure": measure,
        "k": k,
        "n": n,
        "value": v,
        "ci_low": None,
        "ci_high": None,
    }


def _survival_input(ts: list[RequestTiming], follow_up: int) -> tuple[list[float], list[bool]]:
    durations: list[float] = []
    observed: list[bool] = []
    for t in ts:
        if t.state not in SENT_STATES or t.sent_at is None:
            continue
        if t.days_to_human_reply is not None:
            durations.append(float(t.days_to_human_reply))
            observed.append(True)
        elif _delivered(t):
            elapsed = t.days_elapsed if t.days_elapsed is not None else 0
            durations.append(float(min(max(elapsed, 0), follow_up)))
            observed.append(False)
    return durations, observed


def _wave_and_channel_rates(
    rid: str, group: str, timings: list[RequestTiming], sent: list[RequestTiming]
) -> list[Row]:
    """Response per reminder wave and per channel (issue 17); rows only when the round has
    reminders / more than e-mail, so a plain round's table keeps its shape."""
    rows: list[Row] = []
    waves = max((t.wave for t in timings), default=1)
    if waves > 1:
        for k in range(1, waves + 1):
            reached = [t for t in sent if t.wave >= k]
            at_k = sum(1 for t in reached if t.first_human_reply_at is not None and t.wave == k)
            rows.append(
                _rate(rid, "request", group, f"human_reply_wave_{k}_rate", at_k, len(reached))
            )
            by_k = sum(1 for t in sent if t.first_human_reply_at is not None and t.wave <= k)
            rows.append(
                _rate(rid, "request", group, f"human_reply_by_wave_{k}_rate", by_k, len(sent))
            )
    channels = sorted({t.channel for t in timings})
    if channels != ["email"]:
        for channel in channels:
            mine = [t for t in sent if t.channel == channel]
            k = sum(1 for t in mine if t.first_human_reply_at is not None)
            rows.append(_rate(rid, "request", group, f"human_reply_rate_{channel}", k, len(mine)))
    return rows


def compute_statistics(
    round_id: str, era: Era | str, timings: list[RequestTiming], follow_up: int = 60
) -> tuple[list[Row], list[Row]]:
    """(statistics rows, survival rows) of one round."""
    region_of = {p.code: p.region for p in provinces(era)}
    groups: list[tuple[str, Callable[[str], bool]]] = [("all", lambda code: True)]
    for region in REGIONS:
        groups.append((region, lambda code, region=region: region_of.get(code) == region))
    stats: list[Row] = []
    survival: list[Row] = []
    for group, member in groups:
        ts = [t for t in timings if member(t.province_code)]
        sent = [t for t in ts if t.state in SENT_STATES and t.sent_at is not None]
        n = len(sent)
        rid = round_id
        stats.append(_count(rid, "request", group, "requests_count", len(ts), None))
        stats.append(_count(rid, "request", group, "sent_count", n, len(ts)))
        stats.append(
            _count(
                rid,
                "request",
                group,
                "bounced_count",
                sum(1 for t in ts if t.state == RequestState.BOUNCED.value),
                n,
            )
        )
        stats.append(
            _count(
                rid,
                "request",
                group,
                "never_delivered_count",
                sum(1 for t in ts if not _delivered(t)),
                len(ts),
            )
        )
        stats.append(
            _count(
                rid,
                "request",
                group,
                "not_sent_count",
                sum(1 for t in ts if t.deadline_status.value == "not_sent"),
                len(ts),
            )
        )
        for measure, has in (
            ("any_reply_rate", lambda t: t.first_reply_at is not None),
            ("human_reply_rate", lambda t: t.first_human_reply_at is not None),
            ("substantive_reply_rate", lambda t: t.first_substantive_at is not None),
            ("on_time_rate", lambda t: t.deadline_status.value == "on_time"),
        ):
            stats.append(_rate(rid, "request", group, measure, sum(1 for t in sent if has(t)), n))
        stats.extend(_wave_and_channel_rates(rid, group, timings, sent))
        days = [t.days_to_human_reply for t in sent if t.days_to_human_reply is not None]
        stats.append(
            _value(
                rid,
                "request",
                group,
                "median_working_days_human_reply",
                float(pystats.median(days)) if days else None,
                len(days),
                n,
            )
        )
        durations, observed = _survival_input(ts, follow_up)
        curve = kaplan_meier(durations, observed)
        stats.append(
            _value(
                rid,
                "request",
                group,
                "km_median_working_days",
                curve.median,
                curve.events,
                curve.n,
            )
        )
        for t_, s_, lo, hi in zip(curve.times, curve.survival, curve.low, curve.high, strict=True):
            survival.append(
                {
                    "round_id": rid,
                    "group": group,
                    "working_days": t_,
                    "no_reply_share": s_,
                    "ci_low": lo,
                    "ci_high": hi,
                }
            )

        # per province
        codes = [c for c, r in region_of.items() if member(c)]
        by_prov: dict[str, list[RequestTiming]] = {c: [] for c in codes}
        for t in ts:
            by_prov.setdefault(t.province_code, []).append(t)
        contacted = {
            c: [t for t in rs if t.state in SENT_STATES and t.sent_at is not None]
            for c, rs in by_prov.items()
        }
        contacted = {c: rs for c, rs in contacted.items() if rs}
        pn = len(contacted)
        stats.append(_count(rid, "province", group, "provinces_count", len(codes), None))
        stats.append(_count(rid, "province", group, "contacted_count", pn, len(codes)))
        stats.append(
            _count(
                rid,
                "province",
                group,
                "never_delivered_count",
                sum(1 for c in codes if not any(_delivered(t) for t in by_prov.get(c, []))),
                len(codes),
            )
        )
        for measure, has in (
            ("any_reply_rate", lambda t: t.first_reply_at is not None),
            ("human_reply_rate", lambda t: t.first_human_reply_at is not None),
            ("substantive_reply_rate", lambda t: t.first_substantive_at is not None),
            ("on_time_rate", lambda t: t.deadline_status.value == "on_time"),
        ):
            k = sum(1 for rs in contacted.values() if any(has(t) for t in rs))
            stats.append(_rate(rid, "province", group, measure, k, pn))
        pdays = [
            min(t.days_to_human_reply for t in rs if t.days_to_human_reply is not None)
            for rs in contacted.values()
            if any(t.days_to_human_reply is not None for t in rs)
        ]
        stats.append(
            _value(
                rid,
                "province",
                group,
                "median_working_days_human_reply",
                float(pystats.median(pdays)) if pdays else None,
                len(pdays),
                pn,
            )
        )
    order = {name: i for i, name in enumerate(["all", *REGIONS])}
    mo = {name: i for i, name in enumerate(MEASURES)}

    def measure_order(name: str) -> tuple[int, str]:
        # per-wave / per-channel measures sort under their documented pattern, then by name
        for pattern in ("human_reply_wave_", "human_reply_by_wave_", "human_reply_rate_"):
            if name.startswith(pattern) and name not in mo:
                key = next(m for m in MEASURES if m.startswith(pattern))
                return mo[key], f"{len(name):03d}{name}"
        return mo[name], ""

    stats.sort(
        key=lambda r: (r["unit"] != "request", order[r["group"]], measure_order(r["measure"]))
    )
    survival.sort(key=lambda r: (order[r["group"]], r["working_days"]))
    return stats, survival
