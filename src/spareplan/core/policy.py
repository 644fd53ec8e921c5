"""The stocking decision and the resulting (r, Q) policy for every part-site.

Economics decide *whether* a part is held; the quadrant's strategy decides whether
the holding includes safety stock. A part is held (``stock``) when the downtime
exposure of one stockout exceeds the annual carrying cost of the stock it would
hold; otherwise it is bought when needed (``jit``) and holds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from spareplan.core.economics import (
    carrying_cost_per_unit_year,
    downtime_exposure,
    economic_order_quantity,
)
from spareplan.core.stock_levels import (
    expected_on_hand_units,
    lead_time_demand,
    order_quantity_by_cover,
    reorder_point,
    rule_of_thumb_safety_stock,
    whole_order_quantity,
)

__all__ = [
    "ORDER_QUANTITY_RULES",
    "PolicyInputs",
    "PolicySettings",
    "StockingPolicy",
    "candidate_order_quantity",
    "stocking_policy",
]

FloatArray = NDArray[np.float64]
DAYS_PER_YEAR = 365.0

# Codes of ``StockingPolicy.order_quantity_rule``.
ORDER_QUANTITY_RULES = ("eoq", "days_cover", "one_for_one", "none")


@dataclass(frozen=True)
class PolicyInputs:
    """Per part-site arrays, all of shape (n,), time in days, money in one currency.

    ``order_cost`` is NaN where unknown. Two optional arrays carry a demand-driven
    method's results; NaN entries fall back to the defaults:

    - ``demand_per_day`` replaces ``usage_per_day_avg`` as the demand rate behind
      the lead-time demand and the order quantity (a forecast, say);
    - ``reorder_point_units`` replaces ``ceil(d L + SS)`` in quadrants that hold
      safety stock, and the safety stock becomes ``r - d L``;
    - ``cost_optimal_units`` (S*, from the downtime cost model) decides stock
      (S* >= 1) or JIT in place of the exposure rule; in quadrants that hold
      safety stock a stocked part's reorder point is raised to at least S* - 1,
      so the shelf holds S* units.
    """

    unit_cost: FloatArray
    lead_time_days: FloatArray
    lead_time_days_max: FloatArray
    usage_per_day_avg: FloatArray
    usage_per_day_max: FloatArray
    downtime_cost_per_hour: FloatArray
    order_cost: FloatArray
    quadrant: NDArray[np.int8]
    demand_per_day: FloatArray | None = None
    reorder_point_units: FloatArray | None = None
    cost_optimal_units: FloatArray | None = None

    def demand_rate(self) -> FloatArray:
        """Demand per day behind the policy: the forecast where given."""
        if self.demand_per_day is None:
            return self.usage_per_day_avg
        rate = np.asarray(self.demand_per_day, dtype=np.float64)
        return np.where(np.isnan(rate), self.usage_per_day_avg, rate)


@dataclass(frozen=True)
class PolicySettings:
    """Scalars of the policy; see :class:`spareplan.config.PlanConfig`."""

    carrying_rate_per_year: float = 0.25
    order_cover_days: float = 30.0
    safety_stock_quadrants: tuple[int, ...] = (1, 2)


@dataclass(frozen=True)
class StockingPolicy:
    """The recommended policy; every array has shape (n,)."""

    lead_time_demand: FloatArray
    safety_stock_rule_of_thumb: FloatArray
    downtime_exposure: FloatArray
    carrying_cost_per_unit_year: FloatArray
    carrying_cost_if_stocked: FloatArray
    is_stocked_simple: NDArray[np.bool_]
    is_stocked: NDArray[np.bool_]
    safety_stock: FloatArray
    reorder_point: FloatArray
    order_quantity: FloatArray
    order_quantity_rule: NDArray[np.int8]
    order_up_to: FloatArray
    expected_on_hand: FloatArray
    stock_value: FloatArray
    annual_carrying_cost: FloatArray


def stocking_policy(inputs: PolicyInputs, settings: PolicySettings) -> StockingPolicy:
    """Decide stock or JIT and size the (r, Q) policy for every part-site.

    Steps, all vectorised over part-sites:

    1. Lead-time demand ``d L`` and the rule-of-thumb safety stock
       ``L_max d_max - L d``.
    2. The candidate stocked policy: safety stock (rounded up) in quadrants that
       hold it, ``r = ceil(d L + SS)``, ``Q`` = EOQ where the order cost is known,
       else the days-of-cover rule, and one-for-one for parts without usage.
    3. Carrying cost of that policy: ``h x (r - d L + (Q + 1) / 2)`` with
       ``h`` = carrying rate x unit cost (Hadley and Whitin 1963).
    4. Stock where the downtime exposure ``c_d x L x 24`` exceeds that cost;
       otherwise JIT, which holds nothing.

    Parameters
    ----------
    inputs : PolicyInputs
    settings : PolicySettings

    Returns
    -------
    StockingPolicy
    """
    ltd = lead_time_demand(inputs.demand_rate(), inputs.lead_time_days)
    rule_ss = np.maximum(
        rule_of_thumb_safety_stock(
            inputs.lead_time_days,
            inputs.lead_time_days_max,
            inputs.usage_per_day_avg,
            inputs.usage_per_day_max,
        ),
        0.0,
    )
    exposure = downtime_exposure(inputs.downtime_cost_per_hour, inputs.lead_time_days)
    holding = carrying_cost_per_unit_year(
        inputs.unit_cost, settings.carrying_rate_per_year
    )

    rop, safety_stock = _candidate_reorder_point(inputs, settings, rule_ss, ltd)
    quantity, rule = candidate_order_quantity(inputs, settings)
    on_hand = expected_on_hand_units(rop, quantity, ltd)
    is_stocked_simple = _simple_decision(inputs, exposure, on_hand * holding)
    is_stocked = is_stocked_simple
    if inputs.cost_optimal_units is not None:
        is_stocked, rop = _cost_model_decision(inputs, settings, is_stocked, rop)
        safety_stock = np.where(rop > ltd + safety_stock, rop - ltd, safety_stock)
        on_hand = expected_on_hand_units(rop, quantity, ltd)
    cost_if_stocked = on_hand * holding

    safety_stock = np.where(is_stocked, safety_stock, 0.0)
    rop = np.where(is_stocked, rop, 0.0)
    quantity = np.where(is_stocked, quantity, 0.0)
    rule = np.where(is_stocked, rule, np.int8(ORDER_QUANTITY_RULES.index("none")))
    on_hand = np.where(is_stocked, on_hand, 0.0)
    stock_value = on_hand * inputs.unit_cost
    return StockingPolicy(
        lead_time_demand=ltd,
        safety_stock_rule_of_thumb=rule_ss,
        downtime_exposure=exposure,
        carrying_cost_per_unit_year=holding,
        carrying_cost_if_stocked=cost_if_stocked,
        is_stocked_simple=is_stocked_simple,
        is_stocked=is_stocked,
        safety_stock=safety_stock,
        reorder_point=rop,
        order_quantity=quantity,
        order_quantity_rule=rule.astype(np.int8),
        order_up_to=rop + quantity,
        expected_on_hand=on_hand,
        stock_value=stock_value,
        annual_carrying_cost=stock_value * settings.carrying_rate_per_year,
    )


def _simple_decision(
    inputs: PolicyInputs, exposure: FloatArray, cost_if_stocked: FloatArray
) -> NDArray[np.bool_]:
    """Stock where one stockout's downtime costs more than a year's carrying.

    Without a downtime cost (NaN) economics cannot decide: a part is held to its
    service level when it is critical (quadrants 1 and 2) or used at all.
    """
    is_unknown = np.isnan(exposure)
    by_use = (inputs.quadrant <= 2) | (inputs.demand_rate() > 0)
    return np.where(is_unknown, by_use, exposure > cost_if_stocked)


def _cost_model_decision(
    inputs: PolicyInputs,
    settings: PolicySettings,
    is_stocked_simple: NDArray[np.bool_],
    rop: FloatArray,
) -> tuple[NDArray[np.bool_], FloatArray]:
    """Stock where S* >= 1; raise r to S* - 1 where the strategy holds safety stock."""
    units = np.asarray(inputs.cost_optimal_units, dtype=np.float64)
    has_model = ~np.isnan(units)
    is_stocked = np.where(has_model, units >= 1, is_stocked_simple)
    holds = np.isin(inputs.quadrant, np.asarray(settings.safety_stock_quadrants))
    is_raised = has_model & holds & (units - 1 > rop)
    return is_stocked, np.where(is_raised, units - 1, rop)


def _candidate_reorder_point(
    inputs: PolicyInputs,
    settings: PolicySettings,
    rule_ss: FloatArray,
    ltd: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Reorder point and safety stock a stocked part would hold, by its quadrant."""
    holds = np.isin(inputs.quadrant, np.asarray(settings.safety_stock_quadrants))
    # r = ceil(d L + SS): rounded once, so the safety stock is what r leaves over
    # the lead-time demand.
    rop = reorder_point(ltd, np.where(holds, rule_ss, 0.0))
    safety_stock = np.where(holds, rop - ltd, 0.0)
    if inputs.reorder_point_units is not None:
        override = np.asarray(inputs.reorder_point_units, dtype=np.float64)
        use = holds & ~np.isnan(override)
        rop = np.where(use, override, rop)
        safety_stock = np.where(use, override - ltd, safety_stock)
    return rop, safety_stock


def candidate_order_quantity(
    inputs: PolicyInputs, settings: PolicySettings
) -> tuple[FloatArray, NDArray[np.int8]]:
    """Order quantity a stocked part would use, and the code of the rule used.

    The EOQ where ``order_cost`` is known, else ``order_cover_days`` of demand,
    and one unit for a part without demand; whole units, at least one.
    """
    holding = carrying_cost_per_unit_year(
        inputs.unit_cost, settings.carrying_rate_per_year
    )
    demand = inputs.demand_rate()
    annual_demand = demand * DAYS_PER_YEAR
    eoq = economic_order_quantity(annual_demand, inputs.order_cost, holding)
    has_eoq = ~np.isnan(eoq)
    has_usage = demand > 0

    quantity = np.where(
        has_eoq,
        whole_order_quantity(np.where(has_eoq, eoq, 1.0)),
        order_quantity_by_cover(demand, settings.order_cover_days),
    )
    rule = np.select(
        [has_eoq, has_usage],
        [ORDER_QUANTITY_RULES.index("eoq"), ORDER_QUANTITY_RULES.index("days_cover")],
        default=ORDER_QUANTITY_RULES.index("one_for_one"),
    ).astype(np.int8)
    return quantity, rule
