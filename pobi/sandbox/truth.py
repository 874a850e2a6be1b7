"""Ground truth of a simulated world, and the comparison of a crawl's findings with it.

A truth row is what a correct crawler reports for one site: the DESIGN.md §6 ``channels.csv`` key
``(province_code, site_kind, site_url, channel, value)`` plus two flags:

- ``rendered_only``: only visible after scripts run (menus built by script, script-built e-mails,
  single-page sites). Required when the crawl renders pages, optional otherwise.
- ``robots_blocked``: only reachable through a path robots.txt disallows. Must NOT be found when
  robots.txt is obeyed (finding it counts as a false positive); required when it is not.

:func:`compare` takes found rows (dicts with the ``channels.csv`` columns, e.g. read from an export)
and returns per-channel precision and recall with a readable list of misses and false positives.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pobi.errors import CsvRowError, InputError
from pobi.models import Channel
from pobi.sandbox.world import World, resolve

TRUTH_COLUMNS = [
    "province_code",
    "site_kind",
    "site_url",
    "channel",
    "value",
    "rendered_only",
    "robots_blocked",
    "note",
]


@dataclass(frozen=True)
class TruthRow:
    province_code: str
    site_kind: str
    site_url: str
    channel: str
    value: str
    rendered_only: bool = False
    robots_blocked: bool = False
    note: str = ""

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return make_key(self.province_code, self.site_kind, self.site_url, self.channel, self.value)


def truth_rows(world: World, bases: Mapping[str, str]) -> list[TruthRow]:
    """The world's expected findings with placeholders resolved to served base URLs."""
    rows = []
    for site in world.sites:
        site_url = resolve(site.start_url, bases)
        for e in site.expected:
            rows.append(
                TruthRow(
                    province_code=site.province_code,
                    site_kind=site.site_kind.value,
                    site_url=site_url,
                    channel=e.channel.value,
                    value=resolve(e.value, bases),
                    rendered_only=e.rendered_only,
                    robots_blocked=e.robots_blocked,
                    note=e.note,
                )
            )
    return rows


def write_truth(rows: Iterable[TruthRow], path: Path) -> Path:
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, TRUTH_COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            d = asdict(r)
            d["rendered_only"] = "true" if r.rendered_only else "false"
            d["robots_blocked"] = "true" if r.robots_blocked else "false"
            w.writerow(d)
    return Path(path)


def read_truth(path: Path | str) -> list[TruthRow]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror or exc}") from exc
    reader = csv.DictReader(text.splitlines())
    if reader.fieldnames != TRUTH_COLUMNS:
        raise CsvRowError(str(path), [(1, f"header must be {','.join(TRUTH_COLUMNS)}")])
    rows, problems = [], []
    for n, d in enumerate(reader, start=2):
        if d["channel"] not in {c.value for c in Channel}:
            problems.append((n, f"unknown channel {d['channel']!r}"))
            continue
        rows.append(
            TruthRow(
                province_code=d["province_code"],
                site_kind=d["site_kind"],
                site_url=d["site_url"],
                channel=d["channel"],
                value=d["value"],
                rendered_only=d["rendered_only"] == "true",
                robots_blocked=d["robots_blocked"] == "true",
                note=d["note"] or "",
            )
        )
    if problems:
        raise CsvRowError(str(path), problems)
    return rows


# --------------------------------------------------------------------------- comparison


def norm_value(channel: str, value: str) -> str:
    """Light normalisation so equal findings compare equal (case of e-mails, scheme and host)."""
    value = (value or "").strip()
    if channel == Channel.EMAIL and not value.startswith("image:"):
        return value.lower()
    if value.lower().startswith(("http://", "https://", "image:http")):
        prefix = "image:" if value.lower().startswith("image:") else ""
        parts = urlsplit(value[len(prefix) :])
        return prefix + urlunsplit(
            (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
        )
    return value


def make_key(
    province_code: str, site_kind: str, site_url: str, channel: str, value: str
) -> tuple[str, str, str, str, str]:
    return (
        str(province_code).strip(),
        str(site_kind).strip(),
        str(site_url).strip(),
        str(channel).strip(),
        norm_value(str(channel).strip(), str(value)),
    )


@dataclass
class ChannelScore:
    channel: str
    true_positives: int = 0  # found rows that are in the truth
    false_positives: int = 0
    required: int = 0  # truth rows that must be found
    found_required: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return 1.0 if found == 0 else self.true_positives / found

    @property
    def recall(self) -> float:
        return 1.0 if self.required == 0 else self.found_required / self.required


@dataclass
class Comparison:
    channels: dict[str, ChannelScore]
    misses: list[TruthRow] = field(default_factory=list)
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    rendered: bool = True
    obey_robots: bool = True

    def worst(self) -> tuple[float, float]:
        return (
            min(c.precision for c in self.channels.values()),
            min(c.recall for c in self.channels.values()),
        )

    def ok(self, threshold: float = 0.95) -> bool:
        p, r = self.worst()
        return p >= threshold and r >= threshold

    def table(self) -> list[dict[str, Any]]:
        return [
            {
                "channel": c.channel,
                "precision": round(c.precision, 4),
                "recall": round(c.recall, 4),
                "true_positives": c.true_positives,
                "false_positives": c.false_positives,
                "required": c.required,
                "found_required": c.found_required,
            }
            for c in self.channels.values()
        ]

    def report(self, limit: int = 40) -> str:
        lines = [f"{'channel':<14} {'precision':>9} {'recall':>7}   found/required  false+"]
        for c in self.channels.values():
            lines.append(
                f"{c.channel:<14} {c.precision:>9.3f} {c.recall:>7.3f}   "
                f"{c.found_required:>5}/{c.required:<8}  {c.false_positives:>6}"
            )
        if self.misses:
            lines.append(f"Missed ({len(self.misses)}):")
            for m in self.misses[:limit]:
                flags = " [rendered only]" if m.rendered_only else ""
                lines.append(
                    f"  - {m.province_code} {m.site_kind} {m.site_url} {m.channel}={m.value}{flags}"
                )
        if self.false_positives:
            lines.append(f"False positives ({len(self.false_positives)}):")
            for f in self.false_positives[:limit]:
                lines.append(
                    f"  + {f.get('province_code')} {f.get('site_kind')} {f.get('site_url')} "
                    f"{f.get('channel')}={f.get('value')} (on {f.get('found_on', '?')})"
                )
        return "\n".join(lines)


def compare(
    found_rows: Iterable[Mapping[str, Any]],
    truth: Iterable[TruthRow],
    *,
    rendered: bool = True,
    obey_robots: bool = True,
    channels: Iterable[str] | None = None,
) -> Comparison:
    """Per-channel precision and recall of found rows (channels.csv dicts) against the truth.

    ``rendered=False`` makes rendered-only truth optional (found: fine; missed: not counted).
    ``obey_robots=True`` makes robots-blocked truth forbidden (found: a false positive).
    Duplicate found rows (same key) count once.
    """
    chosen = [c.value for c in Channel] if channels is None else list(channels)
    scores = {c: ChannelScore(c) for c in chosen}
    required: dict[tuple[str, ...], TruthRow] = {}
    optional: set[tuple[str, ...]] = set()
    forbidden: set[tuple[str, ...]] = set()
    for row in truth:
        if row.channel not in scores:
            continue
        if row.robots_blocked and obey_robots:
            forbidden.add(row.key)
        elif row.rendered_only and not rendered:
            optional.add(row.key)
        else:
            required[row.key] = row
    for row in required.values():
        scores[row.channel].required += 1
    cmp = Comparison(scores, rendered=rendered, obey_robots=obey_robots)
    seen: set[tuple[str, ...]] = set()
    for f in found_rows:
        channel = str(f.get("channel", "")).strip()
        if channel not in scores:
            continue
        key = make_key(
            f.get("province_code", ""),
            f.get("site_kind", ""),
            f.get("site_url", ""),
            channel,
            f.get("value", ""),
        )
        if key in seen:
            continue
        seen.add(key)
        if key in required or key in optional:
            scores[channel].true_positives += 1
            if key in required:
                scores[channel].found_required += 1
        else:
            scores[channel].false_positives += 1
            cmp.false_positives.append(dict(f))
    cmp.misses = [row for key, row in required.items() if key not in seen]
    return cmp


def read_found(path: Path | str) -> list[dict[str, str]]:
    """Rows of an exported ``channels.csv``."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
