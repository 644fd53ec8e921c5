"""Money: downtime exposure, carrying cost and the economic order quantity."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "HOURS_PER_DAY",
    "carrying_cost_per_unit_year",
    "downtime_exposure",
    "economic_order_quantity",
]

FloatArray = NDArray[np.float64]
HOURS_PER_DAY = 24.0


def downtime_exposure(
    downtime_cost_per_hour: ArrayLike, lead_time_days: ArrayLike
) -> FloatArray:
    """Cost of production stopped while a missing part is bought in.

    .. math:: E = c_d \\cdot L \\cdot 24

    with ``c_d`` the downtime cost per hour and ``L`` the lead time in days: the
    downtime bill of one stockout that waits a full lead time.

    Examples
    --------
    A line losing 500 an hour, waiting 3 days for its part: 500 x 3 x 24.

    >>> float(downtime_exposure(500.0, 3.0))
    36000.0
    """
    cost = np.asarray(downtime_cost_per_hour, dtype=np.float64)
    return cost * np.asarray(lead_time_days, dtype=np.float64) * HOURS_PER_DAY


def carrying_cost_per_unit_year(
    unit_cost: ArrayLike, carrying_rate_per_year: float
) -> FloatArray:
    """Annual cost of keeping one unit on the shelf: rate x unit cost.

    Examples
    --------
    >>> float(carrying_cost_per_unit_year(200.0, 0.25))
    50.0
    """
    return np.asarray(unit_cost, dtype=np.float64) * carrying_rate_per_year


def economic_order_quantity(
    annual_demand_units: ArrayLike,
    order_cost: ArrayLike,
    holding_cost_per_unit_year: ArrayLike,
) -> FloatArray:
    """Economic order quantity (Harris 1913; Wilson 1934).

    .. math:: Q^* = \\sqrt{2 D S / H}

    with ``D`` the annual demand in units, ``S`` the cost of placing one order and
    ``H`` the cost of holding one unit for a year.

    Returns NaN where the quantity is undefined: an unknown (NaN) order cost, no
    demand, or no holding cost.

    Examples
    --------
    Heizer and Render, *Operations Management*, example on needles: D = 1,000
    units a year, S = 10 an order, H = 0.50 a unit-year give Q* = 200.

    >>> float(economic_order_quantity(1000.0, 10.0, 0.5))
    200.0
    """
    demand = np.asarray(annual_demand_units, dtype=np.float64)
    setup = np.asarray(order_cost, dtype=np.float64)
    holding = np.asarray(holding_cost_per_unit_year, dtype=np.float64)
    demand, setup, holding = np.broadcast_arrays(demand, setup, holding)

    is_defined = (demand > 0) & (holding > 0) & ~np.isnan(setup)
    quantity = np.full(demand.shape, np.nan)
    np.sqrt(
        2.0 * demand * setup / np.where(is_defined, holding, 1.0),
        out=quantity,
        where=is_defined,
    )
    return quantity
