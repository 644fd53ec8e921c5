import numpy as np
import polars as pl
import pytest

from spareplan import PlanConfig, plan_catalogue, read_catalogue, read_history
from spareplan.errors import InputError
from spareplan.planning.evaluation import backtest_plan, simulate_plan, truncate_history

CATALOGUE = (
    "part_id,site_id,unit_cost,criticality,lead_time_days,lead_time_days_max,"
    "downtime_cost_per_hour,min_units,max_units\n"
    "P1,A,100,V,30,30,500,1,3\n"
    "P2,A,20,D,10,10,0,2,\n"
    "P3,A,50,E,20,40,200,,\n"
)
HISTORY = (
    "part_id,site_id,Jan-24,Feb-24,Mar-24,Apr-24,May-24,Jun-24,Jul-24,Aug-24,"
    "Sep-24,Oct-24,Nov-24,Dec-24\n"
    "P1,A,0,1,0,0,2,0,0,1,0,0,0,1\n"
    "P2,A,3,5,4,6,2,5,4,3,5,4,6,5\n"
    "P3,A,0,0,1,0,0,0,0,1,0,0,0,0\n"
)


@pytest.fixture
def inputs(write_csv):
    catalogue = read_catalogue(write_csv(CATALOGUE))
    history = read_history(write_csv(HISTORY, "usage.csv"))
    return catalogue, history


def test_backtest_never_sees_the_holdout_window(inputs):
    catalogue, history = inputs
    _, plan = backtest_plan(catalogue, history, PlanConfig(), holdout_periods=4)
    wild = history.quantity.copy()
    wild[:, -4:] = 500.0  # nothing like the past: a policy that saw it would change
    changed = type(history)(
        history.keys, wild, history.period_start, history.period_days, history.file
    )
    _, plan_again = backtest_plan(catalogue, changed, PlanConfig(), holdout_periods=4)
    levels = ["reorder_point", "order_up_to", "stock_decision"]
    assert plan.table.select(levels).equals(plan_again.table.select(levels))
    alone = plan_catalogue(catalogue, truncate_history(history, 8), PlanConfig())
    assert alone.table.select(levels).equals(plan.table.select(levels))


def test_backtest_replays_demand_by_hand(inputs):
    # P2 under the current policy: min 2 and no max, so max = 2 + the plan's order
    # quantity (P2 is JIT, so Q counts as 1): max 3. Lead time 10 days is under a
    # month: one period, the minimum. The last four months demand 5, 4, 6, 5.
    #   Sep: 3 on hand, 5 wanted: 3 met, 2 wait; position -2 <= 2: order 5
    #   Oct: 5 arrive, 2 go to the waiting, 3 left; 4 wanted: 3 met, 1 waits; order 4
    #   Nov: 4 arrive, 3 left; 6 wanted: 3 met, 3 wait; order 6
    #   Dec: 6 arrive, 3 left; 5 wanted: 3 met, 2 wait; order 5
    # Fill rate 12 / 20 = 0.6, four stockouts, four orders.
    catalogue, history = inputs
    evaluation, _ = backtest_plan(catalogue, history, PlanConfig(), holdout_periods=4)
    per_part = evaluation.per_part
    assert set(evaluation.policies) == {"recommended", "current"}
    assert per_part["demand_units"].to_list() == [1.0, 20.0, 0.0]
    p2 = per_part.filter(pl.col("part_id") == "P2").row(0, named=True)
    assert p2["current.fill_rate"] == pytest.approx(0.6)
    assert p2["current.n_stockout_events"] == 4
    assert p2["current.n_orders"] == 4
    p3 = per_part.filter(pl.col("part_id") == "P3").row(0, named=True)
    assert p3["current.fill_rate"] is None  # no current min for P3
    assert "have no current min" in evaluation.notes[0]


def test_bad_holdout_is_named(inputs):
    catalogue, history = inputs
    with pytest.raises(
        InputError, match=r"holdout_periods must be between 1 and 6 .*got 9"
    ):
        backtest_plan(catalogue, history, PlanConfig(), holdout_periods=9)


def test_simulation_is_reproducible_and_jit_parts_wait(inputs):
    catalogue, history = inputs
    plan = plan_catalogue(catalogue, history, PlanConfig())
    first = simulate_plan(plan, n_days=120, n_paths=20, seed=4)
    again = simulate_plan(plan, n_days=120, n_paths=20, seed=4)
    other = simulate_plan(plan, n_days=120, n_paths=20, seed=5)
    assert first.per_part.equals(again.per_part)
    assert not first.per_part.equals(other.per_part)
    jit = first.per_part.filter(pl.col("stock_decision") == "jit")
    assert jit.height == 1  # P2: no downtime cost
    assert jit["recommended.fill_rate"].to_list() == [0.0]
    assert jit["recommended.average_stock_value"].to_list() == [0.0]


def test_simulated_service_of_stocked_parts_is_near_the_plan(inputs):
    catalogue, history = inputs
    plan = plan_catalogue(catalogue, history, PlanConfig())
    evaluation = simulate_plan(plan, n_days=730, n_paths=200, seed=1)
    stocked = evaluation.per_part.filter(pl.col("stock_decision") == "stock")
    expected = plan.table.filter(pl.col("stock_decision") == "stock")
    simulated = stocked["recommended.fill_rate"].to_numpy()
    # Analytic fill rates assume continuous review and an (r, Q) approximation;
    # the simulation reviews daily with gamma lead times: close, not equal.
    np.testing.assert_allclose(simulated, expected["expected_fill_rate"], atol=0.05)


def test_backtest_runs_on_the_real_carparts_history(carparts):
    # Hyndman et al. (2008) car parts, 51 months: plan on the first 39, replay 12.
    catalogue_path, history_path = carparts
    catalogue = read_catalogue(catalogue_path)
    history = read_history(history_path)
    evaluation, plan = backtest_plan(
        catalogue, history, PlanConfig(), holdout_periods=12
    )
    assert plan.table.height == 2674
    assert evaluation.per_part.height == 2674
    assert evaluation.policies == ("recommended",)  # no current min/max given
    totals = evaluation.totals.row(0, named=True)
    assert 0 <= totals["fill_rate"] <= 1
    # Series that ended before the holdout have no demand to replay.
    assert evaluation.per_part["demand_units"].min() == 0
