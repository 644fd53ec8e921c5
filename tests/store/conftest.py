"""Fixtures of the store tests: a real SQLite file and the real PostgreSQL server.

PostgreSQL tests run against 127.0.0.1:5432 (user ``postgres``) and are skipped
when nothing answers there. The session creates its own database and drops it at
the end; each test gets its own schema in it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from spareplan.store import connect_store, import_catalogue, upgrade_store

PG_SERVER = "host=127.0.0.1 port=5432 user=postgres"
PG_ADMIN_DATABASE = "test"

CATALOGUE = """\
part_id,site_id,description,unit_cost,criticality,lead_time_days,on_hand_units,supplier_id,has_digital_model
P-1,PLANT-A,bearing,100,high,30,5,SUP-1,no
P-1,PLANT-B,bearing,100,high,30,0,SUP-1,no
P-2,PLANT-A,belt,10,high,3,10,SUP-1,no
P-3,PLANT-A,bracket,20,low,30,0,SUP-2,yes
P-4,PLANT-A,gasket,5,low,3,2,SUP-2,no
P-5,PLANT-A,housing,50,low,30,0,SUP-2,no
"""
SUPPLIERS = """\
supplier_id,name,lead_time_days,order_cost,min_order_quantity,order_multiple
SUP-1,Bearings Ltd,30,50,10,5
SUP-2,General Parts,5,20,,
"""


def _pg_connect(dbname: str):  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(
        f"{PG_SERVER} dbname={dbname}", connect_timeout=3, autocommit=True
    )


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this session; its name."""
    import psycopg

    try:
        admin = _pg_connect(PG_ADMIN_DATABASE)
    except psycopg.OperationalError as error:
        pytest.skip(f"no PostgreSQL at 127.0.0.1:5432: {error}")
    name = f"spareplan_test_{uuid.uuid4().hex[:10]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with _pg_connect(PG_ADMIN_DATABASE) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url(postgres_database: str) -> Iterator[str]:
    """URL of an empty schema of the session database, for one test."""
    schema = f"t_{uuid.uuid4().hex[:10]}"
    with _pg_connect(postgres_database) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    yield (
        f"postgresql+psycopg://postgres@127.0.0.1:5432/{postgres_database}"
        f"?options=-csearch_path%3D{schema}"
    )
    with _pg_connect(postgres_database) as connection:
        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a SQLite file in a temporary folder."""
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest) -> str:
    """An empty store on each database in turn."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """The small catalogue and suppliers files."""
    paths = {"catalogue": tmp_path / "catalogue.csv", "suppliers": tmp_path / "sup.csv"}
    paths["catalogue"].write_text(CATALOGUE, encoding="utf-8")
    paths["suppliers"].write_text(SUPPLIERS, encoding="utf-8")
    return paths


@pytest.fixture
def engine(store_url: str, files: dict[str, Path]) -> Iterator[Engine]:
    """An initialised store with the small catalogue and suppliers imported."""
    store = connect_store(store_url)
    upgrade_store(store)
    import_catalogue(
        store, files["catalogue"], suppliers_path=files["suppliers"], user="test"
    )
    yield store
    store.dispose()


def write_big_catalogue(path: Path, n_parts: int, sites: tuple[str, ...]) -> Path:
    """A catalogue of ``n_parts`` parts at every site, each with stock."""
    lines = [
        "part_id,site_id,unit_cost,criticality,lead_time_days,on_hand_units,"
        "supplier_id,usage_per_day_avg,downtime_cost_per_hour"
    ]
    for index in range(n_parts):
        criticality = "high" if index % 2 else "low"
        lead_time = 30 if index % 3 else 5
        for site in sites:
            lines.append(
                f"B-{index:07d},{site},{10 + index % 50},{criticality},{lead_time},"
                f"{index % 4},SUP-{index % 20:02d},{(index % 7) / 10},500"
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def big_catalogue(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a large catalogue: ``big_catalogue(n_parts)`` at PLANT-A and PLANT-B."""

    def write(n_parts: int) -> Path:
        return write_big_catalogue(
            tmp_path / f"big-{n_parts}.csv", n_parts, ("PLANT-A", "PLANT-B")
        )

    return write
