import numpy as np
import pytest

from spareplan.core.usage import daily_usage_from_periods


def test_daily_usage_hand_calculation_with_missing_records():
    # Periods of 31, 28 and 31 days. Series 1: 6 + 0 + 3 = 9 units over 90 days =
    # 0.1 a day; its busiest period is 6 / 31 = 0.19355 a day. Series 2 has no record
    # in the last period (it ended early): 0 + 2.8 units over 59 days; max 2.8 / 28.
    quantity = np.array([[6.0, 0.0, 3.0], [0.0, 2.8, np.nan], [np.nan] * 3])
    usage = daily_usage_from_periods(quantity, np.array([31.0, 28.0, 31.0]))
    assert usage.usage_per_day_avg[0] == pytest.approx(0.1)
    assert usage.usage_per_day_max[0] == pytest.approx(6 / 31)
    assert usage.usage_per_day_avg[1] == pytest.approx(2.8 / 59)
    assert usage.usage_per_day_max[1] == pytest.approx(0.1)
    assert usage.n_periods_recorded.tolist() == [3, 2, 0]
    assert np.isnan(usage.usage_per_day_avg[2]) and np.isnan(usage.usage_per_day_max[2])


def test_daily_usage_maximum_is_never_below_average():
    rng = np.random.default_rng(11)
    quantity = rng.poisson(0.4, (500, 24)).astype(float)
    quantity[rng.random((500, 24)) < 0.1] = np.nan
    usage = daily_usage_from_periods(quantity, rng.integers(28, 32, 24).astype(float))
    recorded = usage.n_periods_recorded > 0
    assert (
        usage.usage_per_day_max[recorded] >= usage.usage_per_day_avg[recorded]
    ).all()


def test_daily_usage_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r"shape \(n_periods,\)"):
        daily_usage_from_periods(np.zeros((2, 3)), np.ones(4))
