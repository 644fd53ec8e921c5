"""Create or upgrade the store's tables with the migrations shipped in the package."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from spareplan.store.engine import describe_url, write_transaction

__all__ = ["MIGRATIONS_DIR", "current_revision", "head_revision", "upgrade_store"]

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest migration shipped with this version of spareplan."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships one
        raise RuntimeError(f"no migrations found in {str(MIGRATIONS_DIR)!r}")
    return head


def current_revision(engine: Engine) -> str | None:
    """The migration the store is at; ``None`` for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_store(engine: Engine, revision: str = "head") -> str:
    """Run the migrations up to ``revision`` in one transaction; return the new one.

    Running it on an up-to-date store changes nothing, so ``db init`` is safe to
    repeat. On PostgreSQL the schema change is transactional: a failed migration
    leaves the store as it was.
    """
    config = _alembic_config()
    with write_transaction(engine, lock_store=True) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    now = current_revision(engine) or "base"
    logger.info("store at %s is at revision %s", describe_url(str(engine.url)), now)
    return now
