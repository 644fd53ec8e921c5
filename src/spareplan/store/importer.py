"""Import a catalogue (and suppliers) into the store, with its plan, atomically.

The files are read with spareplan's own readers, so a bad file is refused with
the same messages as ``spareplan plan``, before the database is touched. All
writes then happen in one transaction: a failure or a killed process leaves the
store as it was. Re-importing updates every record by its key (``part_id``,
``site_id``, ``supplier_id``); stock already in the ledger is never overwritten,
only a part-site without any movement gets its catalogue ``on_hand_units`` as an
``opening`` movement.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, Table, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from spareplan.config import PlanConfig
from spareplan.io.catalogue import CATALOGUE_ALIASES, Catalogue, validate_catalogue
from spareplan.io.history import read_history
from spareplan.io.tables import read_table
from spareplan.planning.plan import Plan, plan_catalogue
from spareplan.store.checks import utc_now
from spareplan.store.engine import write_transaction
from spareplan.store.plans import PlanSource, write_plan
from spareplan.store.schema import (
    DigitalRevision,
    Part,
    PartSite,
    Site,
    StockMovement,
    Supplier,
)
from spareplan.store.suppliers import read_suppliers

__all__ = ["ImportResult", "import_catalogue"]

logger = logging.getLogger(__name__)

_SUPPLIER_TERMS = (
    "name",
    "lead_time_days",
    "order_cost",
    "min_order_quantity",
    "order_multiple",
    "emergency_premium",
    "emergency_lead_time_days",
)


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote."""

    n_sites: int
    n_parts: int
    n_part_sites: int
    n_suppliers: int
    n_opening_movements: int
    plan_run_id: int
    plan: Plan


def import_catalogue(
    engine: Engine,
    catalogue_path: str | Path,
    *,
    history_path: str | Path | None = None,
    suppliers_path: str | Path | None = None,
    config: PlanConfig | None = None,
    user: str | None = None,
    at: datetime | None = None,
) -> ImportResult:
    """Read, check and plan the files, then write them to the store in one go.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        An initialised store (``upgrade_store``).
    catalogue_path : str or Path
        Catalogue, as ``spareplan plan`` reads it. An optional
        ``has_digital_model`` column (yes/no) marks parts that can be printed.
    history_path : str or Path, optional
        Usage history for the plan.
    suppliers_path : str or Path, optional
        Supplier terms, see :func:`~spareplan.store.suppliers.read_suppliers`.
    config : PlanConfig, optional
        Planning configuration; stored with the plan run.
    user : str, optional
        Recorded as the plan run's and opening movements' author.
    at : datetime, optional
        Time of the import; default now (UTC).

    Returns
    -------
    ImportResult

    Raises
    ------
    UnreadableFileError, InvalidInputError
        A file cannot be read or breaks a rule; nothing is written.
    StoreNotReadyError
        The store is not initialised or cannot be reached.
    """
    started = time.perf_counter()
    config = config or PlanConfig()
    raw = read_table(catalogue_path, CATALOGUE_ALIASES)
    catalogue = validate_catalogue(raw, Path(catalogue_path).name, config)
    history = read_history(history_path, config) if history_path else None
    suppliers = read_suppliers(suppliers_path) if suppliers_path else None
    plan = plan_catalogue(catalogue, history, config)
    now = at or utc_now()
    source = PlanSource(
        catalogue_file=str(catalogue_path),
        history_file=str(history_path) if history_path else None,
        user=user,
        at=now,
    )

    with write_transaction(engine, lock_store=True) as connection:
        n_suppliers = _write_suppliers(connection, catalogue, suppliers, now)
        n_sites, n_parts = _write_sites_and_parts(connection, catalogue, now)
        _write_part_sites(connection, catalogue, now)
        plan_run_id = write_plan(connection, plan, source)
        n_opening = _write_opening_stock(connection, catalogue, user, now)
    logger.info(
        "imported %d part-sites (%d parts, %d sites, %d suppliers, %d opening "
        "movements) as plan run %d in %.2f s",
        catalogue.n_rows,
        n_parts,
        n_sites,
        n_suppliers,
        n_opening,
        plan_run_id,
        time.perf_counter() - started,
    )
    return ImportResult(
        n_sites, n_parts, catalogue.n_rows, n_suppliers, n_opening, plan_run_id, plan
    )


def upsert(
    connection: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    keys: Sequence[str],
    *,
    update: bool = True,
) -> None:
    """Insert ``rows``, updating (or, without ``update``, keeping) existing keys."""
    if not rows:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    columns = [name for name in rows[0] if name not in keys]
    if update and columns:
        statement = statement.on_conflict_do_update(
            index_elements=list(keys),
            set_={name: statement.excluded[name] for name in columns},
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=list(keys))
    connection.execute(statement, list(rows))


def _write_suppliers(
    connection: Connection,
    catalogue: Catalogue,
    suppliers: pl.DataFrame | None,
    now: datetime,
) -> int:
    """Suppliers of the file (updated), then bare rows for other referenced ids."""
    table = Supplier.__table__
    n_written = 0
    if suppliers is not None:
        rows = [{**row, "updated_at": now} for row in suppliers.iter_rows(named=True)]
        upsert(connection, table, rows, ["supplier_id"])  # type: ignore[arg-type]
        n_written = len(rows)
    referenced = catalogue.table.get_column("supplier_id").drop_nulls().unique().sort()
    bare = [{"supplier_id": sid, "updated_at": now} for sid in referenced]
    upsert(connection, table, bare, ["supplier_id"], update=False)  # type: ignore[arg-type]
    return n_written + len(bare)


def _write_sites_and_parts(
    connection: Connection, catalogue: Catalogue, now: datetime
) -> tuple[int, int]:
    sites = catalogue.table.get_column("site_id").unique().sort()
    upsert(
        connection,
        Site.__table__,  # type: ignore[arg-type]
        [{"site_id": site, "updated_at": now} for site in sites],
        ["site_id"],
    )
    # A verified model in the registry keeps its flag whatever the catalogue says.
    verified = {
        part_id
        for (part_id,) in connection.execute(
            select(DigitalRevision.part_id)
            .where(DigitalRevision.status == "verified")
            .distinct()
        )
    }
    parts = (
        catalogue.table.group_by("part_id", maintain_order=True)
        .agg(
            pl.col("description").drop_nulls().first(),
            pl.col("criticality").cast(pl.String).first(),
            pl.col("has_digital_model").fill_null(False).any(),
        )
        .with_columns(
            has_digital_model=pl.col("has_digital_model")
            | pl.col("part_id").is_in(list(verified)),
            updated_at=pl.lit(now),
        )
    )
    upsert(
        connection,
        Part.__table__,  # type: ignore[arg-type]
        parts.to_dicts(),
        ["part_id"],
    )
    return len(sites), parts.height


def _write_part_sites(
    connection: Connection, catalogue: Catalogue, now: datetime
) -> None:
    rows = catalogue.table.select(
        "part_id",
        "site_id",
        "supplier_id",
        "unit_cost",
        "lead_time_days",
        pl.col("on_order_units").alias("external_on_order_units"),
        updated_at=pl.lit(now),
    ).to_dicts()
    upsert(connection, PartSite.__table__, rows, ["part_id", "site_id"])  # type: ignore[arg-type]


def _write_opening_stock(
    connection: Connection, catalogue: Catalogue, user: str | None, now: datetime
) -> int:
    """An ``opening`` movement for each part-site with stock and no ledger yet."""
    with_ledger = connection.execute(
        select(StockMovement.part_id, StockMovement.site_id).distinct()
    ).all()
    known = pl.DataFrame(
        [tuple(row) for row in with_ledger],
        schema={"part_id": pl.String, "site_id": pl.String},
        orient="row",
    )
    opening = (
        catalogue.table.filter(pl.col("on_hand_units") > 0)
        .join(known, on=["part_id", "site_id"], how="anti")
        .select(
            "part_id",
            "site_id",
            kind=pl.lit("opening"),
            quantity_units=pl.col("on_hand_units"),
            moved_at=pl.lit(now),
            user_name=pl.lit(user or "import"),
            reference=pl.lit(f"catalogue {catalogue.file}"),
        )
    )
    if opening.height:
        connection.execute(insert(StockMovement), opening.to_dicts())
    return opening.height
