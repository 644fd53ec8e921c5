"""Alembic migrations of the stock store, run by ``upgrade_store``."""
