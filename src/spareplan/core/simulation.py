r"""Monte Carlo simulation of inventory policies for many parts and paths at once.

All parts and paths advance together, one period at a time; the only Python loop
is over periods. Time is counted in periods of ``period_days`` days (1 for a daily
simulation, about 30.4 to replay monthly history).

Order of events in period :math:`t`:

1. **Arrivals.** Every order due in period :math:`t` is received; it first serves
   the units on backorder (machines waiting), and the rest goes on the shelf.
2. **Demand.** The demand of period :math:`t` is met from the units on hand; what
   cannot be met waits as a backorder (a spare-part demand is a stopped machine,
   never a lost sale).
3. **Emergency orders** (parts with an emergency lead time): the units of this
   period's demand that could not be met are ordered at once and arrive
   :math:`e` periods later, at the start of period :math:`t + e` (:math:`e = 0`:
   before the period ends, so they never count as waiting at its end).
4. **Review and ordering.** With the inventory position
   :math:`IP = \text{on hand} + \text{on order} - \text{backorders}`:

   * min-max (kind 0): if :math:`IP \le r`, order :math:`S - IP`;
   * periodic review (kind 1): in periods :math:`t` with :math:`t \bmod R = 0`,
     order :math:`S - IP` if positive;
   * base stock (kind 2): order :math:`S - IP` if positive, i.e. what was demanded.

   An order placed in period :math:`t` with lead time :math:`L \ge 1` is received
   at the start of period :math:`t + L` (step 1). Each order draws its own
   :math:`L`, so orders may cross.
5. **Recording.** On hand and backorders are recorded as they stand at the end of
   the period.

With this convention a base-stock part with Poisson demand of rate :math:`\lambda`
per period and fixed lead time :math:`L` ends each period with net inventory
:math:`S - X`, :math:`X \sim \text{Poisson}(\lambda L)` (Palm's theorem; Sherbrooke
2004, Ch. 2; Axsäter 2015, Ch. 5), which the tests check.

Performance measures, per part, over the ``n_periods`` recorded periods (after the
``n_warmup_periods`` that are simulated but not recorded):

* **fill rate** :math:`\beta = \sum \text{units met from stock when demanded} /
  \sum \text{units demanded}`, 1 where nothing was demanded;
* **cycle service level**: the fraction of replenishment cycles without a stockout.
  A replenishment cycle runs from the period after one regular order to the period
  of the next one, inclusive; it has a stockout if in any of its periods some
  demand could not be met from stock. Only complete cycles count; a path with
  none counts its whole recorded horizon as one cycle. For an (r, Q)-type part
  with unit demands this is :math:`P(\text{demand in the } L - 1 \text{ periods
  before the order arrives} \le r)` (Silver, Pyke & Thomas 2017, Ch. 6);
* **stockout events**: periods in which some demand could not be met from stock;
* **backorder unit-periods**: units on backorder summed over the ends of periods;
  **downtime hours** are these times ``period_days * 24``, one stopped machine
  per waiting unit;
* average units on hand at the end of a period, and its value at ``unit_cost``;
* regular orders placed, emergency orders placed and emergency units ordered.

Each is estimated from the paths as independent replications: a mean over paths
with its standard error and 95 % confidence half-width (Student t with
``n_paths - 1`` degrees of freedom); the fill rate and cycle service level are
ratio estimators (totals over paths), with delta-method standard errors (Law 2015,
Ch. 9; Cochran 1977, Ch. 6). One path gives ``NaN`` errors.

Orders in transit live in a ring buffer of int32 unit counts indexed by period
modulo the longest possible lead time plus one (``pipeline_buffer_shape`` in the
result), never in an array over all periods.

References
----------
Axsäter, S. (2015). *Inventory Control*, 3rd ed., Springer.
Sherbrooke, C. C. (2004). *Optimal Inventory Modeling of Systems: Multi-Echelon
Techniques*, 2nd ed., Kluwer.
Silver, E. A., Pyke, D. F. & Thomas, D. J. (2017). *Inventory and Production
Management in Supply Chains*, 4th ed., CRC Press.
Law, A. M. (2015). *Simulation Modeling and Analysis*, 5th ed., McGraw-Hill.
Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., Wiley.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from spareplan.core.simulation_inputs import (
    DemandPaths,
    FixedLeadTime,
    PolicyArrays,
    PolicyKind,
    RandomDemand,
    RandomLeadTime,
    check_optional_nonnegative,
)
from spareplan.core.simulation_results import (
    PathEstimate,
    SimulationResult,
    StockTrace,
    mean_estimate,
    ratio_estimate,
)
from spareplan.core.simulation_setup import (
    SimulationSetup,
    validate_simulation_inputs,
)
from spareplan.errors import InputError

__all__ = [
    "DemandPaths",
    "FixedLeadTime",
    "PathEstimate",
    "PolicyArrays",
    "PolicyKind",
    "RandomDemand",
    "RandomLeadTime",
    "SimulationResult",
    "StockTrace",
    "simulate_policies",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

HOURS_PER_DAY: Final = 24.0

# dtype of the ring buffer of orders in transit.
_PIPELINE_DTYPE: Final = np.int32


class _State:
    """Stock of every (part, path) cell, and the tallies of the recorded periods."""

    def __init__(self, setup: SimulationSetup) -> None:
        shape = (setup.n_parts, setup.n_paths)
        self.net_units = np.repeat(
            setup.initial_on_hand_units[:, np.newaxis], setup.n_paths, axis=1
        )
        self.position_units = self.net_units.copy()
        self.pipeline_units = np.zeros((setup.ring_size, *shape), dtype=_PIPELINE_DTYPE)
        self.demand_units = np.zeros(shape, dtype=np.int64)

        self.demanded_units = np.zeros(shape, dtype=np.int64)
        self.short_units = np.zeros(shape, dtype=np.int64)
        self.backorder_sum_units = np.zeros(shape, dtype=np.int64)
        self.net_sum_units = np.zeros(shape, dtype=np.int64)
        self.n_stockout_events = np.zeros(shape, dtype=np.int64)
        self.n_orders = np.zeros(shape, dtype=np.int64)
        self.n_emergency_orders = np.zeros(shape, dtype=np.int64)
        self.emergency_units = np.zeros(shape, dtype=np.int64)
        self.n_cycles_with_stockout = np.zeros(shape, dtype=np.int64)
        self.has_stockout_in_cycle = np.zeros(shape, dtype=np.bool_)

        n_traced = setup.trace_parts.size
        self.trace_net_units = np.zeros((n_traced, setup.n_periods), dtype=np.int64)
        self.trace_order_units = np.zeros((n_traced, setup.n_periods), dtype=np.int64)


def simulate_policies(
    policy: PolicyArrays,
    demand: RandomDemand | DemandPaths,
    lead_time: RandomLeadTime | FixedLeadTime,
    *,
    n_periods: int,
    n_paths: int,
    rng: np.random.Generator,
    n_warmup_periods: int = 0,
    initial_on_hand_units: ArrayLike | None = None,
    unit_cost: ArrayLike | None = None,
    downtime_cost_per_hour: ArrayLike | None = None,
    emergency_lead_time_periods: ArrayLike | None = None,
    period_days: float = 1.0,
    return_trace_parts: Sequence[int] | None = None,
    part_ids: Sequence[str] | None = None,
) -> SimulationResult:
    r"""Simulate the inventory policy of every part over many demand paths.

    The order of events in a period, the lead-time convention and the definition
    of each measure are in the module docstring.

    Parameters
    ----------
    policy : PolicyArrays
        Kind and levels of each part's policy, shape (n_parts,) each.
    demand : RandomDemand or DemandPaths
        Random demand per period (Poisson or negative binomial by moments), or
        explicit whole-unit demand of shape (n_parts, n_paths, n_warmup_periods +
        n_periods), e.g. history replayed with ``n_paths = 1``.
    lead_time : RandomLeadTime or FixedLeadTime
        Lead time of each order, periods: gamma by moments rounded to whole periods
        (at least 1), or a fixed whole number of periods per part.
    n_periods : int
        Periods recorded, >= 1.
    n_paths : int
        Independent paths (replications), >= 1.
    rng : numpy.random.Generator
        Source of every random draw; the same seed gives the same result.
    n_warmup_periods : int, default 0
        Periods simulated first and not recorded, to start from a steady state.
    initial_on_hand_units : array_like, shape (n_parts,), optional
        Whole units on hand at the start, nothing on order; default the order-up-to
        level (rounded down).
    unit_cost : array_like, shape (n_parts,), optional
        Value of one unit, currency; gives ``average_stock_value``.
    downtime_cost_per_hour : array_like, shape (n_parts,), optional
        Cost of one machine stopped for one hour, currency; gives ``downtime_cost``.
    emergency_lead_time_periods : array_like, shape (n_parts,), optional
        Lead time of an emergency order, periods, rounded up to whole periods; NaN
        where the part has none. Default: no emergency orders.
    period_days : float, default 1.0
        Length of one period, days (> 0); converts backorders to downtime hours.
    return_trace_parts : sequence of int, optional
        Part indices whose stock over time (path 0) is returned in ``trace``.
    part_ids : sequence of str, optional
        Part identifiers, used only to name a part in error messages.

    Returns
    -------
    SimulationResult

    Raises
    ------
    InputError
        If a shape, a count, a level, a demand or a lead time is outside its range;
        the message names the parameter, the part, the value and the range.

    Examples
    --------
    A base-stock part with :math:`S = 2` and a fixed lead time of 2 periods
    replaying a demand of 1, 0, 2, 0, 0: the order of period 0 arrives in period 2
    and that of period 2 in period 4.

    >>> policy = PolicyArrays(
    ...     kind=np.array([PolicyKind.BASE_STOCK], dtype=np.int8),
    ...     reorder_point_units=np.array([0.0]),
    ...     order_up_to_units=np.array([2.0]),
    ...     review_period_periods=np.array([1]),
    ... )
    >>> result = simulate_policies(
    ...     policy,
    ...     DemandPaths(np.array([[[1, 0, 2, 0, 0]]])),
    ...     FixedLeadTime(np.array([2])),
    ...     n_periods=5,
    ...     n_paths=1,
    ...     rng=np.random.default_rng(0),
    ...     return_trace_parts=[0],
    ... )
    >>> result.trace.on_hand_units.tolist(), result.trace.order_units.tolist()
    ([[1, 1, 0, 0, 2]], [[1, 0, 2, 0, 0]])
    >>> result.fill_rate.mean.tolist(), result.n_orders.mean.tolist()
    ([1.0], [2.0])
    """
    setup = validate_simulation_inputs(
        policy,
        demand,
        lead_time,
        n_periods=n_periods,
        n_paths=n_paths,
        n_warmup_periods=n_warmup_periods,
        initial_on_hand_units=initial_on_hand_units,
        emergency_lead_time_periods=emergency_lead_time_periods,
        return_trace_parts=return_trace_parts,
        part_ids=part_ids,
    )
    unit_cost_array = check_optional_nonnegative(
        "unit_cost", unit_cost, setup.n_parts, part_ids
    )
    downtime_cost_array = check_optional_nonnegative(
        "downtime_cost_per_hour", downtime_cost_per_hour, setup.n_parts, part_ids
    )
    if not (isinstance(period_days, int | float) and 0.0 < period_days < np.inf):
        raise InputError(f"`period_days` must be finite and > 0, got {period_days!r}")

    state = _State(setup)
    for period in range(setup.n_warmup_periods + setup.n_periods):
        _simulate_period(setup, state, period, rng)

    return _assemble_result(
        setup, state, float(period_days), unit_cost_array, downtime_cost_array
    )


def _simulate_period(
    setup: SimulationSetup, state: _State, period: int, rng: np.random.Generator
) -> None:
    """Advance every cell by one period: steps 1 to 5 of the module docstring."""
    is_recorded = period >= setup.n_warmup_periods
    _receive_arrivals(setup, state, period)
    _draw_demand(setup, state, period, rng)
    negative_cells, short_cells, short_units = _meet_demand(state, is_recorded)
    _place_emergency_orders(setup, state, period, short_cells, short_units, is_recorded)
    position_before_units = state.position_units[setup.trace_parts, 0]
    _review_and_order(setup, state, period, rng, is_recorded)
    if is_recorded:
        _record_period(setup, state, period, negative_cells, position_before_units)


def _receive_arrivals(setup: SimulationSetup, state: _State, period: int) -> None:
    """Step 1: add the orders due this period to the net inventory."""
    arriving_units = state.pipeline_units[period % setup.ring_size]
    np.add(state.net_units, arriving_units, out=state.net_units)
    arriving_units.fill(0)


def _draw_demand(
    setup: SimulationSetup, state: _State, period: int, rng: np.random.Generator
) -> None:
    """This period's demand of every cell, drawn or read from the paths."""
    if setup.demand_sampler is not None:
        setup.demand_sampler.draw(rng, state.demand_units)
    elif setup.demand_paths is not None:
        state.demand_units[...] = setup.demand_paths[:, :, period]


def _meet_demand(
    state: _State, is_recorded: bool
) -> tuple[IntArray, IntArray, IntArray]:
    """Step 2: serve demand; return the backordered cells, the short ones, units."""
    demand_units = state.demand_units
    np.subtract(state.net_units, demand_units, out=state.net_units)
    np.subtract(state.position_units, demand_units, out=state.position_units)

    # A cell is short when its net inventory went below zero and this period's
    # demand is part of that: the units short are min(demand, -net).
    negative_cells = np.flatnonzero(state.net_units < 0)
    short_units = np.minimum(
        demand_units.reshape(-1)[negative_cells],
        -state.net_units.reshape(-1)[negative_cells],
    )
    is_short = short_units > 0
    short_cells, short_units = negative_cells[is_short], short_units[is_short]

    if is_recorded:
        np.add(state.demanded_units, demand_units, out=state.demanded_units)
        state.short_units.reshape(-1)[short_cells] += short_units
        state.n_stockout_events.reshape(-1)[short_cells] += 1
        state.has_stockout_in_cycle.reshape(-1)[short_cells] = True
    return negative_cells, short_cells, short_units


def _place_emergency_orders(
    setup: SimulationSetup,
    state: _State,
    period: int,
    short_cells: IntArray,
    short_units: IntArray,
    is_recorded: bool,
) -> None:
    """Step 3: order each short cell's shortfall where its part allows it."""
    lead_periods = setup.emergency_lead_time_periods[short_cells // setup.n_paths]
    has_emergency = lead_periods >= 0
    if not np.any(has_emergency):
        return
    cells = short_cells[has_emergency]
    units = short_units[has_emergency]
    lead_periods = lead_periods[has_emergency]
    _check_order_size(setup, units, "an emergency order")

    state.position_units.reshape(-1)[cells] += units
    is_same_period = lead_periods == 0
    state.net_units.reshape(-1)[cells[is_same_period]] += units[is_same_period]
    later = ~is_same_period
    _add_to_pipeline(
        setup, state, period + lead_periods[later], cells[later], units[later]
    )

    if is_recorded:
        state.n_emergency_orders.reshape(-1)[cells] += 1
        state.emergency_units.reshape(-1)[cells] += units


def _review_and_order(
    setup: SimulationSetup,
    state: _State,
    period: int,
    rng: np.random.Generator,
    is_recorded: bool,
) -> None:
    """Step 4: each cell at or below its trigger orders up to its level."""
    trigger_units = setup.trigger_units(period)
    is_ordering = state.position_units <= trigger_units[:, np.newaxis]
    cells = np.flatnonzero(is_ordering)
    parts = cells // setup.n_paths
    position_flat = state.position_units.reshape(-1)
    if not cells.size:
        return
    order_up_to_units = setup.order_up_to_units[parts]
    units = order_up_to_units - position_flat[cells]
    _check_order_size(setup, units, "a regular order")

    position_flat[cells] = order_up_to_units
    lead_periods = setup.lead_time_sampler.draw(rng, parts)
    _add_to_pipeline(setup, state, period + lead_periods, cells, units)

    if is_recorded:
        _close_cycles(state, cells)


def _add_to_pipeline(
    setup: SimulationSetup,
    state: _State,
    arrival_period: IntArray,
    cells: IntArray,
    units: IntArray,
) -> None:
    """Put orders (distinct cells) in the ring-buffer slots of their arrival."""
    slot = arrival_period % setup.ring_size
    flat_index = slot * (setup.n_parts * setup.n_paths) + cells
    # NOTE: the int64 sums are cast back to int32 on assignment; _check_order_size
    # keeps every slot within int32.
    state.pipeline_units.reshape(-1)[flat_index] += units


def _close_cycles(state: _State, cells: IntArray) -> None:
    """Count the orders; an order after the first ends a cycle, maybe with stockout."""
    n_orders = state.n_orders.reshape(-1)
    has_stockout = state.has_stockout_in_cycle.reshape(-1)
    n_orders_before = n_orders[cells]
    is_flagged = has_stockout[cells]
    flagged_cells = cells[is_flagged]
    has_cycle_ended = n_orders_before[is_flagged] > 0
    state.n_cycles_with_stockout.reshape(-1)[flagged_cells[has_cycle_ended]] += 1
    has_stockout[flagged_cells] = False
    n_orders[cells] = n_orders_before + 1


def _check_order_size(setup: SimulationSetup, units: IntArray, what: str) -> None:
    """Refuse an order too large for the int32 ring buffer of orders in transit."""
    if units.size and int(units.max()) > setup.max_order_units:
        raise InputError(
            f"{what} of {int(units.max())} units exceeds the {setup.max_order_units} "
            "units one order may hold in the pipeline buffer; lower "
            "`policy.order_up_to_units` or the demand"
        )


def _record_period(
    setup: SimulationSetup,
    state: _State,
    period: int,
    negative_cells: IntArray,
    position_before_units: IntArray,
) -> None:
    """Step 5: add the end-of-period stock to the tallies and the trace."""
    np.add(state.net_sum_units, state.net_units, out=state.net_sum_units)
    # Only cells below zero after demand can hold backorders at the period's end
    # (a same-period emergency order may have cleared them since).
    backorder_units = np.maximum(-state.net_units.reshape(-1)[negative_cells], 0)
    state.backorder_sum_units.reshape(-1)[negative_cells] += backorder_units

    if setup.trace_parts.size:
        column = period - setup.n_warmup_periods
        traced = setup.trace_parts
        state.trace_net_units[:, column] = state.net_units[traced, 0]
        state.trace_order_units[:, column] = (
            state.position_units[traced, 0] - position_before_units
        )


def _assemble_result(
    setup: SimulationSetup,
    state: _State,
    period_days: float,
    unit_cost: FloatArray | None,
    downtime_cost_per_hour: FloatArray | None,
) -> SimulationResult:
    """Turn the per-path tallies into per-part estimates."""
    n_periods = setup.n_periods
    backorder_unit_periods = state.backorder_sum_units.astype(np.float64)
    downtime_hours = backorder_unit_periods * (period_days * HOURS_PER_DAY)
    on_hand_sum_units = state.net_sum_units + state.backorder_sum_units
    average_on_hand_units = on_hand_sum_units / n_periods

    met_units = state.demanded_units - state.short_units
    n_cycles, n_cycles_without_stockout = _cycles_or_whole_horizon(state)

    return SimulationResult(
        n_paths=setup.n_paths,
        n_periods=n_periods,
        period_days=period_days,
        fill_rate=ratio_estimate(met_units, state.demanded_units),
        cycle_service_level=ratio_estimate(n_cycles_without_stockout, n_cycles),
        n_stockout_events=mean_estimate(state.n_stockout_events),
        backorder_unit_periods=mean_estimate(backorder_unit_periods),
        average_backorder_units=mean_estimate(backorder_unit_periods / n_periods),
        downtime_hours=mean_estimate(downtime_hours),
        downtime_cost=None
        if downtime_cost_per_hour is None
        else mean_estimate(downtime_hours * downtime_cost_per_hour[:, np.newaxis]),
        average_on_hand_units=mean_estimate(average_on_hand_units),
        average_stock_value=None
        if unit_cost is None
        else mean_estimate(average_on_hand_units * unit_cost[:, np.newaxis]),
        n_orders=mean_estimate(state.n_orders),
        n_emergency_orders=mean_estimate(state.n_emergency_orders),
        emergency_order_units=mean_estimate(state.emergency_units),
        trace=_stock_trace(setup, state),
        pipeline_buffer_shape=(
            int(state.pipeline_units.shape[0]),
            int(state.pipeline_units.shape[1]),
            int(state.pipeline_units.shape[2]),
        ),
        pipeline_buffer_bytes=int(state.pipeline_units.nbytes),
    )


def _cycles_or_whole_horizon(state: _State) -> tuple[IntArray, IntArray]:
    """Complete cycles per path; a path with none counts its horizon as one."""
    n_complete = np.maximum(state.n_orders - 1, 0)
    n_without_stockout = n_complete - state.n_cycles_with_stockout
    has_no_cycle = n_complete == 0
    n_cycles = np.where(has_no_cycle, 1, n_complete)
    n_cycles_without_stockout = np.where(
        has_no_cycle,
        (state.n_stockout_events == 0).astype(np.int64),
        n_without_stockout,
    )
    return n_cycles, n_cycles_without_stockout


def _stock_trace(setup: SimulationSetup, state: _State) -> StockTrace | None:
    """The traced parts' stock over time, or None when none were asked for."""
    if not setup.trace_parts.size:
        return None
    return StockTrace(
        part_indices=setup.trace_parts.copy(),
        on_hand_units=np.maximum(state.trace_net_units, 0),
        backorder_units=np.maximum(-state.trace_net_units, 0),
        order_units=state.trace_order_units,
    )
