"""Which Chromium the crawler launches, and the environment of Playwright's driver."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.browser import DRIVER_NODE_OPTIONS, driver_environment, find_browser
from pobi.config import FULL_BROWSERS, HEADLESS_SHELLS, Config, find_chromium


def test_driver_gets_a_small_young_generation() -> None:
    env: dict[str, str] = {}
    driver_environment(env)
    assert env["NODE_OPTIONS"] == DRIVER_NODE_OPTIONS


def test_driver_keeps_the_users_node_options() -> None:
    env = {"NODE_OPTIONS": "--trace-warnings"}
    driver_environment(env)
    assert env["NODE_OPTIONS"] == f"--trace-warnings {DRIVER_NODE_OPTIONS}"
    mine = {"NODE_OPTIONS": "--max-semi-space-size=8"}
    driver_environment(mine)
    assert mine["NODE_OPTIONS"] == "--max-semi-space-size=8"  # the user's choice wins


def test_the_headless_shell_is_preferred_to_the_full_browser() -> None:
    shells = [p for p in HEADLESS_SHELLS if Path(p).exists()]
    fulls = [p for p in FULL_BROWSERS if Path(p).exists()]
    if not shells:
        pytest.skip("Debian's chromium-headless-shell is not installed (CI installs it)")
    assert find_chromium() == shells[0]
    if fulls:  # both installed: the shell still wins
        assert find_chromium() != fulls[0]


def test_configured_browser_path_wins_and_none_turns_it_off(tmp_path: Path) -> None:
    cfg = Config(home=tmp_path, database_url=f"sqlite:///{tmp_path}/x.sqlite")
    fake = tmp_path / "my-chrome"
    fake.write_text("")
    cfg.crawl.browser_path = str(fake)
    assert find_browser(cfg).path == str(fake)
    cfg.crawl.browser_path = "none"
    assert find_browser(cfg).path is None
    cfg.crawl.browser_path = str(tmp_path / "missing")
    chosen = find_browser(cfg)
    assert chosen.path is None and "does not exist" in chosen.note
