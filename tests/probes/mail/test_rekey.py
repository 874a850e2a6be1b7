"""Backfill of the content key (issue 14), on SQLite and PostgreSQL: a row stored before
migration 0014 (empty ``content_key``) gets its key from its stored bytes, after which neither a
re-import nor a webmail export of the same mail stores a duplicate; two old copies of one message
keep both rows, the later one flagged ``content_copy``; migration 0019 points to the command."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import func, select, update

from pobi.store.tables import Message
from probes.fingerprint import content_key
from probes.parse import parse
from probes.rekey import COPY_FLAG, count_keyless, rekey
from tests.probes.mail.conftest import MailWorld
from tests.probes.mail.test_cli import cli_home, invoke  # noqa: F401  (cli_home: a fixture)
from tests.probes.mail.test_nothing_dropped import count, ingest, make, webmail_export

MIGRATION = (
    Path(__file__).resolve().parents[3]
    / "pobi/store/migrations/versions/0019_content_key_backfill_notice.py"
)


def make_old(world: MailWorld, pk: int) -> None:
    """Make a row look as rows stored before 0014 look: no content key."""
    with world.store.session() as s:
        s.execute(update(Message).where(Message.id == pk).values(content_key=""))


def test_old_row_gets_its_key_then_no_duplicate(any_world: MailWorld) -> None:
    raw = make(attach=b"%PDF-1.4 du toan")
    stored = ingest(any_world, raw, "before-0014.mbox")
    make_old(any_world, stored.message_pk)
    with any_world.store.session() as s:
        assert count_keyless(s) == 1

    result = rekey(any_world.store, any_world.evidence)
    assert result.keyed == 1 and result.copies == [] and result.missing == []
    with any_world.store.session() as s:
        row = s.get(Message, stored.message_pk)
        assert row.content_key == content_key(parse(raw))
        assert count_keyless(s) == 0
    again = rekey(any_world.store, any_world.evidence)  # idempotent
    assert again.keyed == 0 and again.copies == []

    same = ingest(any_world, raw, "before-0014.mbox")
    exported = ingest(any_world, webmail_export(raw), "webmail/reply.eml")
    assert same.duplicate and same.duplicate_of == "bytes"
    assert exported.duplicate and exported.duplicate_of == "content"
    assert exported.message_pk == stored.message_pk and count(any_world) == 1


def test_without_the_backfill_an_export_of_an_old_row_is_stored_twice(
    any_world: MailWorld,
) -> None:
    """Why the backfill is needed, and what it does with the copies already stored."""
    raw = make()
    first = ingest(any_world, raw, "inbox.mbox")
    make_old(any_world, first.message_pk)
    copy = ingest(any_world, webmail_export(raw), "webmail/1.eml")
    assert not copy.duplicate and count(any_world) == 2  # the old row could not be found
    make_old(any_world, copy.message_pk)  # both stored before 0014

    result = rekey(any_world.store, any_world.evidence, any_world.round_id, batch=1)
    assert result.keyed == 1 and result.copies == [(copy.message_pk, first.message_pk)]
    with any_world.store.session() as s:
        kept = s.get(Message, first.message_pk)
        dup = s.get(Message, copy.message_pk)
        assert kept.content_key == content_key(parse(raw))
        assert dup.content_key == f"copy-{dup.id}-of-{kept.id}"
        assert COPY_FLAG in dup.flags and f"message #{kept.id}" in dup.kind_reasons[-1]
        assert count_keyless(s) == 0
    assert count(any_world) == 2  # nothing deleted
    third = ingest(any_world, webmail_export(raw).replace(b"Inbox,Important", b"Inbox"), "3.eml")
    assert third.duplicate and third.message_pk == first.message_pk and count(any_world) == 2


def test_missing_bytes_keep_no_key(any_world: MailWorld) -> None:
    stored = ingest(any_world, make(), "a.eml")
    make_old(any_world, stored.message_pk)
    path = any_world.evidence.path_for(stored.raw_sha256)
    path.chmod(0o644)
    path.unlink()
    result = rekey(any_world.store, any_world.evidence)
    assert result.keyed == 0 and result.missing == [stored.message_pk]
    with any_world.store.session() as s:
        assert count_keyless(s) == 1


def _run_0019(world: MailWorld) -> None:
    spec = importlib.util.spec_from_file_location("pobi_migration_0019", MIGRATION)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with world.store.engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        module.upgrade()


def test_migration_0019_points_to_the_command(
    any_world: MailWorld, caplog: pytest.LogCaptureFixture
) -> None:
    stored = ingest(any_world, make(), "a.eml")
    with caplog.at_level(logging.WARNING, logger="pobi.store.migrations"):
        _run_0019(any_world)
    assert "pobi probe rekey" not in caplog.text  # every row has its key: no notice
    make_old(any_world, stored.message_pk)
    with caplog.at_level(logging.WARNING, logger="pobi.store.migrations"):
        _run_0019(any_world)
    assert "1 stored messages have no content key" in caplog.text
    assert "pobi probe rekey" in caplog.text
    with any_world.store.session() as s:  # the migration changes no data
        assert s.scalar(select(func.count()).select_from(Message)) == 1
        assert count_keyless(s) == 1


@pytest.mark.usefixtures("cli_home")
def test_cli_import_hints_and_rekey_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pobi.config import load_config
    from pobi.store import Store

    raw = make()
    (tmp_path / "a.eml").write_bytes(raw)
    (tmp_path / "b.eml").write_bytes(webmail_export(raw))
    assert (
        invoke(capsys, "probe", "import", "--round", "2026", str(tmp_path / "a.eml")).returncode
        == 0
    )
    store = Store.open(load_config())
    with store.session() as s:
        s.execute(update(Message).values(content_key=""))
    r = invoke(capsys, "probe", "rekey")
    assert r.returncode == 0 and "Keyed 1 messages; 0 are copies" in r.stdout, r
    r = invoke(capsys, "probe", "import", "--round", "2026", str(tmp_path / "b.eml"))
    assert r.returncode == 0 and "pobi probe rekey" not in r.stderr
    assert "Stored 0 new messages, 1 duplicates skipped" in r.stdout, r.stdout
    with store.session() as s:
        s.execute(update(Message).values(content_key=""))
    r = invoke(capsys, "probe", "import", "--round", "2026", str(tmp_path / "a.eml"))
    assert "1 messages of round 2026 were stored before the content key" in r.stderr, r.stderr
    assert "pobi probe rekey --round 2026" in r.stderr
    store.close()
