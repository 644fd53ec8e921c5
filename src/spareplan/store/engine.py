"""Connect to the store: URL resolution, SQLite pragmas, write transactions.

The store is a SQLite file by default (``./spareplan.db``) or any database
SQLAlchemy reaches by URL, PostgreSQL tested (``postgresql+psycopg://...``). The
URL comes from, in order: the ``url`` argument (the CLI's ``--db``), the
``SPAREPLAN_DATABASE_URL`` environment variable, the default file.

Concurrent writers are serialised where it matters:

- SQLite runs in WAL mode (readers never block the writer) with a busy timeout,
  and every write transaction starts with ``BEGIN IMMEDIATE``, so it holds the
  write lock from its first read: a check-then-insert cannot interleave.
- PostgreSQL writers lock the part-site rows they touch (``SELECT ... FOR
  UPDATE``) and whole-store operations (import, replenish) take a transaction-level
  advisory lock.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    OperationalError,
    ProgrammingError,
    SQLAlchemyError,
)

from spareplan.store.errors import StoreNotReadyError

__all__ = [
    "DATABASE_URL_VARIABLE",
    "DEFAULT_DATABASE_URL",
    "connect_store",
    "database_url",
    "describe_url",
    "read_transaction",
    "rows_frame",
    "write_transaction",
]

logger = logging.getLogger(__name__)

DATABASE_URL_VARIABLE = "SPAREPLAN_DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///spareplan.db"
SQLITE_BUSY_TIMEOUT_MS = 60_000
# Key of the PostgreSQL advisory lock that serialises import and replenish.
STORE_LOCK_KEY = 0x5350_4152  # "SPAR"
_WRITE_OPTION = "spareplan_write"


def database_url(url: str | None = None) -> str:
    """The URL to use: ``url``, else ``$SPAREPLAN_DATABASE_URL``, else the default.

    A bare file path (no ``://``) is read as a SQLite file.
    """
    chosen = url or os.environ.get(DATABASE_URL_VARIABLE) or DEFAULT_DATABASE_URL
    if "://" not in chosen:
        chosen = f"sqlite:///{chosen}"
    return chosen


def describe_url(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(url)


def connect_store(url: str | None = None, **engine_options: Any) -> Engine:
    """Create an engine for the store at ``url`` (see :func:`database_url`).

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL or SQLite file path; default from the environment.
    **engine_options
        Passed to :func:`sqlalchemy.create_engine` (e.g. ``pool_size``).

    Raises
    ------
    StoreNotReadyError
        The URL is malformed or names a database driver that is not installed.
    """
    resolved = database_url(url)
    try:
        parsed = make_url(resolved)
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(resolved, **engine_options)
        return create_engine(resolved, pool_pre_ping=True, **engine_options)
    except (ArgumentError, ImportError) as error:
        raise StoreNotReadyError(
            f"database URL {describe_url(resolved)} cannot be used: {error}"
        ) from None


def _sqlite_engine(url: str, **engine_options: Any) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        folder = Path(database).expanduser().resolve().parent
        if not folder.is_dir():
            raise StoreNotReadyError(
                f"database URL {url!r}: the folder {str(folder)!r} does not exist"
            )
    engine = create_engine(
        url,
        connect_args={
            "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
            "check_same_thread": False,
        },
        **engine_options,
    )
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _configure_sqlite_connection(dbapi_connection: sqlite3.Connection, _: Any) -> None:
    """WAL, busy timeout, foreign keys; let SQLAlchemy's ``begin`` emit BEGIN."""
    # NOTE: pysqlite's own implicit BEGIN is DEFERRED and is issued only before
    # a write, too late to protect a read-check-write; we issue BEGIN ourselves.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL with synchronous=NORMAL survives a killed process; only a power cut
    # may lose the last commits (never corrupts).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_sqlite_transaction(connection: Connection) -> None:
    is_write = connection.get_execution_options().get(_WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if is_write else "BEGIN")


@contextmanager
def write_transaction(
    engine: Engine, *, lock_store: bool = False
) -> Iterator[Connection]:
    """A transaction that may write; committed on success, rolled back on error.

    On SQLite it takes the database write lock at once (``BEGIN IMMEDIATE``). On
    PostgreSQL, ``lock_store`` also takes the store-wide advisory lock, for
    operations that must not run twice at the same time (import, replenish).
    """
    with engine.connect() as connection:
        connection.execution_options(**{_WRITE_OPTION: True})
        with _translated_errors(engine), connection.begin():
            if lock_store and engine.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": STORE_LOCK_KEY}
                )
            yield connection


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction (a consistent snapshot on both databases)."""
    with (
        engine.connect() as connection,
        _translated_errors(engine),
        connection.begin(),
    ):
        yield connection


@contextmanager
def _translated_errors(engine: Engine) -> Iterator[None]:
    """Turn 'no such table' and unreachable servers into StoreNotReadyError."""
    try:
        yield
    except (OperationalError, ProgrammingError) as error:
        message = str(error.orig)
        if "no such table" in message or (
            "relation" in message and "does not exist" in message
        ):
            raise StoreNotReadyError(
                f"the store at {describe_url(str(engine.url))} is not initialised; "
                "run 'spareplan db init' first"
            ) from None
        if "connect" in message or "unable to open" in message:
            raise StoreNotReadyError(
                f"cannot reach the store at {describe_url(str(engine.url))}: "
                f"{message.strip()}"
            ) from None
        raise


def is_initialised(engine: Engine) -> bool:
    """Whether the store's tables exist (the migrations have run)."""
    try:
        with engine.connect() as connection:
            return inspect(connection).has_table("alembic_version")
    except SQLAlchemyError as error:
        raise StoreNotReadyError(
            f"cannot reach the store at {describe_url(str(engine.url))}: {error}"
        ) from None


def rows_frame(
    rows: Iterable[Any], schema: Mapping[str, Any] | Sequence[str]
) -> pl.DataFrame:
    """Result rows of a query as a table with the given columns (and types)."""
    return pl.DataFrame([tuple(row) for row in rows], schema=schema, orient="row")
