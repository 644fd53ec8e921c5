import numpy as np
import pytest

from spareplan.core.policy import PolicyInputs, PolicySettings, stocking_policy


def _inputs(**overrides):
    values = dict(
        unit_cost=[100.0],
        lead_time_days=[5.0],
        lead_time_days_max=[12.0],
        usage_per_day_avg=[2.0],
        usage_per_day_max=[5.0],
        downtime_cost_per_hour=[1000.0],
        order_cost=[np.nan],
        quadrant=[2],
    )
    values.update(overrides)
    arrays = {
        k: np.asarray(v, dtype=np.int8 if k == "quadrant" else float)
        for k, v in values.items()
    }
    return PolicyInputs(**arrays)


def test_stocked_critical_part_hand_calculation():
    # Lead-time demand 2 x 5 = 10; safety stock 12 x 5 - 10 = 50; r = 60.
    # No order cost: Q covers 30 days, 2 x 30 = 60; order-up-to 120.
    # Expected on hand 60 - 10 + 61 / 2 = 80.5 units; carrying 25 x 80.5 = 2,012.5
    # a year, far below the exposure 1,000 x 5 x 24 = 120,000: stock.
    policy = stocking_policy(_inputs(), PolicySettings())
    assert policy.is_stocked.tolist() == [True]
    assert policy.safety_stock_rule_of_thumb[0] == pytest.approx(50.0)
    assert policy.safety_stock[0] == 50
    assert policy.reorder_point[0] == 60
    assert policy.order_quantity[0] == 60
    assert policy.order_up_to[0] == 120
    assert policy.expected_on_hand[0] == pytest.approx(80.5)
    assert policy.annual_carrying_cost[0] == pytest.approx(2012.5)
    assert policy.stock_value[0] == pytest.approx(8050.0)


def test_decision_boundary_is_strictly_greater():
    # Insurance spare: no usage, r = 0, Q = 1, one unit on hand; carrying cost
    # 0.25 x 480 = 120 a year. Exposure c x 1 day x 24 equals 120 at c = 5: JIT;
    # at c = 5.01 the exposure (120.24) exceeds it: stock.
    spare = dict(
        unit_cost=[480.0, 480.0],
        lead_time_days=[1.0, 1.0],
        lead_time_days_max=[1.0, 1.0],
        usage_per_day_avg=[0.0, 0.0],
        usage_per_day_max=[0.0, 0.0],
        downtime_cost_per_hour=[5.0, 5.01],
        order_cost=[np.nan, np.nan],
        quadrant=[2, 2],
    )
    policy = stocking_policy(_inputs(**spare), PolicySettings())
    assert policy.carrying_cost_if_stocked.tolist() == [120.0, 120.0]
    assert policy.is_stocked.tolist() == [False, True]
    assert policy.order_up_to.tolist() == [0, 1]
    assert policy.order_quantity.tolist() == [0, 1]
    assert policy.stock_value.tolist() == [0.0, 480.0]


def test_digital_and_consolidated_quadrants_hold_no_safety_stock_unless_configured():
    inputs = _inputs(**{k: v * 2 for k, v in _fields_one().items()}, quadrant=[3, 4])
    default = stocking_policy(inputs, PolicySettings())
    assert default.is_stocked.tolist() == [True, True]
    assert default.safety_stock.tolist() == [0, 0]
    assert default.reorder_point.tolist() == [10, 10]  # lead-time demand only
    configured = stocking_policy(inputs, PolicySettings(safety_stock_quadrants=(3,)))
    assert configured.safety_stock.tolist() == [50, 0]


def _fields_one():
    return dict(
        unit_cost=[100.0],
        lead_time_days=[5.0],
        lead_time_days_max=[12.0],
        usage_per_day_avg=[2.0],
        usage_per_day_max=[5.0],
        downtime_cost_per_hour=[1000.0],
        order_cost=[np.nan],
    )


def test_eoq_used_where_order_cost_is_known():
    # D = 2 x 365 = 730 a year, S = 40, H = 0.25 x 100 = 25:
    # sqrt(2 x 730 x 40 / 25) = sqrt(2,336) = 48.33 -> 48 units.
    policy = stocking_policy(_inputs(order_cost=[40.0]), PolicySettings())
    assert policy.order_quantity[0] == 48
    assert policy.order_quantity_rule[0] == 0


def test_jit_part_holds_nothing():
    policy = stocking_policy(_inputs(downtime_cost_per_hour=[0.0]), PolicySettings())
    assert policy.is_stocked.tolist() == [False]
    for levels in (policy.safety_stock, policy.reorder_point, policy.order_up_to):
        assert levels.tolist() == [0]
    assert policy.annual_carrying_cost.tolist() == [0.0]


def test_demand_driven_reorder_point_replaces_rule_of_thumb_where_given():
    # Lead-time demand 2 x 5 = 10. A reorder point of 17 from a service target
    # gives safety stock 17 - 10 = 7; NaN keeps the rule of thumb (50, r = 60);
    # quadrant 4 holds no safety stock, so its override is ignored (r = 10).
    inputs = _inputs(
        **{k: v * 3 for k, v in _fields_one().items()},
        quadrant=[1, 1, 4],
    )
    inputs = PolicyInputs(
        **{**inputs.__dict__, "reorder_point_units": np.array([17.0, np.nan, 30.0])}
    )
    policy = stocking_policy(inputs, PolicySettings())
    assert policy.reorder_point.tolist() == [17, 60, 10]
    assert policy.safety_stock.tolist() == [7, 50, 0]


def test_forecast_demand_rate_replaces_history_average():
    # Forecast 4 a day instead of the history's 2: lead-time demand 20, and the
    # rule-of-thumb safety stock (which describes history) stays 12 x 5 - 5 x 2
    # = 50, so r = ceil(20 + 50) = 70; Q covers 30 days of 4 = 120.
    inputs = PolicyInputs(**{**_inputs().__dict__, "demand_per_day": np.array([4.0])})
    policy = stocking_policy(inputs, PolicySettings())
    assert policy.lead_time_demand.tolist() == [20.0]
    assert policy.reorder_point.tolist() == [70]
    assert policy.order_quantity.tolist() == [120]


def test_policy_vectorised_equals_scalar_loop():
    rng = np.random.default_rng(5)
    n = 300
    avg = rng.gamma(0.5, 0.5, n)
    lead = rng.uniform(1, 90, n)
    fields = dict(
        unit_cost=rng.uniform(1, 5000, n),
        lead_time_days=lead,
        lead_time_days_max=lead * rng.uniform(1, 2, n),
        usage_per_day_avg=avg,
        usage_per_day_max=avg * rng.uniform(1, 4, n),
        downtime_cost_per_hour=rng.choice([0.0, 10.0, 1000.0], n),
        order_cost=np.where(rng.random(n) < 0.5, np.nan, 40.0),
        quadrant=rng.integers(1, 5, n),
    )
    vector = stocking_policy(_inputs(**fields), PolicySettings())
    for i in range(0, n, 7):
        one = stocking_policy(
            _inputs(**{k: [v[i]] for k, v in fields.items()}), PolicySettings()
        )
        assert one.reorder_point[0] == vector.reorder_point[i]
        assert one.order_up_to[0] == vector.order_up_to[i]
        assert one.is_stocked[0] == vector.is_stocked[i]
        assert one.annual_carrying_cost[0] == pytest.approx(
            vector.annual_carrying_cost[i]
        )


def test_cost_optimal_units_decide_and_set_the_shelf():
    # Three insurance spares (no usage, r = 0, Q = 1 when stocked):
    # S* = 2 -> stock, r raised to 1 so the shelf holds 2 (on hand 1 + 1 = 2);
    # S* = 0 -> JIT even though the exposure rule says stock;
    # NaN -> the exposure rule decides (stock).
    spare = dict(
        unit_cost=[100.0] * 3,
        lead_time_days=[30.0] * 3,
        lead_time_days_max=[30.0] * 3,
        usage_per_day_avg=[0.0] * 3,
        usage_per_day_max=[0.0] * 3,
        downtime_cost_per_hour=[500.0] * 3,
        order_cost=[np.nan] * 3,
        quadrant=[1, 1, 1],
    )
    inputs = PolicyInputs(
        **{**_inputs(**spare).__dict__, "cost_optimal_units": np.array([2, 0, np.nan])}
    )
    policy = stocking_policy(inputs, PolicySettings())
    assert policy.is_stocked_simple.tolist() == [True, True, True]
    assert policy.is_stocked.tolist() == [True, False, True]
    assert policy.reorder_point.tolist() == [1, 0, 0]
    assert policy.order_up_to.tolist() == [2, 0, 1]
    assert policy.expected_on_hand.tolist() == [2.0, 0.0, 1.0]
