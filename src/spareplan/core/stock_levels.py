"""Stock levels of a continuous-review (r, Q) policy: safety stock to order-up-to.

The policy orders ``Q`` units whenever the inventory position (on hand + on order)
falls to the reorder point ``r`` or below, so the position never exceeds the
order-up-to level ``r + Q``. All quantities are whole units; time is in days.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "expected_on_hand_units",
    "lead_time_demand",
    "order_quantity_by_cover",
    "reorder_point",
    "rule_of_thumb_safety_stock",
    "whole_order_quantity",
]

FloatArray = NDArray[np.float64]

# Rounding up must not turn 2.0000000000000004 (floating noise) into 3 units.
_ROUNDING_SLACK = 1e-9


def rule_of_thumb_safety_stock(
    lead_time_days: ArrayLike,
    lead_time_days_max: ArrayLike,
    usage_per_day_avg: ArrayLike,
    usage_per_day_max: ArrayLike,
) -> FloatArray:
    """The shop-floor safety stock: worst case minus average lead-time demand.

    .. math:: SS = L_{max} d_{max} - L d

    with ``L`` and ``L_max`` the average and worst lead time in days and ``d`` and
    ``d_max`` the average and highest daily usage. It assumes the worst lead time
    and the worst usage coincide, so it over-protects steady parts and says nothing
    about the service it buys.

    Examples
    --------
    Worst lead time 12 days at up to 5 a day, average 5 days at 2 a day:
    12 x 5 - 5 x 2 = 50 units.

    >>> float(rule_of_thumb_safety_stock(5, 12, 2, 5))
    50.0
    """
    worst = np.asarray(lead_time_days_max, dtype=np.float64) * np.asarray(
        usage_per_day_max, dtype=np.float64
    )
    return worst - lead_time_demand(usage_per_day_avg, lead_time_days)


def lead_time_demand(
    usage_per_day_avg: ArrayLike, lead_time_days: ArrayLike
) -> FloatArray:
    """Average demand over the lead time, ``d x L`` units.

    Examples
    --------
    Heizer and Render, *Operations Management*: 8,000 units a year over 250
    working days is 32 a day; over a 3-day lead time that is 96 units.

    >>> float(lead_time_demand(8000 / 250, 3))
    96.0
    """
    usage = np.asarray(usage_per_day_avg, dtype=np.float64)
    return usage * np.asarray(lead_time_days, dtype=np.float64)


def reorder_point(
    lead_time_demand_units: ArrayLike, safety_stock_units: ArrayLike
) -> FloatArray:
    """Reorder point ``r = ceil(d L + SS)``, the whole units that cover the lead time.

    Examples
    --------
    >>> reorder_point([96.0, 0.4, 0.0], [0.0, 2.0, 0.0]).tolist()
    [96.0, 3.0, 0.0]
    """
    level = np.asarray(lead_time_demand_units, dtype=np.float64) + np.asarray(
        safety_stock_units, dtype=np.float64
    )
    return np.maximum(np.ceil(level - _ROUNDING_SLACK), 0.0)


def whole_order_quantity(quantity: ArrayLike) -> FloatArray:
    """Round an order quantity to whole units, at least one (NaN stays NaN).

    Half a unit rounds up; the EOQ cost curve is flat near its minimum, so the
    nearest whole number costs next to nothing extra.
    """
    quantity = np.asarray(quantity, dtype=np.float64)
    return np.maximum(np.floor(quantity + 0.5), 1.0)


def order_quantity_by_cover(
    usage_per_day_avg: ArrayLike, order_cover_days: float
) -> FloatArray:
    """Order quantity that covers ``order_cover_days`` of average usage.

    Used where the cost of placing an order is unknown, so no EOQ can be formed.
    Rounded up to whole units and at least one unit, so a part without usage is
    replaced one for one.

    Examples
    --------
    >>> order_quantity_by_cover([2.0, 0.01, 0.0], 30).tolist()
    [60.0, 1.0, 1.0]
    """
    cover = np.asarray(usage_per_day_avg, dtype=np.float64) * order_cover_days
    return np.maximum(np.ceil(cover - _ROUNDING_SLACK), 1.0)


def expected_on_hand_units(
    reorder_point_units: ArrayLike,
    order_quantity_units: ArrayLike,
    lead_time_demand_units: ArrayLike,
) -> FloatArray:
    """Average units on the shelf under an (r, Q) policy with unit-sized demand.

    .. math:: \\bar{I} \\approx r - dL + (Q + 1) / 2

    Hadley and Whitin, *Analysis of Inventory Systems* (1963), ch. 4; Silver, Pyke
    and Thomas, *Inventory and Production Management in Supply Chains* (2017),
    sec. 7.4, with backorders neglected. The average never falls below zero, and a
    policy that orders nothing (Q = 0) holds nothing.

    Examples
    --------
    An insurance spare (r = 0, Q = 1, no usage) keeps its one unit on the shelf:

    >>> expected_on_hand_units([0.0, 10.0], [1.0, 20.0], [0.0, 8.0]).tolist()
    [1.0, 12.5]
    """
    r = np.asarray(reorder_point_units, dtype=np.float64)
    q = np.asarray(order_quantity_units, dtype=np.float64)
    mean_lead_time_demand = np.asarray(lead_time_demand_units, dtype=np.float64)
    on_hand = np.maximum(r - mean_lead_time_demand + (q + 1.0) / 2.0, 0.0)
    return np.where(q > 0, on_hand, 0.0)
