"""Shared CLI plumbing: the console, the workspace (config + store), option types."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cached_property

from rich.console import Console

from pobi.config import Config, load_config
from pobi.evidence import EvidenceStore
from pobi.store import Store

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


@dataclass
class Workspace:
    """The POBI_HOME in use: configuration, database and evidence store, opened on demand."""

    @cached_property
    def config(self) -> Config:
        return load_config()

    @cached_property
    def store(self) -> Store:
        self.config.home.mkdir(parents=True, exist_ok=True)
        return Store.open(self.config)

    @cached_property
    def evidence(self) -> EvidenceStore:
        return EvidenceStore(self.config.evidence_dir)


def workspace() -> Workspace:
    return Workspace()


def interactive() -> bool:
    return sys.stdin.isatty()
