"""One translation table: every key has both languages, every key the code uses exists."""

from __future__ import annotations

import re
import string
import unicodedata
from pathlib import Path

from dashboard.i18n import LANGS, TEXT, t
from pobi.models import Band, Coding, DeadlineStatus, Era, ReplyKind, ReviewStatus

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_both_languages_with_the_same_placeholders() -> None:
    assert set(LANGS) == {"vi", "en"}
    for key, entry in TEXT.items():
        assert set(entry) == {"vi", "en"}, key
        assert entry["vi"].strip() and entry["en"].strip(), key
        assert _fields(entry["vi"]) == _fields(entry["en"]), key


def test_vietnamese_is_really_vietnamese() -> None:
    """A copy-pasted English label in the Vietnamese column is a bug: most labels carry
    Vietnamese letters (đ, ư, ơ, or a tone mark)."""

    def vietnamese(text: str) -> bool:
        decomposed = unicodedata.normalize("NFD", text)
        return "đ" in text.lower() or any(unicodedata.combining(c) for c in decomposed)

    plain = [k for k, e in TEXT.items() if not vietnamese(e["vi"])]
    assert plain == ["col_warc"], plain  # "WARC (SHA-256)" is the same in both


def test_every_literal_key_used_by_the_code_exists() -> None:
    used: set[str] = set()
    for path in DASHBOARD.rglob("*.py"):
        used |= set(
            re.findall(r"\bt\(\s*\"([a-z][a-z0-9_]*)\"\s*[,)]", path.read_text(encoding="utf-8"))
        )
    assert len(used) > 100
    missing = sorted(k for k in used if k not in TEXT)
    assert missing == []


def test_dynamic_key_families_cover_every_enum_value() -> None:
    families = {
        "era_": [e.value for e in Era],
        "kind_": [k.value for k in ReplyKind],
        "coding_": [c.value for c in Coding],
        "deadline_": [d.value for d in DeadlineStatus],
        "review_": [r.value for r in ReviewStatus] + ["all"],
        "band_": [b.value for b in Band] + ["none"],
        "measure_": ["any_reply", "human_reply", "substantive"],
        "related_": [e.value for e in Era],
        "status_": ["substantive", "human", "auto", "bounced", "none", "not_asked"],
        "table_": ["sites", "channels", "requests", "replies", "scores", "rankings"],
        "unit_trends_caption_": ["index", "any_reply"],
    }
    for prefix, values in families.items():
        for value in values:
            assert prefix + value in TEXT, prefix + value


def test_lookup_formats_and_falls_back() -> None:
    assert t("rate_detail", "en", k=8, n=63, low=0.06, high=0.23) == (
        "8/63 · 95% interval (Wilson): 6%–23%"
    )
    assert t("nav_overview") == "Tổng quan"  # Vietnamese by default
    assert t("no_such_key", "en") == "⟨no_such_key⟩"
