"""Fixtures of the digital-warehouse tests, built on the store tests' fixtures.

The store fixtures (a SQLite file, and a PostgreSQL database the session creates
and drops, skipped where 127.0.0.1:5432 does not answer) are loaded from
``tests/store/conftest.py`` so both suites share one definition.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from spareplan.digital import add_asset

_STORE_CONFTEST = Path(__file__).resolve().parents[1] / "store" / "conftest.py"
_spec = importlib.util.spec_from_file_location("_store_fixtures", _STORE_CONFTEST)
assert _spec is not None and _spec.loader is not None
_store_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_store_fixtures)

postgres_database = _store_fixtures.postgres_database
postgres_url = _store_fixtures.postgres_url
sqlite_url = _store_fixtures.sqlite_url
store_url = _store_fixtures.store_url
files = _store_fixtures.files
engine = _store_fixtures.engine


@pytest.fixture
def model_store(tmp_path: Path) -> Path:
    """An empty content-addressed model folder."""
    return tmp_path / "models"


@pytest.fixture
def model_file(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a small model file: ``model_file("bracket.step", "solid A")``."""

    def write(name: str, content: str = "ISO-10303-21; solid") -> Path:
        folder = tmp_path / "drawings"
        folder.mkdir(exist_ok=True)
        path = folder / name
        path.write_text(content, encoding="utf-8")
        return path

    return write


@pytest.fixture
def plant(engine: Engine) -> Iterator[Engine]:
    """The small store with pump PUMP-1 (meter in hours) at PLANT-A."""
    add_asset(engine, "PUMP-1", "PLANT-A", description="feed pump", meter_unit="h")
    yield engine
