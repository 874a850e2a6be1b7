"""Fixtures for the received-mail tests: the labelled corpus and a store with a round's requests."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest

from pobi.config import Config, load_config
from pobi.evidence import EvidenceStore
from pobi.rounds import create_round
from pobi.store import Store
from pobi.store.tables import ProbeRequest

CORPUS_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "mail" / "make_corpus.py"


def load_corpus_module() -> ModuleType:
    name = "pobi_test_make_corpus"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, CORPUS_PATH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def mc() -> ModuleType:
    return load_corpus_module()


@pytest.fixture(scope="session")
def corpus(mc: ModuleType) -> list:
    return mc.build_corpus()


SENT_AT = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


def add_requests(session, mc: ModuleType, state: str = "sent") -> None:
    create_round(session, mc.ROUND, "current")
    for n, province, rcpt in mc.REQUESTS:
        session.add(
            ProbeRequest(
                id=f"{mc.ROUND}-{n}",
                round_id=mc.ROUND,
                n=n,
                province_code=province,
                recipient=rcpt,
                recipient_kind="finance",
                template="lai-2026-v1",
                state=state,
                message_id=mc.request_message_id(n),
                reply_address=mc.reply_address(n),
                subject=mc.request_subject(n),
                created_at=SENT_AT,
                sent_at=SENT_AT,
            )
        )
    session.flush()


@dataclass
class MailWorld:
    store: Store
    evidence: EvidenceStore
    config: Config
    round_id: str


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch, mc: ModuleType) -> str:
    monkeypatch.setenv("POBI_TOKEN_SECRET", mc.SECRET)
    return mc.SECRET


def make_world(url: str, tmp_path: Path, mc: ModuleType) -> MailWorld:
    cfg = load_config(tmp_path)
    store = Store.open(cfg, url=url)
    with store.session() as s:
        add_requests(s, mc)
    return MailWorld(store, EvidenceStore(tmp_path / "evidence"), cfg, mc.ROUND)


@pytest.fixture
def world(tmp_path: Path, mc: ModuleType, secret: str) -> Iterator[MailWorld]:
    """SQLite store with round 2026 and the corpus's 12 sent requests."""
    w = make_world(f"sqlite:///{tmp_path / 'pobi.sqlite'}", tmp_path, mc)
    yield w
    w.store.close()


@pytest.fixture
def any_world(db_url: str, tmp_path: Path, mc: ModuleType, secret: str) -> Iterator[MailWorld]:
    """The same world on SQLite and on PostgreSQL."""
    w = make_world(db_url, tmp_path, mc)
    yield w
    w.store.close()
