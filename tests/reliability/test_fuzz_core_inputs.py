"""Fuzzing the core's file inputs: any bytes give a result or a PobiError, never a crash.

Inputs: a user's sites file, the extra days-off file, pobi.toml. Each example must finish fast
(bounded time per input).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pobi.config import Config, load_config
from pobi.errors import CsvRowError, PobiError
from pobi.registry import read_sites_file
from pobi.workdays import load_extra_days_off

FAST = 1.0  # seconds per input

csv_cells = st.one_of(
    st.sampled_from(
        [
            "01",
            "79",
            "1",
            "99",
            "",
            "portal",
            "finance",
            "other",
            "https://a.vn/",
            "http://x",
            "ftp://y",
            '"',
            ",",
        ]
    ),
    st.text(max_size=30),
)
csv_rows = st.lists(st.lists(csv_cells, max_size=5), max_size=30)


def _as_csv(header: bool, rows: list[list[str]]) -> str:
    lines = ["province_code,site_kind,url"] if header else []
    lines += [",".join(r) for r in rows]
    return "\n".join(lines)


@settings(
    max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(header=st.booleans(), rows=csv_rows)
def test_sites_file_structured_fuzz(tmp_path: Path, header: bool, rows: list[list[str]]) -> None:
    p = tmp_path / "s.csv"
    p.write_text(_as_csv(header, rows), encoding="utf-8")
    start = time.monotonic()
    try:
        sites = read_sites_file(p)
    except CsvRowError as exc:
        assert exc.problems and all(line >= 1 for line, _ in exc.problems)
        assert all(f"{p}:{line}:" in str(exc) for line, _ in exc.problems)
    else:
        assert all(s.url.startswith(("http://", "https://")) for s in sites)
    assert time.monotonic() - start < FAST


@settings(
    max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(data=st.binary(max_size=2000))
def test_sites_file_random_bytes(tmp_path: Path, data: bytes) -> None:
    p = tmp_path / "s.csv"
    p.write_bytes(data)
    start = time.monotonic()
    try:
        read_sites_file(p)
    except PobiError:
        pass
    assert time.monotonic() - start < FAST


@settings(
    max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(text=st.text(max_size=500))
def test_days_off_file(tmp_path: Path, text: str) -> None:
    p = tmp_path / "off.txt"
    p.write_text(text, encoding="utf-8")
    try:
        load_extra_days_off(p)
    except PobiError as exc:
        assert str(p) in str(exc)


toml_values = st.one_of(
    st.integers(),
    st.text(max_size=10),
    st.booleans(),
    st.floats(allow_nan=False),
    st.lists(st.integers(), max_size=3),
)


@settings(
    max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(
    section=st.sampled_from(["crawl", "smtp", "imap", "requester", "deadlines", "nope", "probes"]),
    key=st.sampled_from(
        ["max_pages", "host", "port", "full_name", "simple", "password", "zzz", "folders"]
    ),
    value=toml_values,
    raw=st.text(max_size=80),
)
def test_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, section: str, key: str, value: object, raw: str
) -> None:
    import tomli_w

    monkeypatch.setenv("POBI_HOME", str(tmp_path))
    for text in (tomli_w.dumps({section: {key: value}}), raw):
        (tmp_path / "pobi.toml").write_text(text, encoding="utf-8")
        try:
            cfg = load_config()
        except PobiError:
            continue
        defaults = Config(home=tmp_path, database_url="")
        for name in ("crawl", "smtp", "imap", "requester", "deadlines", "probes"):
            for k, v in vars(getattr(cfg, name)).items():
                assert type(v) is type(getattr(getattr(defaults, name), k)), (name, k, v)
