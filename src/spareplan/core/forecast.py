r"""Per-period demand forecasts for many series at once.

Every model here loops over periods only, never over series: the state of all
series is held in arrays and updated one period at a time.

Conventions
-----------
- ``demand`` has shape (n_series, n_periods), units per period, ``NaN`` = no record.
- A ``NaN`` period is skipped: the state carries over unchanged, and it is not
  counted in any interval. Leading ``NaN`` therefore left-aligns a series that
  started late, and after a series ends its forecast stays at its last value.
- ``fitted_demand_per_period[:, t]`` is the one-step-ahead forecast for period
  ``t`` made from the records before ``t``; it is ``NaN`` up to and including the
  first record (nothing is known yet). ``next_demand_per_period`` is the forecast
  for the period after the last record; ``NaN`` for a series with no record.
- Exponential smoothing starts its level at the first observation and then applies
  :math:`\ell_t = \alpha x_t + (1 - \alpha)\ell_{t-1}`. Croston-type models report
  0 before the first demand. With the default smoothing constants these choices
  reproduce statsforecast's ``SimpleExponentialSmoothing``, ``CrostonClassic``
  (0.1 for both parts), ``CrostonSBA`` (factor 0.95) and ``TSB`` on a series with
  its ``NaN`` removed.

References
----------
Croston, J. D. (1972). Forecasting and stock control for intermittent demands.
*Operational Research Quarterly*, 23(3), 289-303.
Syntetos, A. A. & Boylan, J. E. (2005). The accuracy of intermittent demand
estimates. *International Journal of Forecasting*, 21(2), 303-314.
Teunter, R. H., Syntetos, A. A. & Babai, M. Z. (2011). Intermittent demand:
linking forecasting to inventory obsolescence. *European Journal of Operational
Research*, 214(3), 606-615.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from spareplan.core._validation import (
    check_demand_matrix,
    check_positive_int,
    check_smoothing_constant,
)
from spareplan.errors import InputError

__all__ = [
    "DemandForecast",
    "croston",
    "moving_average",
    "simple_exponential_smoothing",
    "syntetos_boylan_approximation",
    "teunter_syntetos_babai",
]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

_TRANSPOSE_BLOCK_SERIES = 2048


@dataclass(frozen=True)
class DemandForecast:
    """Forecasts of demand per period for many series.

    Attributes
    ----------
    fitted_demand_per_period : ndarray of float, shape (n_series, n_periods)
        One-step-ahead forecast of each period from the records before it.
    next_demand_per_period : ndarray of float, shape (n_series,)
        Forecast for the period after the last record.
    """

    fitted_demand_per_period: FloatArray
    next_demand_per_period: FloatArray


def simple_exponential_smoothing(demand: ArrayLike, alpha: float) -> DemandForecast:
    r"""Simple exponential smoothing with the level started at the first record.

    Parameters
    ----------
    demand : array_like of float, shape (n_series, n_periods)
        Demand in units per period, >= 0; ``NaN`` means no record.
    alpha : float
        Smoothing constant in (0, 1].

    Returns
    -------
    DemandForecast

    Raises
    ------
    InputError
        If ``demand`` is malformed or ``alpha`` is outside (0, 1].

    Notes
    -----
    :math:`\ell_1 = x_1`, :math:`\ell_t = \alpha x_t + (1-\alpha)\ell_{t-1}`, forecast
    :math:`\hat x_{t+1} = \ell_t` (Hyndman & Athanasopoulos, *Forecasting:
    Principles and Practice*, 3rd ed., 2021, Sec. 8.1).

    Examples
    --------
    >>> result = simple_exponential_smoothing([[3.0, 5.0, 2.0, 7.0]], alpha=0.1)
    >>> round(float(result.next_demand_per_period[0]), 3)
    3.472
    """
    demand_matrix = check_demand_matrix(demand)
    alpha = check_smoothing_constant("alpha", alpha)

    values = _period_major(demand_matrix)
    level = np.zeros(values.shape[1])
    has_record = np.zeros(values.shape[1], dtype=bool)
    fitted = np.empty_like(values)
    for period, value in enumerate(values):
        _record_fitted(fitted[period], level, has_record)
        is_recorded = ~np.isnan(value)
        _smooth_in_place(level, value, alpha, is_recorded, has_record)
        has_record |= is_recorded

    return DemandForecast(fitted.T, np.where(has_record, level, np.nan))


def moving_average(demand: ArrayLike, window_periods: int) -> DemandForecast:
    """Mean of the last ``window_periods`` records (fewer while history is short).

    Parameters
    ----------
    demand : array_like of float, shape (n_series, n_periods)
        Demand in units per period, >= 0; ``NaN`` means no record.
    window_periods : int
        Number of most recent records averaged, >= 1.

    Returns
    -------
    DemandForecast

    Raises
    ------
    InputError
        If ``demand`` is malformed or ``window_periods`` < 1.

    Examples
    --------
    >>> result = moving_average([[1.0, 2.0, float("nan"), 6.0]], window_periods=2)
    >>> result.fitted_demand_per_period.tolist()
    [[nan, 1.0, 1.5, 1.5]]
    >>> result.next_demand_per_period.tolist()
    [4.0]
    """
    demand_matrix = check_demand_matrix(demand)
    window = check_positive_int("window_periods", window_periods)

    # Compact each row so its records come first, in order; NaN move to the end.
    is_recorded = ~np.isnan(demand_matrix)
    order = np.argsort(~is_recorded, axis=1, kind="stable")
    compact = np.take_along_axis(np.nan_to_num(demand_matrix), order, axis=1)
    running_sum = np.zeros((demand_matrix.shape[0], demand_matrix.shape[1] + 1))
    np.cumsum(compact, axis=1, out=running_sum[:, 1:])

    # Records seen before each period, then the average after that many records.
    n_seen = np.cumsum(is_recorded, axis=1) - is_recorded
    fitted = _window_mean(running_sum, n_seen, window)
    n_total = is_recorded.sum(axis=1)[:, np.newaxis]
    next_demand = _window_mean(running_sum, n_total, window)[:, 0]
    return DemandForecast(fitted, next_demand)


def croston(
    demand: ArrayLike,
    alpha_size: float = 0.1,
    alpha_interval: float = 0.1,
    *,
    bias_factor: float = 1.0,
) -> DemandForecast:
    r"""Croston's method: smoothed demand size over smoothed inter-demand interval.

    Parameters
    ----------
    demand : array_like of float, shape (n_series, n_periods)
        Demand in units per period, >= 0; ``NaN`` means no record.
    alpha_size : float, default 0.1
        Smoothing constant of the non-zero demand sizes, in (0, 1].
    alpha_interval : float, default 0.1
        Smoothing constant of the intervals between demands, in (0, 1].
    bias_factor : float, default 1.0
        Multiplier of the ratio; 1 is classic Croston, see also
        :func:`syntetos_boylan_approximation`.

    Returns
    -------
    DemandForecast

    Raises
    ------
    InputError
        If ``demand`` is malformed or a smoothing constant is outside (0, 1].

    Notes
    -----
    At a demand :math:`z_t > 0` after an interval of :math:`q_t` recorded periods
    (the first interval counted from the first record),
    :math:`\hat z \leftarrow \alpha_z z_t + (1-\alpha_z)\hat z` and
    :math:`\hat p \leftarrow \alpha_p q_t + (1-\alpha_p)\hat p`, both started at
    their first observation; between demands nothing changes. The forecast is
    :math:`c\,\hat z / \hat p` with :math:`c` = ``bias_factor`` (Croston 1972).

    Examples
    --------
    >>> result = croston([[0.0, 0.0, 3.0, 0.0, 1.0, 0.0, 0.0, 2.0, 0.0, 0.0]])
    >>> round(float(result.next_demand_per_period[0]), 6)
    0.934708
    """
    demand_matrix = check_demand_matrix(demand)
    alpha_size = check_smoothing_constant("alpha_size", alpha_size)
    alpha_interval = check_smoothing_constant("alpha_interval", alpha_interval)
    if not (np.isfinite(bias_factor) and bias_factor > 0.0):
        raise InputError(
            f"`bias_factor` must be a finite number > 0, got {bias_factor!r}"
        )

    values = _period_major(demand_matrix)
    n_series = values.shape[1]
    size_level = np.zeros(n_series)
    interval_level = np.ones(n_series)
    periods_since_demand = np.zeros(n_series)
    has_record = np.zeros(n_series, dtype=bool)
    has_demand = np.zeros(n_series, dtype=bool)
    fitted = np.empty_like(values)
    for period, value in enumerate(values):
        np.divide(size_level, interval_level, out=fitted[period])
        fitted[period][~has_record] = np.nan
        is_recorded = ~np.isnan(value)
        periods_since_demand += is_recorded
        is_demand = value > 0.0
        _smooth_in_place(size_level, value, alpha_size, is_demand, has_demand)
        _smooth_in_place(
            interval_level, periods_since_demand, alpha_interval, is_demand, has_demand
        )
        periods_since_demand[is_demand] = 0.0
        has_record |= is_recorded
        has_demand |= is_demand

    next_demand = np.where(has_record, size_level / interval_level, np.nan)
    if bias_factor != 1.0:
        fitted *= bias_factor
        next_demand *= bias_factor
    return DemandForecast(fitted.T, next_demand)


def syntetos_boylan_approximation(
    demand: ArrayLike,
    alpha_size: float = 0.1,
    alpha_interval: float = 0.1,
) -> DemandForecast:
    r"""Croston's method debiased by :math:`1 - \alpha_p / 2` (SBA).

    Parameters
    ----------
    demand : array_like of float, shape (n_series, n_periods)
        Demand in units per period, >= 0; ``NaN`` means no record.
    alpha_size : float, default 0.1
        Smoothing constant of the non-zero demand sizes, in (0, 1].
    alpha_interval : float, default 0.1
        Smoothing constant of the intervals, in (0, 1]; also sets the factor.

    Returns
    -------
    DemandForecast

    Raises
    ------
    InputError
        If ``demand`` is malformed or a smoothing constant is outside (0, 1].

    Notes
    -----
    :math:`\hat y = (1 - \alpha_p/2)\,\hat z / \hat p` (Syntetos & Boylan
    2005). The defaults give statsforecast's ``CrostonSBA`` factor 0.95.

    Examples
    --------
    >>> y = [[0.0, 0.0, 3.0, 0.0, 1.0, 0.0, 0.0, 2.0, 0.0, 0.0]]
    >>> round(float(syntetos_boylan_approximation(y).next_demand_per_period[0]), 6)
    0.887973
    """
    alpha_interval = check_smoothing_constant("alpha_interval", alpha_interval)
    return croston(
        demand, alpha_size, alpha_interval, bias_factor=1.0 - alpha_interval / 2.0
    )


def teunter_syntetos_babai(
    demand: ArrayLike, alpha_size: float, alpha_probability: float
) -> DemandForecast:
    r"""TSB: smoothed demand probability times smoothed non-zero demand size.

    Parameters
    ----------
    demand : array_like of float, shape (n_series, n_periods)
        Demand in units per period, >= 0; ``NaN`` means no record.
    alpha_size : float
        Smoothing constant of the non-zero sizes (statsforecast ``alpha_d``).
    alpha_probability : float
        Smoothing constant of the demand indicator (statsforecast ``alpha_p``).

    Returns
    -------
    DemandForecast

    Raises
    ------
    InputError
        If ``demand`` is malformed or a smoothing constant is outside (0, 1].

    Notes
    -----
    Every recorded period updates :math:`\hat d \leftarrow \alpha_d\,1[y_t > 0] +
    (1-\alpha_d)\hat d`; a demand also updates
    :math:`\hat z \leftarrow \alpha_z z_t + (1-\alpha_z)\hat z`. Both start at their
    first observation, and the forecast is :math:`\hat d\,\hat z` (Teunter, Syntetos
    & Babai 2011).

    Examples
    --------
    >>> y = [[0.0, 0.0, 3.0, 0.0, 1.0, 0.0, 0.0, 2.0, 0.0, 0.0]]
    >>> result = teunter_syntetos_babai(y, alpha_size=0.2, alpha_probability=0.3)
    >>> round(float(result.next_demand_per_period[0]), 6)
    0.550876
    """
    demand_matrix = check_demand_matrix(demand)
    alpha_size = check_smoothing_constant("alpha_size", alpha_size)
    alpha_probability = check_smoothing_constant("alpha_probability", alpha_probability)

    values = _period_major(demand_matrix)
    n_series = values.shape[1]
    size_level = np.zeros(n_series)
    probability_level = np.zeros(n_series)
    has_record = np.zeros(n_series, dtype=bool)
    has_demand = np.zeros(n_series, dtype=bool)
    fitted = np.empty_like(values)
    for period, value in enumerate(values):
        np.multiply(probability_level, size_level, out=fitted[period])
        fitted[period][~has_record] = np.nan
        is_recorded = ~np.isnan(value)
        is_demand = value > 0.0
        _smooth_in_place(
            probability_level,
            is_demand.astype(np.float64),
            alpha_probability,
            is_recorded,
            has_record,
        )
        _smooth_in_place(size_level, value, alpha_size, is_demand, has_demand)
        has_record |= is_recorded
        has_demand |= is_demand

    next_demand = np.where(has_record, probability_level * size_level, np.nan)
    return DemandForecast(fitted.T, next_demand)


def _period_major(demand: FloatArray) -> FloatArray:
    """Copy to shape (n_periods, n_series), so each period is one contiguous row."""
    # NOTE: copied in blocks of series; a one-shot transpose of a tall matrix walks
    # memory with a large stride and is several times slower.
    n_series = demand.shape[0]
    values = np.empty((demand.shape[1], n_series))
    for start in range(0, n_series, _TRANSPOSE_BLOCK_SERIES):
        stop = start + _TRANSPOSE_BLOCK_SERIES
        values[:, start:stop] = demand[start:stop].T
    return values


def _record_fitted(
    fitted_row: FloatArray, level: FloatArray, has_record: BoolArray
) -> None:
    """Write the current level as this period's forecast; NaN before any record."""
    np.copyto(fitted_row, level)
    fitted_row[~has_record] = np.nan


def _smooth_in_place(
    level: FloatArray,
    observation: FloatArray,
    alpha: float,
    is_update: BoolArray,
    has_started: BoolArray,
) -> None:
    """One exponential-smoothing step where ``is_update``; start at the first."""
    # NOTE: a series' first observation uses weight 1, which sets the level to it
    # exactly. Written as w*x + (1-w)*level, the order statsforecast uses, so the
    # two agree to the last bit rather than merely to rounding.
    weight = np.where(has_started, alpha, 1.0)
    updated = weight * observation + (1.0 - weight) * level
    np.copyto(level, updated, where=is_update)


def _window_mean(
    running_sum: FloatArray, n_records: NDArray[np.int64], window: int
) -> FloatArray:
    """Mean of the last ``min(n, window)`` records given the row running sums."""
    start = np.maximum(n_records - window, 0)
    total = np.take_along_axis(running_sum, n_records, axis=1) - np.take_along_axis(
        running_sum, start, axis=1
    )
    count = n_records - start
    mean: FloatArray = np.divide(
        total, count, out=np.full(total.shape, np.nan), where=count > 0
    )
    return mean
