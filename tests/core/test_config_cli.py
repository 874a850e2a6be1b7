from __future__ import annotations

import json
from pathlib import Path

import pytest

from pobi.config import load_config
from pobi.errors import ConfigError
from tests.conftest import run_pobi


def test_defaults_and_file_and_env(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = load_config()
    assert cfg.database_url == f"sqlite:///{home / 'pobi.sqlite'}"
    assert cfg.deadlines.simple == 3 and cfg.deadlines.full == 15 and cfg.deadlines.extension == 15
    (home / "pobi.toml").write_text(
        '[crawl]\nmax_pages = 12\n[requester]\nfull_name = "Nguyễn Văn A"\n', encoding="utf-8"
    )
    monkeypatch.setenv("POBI_CRAWL_MAX_DEPTH", "5")
    cfg = load_config()
    assert cfg.crawl.max_pages == 12 and cfg.crawl.max_depth == 5
    assert cfg.requester.full_name == "Nguyễn Văn A"


def test_secrets_only_from_environment(home: Path) -> None:
    (home / "pobi.toml").write_text('[smtp]\npassword = "hunter2"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="only from the environment"):
        load_config()


def test_unknown_settings_are_errors(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (home / "pobi.toml").write_text("[crawl]\nmax_pagez = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting"):
        load_config()
    (home / "pobi.toml").write_text("[crawl\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config()
    (home / "pobi.toml").unlink()
    monkeypatch.setenv("POBI_CRAWL_MAX_PAGES", "many")
    with pytest.raises(ConfigError, match="expected an integer"):
        load_config()


def test_config_show_redacts(home: Path) -> None:
    env = {
        "POBI_SMTP_PASSWORD": "s3cr3t-smtp",
        "POBI_DATABASE_URL": "postgresql://pobi:dbpass-xyz@127.0.0.1:1/pobi",
    }
    res = run_pobi("config", "show", "--json", env=env)
    assert res.returncode == 0, res.stderr
    assert "s3cr3t-smtp" not in res.stdout and "dbpass-xyz" not in res.stdout
    data = json.loads(res.stdout)
    assert data["secrets"]["POBI_SMTP_PASSWORD"] == "set (hidden)"
    assert data["database_url"] == "postgresql://pobi:***@127.0.0.1:1/pobi"


def test_cli_errors_are_messages_not_tracebacks(home: Path) -> None:
    res = run_pobi("round", "create", "bad id!")
    assert res.returncode == 2 and "Error:" in res.stderr and "Traceback" not in res.stderr
    res = run_pobi("workdays", "add", "2026-02-13", "1")
    assert res.stdout.strip() == "2026-02-23"
    res = run_pobi("round", "create", "2026", "--era", "legacy")
    assert res.returncode == 0
    res = run_pobi("round", "list")
    assert "2026" in res.stdout and "legacy" in res.stdout
    res = run_pobi("--help")
    assert res.returncode == 0 and "pobi" in res.stdout


def test_error_messages_keep_square_brackets(home: Path) -> None:
    """Messages are text, not rich markup: '[crawl] max_pagez' must reach the user intact."""
    (home / "pobi.toml").write_text("[crawl]\nmax_pagez = 3\n", encoding="utf-8")
    res = run_pobi("round", "list")
    assert res.returncode == 2
    assert "[crawl] max_pagez" in res.stderr
