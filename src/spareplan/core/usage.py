"""Daily usage rates from usage history bucketed into periods."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["DailyUsage", "daily_usage_from_periods"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class DailyUsage:
    """Usage per day measured from history, one entry per series.

    Attributes
    ----------
    usage_per_day_avg : ndarray of shape (n_series,)
        Total quantity over the recorded periods divided by their total days.
    usage_per_day_max : ndarray of shape (n_series,)
        Highest daily rate of any single recorded period.
    n_periods_recorded : ndarray of shape (n_series,)
        Periods with a record (a zero counts; a missing value does not).

    A series with no recorded period has NaN rates.
    """

    usage_per_day_avg: FloatArray
    usage_per_day_max: FloatArray
    n_periods_recorded: NDArray[np.int64]


def daily_usage_from_periods(
    quantity: FloatArray, period_days: FloatArray
) -> DailyUsage:
    """Average and maximum daily usage of many series over the same periods.

    The average is the total quantity over the recorded periods divided by the
    days those periods span; the maximum is the highest rate of any one period,
    ``quantity / period_days``. A missing value (NaN) is no record: it adds
    neither quantity nor days, whereas a recorded zero adds days.

    Parameters
    ----------
    quantity : ndarray of shape (n_series, n_periods)
        Units used per series and period; NaN where there is no record.
    period_days : ndarray of shape (n_periods,)
        Length of each period in days, > 0.

    Returns
    -------
    DailyUsage

    Examples
    --------
    Two 30-day months with 6 and 0 units: 6 units over 60 days is 0.1 a day on
    average, and the busier month ran at 0.2 a day.

    >>> usage = daily_usage_from_periods(np.array([[6.0, 0.0]]), np.array([30.0, 30.0]))
    >>> float(usage.usage_per_day_avg[0]), float(usage.usage_per_day_max[0])
    (0.1, 0.2)
    """
    quantity = np.asarray(quantity, dtype=np.float64)
    period_days = np.asarray(period_days, dtype=np.float64)
    if quantity.ndim != 2 or period_days.shape != (quantity.shape[1],):
        raise ValueError(
            "quantity must have shape (n_series, n_periods) and period_days shape "
            f"(n_periods,), got {quantity.shape} and {period_days.shape}"
        )

    is_recorded = ~np.isnan(quantity)
    n_recorded = is_recorded.sum(axis=1)
    days_recorded = (is_recorded * period_days).sum(axis=1)
    total = np.where(is_recorded, quantity, 0.0).sum(axis=1)
    rate = np.where(is_recorded, quantity / period_days, -np.inf)

    has_record = n_recorded > 0
    average = np.full(quantity.shape[0], np.nan)
    np.divide(total, days_recorded, out=average, where=has_record)
    maximum = np.where(has_record, rate.max(axis=1, initial=-np.inf), np.nan)
    return DailyUsage(average, maximum, n_recorded.astype(np.int64))
