"""Fixtures for scoring tests: a synthetic, scored store built once per test worker."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from pobi.clock import VN_TZ
from pobi.config import Config, load_config
from pobi.evidence import EvidenceStore
from pobi.models import Era
from pobi.sandbox.synthetic import Summary, populate
from pobi.store import Store

# Every figure that depends on "now" (deadline status, censoring) is judged at this instant.
AS_OF = datetime(2026, 11, 2, 9, 0, tzinfo=VN_TZ)
AS_OF_TEXT = AS_OF.isoformat()
ROUNDS = (("2021", Era.LEGACY), ("2026", Era.CURRENT))


@dataclass
class Built:
    home: Path
    url: str
    store: Store
    evidence: EvidenceStore
    cfg: Config
    summary: Summary

    def env(self) -> dict[str, str]:
        return {"POBI_HOME": str(self.home), "POBI_NOW": AS_OF_TEXT, "POBI_DATABASE_URL": self.url}


def build(
    home: Path, url: str, *, seed: int = 0, score: bool = True, rounds: tuple = ROUNDS
) -> Built:
    from scoring.rubric import load_rubric
    from scoring.scorer import score_round

    home.mkdir(parents=True, exist_ok=True)
    cfg = load_config(home)
    store = Store.open(cfg, url=url)
    evidence = EvidenceStore(home / "evidence")
    with store.session() as s:
        summary = populate(s, evidence, rounds, seed=seed)
    if score:
        rubric = load_rubric("participation-v1")
        with store.session() as s:
            for round_id, _era in rounds:
                score_round(s, round_id, rubric, at=AS_OF)
    return Built(home, url, store, evidence, cfg, summary)


@pytest.fixture(scope="session")
def scored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """Rounds 2021 (legacy, 63 units) and 2026 (current, 34 units), seed 0, scored. Read-only."""
    home = tmp_path_factory.mktemp("scored")
    built = build(home, f"sqlite:///{home / 'pobi.sqlite'}")
    yield built
    built.store.close()


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Built]:
    """A scored synthetic round 2026 of one's own, for tests that write (overrides)."""
    home = tmp_path / "home"
    built = build(home, f"sqlite:///{home / 'pobi.sqlite'}", rounds=(("2026", Era.CURRENT),))
    yield built
    built.store.close()


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def invoke(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Result]:
    """Run `pobi ARGS` in-process through the CLI's own entry point (errors -> exit codes).

    The console script itself is exercised by run_pobi in a few tests; the longer flows run here
    because starting Python for each command costs minutes on a loaded 2-core machine.
    ``env`` sets environment variables for the call (POBI_HOME, POBI_NOW, ...).
    """

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        from pobi.cli import main
        from pobi.commands.common import console, err_console

        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        console.width = err_console.width = 200
        capsys.readouterr()
        code = 0
        try:
            main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return Result(code, out.out, out.err)

    return run
