"""Digital stock: quadrant-3 parts kept as a verified model and fabricated on demand.

A digital-on-demand part (quadrant 3) with a digital model and fabrication terms in
the catalogue (``has_digital_model``, ``fabrication_lead_time_days``,
``fabrication_unit_cost``) holds no physical stock where fabricating each demand
costs less a year (the fabrication premium plus downtime while it is made) than
holding the stock the plan would otherwise keep. A quadrant-3 part without a
digital model is flagged: it cannot be fabricated until a model is verified.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import polars as pl

from spareplan.config import PlanConfig
from spareplan.core.fabrication import compare_stock_and_fabrication
from spareplan.core.policy import ORDER_QUANTITY_RULES, StockingPolicy
from spareplan.planning.downtime import DAYS_PER_YEAR

__all__ = ["DIGITAL_STATES", "digital_state"]

# Codes of the plan's ``digital_state`` column.
DIGITAL_STATES = ("", "fabricate_on_demand", "hold_stock", "needs_digital_model")


def digital_state(
    table: pl.DataFrame,
    policy: StockingPolicy,
    demand_per_day: np.ndarray,
    config: PlanConfig,
) -> tuple[StockingPolicy, np.ndarray, np.ndarray]:
    """The policy with fabricated parts emptied, their state codes and yearly cost.

    Returns the (possibly changed) policy, a ``DIGITAL_STATES`` code per row and
    the yearly cost of fabricating on demand (NaN where it does not apply).
    """
    is_digital_quadrant = table.get_column("quadrant").to_numpy() == 3
    has_model = table.get_column("has_digital_model").to_numpy().astype(bool)
    lead_time = _numbers(table, "fabrication_lead_time_days")
    unit_cost = _numbers(table, "fabrication_unit_cost")
    can_fabricate = (
        is_digital_quadrant & has_model & ~np.isnan(lead_time) & ~np.isnan(unit_cost)
    )

    # The stock the part would hold if stocked, whatever the decision was.
    stock_units = policy.carrying_cost_if_stocked / np.maximum(
        policy.carrying_cost_per_unit_year, np.finfo(float).tiny
    )
    comparison = compare_stock_and_fabrication(
        stock_units=stock_units,
        unit_cost=table.get_column("unit_cost").to_numpy(),
        carrying_rate_per_year=config.carrying_rate_per_year,
        fabrication_unit_cost=np.nan_to_num(unit_cost),
        demand_units_per_year=demand_per_day * DAYS_PER_YEAR,
        fabrication_lead_time_days=np.nan_to_num(lead_time, nan=1.0),
        downtime_cost_per_hour=np.nan_to_num(_numbers(table, "downtime_cost_per_hour")),
    )
    # A part the economics would not stock anyway is simply made when needed.
    fabricates = can_fabricate & (comparison.is_on_demand_cheaper | ~policy.is_stocked)
    codes = np.select(
        [fabricates, can_fabricate, is_digital_quadrant & ~has_model],
        [1, 2, 3],
        default=0,
    ).astype(np.int8)
    on_demand_cost = np.where(can_fabricate, comparison.on_demand_cost_per_year, np.nan)
    return _without_stock(policy, fabricates), codes, on_demand_cost


def _without_stock(policy: StockingPolicy, rows: np.ndarray) -> StockingPolicy:
    """The policy with ``rows`` holding nothing (fabricated when needed)."""
    if not rows.any():
        return policy
    zero = {
        name: np.where(rows, 0.0, getattr(policy, name))
        for name in (
            "safety_stock",
            "reorder_point",
            "order_quantity",
            "order_up_to",
            "expected_on_hand",
            "stock_value",
            "annual_carrying_cost",
        )
    }
    none = np.int8(ORDER_QUANTITY_RULES.index("none"))
    return replace(
        policy,
        is_stocked=policy.is_stocked & ~rows,
        order_quantity_rule=np.where(rows, none, policy.order_quantity_rule).astype(
            np.int8
        ),
        **zero,
    )


def _numbers(table: pl.DataFrame, column: str) -> np.ndarray:
    return table.get_column(column).cast(pl.Float64).fill_null(np.nan).to_numpy()
