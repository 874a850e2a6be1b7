"""Fixtures: one seeded store per test worker (copied for tests that write)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.dashboard.seed import Seeded, seed_store


@pytest.fixture(scope="session")
def seeded_master(tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    """Rounds 2021 (63 units, not scored) and 2026 (34 units, scored), synthetic data with
    personal data and a hostile reply. Read-only: tests that write use ``seeded``."""
    return seed_store(tmp_path_factory.mktemp("dash") / "home")


@pytest.fixture
def seeded(
    seeded_master: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Seeded]:
    """A private copy of the seeded store, selected through POBI_HOME."""
    home = tmp_path / "home"
    shutil.copytree(seeded_master.home, home)
    monkeypatch.setenv("POBI_HOME", str(home))
    monkeypatch.delenv("POBI_DATABASE_URL", raising=False)
    monkeypatch.delenv("POBI_DASHBOARD_PUBLIC", raising=False)
    monkeypatch.delenv("POBI_DASHBOARD_ROUND", raising=False)
    yield Seeded(
        home, f"sqlite:///{home / 'pobi.sqlite'}", seeded_master.summary, seeded_master.scored
    )
