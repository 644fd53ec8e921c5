"""Holding stock against fabricating on demand."""

from __future__ import annotations

import numpy as np
import pytest

from spareplan.digital import DigitalValueError, compare_stock_and_fabrication

BASE = {
    "stock_units": 2.0,
    "unit_cost": 400.0,
    "carrying_rate_per_year": 0.25,
    "fabrication_unit_cost": 450.0,
    "demand_units_per_year": 3.0,
    "fabrication_lead_time_days": 5.0,
    "downtime_cost_per_hour": 2.0,
    "unplanned_demand_fraction": 1 / 3,
}


def test_worked_example_by_hand() -> None:
    # Holding: 2 x 400 x 0.25 = 200. Premium: (450 - 400) x 3 = 150.
    # Downtime: 3 x 1/3 x 5 days x 24 h x 2 = 240. On demand 390 > 200: hold.
    result = compare_stock_and_fabrication(**BASE)
    assert float(result.holding_cost_per_year) == pytest.approx(200.0)
    assert float(result.fabrication_premium_per_year) == pytest.approx(150.0)
    assert float(result.downtime_cost_per_year) == pytest.approx(240.0)
    assert float(result.saving_per_year) == pytest.approx(-190.0)
    assert not bool(result.is_on_demand_cheaper)


def test_vectorised_path_equals_a_scalar_loop() -> None:
    rng = np.random.default_rng(3)
    n = 50
    arrays = {
        "stock_units": rng.uniform(0, 10, n),
        "unit_cost": rng.uniform(1, 900, n),
        "carrying_rate_per_year": rng.uniform(0, 0.4, n),
        "fabrication_unit_cost": rng.uniform(1, 1200, n),
        "demand_units_per_year": rng.uniform(0, 12, n),
        "fabrication_lead_time_days": rng.uniform(0, 20, n),
        "downtime_cost_per_hour": rng.uniform(0, 500, n),
        "unplanned_demand_fraction": rng.uniform(0, 1, n),
    }
    together = compare_stock_and_fabrication(**arrays)
    for index in range(n):
        one = compare_stock_and_fabrication(**{k: v[index] for k, v in arrays.items()})
        assert float(one.saving_per_year) == pytest.approx(
            together.saving_per_year[index]
        )


def test_saving_falls_as_downtime_gets_dearer() -> None:
    costs = np.array([0.0, 1.0, 10.0, 100.0])
    result = compare_stock_and_fabrication(**{**BASE, "downtime_cost_per_hour": costs})
    assert np.all(np.diff(result.saving_per_year) < 0)
    assert result.holding_cost_per_year.shape == (4,)


def test_bad_values_are_named_with_their_value() -> None:
    with pytest.raises(
        DigitalValueError, match=r"fabrication_lead_time_days must be >= 0, got -1.0"
    ):
        compare_stock_and_fabrication(**{**BASE, "fabrication_lead_time_days": -1})
    with pytest.raises(
        DigitalValueError, match=r"unplanned_demand_fraction must be in 0-1, got 1.5"
    ):
        compare_stock_and_fabrication(**{**BASE, "unplanned_demand_fraction": 1.5})
    with pytest.raises(DigitalValueError, match=r"broadcast"):
        compare_stock_and_fabrication(
            **{**BASE, "stock_units": [1, 2], "unit_cost": [1, 2, 3]}
        )
