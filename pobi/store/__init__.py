"""The store: SQLAlchemy 2 engine and sessions, Alembic migrations.

SQLite (WAL, foreign keys on, busy timeout) at ``$POBI_HOME/pobi.sqlite`` by default;
PostgreSQL when ``POBI_DATABASE_URL`` is set (``postgresql+psycopg://...``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from pobi.config import Config, load_config, redact_url
from pobi.errors import StoreError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _normalise_url(url: str) -> str:
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    url = _normalise_url(url)
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(url: str):  # type: ignore[no-untyped-def]
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", _normalise_url(url).replace("%", "%%"))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema (idempotent)."""
    from alembic import command

    cfg = alembic_config(str(engine.url.render_as_string(hide_password=False)))
    try:
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "heads")
    except SQLAlchemyError as exc:
        raise StoreError(
            f"Cannot migrate the database at {redact_url(str(engine.url))}: {exc.__class__.__name__}: {exc}"
        ) from exc


class Store:
    """An opened, migrated database. ``with store.session() as s:`` commits on success."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(
        cls, cfg: Config | None = None, *, url: str | None = None, migrate_schema: bool = True
    ) -> Store:
        cfg = cfg or load_config()
        url = url or cfg.database_url
        try:
            engine = make_engine(url)
            if migrate_schema:
                migrate(engine)
        except OperationalError as exc:
            raise StoreError(f"Cannot open the database {redact_url(url)}: {exc.orig}") from exc
        return cls(engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise

    def table_names(self) -> list[str]:
        return sorted(inspect(self.engine).get_table_names())

    def close(self) -> None:
        self.engine.dispose()
