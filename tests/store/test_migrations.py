"""The shipped migrations build exactly the tables the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from spareplan.store import (
    connect_store,
    current_revision,
    head_revision,
    upgrade_store,
)
from spareplan.store.schema import Base


def test_migrated_schema_matches_the_models_and_init_repeats(store_url: str) -> None:
    engine = connect_store(store_url)
    assert current_revision(engine) is None
    assert upgrade_store(engine) == head_revision()
    assert upgrade_store(engine) == head_revision()
    with engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection), Base.metadata
        )
    engine.dispose()
    assert differences == []
