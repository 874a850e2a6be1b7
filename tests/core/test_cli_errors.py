"""Usage errors are usage errors: a missing option value, an unknown option or command gives the
usage hint and exit code 2, never "Internal error" (Typer >= 0.2x raises its own copy of Click's
exceptions, which the CLI did not recognise)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_pobi


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (
            ["evidence", "verify", "--wacz"],
            "Option '--wacz' requires an argument",
            "evidence verify",
        ),
        (["evidence", "verify", "--bogus"], "No such option: --bogus", "evidence verify"),
        (["nosuch"], "No such command 'nosuch'", ""),
    ],
)
def test_usage_errors_exit_2_with_a_usage_hint(
    home: Path, args: list[str], message: str, hint: str
) -> None:
    res = run_pobi(*args, env={"POBI_HOME": str(home)})
    assert res.returncode == 2, res.stderr
    assert "Internal error" not in res.stderr
    assert message in res.stderr
    assert f"Try 'pobi {hint} --help'".replace("  ", " ") in res.stderr


def test_a_commands_own_exit_code_is_kept(home: Path) -> None:
    """`raise typer.Exit(2)` inside a command (pobi score without --round prints its help) comes
    back from Typer as a return value outside standalone mode; it must still be the exit code."""
    res = run_pobi("score", env={"POBI_HOME": str(home)})
    assert res.returncode == 2, res.stderr
    assert "Usage: pobi score" in res.stdout


def test_help_and_version_still_exit_0(home: Path) -> None:
    assert run_pobi("evidence", "verify", "--help", env={"POBI_HOME": str(home)}).returncode == 0
    assert run_pobi("--version", env={"POBI_HOME": str(home)}).returncode == 0
