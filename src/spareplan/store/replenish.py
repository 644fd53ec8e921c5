"""Replenishment: raise requisitions for part-sites at or below their reorder point.

For every part-site whose inventory position (on hand + on order - reserved) is
at or below its reorder point, order up to its order-up-to level::

    quantity = max(order_up_to - position, min_order_quantity)

rounded up to the supplier's order multiple. Open requisition lines count as on
order, so running replenishment again raises nothing new until stock moves.

Lines are grouped into one requisition per supplier and site. The line type
follows the strategy of the part-site's quadrant: ``purchase`` (1, strategic
stock), ``kanban`` (2, predictive JIT), ``fabrication`` (3, digital on demand,
where the part has a digital model; such lines go to the site's own workshop, a
requisition without supplier) and ``consolidated`` (4, consolidated JIT vendor
orders).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from sqlalchemy import Connection, Engine, Select, insert, literal, select

from spareplan.core.pooling import recommend_transfer
from spareplan.errors import OutputError
from spareplan.store.checks import require_text, utc_now
from spareplan.store.engine import read_transaction, rows_frame, write_transaction
from spareplan.store.ledger import positions_query, requisition_reference
from spareplan.store.schema import Part, Requisition, RequisitionLine, Supplier

__all__ = [
    "LINE_TYPES",
    "ReplenishResult",
    "export_requisitions",
    "replenish",
    "requisition_lines",
]

logger = logging.getLogger(__name__)

LINE_TYPES = ("purchase", "kanban", "fabrication", "consolidated")
# Quadrant -> line type; quadrant 3 without a digital model is bought as usual.
_LINE_TYPE_BY_QUADRANT = {
    1: "purchase",
    2: "kanban",
    3: "fabrication",
    4: "consolidated",
}
_NEED_SCHEMA = {
    "part_id": pl.String,
    "site_id": pl.String,
    "inventory_position_units": pl.Float64,
    "reorder_point": pl.Float64,
    "order_up_to": pl.Float64,
    "quadrant": pl.Int64,
    "supplier_id": pl.String,
    "unit_cost": pl.Float64,
    "min_order_quantity": pl.Float64,
    "order_multiple": pl.Float64,
    "has_digital_model": pl.Boolean,
}


@dataclass(frozen=True)
class ReplenishResult:
    """What one replenishment run raised.

    ``lines`` has one row per new requisition line, with its ``requisition``
    reference; it is empty when nothing was at or below its reorder point.
    """

    n_requisitions: int
    lines: pl.DataFrame
    transfers: pl.DataFrame = field(default_factory=lambda: _empty_transfers())

    @property
    def n_lines(self) -> int:
        """Number of requisition lines raised."""
        return self.lines.height


def replenish(
    engine: Engine,
    *,
    user: str,
    site_id: str | None = None,
    at: datetime | None = None,
) -> ReplenishResult:
    """Raise requisitions for every part-site at or below its reorder point.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The store.
    user : str
        Recorded as the requisitions' author.
    site_id : str, optional
        Only this site; default every site.
    at : datetime, optional
        Time of the run; default now (UTC).

    Returns
    -------
    ReplenishResult

    Notes
    -----
    The whole run is one transaction under the store lock: a killed run leaves
    no requisition behind, and two runs at once cannot both order the same need.
    """
    user = require_text(user, "user", "replenish")
    started = time.perf_counter()
    now = at or utc_now()
    with write_transaction(engine, lock_store=True) as connection:
        logger.debug("replenish: reading positions")
        needs, transfers = _transfers_first(connection, _needs(connection, site_id))
        needs = _order_quantities(needs)
        lines = _write_requisitions(connection, needs, user, now)
    n_requisitions = lines.get_column("requisition").n_unique() if lines.height else 0
    logger.info(
        "replenish raised %d requisitions with %d lines in %.2f s",
        n_requisitions,
        lines.height,
        time.perf_counter() - started,
    )
    return ReplenishResult(n_requisitions, lines, transfers)


def _needs(connection: Connection, site_id: str | None) -> pl.DataFrame:
    """Part-sites at or below their reorder point, with their supplier's terms."""
    positions = positions_query(site_id).subquery("positions")
    query = (
        select(
            positions.c.part_id,
            positions.c.site_id,
            positions.c.inventory_position_units,
            positions.c.reorder_point,
            positions.c.order_up_to,
            positions.c.quadrant,
            positions.c.supplier_id,
            positions.c.unit_cost,
            Supplier.min_order_quantity,
            Supplier.order_multiple,
            Part.has_digital_model,
        )
        .join(Part, Part.part_id == positions.c.part_id)
        .outerjoin(Supplier, Supplier.supplier_id == positions.c.supplier_id)
        .where(
            positions.c.reorder_point.is_not(None),
            positions.c.order_up_to.is_not(None),
            positions.c.inventory_position_units <= positions.c.reorder_point,
            positions.c.order_up_to > positions.c.inventory_position_units,
        )
        .order_by(positions.c.site_id, positions.c.part_id)
    )
    rows = connection.execute(query).all()
    return rows_frame(rows, _NEED_SCHEMA)


def _order_quantities(needs: pl.DataFrame) -> pl.DataFrame:
    """Quantity up to the order-up-to level, then minimum and multiple; line type."""
    raw = pl.col("order_up_to") - pl.col("inventory_position_units")
    at_least = pl.max_horizontal(raw, pl.col("min_order_quantity").fill_null(0.0))
    multiple = pl.col("order_multiple")
    quantity = (
        pl.when(multiple.is_not_null() & (multiple > 0))
        .then((at_least / multiple).ceil() * multiple)
        .otherwise(at_least.ceil())
    )
    by_quadrant = (
        pl.col("quadrant")
        .replace_strict(_LINE_TYPE_BY_QUADRANT, default="purchase")
        .cast(pl.String)
    )
    # A fabrication line becomes an order with its package at the next
    # `spareplan fabricate`, from the part's newest verified revision.
    is_fabricated = (by_quadrant == "fabrication") & pl.col(
        "has_digital_model"
    ).fill_null(False)
    line_type = (
        pl.when((by_quadrant == "fabrication") & ~is_fabricated)
        .then(pl.lit("purchase", dtype=pl.String))
        .otherwise(by_quadrant)
    )
    return needs.with_columns(
        quantity_units=quantity,
        line_type=line_type,
        # The workshop, not the supplier, makes a fabricated part.
        requisition_supplier_id=pl.when(is_fabricated)
        .then(pl.lit(None, dtype=pl.String))
        .otherwise(pl.col("supplier_id")),
    )


def _transfers_first(
    connection: Connection, needs: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Cover needs from sister sites' stock above their reorder point first.

    Transfers cover the shortfall up to the order-up-to level; a need whose
    position then rises above its reorder point is dropped, the rest are bought
    up to the order-up-to level (minimum and multiple applied afterwards).
    Returns those needs and the proposed transfers. Transfers are proposals: they
    are booked, as stock movements, when the planner runs ``spareplan transfer``;
    until then the next run proposes them again rather than buying.
    """
    if needs.height == 0:
        return needs, _empty_transfers()
    parts = needs.get_column("part_id").unique().to_list()
    # TODO(#6): the store keeps no site-to-site transfer times yet; every sister
    # site counts as equally near, so donors are taken largest surplus first.
    stock = rows_frame(
        connection.execute(_stock_of(parts)).all(),
        {
            "part_id": pl.String,
            "site_id": pl.String,
            "on_hand_units": pl.Float64,
            "reorder_point": pl.Float64,
        },
    )
    donors = stock.filter(pl.col("on_hand_units") - pl.col("reorder_point") >= 1)
    if donors.height == 0:
        return needs, _empty_transfers()

    proposals = []
    covered = np.zeros(needs.height)
    for index, need in enumerate(needs.iter_rows(named=True)):
        sites = stock.filter(pl.col("part_id") == need["part_id"])
        if sites.height < 2:
            continue
        names = sites.get_column("site_id").to_list()
        short = names.index(need["site_id"])
        hours = np.where(np.arange(len(names)) == short, np.inf, 24.0)
        advice = recommend_transfer(
            short_site=short,
            shortfall_units=int(
                np.ceil(need["order_up_to"] - need["inventory_position_units"])
            ),
            on_hand_units=sites.get_column("on_hand_units").to_numpy(),
            reorder_point=np.nan_to_num(sites.get_column("reorder_point").to_numpy()),
            transfer_hours=hours,
        )
        for donor, units in enumerate(advice.transfer_units):
            if units > 0:
                proposals.append(
                    (need["part_id"], names[donor], need["site_id"], float(units))
                )
                covered[index] += units
        stock = _take(stock, need["part_id"], names, advice.transfer_units)
    position = pl.col("inventory_position_units")
    left = needs.with_columns(position + pl.Series(covered)).filter(
        (position <= pl.col("reorder_point")) & (pl.col("order_up_to") > position)
    )
    transfers = (
        pl.DataFrame(proposals, schema=_TRANSFER_SCHEMA, orient="row")
        if proposals
        else _empty_transfers()
    )
    return left, transfers


def _stock_of(parts: list[str]) -> Select[Any]:
    positions = positions_query().subquery("positions")
    return select(
        positions.c.part_id,
        positions.c.site_id,
        positions.c.on_hand_units,
        positions.c.reorder_point,
    ).where(positions.c.part_id.in_(parts))


def _take(
    stock: pl.DataFrame, part_id: str, sites: list[str], units: np.ndarray
) -> pl.DataFrame:
    """Stock after the donors of ``part_id`` gave ``units`` (for the next need)."""
    given = pl.DataFrame({"site_id": sites, "given": units.astype(np.float64)})
    return (
        stock.join(
            given.with_columns(part_id=pl.lit(part_id)),
            on=["part_id", "site_id"],
            how="left",
        )
        .with_columns(
            on_hand_units=pl.col("on_hand_units") - pl.col("given").fill_null(0.0)
        )
        .drop("given")
    )


_TRANSFER_SCHEMA = {
    "part_id": pl.String,
    "from_site_id": pl.String,
    "to_site_id": pl.String,
    "quantity_units": pl.Float64,
}


def _empty_transfers() -> pl.DataFrame:
    return pl.DataFrame(schema=_TRANSFER_SCHEMA)


def _write_requisitions(
    connection: Connection, needs: pl.DataFrame, user: str, now: datetime
) -> pl.DataFrame:
    """One requisition per (supplier, site), then all lines in one executemany."""
    if needs.height == 0:
        return _empty_lines()
    groups = needs.select("requisition_supplier_id", "site_id").unique(
        maintain_order=True
    )
    ids = []
    for supplier_id, site_id in groups.iter_rows():
        ids.append(
            connection.execute(
                insert(Requisition)
                .values(
                    supplier_id=supplier_id,
                    site_id=site_id,
                    status="open",
                    created_at=now,
                    created_by=user,
                )
                .returning(Requisition.id)
            ).scalar_one()
        )
    groups = groups.with_columns(requisition_id=pl.Series(ids, dtype=pl.Int64))
    lines = needs.join(
        groups, on=["requisition_supplier_id", "site_id"], how="left", nulls_equal=True
    )
    rows = lines.select(
        "requisition_id",
        "part_id",
        "site_id",
        "line_type",
        "quantity_units",
        pl.lit(0.0).alias("received_units"),
        pl.lit("open").alias("status"),
        pl.col("inventory_position_units").alias("position_units"),
        "reorder_point",
        "order_up_to",
        "unit_cost",
    )
    connection.execute(insert(RequisitionLine), rows.to_dicts())
    return _report(lines)


def _report(lines: pl.DataFrame) -> pl.DataFrame:
    return lines.select(
        pl.col("requisition_id")
        .map_elements(requisition_reference, return_dtype=pl.String)
        .alias("requisition"),
        pl.col("requisition_supplier_id").alias("supplier_id"),
        "site_id",
        "line_type",
        "part_id",
        "quadrant",
        "inventory_position_units",
        "reorder_point",
        "order_up_to",
        "quantity_units",
        "unit_cost",
        (pl.col("quantity_units") * pl.col("unit_cost")).alias("line_value"),
    ).sort("requisition", "part_id")


def _empty_lines() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "requisition": pl.String,
            "supplier_id": pl.String,
            "site_id": pl.String,
            "line_type": pl.String,
            "part_id": pl.String,
            "quadrant": pl.Int64,
            "inventory_position_units": pl.Float64,
            "reorder_point": pl.Float64,
            "order_up_to": pl.Float64,
            "quantity_units": pl.Float64,
            "unit_cost": pl.Float64,
            "line_value": pl.Float64,
        }
    )


def requisition_lines(engine: Engine, status: str | None = "open") -> pl.DataFrame:
    """Stored requisition lines (default the open ones), one row per line."""
    query = (
        select(
            RequisitionLine.requisition_id,
            Requisition.supplier_id,
            RequisitionLine.site_id,
            RequisitionLine.line_type,
            RequisitionLine.part_id,
            RequisitionLine.quantity_units,
            RequisitionLine.received_units,
            RequisitionLine.status,
            RequisitionLine.unit_cost,
            Requisition.created_at,
        )
        .join(Requisition, Requisition.id == RequisitionLine.requisition_id)
        .order_by(RequisitionLine.requisition_id, RequisitionLine.part_id)
    )
    if status is not None:
        query = query.where(RequisitionLine.status == literal(status))
    with read_transaction(engine) as connection:
        rows = connection.execute(query).all()
    schema: dict[str, Any] = {
        "requisition_id": pl.Int64,
        "supplier_id": pl.String,
        "site_id": pl.String,
        "line_type": pl.String,
        "part_id": pl.String,
        "quantity_units": pl.Float64,
        "received_units": pl.Float64,
        "status": pl.String,
        "unit_cost": pl.Float64,
        "created_at": pl.Datetime(time_zone="UTC"),
    }
    table = rows_frame(rows, schema)
    return table.with_columns(
        requisition=pl.col("requisition_id").map_elements(
            requisition_reference, return_dtype=pl.String
        )
    )


def export_requisitions(lines: pl.DataFrame, path: str | Path) -> Path:
    """Write requisition lines to ``path``: ``.csv`` or ``.xlsx``.

    Raises
    ------
    OutputError
        Unknown suffix, missing folder or the file cannot be written.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise OutputError(
            f"{str(path)!r}: requisitions are written as .csv or .xlsx, got "
            f"{suffix or 'no suffix'!r}"
        )
    if not path.parent.is_dir():
        raise OutputError(
            f"{str(path)!r}: the folder {str(path.parent)!r} does not exist"
        )
    try:
        if suffix == ".csv":
            lines.write_csv(path)
        else:
            lines.write_excel(path, worksheet="Requisitions", autofit=True)
    except OSError as error:
        raise OutputError(f"{str(path)!r} cannot be written: {error}") from None
    return path
