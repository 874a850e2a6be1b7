"""Shared fixtures. Real servers only: see tests/support/servers.py."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text

from tests.support.servers import postgres_available, postgres_server

# CI explores a fixed set of examples (derandomized) so a run is reproducible; locally, every run
# explores new examples. Failures found locally are kept in .hypothesis/ and replayed.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.register_profile("dev", deadline=None, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")

REPO = Path(__file__).resolve().parent.parent


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """In CI (``CI`` set, as ``.ci/run`` and CI services do) a test skipped because a tool or
    server is not installed is a failure: ``scripts/bootstrap.sh --system`` must have installed
    it, and a skip there would hide a test that never ran. Locally such skips stay skips."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2])
        if "not installed" in reason:
            report.outcome = "failed"
            report.longrepr = f"skipped in CI, which must install what it needs: {reason}"


POBI = str(Path(sys.executable).parent / "pobi")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh POBI_HOME (SQLite) for one test."""
    h = tmp_path / "home"
    h.mkdir()
    monkeypatch.setenv("POBI_HOME", str(h))
    monkeypatch.delenv("POBI_DATABASE_URL", raising=False)
    return h


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    if not postgres_available():
        pytest.skip("PostgreSQL not installed (apt-get install postgresql); .ci/run installs it")
    with postgres_server() as url:
        yield url


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """The PostgreSQL test database, emptied before each test."""
    from pobi.store import make_engine

    engine = make_engine(pg_server)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    yield pg_server


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Run a test on both back ends."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'pobi.sqlite'}"
    return request.getfixturevalue("pg_url")


def run_pobi(
    *args: str, env: dict[str, str] | None = None, input: str | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run the real `pobi` console script in a subprocess."""
    full_env = {**os.environ, **(env or {}), "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [POBI, *args], capture_output=True, text=True, env=full_env, input=input, timeout=timeout
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep every ``xdist_group`` on one worker under ``--dist loadgroup`` with pytest 9.

    pytest-xdist 3.8 tags grouped tests by rewriting ``item._nodeid``, which pytest 9 no longer
    reads (the id lives in ``item._id``): groups were silently split across workers and a group's
    session fixture (a whole crawl) ran twice. This applies the tag the way pytest 9 stores it.
    """
    if not getattr(config.option, "loadgroup", False):
        return
    try:
        from _pytest.nodes import coerce_node_id
    except ImportError:  # older pytest: xdist's own tagging works
        return
    for item in items:
        names = sorted(
            {
                str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                for m in item.iter_markers("xdist_group")
            }
        )
        if names and "@" not in item.nodeid:
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(names)}")  # type: ignore[attr-defined]
