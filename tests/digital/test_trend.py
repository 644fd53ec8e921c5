"""Least-squares trends and the day they reach a level."""

from __future__ import annotations

import numpy as np
import pytest

from spareplan.digital import DigitalValueError, LinearTrend, day_reaching, linear_trend


def test_trend_matches_a_hand_calculated_least_squares_example() -> None:
    # By hand: mean day 15, mean value 2.8; sum of cross products
    # (-15)(-0.8) + (-5)(-0.2) + (5)(0.1) + (15)(0.9) = 27; sum of squares 500.
    # slope = 27 / 500 = 0.054 a day; intercept = 2.8 - 0.054 x 15 = 1.99.
    trend = linear_trend([0, 10, 20, 30], [2.0, 2.6, 2.9, 3.7])
    assert trend.slope_per_day == pytest.approx(0.054)
    assert trend.intercept == pytest.approx(1.99)
    # Reaches 4.0 at (4.0 - 1.99) / 0.054 = 37.2222 days.
    assert day_reaching(trend, 4.0, "rising") == pytest.approx(37.222222)


def test_trend_agrees_with_numpy_polyfit() -> None:
    rng = np.random.default_rng(7)
    days = np.sort(rng.uniform(0, 200, size=25))
    values = 3.0 - 0.01 * days + rng.normal(0, 0.05, size=25)
    slope, intercept = np.polyfit(days, values, 1)
    trend = linear_trend(days, values)
    assert trend.slope_per_day == pytest.approx(slope)
    assert trend.intercept == pytest.approx(intercept)


def test_flat_or_receding_trend_never_reaches_the_level() -> None:
    flat = linear_trend([0, 5, 10], [2.0, 2.0, 2.0])
    assert day_reaching(flat, 3.0, "rising") is None
    assert day_reaching(flat, 1.0, "falling") is None
    rising = LinearTrend(intercept=1.0, slope_per_day=0.1, n_readings=3)
    assert day_reaching(rising, 0.5, "falling") is None
    falling = LinearTrend(intercept=10.0, slope_per_day=-0.5, n_readings=3)
    assert day_reaching(falling, 8.0, "falling") == pytest.approx(4.0)


def test_trend_needs_two_distinct_days() -> None:
    with pytest.raises(DigitalValueError, match=r"at least two different days"):
        linear_trend([3, 3], [1.0, 2.0])
    with pytest.raises(DigitalValueError, match=r"direction must be .* got 'up'"):
        day_reaching(LinearTrend(0.0, 1.0, 2), 1.0, "up")
