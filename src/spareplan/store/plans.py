"""Stored plan runs and the planner's overrides of their settings.

Each plan run keeps its date, its configuration (as JSON) and one line per
part-site as planned, so an earlier plan stays readable after a newer one is
stored. The newest run's settings are also copied onto ``part_sites``, beside the
planner's overrides, which a new plan never touches.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, bindparam, func, insert, select, update

from spareplan.planning.plan import Plan
from spareplan.store.checks import (
    lock_part_sites,
    parse_quantity,
    require_text,
    utc_now,
    where,
)
from spareplan.store.engine import read_transaction, rows_frame, write_transaction
from spareplan.store.errors import LedgerValueError, UnknownRecordError
from spareplan.store.schema import PartSite, PlanLine, PlanRun, Supplier

__all__ = [
    "PlanSource",
    "plan_runs",
    "set_override",
    "store_plan",
    "write_plan",
]

logger = logging.getLogger(__name__)

_PLAN_SETTINGS = (
    "quadrant",
    "strategy",
    "stock_decision",
    "safety_stock",
    "reorder_point",
    "order_quantity",
    "order_up_to",
)
_MAX_IDS_SHOWN = 10


@dataclass(frozen=True)
class PlanSource:
    """Where a plan came from, stored with its run."""

    catalogue_file: str | None = None
    history_file: str | None = None
    user: str | None = None
    at: datetime | None = None


def store_plan(engine: Engine, plan: Plan, source: PlanSource | None = None) -> int:
    """Store ``plan`` as a new plan run for part-sites already in the store.

    Returns
    -------
    int
        The plan run's id.

    Raises
    ------
    UnknownRecordError
        The plan has part-sites the store does not know (import the catalogue
        first); nothing is written.
    """
    with write_transaction(engine, lock_store=True) as connection:
        _check_known(connection, plan.table)
        return write_plan(connection, plan, source or PlanSource())


def write_plan(connection: Connection, plan: Plan, source: PlanSource) -> int:
    """Insert the run and its lines and copy its settings onto ``part_sites``."""
    table = plan.table
    quadrants = table.get_column("quadrant").value_counts()
    run_id = connection.execute(
        insert(PlanRun)
        .values(
            planned_at=source.at or utc_now(),
            catalogue_file=source.catalogue_file,
            history_file=source.history_file,
            config=_config_json(plan),
            n_part_sites=table.height,
            n_stocked=int((table.get_column("stock_decision") == "stock").sum()),
            n_per_quadrant={str(q): int(n) for q, n in quadrants.iter_rows()},
            created_by=source.user,
        )
        .returning(PlanRun.id)
    ).scalar_one()
    lines = table.select(
        "part_id",
        "site_id",
        *_PLAN_SETTINGS,
        "supplier_id",
        "unit_cost",
        "demand_per_day",
        plan_run_id=pl.lit(run_id),
    ).with_columns(pl.col("strategy", "stock_decision").cast(pl.String))
    if lines.height:
        connection.execute(insert(PlanLine), lines.to_dicts())
        _copy_settings(connection, lines)
    logger.info("stored plan run %d of %d part-sites", run_id, table.height)
    return int(run_id)


def _copy_settings(connection: Connection, lines: pl.DataFrame) -> None:
    statement = (
        update(PartSite)
        .where(
            PartSite.part_id == bindparam("key_part_id"),
            PartSite.site_id == bindparam("key_site_id"),
        )
        .values({name: bindparam(name) for name in (*_PLAN_SETTINGS, "plan_run_id")})
    )
    rows = lines.select(
        pl.col("part_id").alias("key_part_id"),
        pl.col("site_id").alias("key_site_id"),
        *_PLAN_SETTINGS,
        "plan_run_id",
    ).to_dicts()
    connection.execute(statement, rows)


def _config_json(plan: Plan) -> dict[str, Any]:
    return dataclasses.asdict(plan.config)


def _check_known(connection: Connection, table: pl.DataFrame) -> None:
    rows = connection.execute(select(PartSite.part_id, PartSite.site_id)).all()
    known = pl.DataFrame(
        [tuple(row) for row in rows],
        schema={"part_id": pl.String, "site_id": pl.String},
        orient="row",
    )
    unknown = table.select("part_id", "site_id").join(
        known, on=["part_id", "site_id"], how="anti"
    )
    if unknown.height:
        shown = ", ".join(
            f"{p!r} at {s!r}" for p, s in unknown.head(_MAX_IDS_SHOWN).iter_rows()
        )
        more = unknown.height - _MAX_IDS_SHOWN
        raise UnknownRecordError(
            f"the plan has {unknown.height} part-sites the store does not know "
            f"({shown}{f' and {more} more' if more > 0 else ''}); import the "
            "catalogue with 'spareplan db import' first"
        )


def set_override(
    engine: Engine,
    part_id: str,
    site_id: str,
    *,
    user: str,
    reorder_point: object = None,
    order_up_to: object = None,
    order_quantity: object = None,
    quadrant: int | None = None,
    supplier_id: str | None = None,
    note: str | None = None,
    clear: bool = False,
    at: datetime | None = None,
) -> None:
    """Override the plan's settings of one part-site (``clear`` removes them all).

    Given values replace earlier overrides; values left ``None`` keep theirs.
    Who and when are recorded. The effective order-up-to level must stay above
    the effective reorder point, or replenishment would never lift the position
    above it.

    Raises
    ------
    UnknownRecordError
        Unknown part-site or supplier.
    LedgerValueError
        A negative or non-numeric level, a quadrant outside 1-4, or an
        order-up-to level not above the reorder point.
    """
    user = require_text(user, "user", where(part_id, site_id))
    values: dict[str, Any] = {}
    for field, value in (
        ("reorder_point", reorder_point),
        ("order_up_to", order_up_to),
        ("order_quantity", order_quantity),
    ):
        if value is not None:
            values[f"override_{field}"] = parse_quantity(
                value, part_id, site_id, field, allow_zero=True
            )
    if quadrant is not None:
        if quadrant not in (1, 2, 3, 4):
            raise LedgerValueError(
                f"{where(part_id, site_id)}: quadrant must be 1, 2, 3 or 4, "
                f"got {quadrant!r}"
            )
        values["override_quadrant"] = quadrant
    if supplier_id is not None:
        values["override_supplier_id"] = supplier_id
    if clear:
        values = dict.fromkeys(
            (
                "override_reorder_point",
                "override_order_up_to",
                "override_order_quantity",
                "override_quadrant",
                "override_supplier_id",
            )
        )
    values.update(override_by=user, override_at=at or utc_now(), override_note=note)

    with write_transaction(engine) as connection:
        lock_part_sites(connection, [(part_id, site_id)])
        if supplier_id is not None and not connection.scalar(
            select(Supplier.supplier_id).where(Supplier.supplier_id == supplier_id)
        ):
            raise UnknownRecordError(
                f"{where(part_id, site_id)}: supplier_id {supplier_id!r} is not in "
                "the store"
            )
        key = (PartSite.part_id == part_id) & (PartSite.site_id == site_id)
        connection.execute(update(PartSite).where(key).values(values))
        _check_levels(connection, part_id, site_id)


def _check_levels(connection: Connection, part_id: str, site_id: str) -> None:
    reorder_point, order_up_to = connection.execute(
        select(
            func.coalesce(PartSite.override_reorder_point, PartSite.reorder_point),
            func.coalesce(PartSite.override_order_up_to, PartSite.order_up_to),
        ).where(PartSite.part_id == part_id, PartSite.site_id == site_id)
    ).one()
    if reorder_point is None or order_up_to is None:
        return
    # NOTE: 0/0 is a JIT part that holds nothing; it is never replenished.
    if 0 < order_up_to <= reorder_point:
        raise LedgerValueError(
            f"{where(part_id, site_id)}: order_up_to must be above the reorder "
            f"point {reorder_point:g}, got {order_up_to:g}"
        )


def plan_runs(engine: Engine) -> pl.DataFrame:
    """Every stored plan run, newest first: id, date, files, counts."""
    query = select(
        PlanRun.id,
        PlanRun.planned_at,
        PlanRun.catalogue_file,
        PlanRun.history_file,
        PlanRun.n_part_sites,
        PlanRun.n_stocked,
        PlanRun.created_by,
    ).order_by(PlanRun.id.desc())
    with read_transaction(engine) as connection:
        rows = connection.execute(query).all()
    columns = [
        "plan_run_id",
        "planned_at",
        "catalogue_file",
        "history_file",
        "n_part_sites",
        "n_stocked",
        "created_by",
    ]
    return rows_frame(rows, columns)
