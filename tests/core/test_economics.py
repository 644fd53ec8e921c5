import numpy as np
import pytest

from spareplan.core.economics import (
    carrying_cost_per_unit_year,
    downtime_exposure,
    economic_order_quantity,
)


def test_downtime_exposure_is_hourly_cost_times_lead_time_hours():
    # Hand calculation: 1,169 an hour for a 1-day lead time = 1,169 x 24 = 28,056;
    # 62 an hour over 3 days = 62 x 72 = 4,464.
    exposure = downtime_exposure([1169.0, 62.0, 0.0], [1.0, 3.0, 40.0])
    np.testing.assert_allclose(exposure, [28_056.0, 4_464.0, 0.0])


def test_carrying_cost_is_rate_times_unit_cost():
    # 25 % of 94.27 = 23.5675.
    assert carrying_cost_per_unit_year(94.27, 0.25) == pytest.approx(23.5675)


def test_eoq_matches_heizer_render_worked_example():
    # Heizer & Render, Operations Management, EOQ example: D = 1,000 units/year,
    # S = 10 per order, H = 0.50 per unit-year -> Q* = 200 units.
    assert economic_order_quantity(1000.0, 10.0, 0.5) == pytest.approx(200.0)


def test_eoq_matches_hand_calculation():
    # sqrt(2 x 365 x 40 / 5) = sqrt(5,840) = 76.4199...
    assert economic_order_quantity(365.0, 40.0, 5.0) == pytest.approx(76.41989271)


def test_eoq_is_undefined_without_order_cost_demand_or_holding_cost():
    quantity = economic_order_quantity(
        [100.0, 0.0, 100.0, 100.0], [np.nan, 10.0, 10.0, 10.0], [1.0, 1.0, 0.0, 2.0]
    )
    assert np.isnan(quantity[:3]).all()
    assert quantity[3] == pytest.approx(np.sqrt(1000.0))


def test_eoq_vectorised_equals_scalar_loop():
    rng = np.random.default_rng(7)
    demand, setup, holding = rng.uniform(1, 1000, (3, 50))
    vector = economic_order_quantity(demand, setup, holding)
    scalar = [
        economic_order_quantity(d, s, h) for d, s, h in zip(demand, setup, holding)
    ]
    np.testing.assert_allclose(vector, np.asarray(scalar, dtype=float))
