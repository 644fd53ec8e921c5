"""Alembic environment: migrate the connection spareplan hands over.

spareplan runs the migrations itself (``spareplan db init``), passing an open
connection in ``config.attributes["connection"]``; no ``alembic.ini`` is needed.
"""

from __future__ import annotations

from alembic import context

from spareplan.store.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "spareplan's migrations run through 'spareplan db init' or "
        "spareplan.store.upgrade_store(engine), which pass a connection"
    )
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
