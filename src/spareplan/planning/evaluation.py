"""How policies would do: Monte Carlo simulation of a plan, and a backtest on history.

Both compare spareplan's recommendation with the current policy where the catalogue
gives one (``min_units`` and ``max_units``; without ``max_units`` the current max is
the min plus the plan's order quantity). Both start every policy full, at its own
order-up-to level, so they measure the policy and not today's stock.

A recommended part bought when needed (JIT) is simulated as a base stock of zero:
every demand is ordered when it arrives and waits a lead time. A stocked part whose
order quantity is one unit and whose max is its reorder point plus one is a
one-for-one base stock; every other part is a min-max policy reviewed each period.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import polars as pl

from spareplan.config import PlanConfig
from spareplan.core.simulation import SimulationResult, simulate_policies
from spareplan.core.simulation_inputs import (
    DemandPaths,
    FixedLeadTime,
    PolicyArrays,
    PolicyKind,
    RandomDemand,
    RandomLeadTime,
)
from spareplan.errors import InputError
from spareplan.io.catalogue import Catalogue
from spareplan.io.history import UsageHistory
from spareplan.planning.plan import Plan, plan_catalogue

__all__ = [
    "MEASURES",
    "Evaluation",
    "backtest_plan",
    "simulate_plan",
    "truncate_history",
]

# Measure -> label, for tables and workbooks.
MEASURES = {
    "fill_rate": "fill rate",
    "cycle_service_level": "cycle service level",
    "n_stockout_events": "stockouts",
    "downtime_hours": "downtime hours",
    "average_on_hand_units": "average on hand",
    "average_stock_value": "average stock value",
    "n_orders": "orders",
    "n_emergency_orders": "emergency buys",
}
_KEYS = (
    "part_id",
    "site_id",
    "criticality",
    "demand_class",
    "quadrant",
    "stock_decision",
    "downtime_cost_per_hour",
)


@dataclass(frozen=True)
class Evaluation:
    """Per part-site results of each policy, and the totals.

    ``per_part`` has the key columns and, per policy ``p`` in ``policies``, one
    column ``p.measure`` per measure in :data:`MEASURES` (means over paths).
    ``totals`` and ``by_group`` sum counts, hours and values and weight the service
    measures by demand. ``traces`` maps policy -> on-hand units of the traced
    parts per period (path 0), with ``trace_rows`` the plan rows traced.
    """

    per_part: pl.DataFrame
    totals: pl.DataFrame
    by_group: pl.DataFrame
    by_decision: pl.DataFrame
    policies: tuple[str, ...]
    n_periods: int
    n_paths: int
    period_days: float
    period_labels: tuple[str, ...]
    traces: dict[str, np.ndarray]
    trace_rows: tuple[int, ...]
    trace_demand: np.ndarray
    notes: tuple[str, ...]


def simulate_plan(
    plan: Plan,
    *,
    n_days: int = 365,
    n_paths: int = 100,
    seed: int = 0,
    trace_rows: tuple[int, ...] = (),
) -> Evaluation:
    """Simulate the recommended (and current) policy of every part-site.

    Demand per day is Poisson, or negative binomial where the part's daily spread
    exceeds a Poisson's; lead times are gamma with the plan's mean and spread;
    emergency purchases follow the catalogue's emergency lead time. A warm-up of
    one longest lead time is simulated and discarded.
    """
    _check_count("n_days", n_days)
    _check_count("n_paths", n_paths)
    table = plan.table
    demand = RandomDemand(
        mean_units_per_period=table["demand_per_day"].to_numpy(),
        variance_units2_per_period=table["demand_sd_per_day"].to_numpy() ** 2,
    )
    lead_time = RandomLeadTime(
        mean_periods=table["lead_time_days"].to_numpy(),
        sd_periods=np.nan_to_num(table["lead_time_days_sd"].to_numpy()),
    )
    warmup = math.ceil(float(np.nanmax(table["lead_time_days_max"].to_numpy())))
    results: dict[str, SimulationResult] = {}
    policies, notes = _policies(table)
    for name, (policy, rows) in policies.items():
        results[name] = simulate_policies(
            policy,
            _subset_demand(demand, rows),
            _subset_lead_time(lead_time, rows),
            n_periods=n_days,
            n_paths=n_paths,
            # The same seed for every policy: where they cover the same parts they
            # start from the same random draws (they part ways as orders differ).
            rng=np.random.default_rng(seed),
            n_warmup_periods=warmup,
            initial_on_hand_units=policy.order_up_to_units,
            unit_cost=table["unit_cost"].to_numpy()[rows],
            downtime_cost_per_hour=np.nan_to_num(
                table["downtime_cost_per_hour"].to_numpy()[rows]
            ),
            emergency_lead_time_periods=table["emergency_lead_time_days"]
            .fill_null(np.nan)
            .to_numpy()[rows],
            period_days=1.0,
            return_trace_parts=_local_rows(rows, trace_rows),
            part_ids=table["part_id"].gather(rows).to_list(),
        )
    weights = table["demand_per_day"].to_numpy() * n_days
    labels = tuple(f"day {day + 1}" for day in range(n_days))
    return _evaluation(
        table,
        results,
        policies,
        weights,
        n_days,
        n_paths,
        1.0,
        labels,
        notes,
        trace_rows,
        np.zeros((len(trace_rows), n_days)),
    )


def backtest_plan(
    catalogue: Catalogue,
    history: UsageHistory,
    config: PlanConfig,
    *,
    holdout_periods: int = 12,
    trace_rows: tuple[int, ...] = (),
) -> tuple[Evaluation, Plan]:
    """Replay the last ``holdout_periods`` of history against both policies.

    The recommendation is planned from the earlier periods only, so no demand of
    the holdout window reaches the policy it tests. Each period's demand arrives
    as recorded (a blank is no demand); an order placed in a period arrives after
    the lead time rounded to whole periods, at least one; review happens once a
    period, so a continuous-review policy is replayed at the history's grain.
    """
    n_periods = history.quantity.shape[1]
    min_training = config.demand.min_history_periods
    if not 1 <= holdout_periods <= n_periods - min_training:
        raise InputError(
            f"holdout_periods must be between 1 and {n_periods - min_training} "
            f"(the history has {n_periods} periods and planning needs at least "
            f"{min_training}), got {holdout_periods!r}"
        )
    training = truncate_history(history, n_periods - holdout_periods)
    plan = plan_catalogue(catalogue, training, config)
    table = plan.table

    rows_in_history = _history_rows(table, history)
    window = history.quantity[:, n_periods - holdout_periods :]
    demand = np.where(
        rows_in_history[:, None] >= 0,
        np.nan_to_num(window[np.maximum(rows_in_history, 0)]),
        0.0,
    )
    days_per_period = float(np.mean(history.period_days))
    lead_periods = np.maximum(
        np.rint(table["lead_time_days"].to_numpy() / days_per_period), 1
    ).astype(np.int64)
    policies, notes = _policies(table)
    results = {}
    for name, (policy, rows) in policies.items():
        results[name] = simulate_policies(
            policy,
            DemandPaths(np.rint(demand[rows])[:, None, :].astype(np.int64)),
            FixedLeadTime(lead_periods[rows]),
            n_periods=holdout_periods,
            n_paths=1,
            rng=np.random.default_rng(0),
            initial_on_hand_units=policy.order_up_to_units,
            unit_cost=table["unit_cost"].to_numpy()[rows],
            downtime_cost_per_hour=np.nan_to_num(
                table["downtime_cost_per_hour"].to_numpy()[rows]
            ),
            period_days=days_per_period,
            return_trace_parts=_local_rows(rows, trace_rows),
            part_ids=table["part_id"].gather(rows).to_list(),
        )
    labels = tuple(
        f"{start:%Y-%m-%d}"
        for start in history.period_start[n_periods - holdout_periods :]
    )
    evaluation = _evaluation(
        table,
        results,
        policies,
        demand.sum(axis=1),
        holdout_periods,
        1,
        days_per_period,
        labels,
        notes,
        trace_rows,
        demand[list(trace_rows)],
    )
    return evaluation, plan


def truncate_history(history: UsageHistory, n_periods: int) -> UsageHistory:
    """The first ``n_periods`` of a history, as if the rest had not happened yet."""
    return replace(
        history,
        quantity=history.quantity[:, :n_periods],
        period_start=history.period_start[:n_periods],
        period_days=history.period_days[:n_periods],
    )


def _policies(
    table: pl.DataFrame,
) -> tuple[dict[str, tuple[PolicyArrays, np.ndarray]], tuple[str, ...]]:
    """Recommended policy for every row; current policy where the catalogue has one."""
    all_rows = np.arange(table.height)
    reorder = table["reorder_point"].to_numpy().astype(np.float64)
    up_to = table["order_up_to"].to_numpy().astype(np.float64)
    quantity = table["order_quantity"].to_numpy()
    is_stocked = (table["stock_decision"] == "stock").to_numpy()
    is_one_for_one = ~is_stocked | ((quantity == 1) & (up_to == reorder + 1))
    kind = np.where(is_one_for_one, PolicyKind.BASE_STOCK, PolicyKind.MIN_MAX)
    recommended = PolicyArrays(
        kind=kind.astype(np.int8),
        reorder_point_units=np.where(is_stocked, reorder, 0.0),
        order_up_to_units=np.where(is_stocked, up_to, 0.0),
        review_period_periods=np.ones(table.height, dtype=np.int64),
    )
    policies = {"recommended": (recommended, all_rows)}

    notes = []
    current_min = table["min_units"].fill_null(np.nan).to_numpy()
    has_current = ~np.isnan(current_min)
    if has_current.any():
        rows = np.flatnonzero(has_current)
        current_max = table["max_units"].fill_null(np.nan).to_numpy()[rows]
        minimum = current_min[rows]
        maximum = np.where(
            np.isnan(current_max), minimum + np.maximum(quantity[rows], 1), current_max
        )
        policies["current"] = (
            PolicyArrays(
                kind=np.full(rows.size, PolicyKind.MIN_MAX, dtype=np.int8),
                reorder_point_units=minimum,
                order_up_to_units=np.maximum(maximum, minimum),
                review_period_periods=np.ones(rows.size, dtype=np.int64),
            ),
            rows,
        )
        if rows.size < table.height:
            notes.append(
                f"{table.height - rows.size} part-sites have no current min "
                "(min_units); they appear under the recommendation only"
            )
    else:
        notes.append(
            "the catalogue has no min_units / max_units columns: no current policy "
            "to compare with"
        )
    return policies, tuple(notes)


def _local_rows(rows: np.ndarray, trace_rows: tuple[int, ...]) -> list[int]:
    """Positions within ``rows`` of the traced plan rows that it holds."""
    position = {int(row): i for i, row in enumerate(rows)}
    return [position[row] for row in trace_rows if row in position]


def _subset_demand(demand: RandomDemand, rows: np.ndarray) -> RandomDemand:
    return RandomDemand(
        demand.mean_units_per_period[rows], demand.variance_units2_per_period[rows]
    )


def _subset_lead_time(lead_time: RandomLeadTime, rows: np.ndarray) -> RandomLeadTime:
    return RandomLeadTime(lead_time.mean_periods[rows], lead_time.sd_periods[rows])


def _history_rows(table: pl.DataFrame, history: UsageHistory) -> np.ndarray:
    """Row of ``history`` holding each plan row's series, -1 for none."""
    keys = history.keys.with_row_index("history_row")
    on = ["part_id", "site_id"] if history.has_site else ["part_id"]
    if not history.has_site:
        keys = keys.drop("site_id")
    joined = table.select(on).join(keys, on=on, how="left", maintain_order="left")
    return joined["history_row"].fill_null(-1).cast(pl.Int64).to_numpy()


def _evaluation(
    table: pl.DataFrame,
    results: dict[str, SimulationResult],
    policies: dict[str, tuple[PolicyArrays, np.ndarray]],
    demand_weight: np.ndarray,
    n_periods: int,
    n_paths: int,
    period_days: float,
    labels: tuple[str, ...],
    notes: tuple[str, ...],
    trace_rows: tuple[int, ...],
    trace_demand: np.ndarray,
) -> Evaluation:
    per_part = table.select(_KEYS).with_columns(
        demand_units=pl.Series(demand_weight, dtype=pl.Float64)
    )
    traces: dict[str, np.ndarray] = {}
    for name, result in results.items():
        rows = policies[name][1]
        columns = {}
        for measure in MEASURES:
            estimate = getattr(result, measure)
            values = np.full(table.height, np.nan)
            if estimate is not None:
                values[rows] = estimate.mean
            columns[f"{name}.{measure}"] = values
        # A part the policy does not cover is null, not NaN.
        per_part = per_part.with_columns(
            pl.Series(name, values).fill_nan(None) for name, values in columns.items()
        )
        if result.trace is not None and trace_rows:
            traces[name] = _trace_for_rows(result, rows, trace_rows)
    totals = _totals(per_part, tuple(results), group=None)
    by_group = _totals(per_part, tuple(results), group=("demand_class", "criticality"))
    by_decision = _totals(per_part, tuple(results), group=("stock_decision",))
    return Evaluation(
        per_part=per_part,
        totals=totals,
        by_group=by_group,
        by_decision=by_decision,
        policies=tuple(results),
        n_periods=n_periods,
        n_paths=n_paths,
        period_days=period_days,
        period_labels=labels,
        traces=traces,
        trace_rows=trace_rows,
        trace_demand=trace_demand,
        notes=notes,
    )


def _trace_for_rows(
    result: SimulationResult, rows: np.ndarray, trace_rows: tuple[int, ...]
) -> np.ndarray:
    """On-hand trace per traced plan row (NaN where the policy has no such row)."""
    out = np.full((len(trace_rows), result.n_periods), np.nan)
    if result.trace is None:
        return out
    position = {int(row): i for i, row in enumerate(rows)}
    traced = {int(part): i for i, part in enumerate(result.trace.part_indices)}
    for k, row in enumerate(trace_rows):
        local = position.get(row)
        if local is not None and local in traced:
            out[k] = result.trace.on_hand_units[traced[local]]
    return out


def _totals(
    per_part: pl.DataFrame, policies: tuple[str, ...], group: tuple[str, ...] | None
) -> pl.DataFrame:
    """Sums, and demand-weighted service, per policy (and group)."""
    rows = []
    for name in policies:
        present = per_part.filter(pl.col(f"{name}.fill_rate").is_not_null())
        weight = pl.col("demand_units")
        aggregations = [
            pl.len().alias("part_sites"),
            ((pl.col(f"{name}.fill_rate") * weight).sum() / weight.sum()).alias(
                "fill_rate"
            ),
            (
                (pl.col(f"{name}.cycle_service_level") * weight).sum() / weight.sum()
            ).alias("cycle_service_level"),
            *[
                pl.col(f"{name}.{m}").sum().alias(m)
                for m in (
                    "n_stockout_events",
                    "downtime_hours",
                    "average_stock_value",
                    "n_orders",
                    "n_emergency_orders",
                )
            ],
        ]
        frame = (
            present.group_by(group, maintain_order=True).agg(aggregations)
            if group
            else present.select(aggregations)
        )
        rows.append(frame.with_columns(policy=pl.lit(name)))
    result = pl.concat(rows, how="vertical_relaxed")
    leading = ["policy", *(group or ())]
    return result.select(*leading, pl.exclude(leading))


def _check_count(name: str, value: int) -> None:
    if not isinstance(value, int) or value < 1:
        raise InputError(f"{name} must be a whole number >= 1, got {value!r}")
