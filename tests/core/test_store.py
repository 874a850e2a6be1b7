"""The store on both back ends: migrations, pragmas, and that migrations match the tables."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from pobi.clock import now
from pobi.models import Era
from pobi.rounds import create_round, get_round, list_rounds
from pobi.store import Store
from pobi.store.tables import Base, Finding


def test_migrations_create_every_table(db_url: str) -> None:
    store = Store.open(url=db_url)
    expected = set(Base.metadata.tables) | {"alembic_version"}
    assert set(store.table_names()) == expected


def test_migrations_match_the_table_declarations(db_url: str) -> None:
    """Guards the rule 'a schema change needs a migration': no drift between the two."""
    store = Store.open(url=db_url)
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == [], f"tables.py and the migrations disagree: {diff}"


def test_migrate_is_idempotent(db_url: str) -> None:
    Store.open(url=db_url).close()
    store = Store.open(url=db_url)
    with store.engine.connect() as conn:
        heads = conn.execute(text("select version_num from alembic_version")).scalars().all()
    assert len(heads) == 1


def test_rounds_roundtrip_and_foreign_keys(db_url: str) -> None:
    store = Store.open(url=db_url)
    with store.session() as s:
        create_round(s, "2026", Era.CURRENT)
        create_round(s, "2021", Era.LEGACY, note="POBI 2021 replica")
    with store.session() as s:
        assert [r.id for r in list_rounds(s)] == ["2026", "2021"]
        assert get_round(s, "2021").era == "legacy"
    # A finding pointing at a missing site must be refused on both back ends (FKs enforced).
    import pytest
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), store.session() as s:
        s.add(
            Finding(
                round_id="2026",
                site_id=999,
                province_code="01",
                site_kind="portal",
                channel="email",
                value="a@b.vn",
                found_on="http://x/",
                found_at=now(),
            )
        )


def test_sqlite_uses_wal_and_foreign_keys(tmp_path) -> None:
    store = Store.open(url=f"sqlite:///{tmp_path / 'p.sqlite'}")
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_round_id_validation(home) -> None:
    import pytest

    from pobi.errors import InputError, StateError

    store = Store.open()
    with store.session() as s:
        with pytest.raises(InputError):
            create_round(s, "bad id!", Era.CURRENT)
        create_round(s, "r1", Era.CURRENT)
        with pytest.raises(StateError):
            create_round(s, "r1", Era.LEGACY)


def test_imap_uids_fit_their_full_unsigned_32_bit_range(db_url: str) -> None:
    """UIDVALIDITY and UIDs are unsigned 32-bit in IMAP; PostgreSQL's INTEGER is signed (a real
    server's UIDVALIDITY of 2 509 244 358 once broke collection on PostgreSQL)."""
    from pobi.store.tables import MailboxCursor

    store = Store.open(url=db_url)
    with store.session() as s:
        create_round(s, "r", Era.CURRENT)
        s.add(
            MailboxCursor(
                round_id="r",
                account="a@b",
                folder="INBOX",
                uidvalidity=4_294_967_295,
                last_uid=4_294_967_294,
                updated_at=now(),
            )
        )
        s.commit()
    with store.session() as s:
        cursor = s.query(MailboxCursor).one()
        assert (cursor.uidvalidity, cursor.last_uid) == (4_294_967_295, 4_294_967_294)
