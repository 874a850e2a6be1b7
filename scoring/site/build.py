"""`pobi publish`: a round as a static report site (HTML, CSS, a little JavaScript).

Why here: the site is made from the round's exports (``scoring.export``) and rubric
(``scoring.rubric``), which only ``scoring`` may import; it must not import streamlit, so it cannot
live beside the dashboard's queries. The map is drawn by the core (``pobi.geomap``) so the
dashboard uses the same one; the web archive is made by the core (``pobi.webarchive``) so
``pobi evidence verify`` can check it.

Layout of ``DIR`` (every link relative, so it works from ``file://`` and any static host)::

    index.html, provinces/NN.html, methodology.html, downloads.html   first language (vi)
    en/...                                                            each further language
    assets/site.css, assets/site.js
    downloads/   the export files (public mode), datapackage.json, CODEBOOK.md, XLSX, WACZ
    evidence/    the WARC and screenshot of every finding shown, named by SHA-256

The numbers on the pages are read back from the exported CSVs, so the site and its downloads
always agree. Public mode (``pobi.privacy``): no message content, no sender, officials' addresses
keep only their domain, no coder names. Deterministic: figures are judged as of the round's last
scoring (or ``--as-of``), nothing else depends on the clock, so re-publishing gives identical
bytes. The site is built in a temporary folder beside ``DIR`` and renamed into place.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pobi import __version__
from pobi.clock import VN_TZ, aware
from pobi.config import Config
from pobi.errors import InputError, StateError
from pobi.evidence import EvidenceStore, sha256_bytes
from pobi.geomap import NO_DATA, Shade, svg_map
from pobi.models import Era
from pobi.publicrefs import public_redactor
from pobi.registry import REGIONS, provinces
from pobi.rounds import get_round
from pobi.store.tables import Score
from pobi.webarchive import build_wacz
from scoring import columns as cols
from scoring.export import export_round, rubric_for_round
from scoring.rubric import Rubric, load_rubric
from scoring.site import texts
from scoring.site.data import (
    evidence_files,
    fmt_number,
    fmt_pct,
    fmt_size,
    num,
    read_csv,
    replay_link,
    reply_aggregates,
)
from scoring.statistics import MEASURES

HERE = Path(__file__).resolve().parent
LANGS = ("vi", "en")
HEADLINE = ("any_reply_rate", "human_reply_rate", "substantive_reply_rate", "on_time_rate")


@dataclass
class PublishResult:
    out_dir: Path
    langs: tuple[str, ...]
    pages: int = 0
    files: int = 0
    bytes: int = 0
    archived_pages: int = 0
    unreadable: list[str] = field(default_factory=list)  # evidence recorded but not readable


def parse_langs(spec: str) -> tuple[str, ...]:
    langs = tuple(x.strip().lower() for x in spec.split(",") if x.strip())
    bad = [x for x in langs if x not in LANGS]
    if not langs or bad or len(set(langs)) != len(langs):
        raise InputError(
            f"--lang {spec!r}: give one or both of {', '.join(LANGS)}, comma-separated, each once"
        )
    return langs


def _check_out(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file, not a folder.")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise InputError(
            f"The output folder {out} is not empty.",
            hint="Choose a new folder, or pass --force to replace its content with the site.",
        )


def _swap_into_place(tmp: Path, out: Path) -> None:
    """Replace ``out`` by ``tmp`` with renames only: a failure leaves the old site intact."""
    if not out.exists():
        os.replace(tmp, out)
        return
    backup = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    backup.rmdir()
    os.replace(out, backup)
    try:
        os.replace(tmp, out)
    except OSError:
        os.replace(backup, out)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def _scored_at(session: Session, round_id: str) -> datetime | None:
    value = session.scalar(select(func.max(Score.computed_at)).where(Score.round_id == round_id))
    return aware(value) if value is not None else None


def publish_round(
    session: Session,
    round_id: str,
    out: Path,
    cfg: Config,
    evidence: EvidenceStore,
    *,
    langs: tuple[str, ...] = LANGS,
    force: bool = False,
    at: datetime | None = None,
    base_url: str = "",
    progress: Callable[[str], None] | None = None,
) -> PublishResult:
    """``base_url``: where the site will be hosted (https://…/); when given, each finding also
    links to its page replayed by ReplayWeb.page from the hosted WACZ (a link the reader follows,
    never a request the site makes)."""
    if base_url and not re.match(r"^https?://[^\s\"'<>]+$", base_url):
        raise InputError(f"--base-url {base_url!r} must be an http(s) URL of the hosted site")
    step = progress or (lambda _name: None)
    rnd = get_round(session, round_id)
    scored_at = _scored_at(session, round_id)
    if scored_at is None:
        raise StateError(
            f"Round {round_id} has no scores yet: there is nothing to publish.",
            hint=f"Score it first: pobi score --round {round_id}",
        )
    out = Path(out).absolute()
    _check_out(out, force)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    except OSError as exc:
        raise InputError(f"Cannot create a folder beside {out}: {exc.strerror or exc}") from exc
    result = PublishResult(out, langs)
    try:
        _build(
            session,
            rnd.id,
            Era(rnd.era),
            tmp,
            cfg,
            evidence,
            langs,
            at or scored_at,
            result,
            step,
            base_url.rstrip("/"),
        )
        os.chmod(tmp, 0o755)
        step("moving the site into place")
        _swap_into_place(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for path in out.rglob("*"):
        if path.is_file():
            result.files += 1
            result.bytes += path.stat().st_size
    return result


def _bundled(key: str) -> Rubric | None:
    """The bundled rubric named by a rankings row's ``id@version`` (None: not bundled, then the
    site shows its id as its title and its indicators by their ids)."""
    try:
        rubric = load_rubric(key.split("@")[0])
    except Exception:  # a custom rubric file that is not bundled
        return None
    return rubric if f"{rubric.id}@{rubric.version}" == key else None


def _slug(key: str) -> str:
    """``transparency-v1@1.0.0`` -> ``transparency-v1`` (for element ids)."""
    return re.sub(r"[^a-z0-9]+", "-", key.split("@")[0].lower()).strip("-")


def _index_card(title: str, row: dict[str, str] | None, ranked: int, lang: str) -> dict[str, str]:
    """A province's place in one more index (the transparency index beside participation)."""
    band = row["band"] if row else ""
    return {
        "title": title,
        "rank_text": (
            texts.UI["rank_of"][lang].format(rank=row["rank"], n=ranked)
            if row and row["rank"]
            else texts.UI["not_ranked"][lang]
        ),
        "index": fmt_number(num(row["index"]) if row else None, lang),
        "band": band,
        "band_label": texts.BANDS[band][lang] if band in texts.BANDS else "",
    }


def _build(
    session: Session,
    round_id: str,
    era: Era,
    target: Path,
    cfg: Config,
    evidence: EvidenceStore,
    langs: tuple[str, ...],
    at: datetime,
    result: PublishResult,
    step: Callable[[str], None],
    base_url: str = "",
) -> None:
    rub = rubric_for_round(session, round_id, None)
    downloads = target / "downloads"
    step("exporting the data (public mode)")
    export = export_round(
        session,
        round_id,
        downloads,
        cfg,
        fmt="all",
        at=at,
        redact=public_redactor(session, round_id),
        progress=lambda name: step(f"exporting {name}"),
    )
    step("packaging the web archive (WACZ)")
    wacz_name = f"pobi-{round_id}.wacz"
    wacz = build_wacz(
        session, evidence, round_id, downloads / wacz_name, title=f"pobi round {round_id}"
    )
    result.archived_pages = len(wacz.pages)
    result.unreadable += wacz.unreadable
    captured = {p.warc_sha256: p.ts for p in wacz.pages}
    step("copying evidence")
    findings, _copied = evidence_files(session, round_id, evidence, target, result.unreadable)

    rankings = read_csv(downloads / cols.RANKINGS.filename)
    scores = read_csv(downloads / cols.SCORES.filename)
    stats = read_csv(downloads / cols.STATISTICS.filename)
    requests = read_csv(downloads / cols.REQUESTS.filename)
    replies = read_csv(downloads / cols.REPLIES.filename)
    documents = read_csv(downloads / "documents.csv")  # present once the documents stage is
    aggregates = reply_aggregates(requests, replies)
    # rankings.csv holds one ranking per index (rubric): the round's participation rubric first,
    # then the others (the transparency index of the budget documents), each shown on its own
    main_key = f"{rub.id}@{rub.version}"
    by_rubric: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rankings:
        by_rubric[r.get("rubric") or main_key].append(r)
    other_keys = [k for k in by_rubric if k != main_key]
    other_rubrics = {k: _bundled(k) for k in other_keys}
    rankings = by_rubric.get(main_key, [])
    rank_of = {r["province_code"]: r for r in rankings}
    # each other index: its row per province and how many units it ranks
    other_of = {k: {r["province_code"]: r for r in by_rubric[k]} for k in other_keys}
    other_ranked = {k: sum(1 for r in by_rubric[k] if r["rank"]) for k in other_keys}
    scores_of: dict[str, list[dict[str, str]]] = defaultdict(list)
    for s in scores:
        scores_of[s["province_code"]].append(s)
    docs_of: dict[str, list[dict[str, str]]] = defaultdict(list)
    for d in documents:
        docs_of[d.get("province_code", "")].append(d)
    units = provinces(era)
    ranked = sum(1 for r in rankings if r["rank"])

    titles = {
        t.filename: (t.title_vi, t.title_en)
        for t in vars(cols).values()
        if isinstance(t, cols.Table)
    }
    files = []
    for path in sorted(downloads.iterdir()):
        data = path.read_bytes()
        files.append(
            {
                "name": path.name,
                "size": len(data),
                "sha256": sha256_bytes(data),
                "titles": titles.get(path.name),
            }
        )

    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    step("writing the pages")
    (target / "assets").mkdir()
    for name in ("site.css", "site.js"):
        shutil.copyfile(HERE / "static" / name, target / "assets" / name)

    rubric_of: dict[str, Rubric] = {main_key: rub} | {
        k: r for k, r in other_rubrics.items() if r is not None
    }
    indicators_of = {k: {ind.id: ind for ind in r.indicators} for k, r in rubric_of.items()}
    for i, lang in enumerate(langs):
        base = "" if i == 0 else f"{lang}/"
        other = [x for x in langs if x != lang]

        def t(key: str, lang: str = lang) -> str:
            return texts.UI[key][lang]

        def page(
            name: str,
            template: str,
            depth: int,
            _base: str = base,
            _lang: str = lang,
            _other: list[str] = other,
            **ctx: Any,
        ) -> None:
            up = "../" * (depth + _base.count("/"))
            switch = []
            for o in _other:
                o_base = "" if langs.index(o) == 0 else f"{o}/"
                switch.append((texts.UI["other_language"][_lang], up + o_base + name))
            html = env.get_template(template).render(
                lang=_lang,
                t=t,
                up=up,
                switch=switch,
                round_id=round_id,
                era_label=t(f"era_{era.value}"),
                as_of=at.astimezone(VN_TZ).strftime("%Y-%m-%d %H:%M (UTC+7)"),
                rubric=f"{rub.id}@{rub.version}",
                version=__version__,
                **ctx,
            )
            path = target / _base / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html, encoding="utf-8", newline="\n")
            result.pages += 1

        def province_href(code: str, up: str) -> str:
            return f"{up}provinces/{code}.html"

        def shades_of(ranked_rows: list[dict[str, str]], _lang: str = lang) -> dict[str, Shade]:
            of = {r["province_code"]: r for r in ranked_rows}
            shades = {}
            for p in units:
                r = of.get(p.code)
                band = r["band"] if r else ""
                value = num(r["index"]) if r else None
                shades[p.code] = Shade(
                    texts.BAND_COLOURS.get(band, NO_DATA),
                    f"{p.short}: {fmt_number(value, _lang)} ({band or t('no_data')})",
                    href=f"provinces/{p.code}.html",
                )
            return shades

        def rows_of(ranked_rows: list[dict[str, str]], _lang: str = lang) -> list[dict[str, str]]:
            return [
                {
                    "rank": r["rank"] or "–",
                    "code": r["province_code"],
                    "name": r["province_name"],
                    "region": texts.label({k: v for k, v in REGIONS.items()}, r["region"], _lang),
                    "index": fmt_number(num(r["index"]), _lang),
                    "band": r["band"],
                    "applicable": r["indicators_applicable"],
                }
                for r in ranked_rows
            ]

        def title_of(key: str, _lang: str = lang) -> str:
            r = rubric_of.get(key)
            if r is None:
                return key
            return r.title_vi if _lang == "vi" else r.title_en

        shades = shades_of(rankings)
        ranking_rows = rows_of(rankings)
        other_indices = [
            {
                "key": key,
                "slug": _slug(key),
                "title": title_of(key),
                "map_svg": svg_map(
                    era,
                    shades_of(by_rubric[key]),
                    lang=lang,
                    title=f"{t('map')}: {title_of(key)}",
                    element_id=f"map-{_slug(key)}",
                ),
                "ranking": rows_of(by_rubric[key]),
            }
            for key in other_keys
        ]

        def stat_rows(group: str, unit: str, _lang: str = lang) -> list[dict[str, str]]:
            rows = []
            for s in stats:
                if s["group"] == group and s["unit"] == unit and s["measure"] in HEADLINE:
                    rows.append(
                        {
                            "measure": texts.label(texts.MEASURES, s["measure"], _lang),
                            "value": fmt_pct(num(s["value"]), _lang),
                            "low": fmt_pct(num(s["ci_low"]), _lang),
                            "high": fmt_pct(num(s["ci_high"]), _lang),
                            "k": s["k"],
                            "n": s["n"],
                        }
                    )
            rows.sort(key=lambda row: row["measure"])
            return rows

        headline = stat_rows("all", "province")
        headline_requests = stat_rows("all", "request")
        regions = []
        for key, names in REGIONS.items():
            by_measure = {
                s["measure"]: s
                for s in stats
                if s["group"] == key and s["unit"] == "province" and s["measure"] in HEADLINE
            }
            if not by_measure:
                continue
            regions.append(
                {
                    "name": names[lang],
                    "cells": [
                        (
                            fmt_pct(num(by_measure[m]["value"]), lang) if m in by_measure else "–",
                            f"{by_measure[m]['k']}/{by_measure[m]['n']}" if m in by_measure else "",
                        )
                        for m in HEADLINE
                    ],
                }
            )
        headline_labels = [texts.MEASURES[m][lang] for m in HEADLINE]
        legend = [(texts.BAND_COLOURS[b], texts.BANDS[b][lang]) for b in "ABCD"] + [
            (NO_DATA, t("no_data"))
        ]
        page(
            "index.html",
            "index.html",
            0,
            map_svg=svg_map(era, shades, lang=lang, title=t("map")),
            headline=headline,
            headline_requests=headline_requests,
            regions=regions,
            headline_labels=headline_labels,
            ranking=ranking_rows,
            legend=legend,
            main_title=title_of(main_key),
            other_indices=other_indices,
        )
        for p in units:
            r = rank_of.get(p.code)
            ind_rows = []
            for s in scores_of.get(p.code, []):
                s_rub = rubric_of.get(s.get("rubric") or main_key, rub)
                ind = indicators_of.get(s.get("rubric") or main_key, {}).get(s["indicator"])
                ind_rows.append(
                    {
                        "index": title_of(s.get("rubric") or main_key),
                        "question": (ind.question_vi if lang == "vi" else ind.question_en)
                        if ind
                        else s["indicator"],
                        "pillar": (
                            s_rub.pillars[ind.pillar].name_vi
                            if lang == "vi"
                            else s_rub.pillars[ind.pillar].name_en
                        )
                        if ind and ind.pillar in s_rub.pillars
                        else s["pillar"],
                        "answer": s["answer"],
                        "points": s["points"] or "–",
                        "explanation": s["explanation_vi"] if lang == "vi" else s["explanation_en"],
                        "overridden": s["overridden"] in ("true", "True", "1"),
                    }
                )
            ev_rows = [
                {
                    **f,
                    "channel_label": texts.label(texts.CHANNELS, f["channel"], lang),
                    "site_label": texts.label(texts.SITE_KINDS, f["site_kind"], lang),
                    "captured": captured.get(f["warc_sha256"], ""),
                    "replay": replay_link(
                        base_url, wacz_name, f["found_on"], captured.get(f["warc_sha256"], "")
                    ),
                }
                for f in findings.get(p.code, [])
            ]
            agg = aggregates.get(p.code)
            reply_rows = []
            if agg:
                reply_rows += [
                    (texts.label(texts.DEADLINES, k, lang), n)
                    for k, n in sorted(agg["deadline"].items())
                ]
                reply_rows += [
                    (texts.label(texts.REPLY_KINDS, k, lang), n)
                    for k, n in sorted(agg["kind"].items())
                ]
                reply_rows += [
                    (
                        texts.REPLY_KINDS["human"][lang]
                        + ": "
                        + texts.label(texts.CODINGS, k, lang),
                        n,
                    )
                    for k, n in sorted(agg["coding"].items())
                ]
            requests_n = sum(agg["deadline"].values()) if agg else 0
            page(
                f"provinces/{p.code}.html",
                "province.html",
                1,
                province=p,
                region=REGIONS[p.region][lang],
                main=_index_card(title_of(main_key), r, ranked, lang),
                indicators=ind_rows,
                evidence=ev_rows,
                replies=reply_rows,
                requests_n=requests_n,
                documents=docs_of.get(p.code, []),
                wacz=wacz_name,
                other_indices=[
                    _index_card(title_of(k), other_of[k].get(p.code), other_ranked[k], lang)
                    for k in other_keys
                ],
            )

        def pillars_of(r_: Rubric, _lang: str = lang) -> list[dict[str, Any]]:
            return [
                {
                    "name": pl.name_vi if _lang == "vi" else pl.name_en,
                    "weight": fmt_number(pl.weight, _lang, 2),
                    "indicators": [
                        {
                            "question": ind.question_vi if _lang == "vi" else ind.question_en,
                            "options": [
                                (a.value, o.vi if _lang == "vi" else o.en)
                                for a, o in ind.options.items()
                            ],
                            # in Vietnamese, the rubric's evidence_vi (a rubric without it
                            # shows no evidence list in Vietnamese rather than an English one)
                            "evidence": list(ind.evidence_vi if _lang == "vi" else ind.evidence),
                        }
                        for ind in r_.indicators
                        if ind.pillar == pl.id
                    ],
                }
                for pl in r_.pillars.values()
            ]

        pillars = pillars_of(rub)
        measures = [
            (m, text.split(" / ")[1] if lang == "vi" and " / " in text else text.split(" / ")[0])
            for m, text in MEASURES.items()
        ]
        page(
            "methodology.html",
            "methodology.html",
            0,
            rubric_title=rub.title_vi if lang == "vi" else rub.title_en,
            pillars=pillars,
            other_rubrics=[
                {"key": k, "title": title_of(k), "pillars": pillars_of(r_)}
                for k, r_ in rubric_of.items()
                if k != main_key
            ],
            bands=[(texts.BAND_COLOURS[b], texts.BANDS[b][lang]) for b in "ABCD"],
            measures=[text for _m, text in measures],
        )
        page(
            "downloads.html",
            "downloads.html",
            0,
            files=[
                {
                    **f,
                    "title": (f["titles"][0] if lang == "vi" else f["titles"][1])
                    if f["titles"]
                    else (t("wacz") if f["name"] == wacz_name else ""),
                    "size_text": fmt_size(f["size"], lang),
                }
                for f in files
            ],
        )
    _ = export  # the export's own summary is reported by the CLI through the result files
