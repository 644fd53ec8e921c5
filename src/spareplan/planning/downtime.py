"""The downtime cost model step: how many spares minimise expected cost per part.

Demand per year is the catalogue's ``failures_per_year`` where given (insurance
spares with little or no history), else the forecast demand. Lumpy parts whose
lead-time demand is modelled as negative binomial keep that variance here too.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from spareplan.config import PlanConfig
from spareplan.core.cost_model import CostOptimalSpares, cost_optimal_spares
from spareplan.core.lead_time_demand import NEGATIVE_BINOMIAL, NORMAL
from spareplan.planning.demand import DemandModel

__all__ = ["DAYS_PER_YEAR", "cost_columns", "deciding_units", "spares_cost_model"]

DAYS_PER_YEAR = 365.0


def spares_cost_model(
    table: pl.DataFrame, model: DemandModel, config: PlanConfig
) -> CostOptimalSpares:
    """Cost-optimal spares of every row of the classified catalogue table."""
    failures = table.get_column("failures_per_year").to_numpy()
    demand_per_year = np.where(
        np.isnan(failures), model.demand_per_day * DAYS_PER_YEAR, failures
    )
    # The cost model counts units in resupply with the law the reorder point uses:
    # negative binomial where the router chose it, and for parts modelled as normal
    # whose spread exceeds a Poisson's; Poisson otherwise. With failures_per_year
    # the history's variance no longer fits.
    is_wide = (model.method_code == NEGATIVE_BINOMIAL) | (
        (model.method_code == NORMAL) & (model.variance_units > model.mean_units)
    )
    variance = np.where(is_wide & np.isnan(failures), model.variance_units, np.nan)
    downtime = _numbers(table, "downtime_cost_per_hour")
    return cost_optimal_spares(
        demand_per_year=demand_per_year,
        lead_time_days=table.get_column("lead_time_days").to_numpy(),
        holding_cost_per_unit_year=table.get_column("unit_cost").to_numpy()
        * config.carrying_rate_per_year,
        downtime_cost_per_hour=np.nan_to_num(downtime, nan=0.0),
        emergency_premium=_numbers(table, "emergency_premium"),
        emergency_lead_time_days=_numbers(table, "emergency_lead_time_days"),
        lead_time_demand_variance=variance,
    )


def deciding_units(table: pl.DataFrame, spares: CostOptimalSpares) -> np.ndarray:
    """S* where the cost model may decide: NaN where no downtime cost is given."""
    is_known = table.get_column("downtime_cost_per_hour").is_not_null().to_numpy()
    return np.where(is_known, spares.cost_optimal_units, np.nan)


def cost_columns(spares: CostOptimalSpares) -> dict[str, np.ndarray]:
    """The plan columns the cost model fills."""
    return {
        "cost_optimal_units": spares.cost_optimal_units,
        "expected_annual_cost": spares.expected_annual_cost,
        "expected_downtime_hours_per_year": spares.expected_downtime_hours_per_year,
        "breakeven_downtime_cost_per_hour": (
            spares.next_unit_breakeven_downtime_cost_per_hour
        ),
        "first_spare_breakeven_downtime_cost_per_hour": (
            spares.first_unit_breakeven_downtime_cost_per_hour
        ),
    }


def _numbers(table: pl.DataFrame, column: str) -> np.ndarray:
    return table.get_column(column).cast(pl.Float64).fill_null(np.nan).to_numpy()
