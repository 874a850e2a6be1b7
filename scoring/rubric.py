"""The rubric as data: a versioned TOML file (``data/rubrics/<id>.toml``) read and checked here.

A rubric names its pillars (with weights) and its indicators. Each indicator has an id, a pillar,
a question in Vietnamese and English, options a–e with criteria in both languages, the evidence it
reads, and how it is computed: a named rule in :mod:`scoring.rules` plus parameters. Every problem
is an :class:`~pobi.errors.InputError` naming the file and the indicator.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pobi.config import data_dir
from pobi.errors import InputError, NotFoundError
from pobi.models import Answer

ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
REQUIRED_OPTIONS = ("a", "b", "c", "d")
INDEXES = ("participation", "transparency")  # a round holds one of each
NOT_APPLICABLE = {
    "en": "Not applicable (left out of the mean).",
    "vi": "Không áp dụng (không tính vào điểm trung bình).",
}


@dataclass(frozen=True)
class Option:
    answer: Answer
    en: str
    vi: str


@dataclass(frozen=True)
class Pillar:
    id: str
    weight: float
    name_en: str
    name_vi: str


@dataclass(frozen=True)
class Indicator:
    id: str
    pillar: str
    question_en: str
    question_vi: str
    options: dict[Answer, Option]
    evidence: tuple[str, ...]
    rule: str
    params: dict[str, Any]
    evidence_vi: tuple[str, ...] = ()  # the evidence list in Vietnamese, item by item (optional)


@dataclass(frozen=True)
class Rubric:
    id: str
    version: str
    title_en: str
    title_vi: str
    pillars: dict[str, Pillar]
    indicators: tuple[Indicator, ...]
    path: Path
    sha256: str
    statistics: dict[str, Any] = field(default_factory=dict)
    index: str = "participation"  # which index it computes: participation | transparency

    def indicator(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        known = ", ".join(i.id for i in self.indicators)
        raise NotFoundError(f"Rubric {self.id} has no indicator {indicator_id!r} (known: {known})")

    @property
    def weights(self) -> dict[str, float]:
        return {p.id: p.weight for p in self.pillars.values()}


def rubric_path(name_or_path: str | Path) -> Path:
    """A rubric file: a path, or the id of a bundled rubric (``participation-v1``)."""
    p = Path(name_or_path)
    if p.suffix == ".toml" or p.exists():
        return p
    bundled = data_dir() / "rubrics" / f"{name_or_path}.toml"
    if bundled.exists():
        return bundled
    available = sorted(x.stem for x in (data_dir() / "rubrics").glob("*.toml"))
    raise NotFoundError(
        f"No rubric {str(name_or_path)!r}: not a file, and not a bundled rubric "
        f"(bundled: {', '.join(available) or 'none'})."
    )


def _text(where: str, table: dict[str, Any], key: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where}: '{key}' must be a non-empty text")
    return value.strip()


def load_rubric(name_or_path: str | Path) -> Rubric:
    from scoring.rules import RULES, check_params

    path = rubric_path(name_or_path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"Cannot read rubric {path}: {exc.strerror or exc}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from exc

    head = data.get("rubric")
    if not isinstance(head, dict):
        raise InputError(f"{path}: missing the [rubric] table (id, version, title_en, title_vi)")
    where = f"{path}: [rubric]"
    rubric_id = _text(where, head, "id")
    version = _text(where, head, "version")
    title_en = _text(where, head, "title_en")
    title_vi = _text(where, head, "title_vi")
    index_name = head.get("index", "participation")
    if index_name not in INDEXES:
        raise InputError(
            f"{where}: 'index' must be one of {', '.join(INDEXES)}, got {index_name!r}"
        )

    pillars_raw = data.get("pillars")
    if not isinstance(pillars_raw, dict) or not pillars_raw:
        raise InputError(f"{path}: missing [pillars.<id>] tables (weight, name_en, name_vi)")
    pillars: dict[str, Pillar] = {}
    for pid, p in pillars_raw.items():
        w = f"{path}: pillar '{pid}'"
        if not ID.match(pid):
            raise InputError(f"{w}: id must be lower-case letters, digits and '_'")
        if not isinstance(p, dict):
            raise InputError(f"{w}: must be a table")
        weight = p.get("weight", 1.0)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
            raise InputError(f"{w}: weight must be a number >= 0, got {weight!r}")
        pillars[pid] = Pillar(pid, float(weight), _text(w, p, "name_en"), _text(w, p, "name_vi"))
    if not any(p.weight > 0 for p in pillars.values()):
        raise InputError(f"{path}: at least one pillar needs a weight > 0")

    items = data.get("indicators")
    if not isinstance(items, list) or not items:
        raise InputError(f"{path}: no [[indicators]]")
    indicators: list[Indicator] = []
    seen: set[str] = set()
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise InputError(f"{path}: indicator #{n} must be a table")
        iid = item.get("id")
        w = f"{path}: indicator '{iid}'" if iid else f"{path}: indicator #{n}"
        if not isinstance(iid, str) or not ID.match(iid):
            raise InputError(f"{w}: 'id' must be lower-case letters, digits and '_' (got {iid!r})")
        if iid in seen:
            raise InputError(f"{w}: duplicate id")
        seen.add(iid)
        unknown = set(item) - {
            "id",
            "pillar",
            "question_en",
            "question_vi",
            "options",
            "evidence",
            "evidence_vi",
            "rule",
            "params",
        }
        if unknown:
            raise InputError(f"{w}: unknown keys {', '.join(sorted(unknown))}")
        pillar = item.get("pillar")
        if pillar not in pillars:
            raise InputError(
                f"{w}: pillar {pillar!r} is not defined (pillars: {', '.join(pillars)})"
            )
        opts_raw = item.get("options")
        if not isinstance(opts_raw, dict):
            raise InputError(f"{w}: missing [indicators.options] with a, b, c, d (and optional e)")
        options: dict[Answer, Option] = {}
        for key in opts_raw:
            if key not in {"a", "b", "c", "d", "e"}:
                raise InputError(f"{w}: option {key!r} is not one of a, b, c, d, e")
        for key in ("a", "b", "c", "d", "e"):
            opt = opts_raw.get(key)
            if opt is None:
                if key in REQUIRED_OPTIONS:
                    raise InputError(f"{w}: option '{key}' is missing (a–d are required)")
                options[Answer.E] = Option(Answer.E, NOT_APPLICABLE["en"], NOT_APPLICABLE["vi"])
                continue
            if not isinstance(opt, dict):
                raise InputError(f"{w}: option '{key}' must be a table with 'en' and 'vi'")
            ow = f"{w}: option '{key}'"
            options[Answer(key)] = Option(Answer(key), _text(ow, opt, "en"), _text(ow, opt, "vi"))
        evidence = item.get("evidence", [])
        if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
            raise InputError(f"{w}: 'evidence' must be a list of texts")
        if not evidence:
            raise InputError(f"{w}: 'evidence' must name what the indicator reads")
        evidence_vi = item.get("evidence_vi", [])
        if not isinstance(evidence_vi, list) or not all(isinstance(e, str) for e in evidence_vi):
            raise InputError(f"{w}: 'evidence_vi' must be a list of texts")
        if evidence_vi and len(evidence_vi) != len(evidence):
            raise InputError(
                f"{w}: 'evidence_vi' must translate 'evidence' item by item "
                f"({len(evidence_vi)} texts for {len(evidence)})"
            )
        rule = item.get("rule")
        if rule not in RULES:
            raise InputError(f"{w}: unknown rule {rule!r} (known: {', '.join(sorted(RULES))})")
        params = item.get("params", {})
        if not isinstance(params, dict):
            raise InputError(f"{w}: 'params' must be a table")
        problem, full = check_params(rule, params)
        if problem:
            raise InputError(f"{w}: {problem}")
        indicators.append(
            Indicator(
                id=iid,
                pillar=pillar,
                question_en=_text(w, item, "question_en"),
                question_vi=_text(w, item, "question_vi"),
                options=options,
                evidence=tuple(evidence),
                rule=rule,
                params=full,
                evidence_vi=tuple(evidence_vi),
            )
        )
    stats = data.get("statistics", {})
    if not isinstance(stats, dict):
        raise InputError(f"{path}: [statistics] must be a table")
    follow = stats.get("follow_up_working_days", 60)
    if isinstance(follow, bool) or not isinstance(follow, int) or follow < 1:
        raise InputError(f"{path}: [statistics] follow_up_working_days must be a positive integer")
    return Rubric(
        id=rubric_id,
        version=version,
        title_en=title_en,
        title_vi=title_vi,
        pillars=pillars,
        indicators=tuple(indicators),
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        statistics={"follow_up_working_days": follow},
        index=index_name,
    )
