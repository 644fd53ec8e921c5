"""The stock-or-fabricate table of the store's digital part-sites.

For every part-site whose part has a verified model: the stock the stored plan
would hold, its carrying cost, and the cost of fabricating its demand on demand
instead (:func:`spareplan.digital.economics.compare_stock_and_fabrication`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
from sqlalchemy import Engine, func, select

from spareplan.digital.economics import compare_stock_and_fabrication
from spareplan.digital.models import latest_verified_query
from spareplan.store.engine import read_transaction, rows_frame
from spareplan.store.schema import DigitalRevision, PartSite, PlanLine

__all__ = ["DAYS_PER_YEAR", "stock_or_fabricate_table"]

DAYS_PER_YEAR = 365.0
DEFAULT_CARRYING_RATE_PER_YEAR = 0.25
_SCHEMA: dict[str, Any] = {
    "part_id": pl.String,
    "site_id": pl.String,
    "revision": pl.String,
    "unit_cost": pl.Float64,
    "fabrication_unit_cost": pl.Float64,
    "fabrication_lead_time_days": pl.Float64,
    "safety_stock": pl.Float64,
    "order_quantity": pl.Float64,
    "demand_per_day": pl.Float64,
}


def stock_or_fabricate_table(
    engine: Engine,
    *,
    downtime_cost_per_hour: float,
    carrying_rate_per_year: float = DEFAULT_CARRYING_RATE_PER_YEAR,
    unplanned_demand_fraction: float = 1.0,
) -> pl.DataFrame:
    """Yearly cost of holding each digital part-site's stock against fabricating.

    The stock the plan would hold is ``max(safety_stock, 0) + (Q + 1) / 2`` (the
    average on hand of a reorder-point policy, Hadley and Whitin), with ``Q`` the
    effective order quantity (none: safety stock only); demand per year is the
    stored plan's ``demand_per_day x 365``.

    Parameters
    ----------
    downtime_cost_per_hour : float
        Cost of an hour of stopped production while a part is fabricated, >= 0.
    carrying_rate_per_year : float, default 0.25
        Fraction of the unit cost a unit on the shelf costs a year, 0-1.
    unplanned_demand_fraction : float, default 1.0
        Fraction of demand that comes without warning, 0-1.

    Returns
    -------
    polars.DataFrame
        ``part_id, site_id, revision, stock_units, demand_units_per_year,
        holding_cost_per_year, fabrication_premium_per_year,
        downtime_cost_per_year, on_demand_cost_per_year, saving_per_year,
        is_on_demand_cheaper``, largest saving first.

    Raises
    ------
    DigitalValueError
        A negative cost or a rate or fraction outside 0-1.
    """
    table = _digital_part_sites(engine)
    safety = table.get_column("safety_stock").fill_null(0.0).clip(lower_bound=0.0)
    quantity = table.get_column("order_quantity").fill_null(0.0)
    cycle = pl.Series(
        np.where(quantity.to_numpy() > 0, (quantity.to_numpy() + 1) / 2, 0.0)
    )
    stock_units = (safety + cycle).to_numpy()
    demand = (
        table.get_column("demand_per_day").fill_null(0.0).to_numpy() * DAYS_PER_YEAR
    )

    costs = compare_stock_and_fabrication(
        stock_units=stock_units,
        unit_cost=table.get_column("unit_cost").fill_null(0.0).to_numpy(),
        carrying_rate_per_year=carrying_rate_per_year,
        fabrication_unit_cost=table.get_column("fabrication_unit_cost").to_numpy(),
        demand_units_per_year=demand,
        fabrication_lead_time_days=table.get_column(
            "fabrication_lead_time_days"
        ).to_numpy(),
        downtime_cost_per_hour=downtime_cost_per_hour,
        unplanned_demand_fraction=unplanned_demand_fraction,
    )
    return (
        table.select("part_id", "site_id", "revision")
        .with_columns(
            stock_units=pl.Series(stock_units, dtype=pl.Float64),
            demand_units_per_year=pl.Series(demand, dtype=pl.Float64),
            holding_cost_per_year=costs.holding_cost_per_year,
            fabrication_premium_per_year=costs.fabrication_premium_per_year,
            downtime_cost_per_year=costs.downtime_cost_per_year,
            on_demand_cost_per_year=costs.on_demand_cost_per_year,
            saving_per_year=costs.saving_per_year,
            is_on_demand_cheaper=costs.is_on_demand_cheaper,
        )
        .sort("saving_per_year", "part_id", "site_id", descending=[True, False, False])
    )


def _digital_part_sites(engine: Engine) -> pl.DataFrame:
    latest = latest_verified_query().subquery("latest")
    query = (
        select(
            PartSite.part_id,
            PartSite.site_id,
            DigitalRevision.revision,
            PartSite.unit_cost,
            DigitalRevision.fabrication_unit_cost,
            DigitalRevision.fabrication_lead_time_days,
            PartSite.safety_stock,
            func.coalesce(PartSite.override_order_quantity, PartSite.order_quantity),
            PlanLine.demand_per_day,
        )
        .join(latest, latest.c.part_id == PartSite.part_id)
        .join(DigitalRevision, DigitalRevision.id == latest.c.revision_id)
        .outerjoin(
            PlanLine,
            (PlanLine.plan_run_id == PartSite.plan_run_id)
            & (PlanLine.part_id == PartSite.part_id)
            & (PlanLine.site_id == PartSite.site_id),
        )
        .order_by(PartSite.part_id, PartSite.site_id)
    )
    with read_transaction(engine) as connection:
        rows = connection.execute(query).all()
    return rows_frame(rows, _SCHEMA)
