r"""Per-period demand forecasts for many series at once.

Every model here loops over periods only, never over series: the state of all
series is held in arrays and updated one period at a time. Where numba is installed,
Croston, SBA and TSB instead run a compiled loop over each series that repeats the
same operations in the same order, so both paths give the same numbers to the last
bit (see :mod:`spareplan.core._numba_kernels`).

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

from spareplan.core._kernels import (
    SmoothingConstants,
    compiled_kernels_are_used,
    smooth_intermittent,
)
from spareplan.core._smoothing import (
    PeriodMajorBlock,
    croston_levels,
    exponential_level,
    has_any_record,
    no_record_before,
    period_major_blocks,
    tsb_levels,
)
from spareplan.core._validation import (
    check_demand_matrix,
    check_demand_matrix_with_gaps,
    check_positive_int,
    check_smoothing_constant,
)
from spareplan.errors import InputError

__all__ = [
    "DemandForecast",
    "IntermittentForecasts",
    "croston",
    "intermittent_forecasts",
    "moving_average",
    "simple_exponential_smoothing",
    "syntetos_boylan_approximation",
    "teunter_syntetos_babai",
]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class DemandForecast:
    """Forecasts of demand per period for many series.

    Attributes
    ----------
    fitted_demand_per_period : ndarray of float, shape (n_series, n_periods)
        One-step-ahead forecast of each period from the records before it; shape
        (n_series, 0) when the model was called with ``return_fitted=False``.
    next_demand_per_period : ndarray of float, shape (n_series,)
        Forecast for the period after the last record.
    """

    fitted_demand_per_period: FloatArray
    next_demand_per_period: FloatArray


@dataclass(frozen=True)
class IntermittentForecasts:
    """Result of :func:`intermittent_forecasts`: three models of the same series.

    Attributes
    ----------
    croston : DemandForecast
        As :func:`croston` with the default ``bias_factor``.
    syntetos_boylan_approximation : DemandForecast
        As :func:`syntetos_boylan_approximation`.
    teunter_syntetos_babai : DemandForecast
        As :func:`teunter_syntetos_babai`.
    """

    croston: DemandForecast
    syntetos_boylan_approximation: DemandForecast
    teunter_syntetos_babai: DemandForecast


def simple_exponential_smoothing(
    demand: ArrayLike, alpha: float, *, return_fitted: bool = True
) -> DemandForecast:
    r"""Simple exponential smoothing with the level started at the first record.

    Parameters
    ----------
    demand : array_like of float, shape (n_series, n_periods)
        Demand in units per period, >= 0; ``NaN`` means no record.
    alpha : float
        Smoothing constant in (0, 1].
    return_fitted : bool, default True
        Whether to build the one-step-ahead forecasts of every period; if False,
        ``fitted_demand_per_period`` has shape (n_series, 0).

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
    demand_matrix, has_gaps = check_demand_matrix_with_gaps(demand)
    alpha = check_smoothing_constant("alpha", alpha)

    output = _Output.allocate(demand_matrix, return_fitted)
    for series, block in period_major_blocks(demand_matrix, has_gaps):
        fitted_block = output.fitted_block(series)
        level = exponential_level(block, alpha, fitted_block)
        output.next_demand[series] = np.where(has_any_record(block), level, np.nan)
        _mask_before_first_record(fitted_block, block)
    return DemandForecast(
        _series_major(output.fitted, demand_matrix), output.next_demand
    )


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
    return_fitted: bool = True,
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
    return_fitted : bool, default True
        Whether to build the one-step-ahead forecasts of every period; if False,
        ``fitted_demand_per_period`` has shape (n_series, 0).

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
    demand_matrix, has_gaps = check_demand_matrix_with_gaps(demand)
    alpha_size = check_smoothing_constant("alpha_size", alpha_size)
    alpha_interval = check_smoothing_constant("alpha_interval", alpha_interval)
    _check_bias_factor(bias_factor)

    if _is_compiled(demand_matrix):
        constants = SmoothingConstants(alpha_size, alpha_interval, 1.0, 1.0)
        levels = smooth_intermittent(
            demand_matrix, has_gaps, constants, 1.0, (return_fitted, False, False)
        )
        fitted, next_demand = levels.fitted[0], levels.next_demand[0]
        if bias_factor != 1.0:
            fitted *= bias_factor
            next_demand *= bias_factor
        return DemandForecast(fitted, next_demand)
    output = _croston_ratio(
        demand_matrix, has_gaps, alpha_size, alpha_interval, return_fitted
    )
    return _scaled(output.fitted, output.next_demand, bias_factor, demand_matrix)


def syntetos_boylan_approximation(
    demand: ArrayLike,
    alpha_size: float = 0.1,
    alpha_interval: float = 0.1,
    *,
    return_fitted: bool = True,
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
    return_fitted : bool, default True
        Whether to build the one-step-ahead forecasts of every period; if False,
        ``fitted_demand_per_period`` has shape (n_series, 0).

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
        demand,
        alpha_size,
        alpha_interval,
        bias_factor=_sba_factor(alpha_interval),
        return_fitted=return_fitted,
    )


def teunter_syntetos_babai(
    demand: ArrayLike,
    alpha_size: float,
    alpha_probability: float,
    *,
    return_fitted: bool = True,
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
    return_fitted : bool, default True
        Whether to build the one-step-ahead forecasts of every period; if False,
        ``fitted_demand_per_period`` has shape (n_series, 0).

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
    demand_matrix, has_gaps = check_demand_matrix_with_gaps(demand)
    alpha_size = check_smoothing_constant("alpha_size", alpha_size)
    alpha_probability = check_smoothing_constant("alpha_probability", alpha_probability)

    if _is_compiled(demand_matrix):
        constants = SmoothingConstants(1.0, 1.0, alpha_size, alpha_probability)
        levels = smooth_intermittent(
            demand_matrix, has_gaps, constants, 1.0, (False, False, return_fitted)
        )
        return DemandForecast(levels.fitted[2], levels.next_demand[2])
    output = _tsb_product(
        demand_matrix, has_gaps, alpha_size, alpha_probability, return_fitted
    )
    return DemandForecast(
        _series_major(output.fitted, demand_matrix), output.next_demand
    )


def intermittent_forecasts(
    demand: ArrayLike,
    *,
    tsb_alpha_size: float,
    tsb_alpha_probability: float,
    alpha_size: float = 0.1,
    alpha_interval: float = 0.1,
    return_fitted: bool = False,
) -> IntermittentForecasts:
    r"""Croston, SBA and TSB forecasts from one check of the input.

    The same results as calling :func:`croston`, :func:`syntetos_boylan_approximation`
    and :func:`teunter_syntetos_babai` in turn, for about two thirds of the time:
    the input is checked and laid out once, and SBA is Croston's smoothing scaled by
    :math:`1 - \alpha_p/2` rather than a second pass.

    Parameters
    ----------
    demand : array_like of float, shape (n_series, n_periods)
        Demand in units per period, >= 0; ``NaN`` means no record.
    tsb_alpha_size, tsb_alpha_probability : float
        TSB's smoothing constants of the sizes and of the demand indicator.
    alpha_size, alpha_interval : float, default 0.1
        Croston's and SBA's smoothing constants of the sizes and intervals.
    return_fitted : bool, default False
        Whether to build the one-step-ahead forecasts of every period; if False,
        each ``fitted_demand_per_period`` has shape (n_series, 0).

    Returns
    -------
    IntermittentForecasts

    Raises
    ------
    InputError
        If ``demand`` is malformed or a smoothing constant is outside (0, 1].

    Examples
    --------
    >>> y = [[0.0, 0.0, 3.0, 0.0, 1.0, 0.0, 0.0, 2.0, 0.0, 0.0]]
    >>> result = intermittent_forecasts(
    ...     y, tsb_alpha_size=0.2, tsb_alpha_probability=0.3
    ... )
    >>> round(float(result.croston.next_demand_per_period[0]), 6)
    0.934708
    >>> round(float(result.syntetos_boylan_approximation.next_demand_per_period[0]), 6)
    0.887973
    >>> round(float(result.teunter_syntetos_babai.next_demand_per_period[0]), 6)
    0.550876
    """
    demand_matrix, has_gaps = check_demand_matrix_with_gaps(demand)
    alpha_size = check_smoothing_constant("alpha_size", alpha_size)
    alpha_interval = check_smoothing_constant("alpha_interval", alpha_interval)
    tsb_alpha_size = check_smoothing_constant("tsb_alpha_size", tsb_alpha_size)
    tsb_alpha_probability = check_smoothing_constant(
        "tsb_alpha_probability", tsb_alpha_probability
    )

    if _is_compiled(demand_matrix):
        constants = SmoothingConstants(
            alpha_size, alpha_interval, tsb_alpha_size, tsb_alpha_probability
        )
        levels = smooth_intermittent(
            demand_matrix,
            has_gaps,
            constants,
            _sba_factor(alpha_interval),
            (return_fitted,) * 3,
        )
        forecasts = (
            DemandForecast(fitted, next_demand)
            for fitted, next_demand in zip(
                levels.fitted, levels.next_demand, strict=True
            )
        )
        return IntermittentForecasts(*forecasts)
    croston_output = _Output.allocate(demand_matrix, return_fitted)
    tsb_output = _Output.allocate(demand_matrix, return_fitted)
    for series, block in period_major_blocks(demand_matrix, has_gaps):
        _croston_block(block, series, alpha_size, alpha_interval, croston_output)
        _tsb_block(block, series, tsb_alpha_size, tsb_alpha_probability, tsb_output)

    fitted, next_demand = croston_output.fitted, croston_output.next_demand
    sba_fitted = None if fitted is None else fitted.copy()
    return IntermittentForecasts(
        _scaled(fitted, next_demand.copy(), 1.0, demand_matrix),
        _scaled(sba_fitted, next_demand, _sba_factor(alpha_interval), demand_matrix),
        DemandForecast(
            _series_major(tsb_output.fitted, demand_matrix), tsb_output.next_demand
        ),
    )


@dataclass(frozen=True)
class _Output:
    """Period-major fitted forecasts (or None) and next forecasts, being filled."""

    fitted: FloatArray | None
    next_demand: FloatArray

    @classmethod
    def allocate(cls, demand_matrix: FloatArray, return_fitted: bool) -> _Output:
        """Uninitialised output for every series of ``demand_matrix``."""
        n_series, n_periods = demand_matrix.shape
        fitted = np.empty((n_periods, n_series)) if return_fitted else None
        return cls(fitted, np.empty(n_series))

    def fitted_block(self, series: slice) -> FloatArray | None:
        """The fitted rows of a block of series, or None when not wanted."""
        return None if self.fitted is None else self.fitted[:, series]


def _croston_ratio(
    demand_matrix: FloatArray,
    has_gaps: bool,
    alpha_size: float,
    alpha_interval: float,
    return_fitted: bool,
) -> _Output:
    """Croston's size / interval (fitted and next), block by block."""
    output = _Output.allocate(demand_matrix, return_fitted)
    for series, block in period_major_blocks(demand_matrix, has_gaps):
        _croston_block(block, series, alpha_size, alpha_interval, output)
    return output


def _tsb_product(
    demand_matrix: FloatArray,
    has_gaps: bool,
    alpha_size: float,
    alpha_probability: float,
    return_fitted: bool,
) -> _Output:
    """TSB's probability * size (fitted and next), block by block."""
    output = _Output.allocate(demand_matrix, return_fitted)
    for series, block in period_major_blocks(demand_matrix, has_gaps):
        _tsb_block(block, series, alpha_size, alpha_probability, output)
    return output


def _croston_block(
    block: PeriodMajorBlock,
    series: slice,
    alpha_size: float,
    alpha_interval: float,
    output: _Output,
) -> None:
    """Fill ``output`` for one block with Croston's size / interval."""
    fitted_block = output.fitted_block(series)
    size_level, interval_level = croston_levels(
        block, alpha_size, alpha_interval, fitted_block
    )
    output.next_demand[series] = np.where(
        has_any_record(block), size_level / interval_level, np.nan
    )
    _mask_before_first_record(fitted_block, block)


def _tsb_block(
    block: PeriodMajorBlock,
    series: slice,
    alpha_size: float,
    alpha_probability: float,
    output: _Output,
) -> None:
    """Fill ``output`` for one block with TSB's probability * size."""
    fitted_block = output.fitted_block(series)
    probability_level, size_level = tsb_levels(
        block, alpha_size, alpha_probability, fitted_block
    )
    output.next_demand[series] = np.where(
        has_any_record(block), probability_level * size_level, np.nan
    )
    _mask_before_first_record(fitted_block, block)


def _is_compiled(demand_matrix: FloatArray) -> bool:
    """Whether to use the compiled kernel: numba is there and the matrix not empty."""
    return demand_matrix.size > 0 and compiled_kernels_are_used()


def _check_bias_factor(bias_factor: float) -> None:
    """Raise unless the bias factor is a finite number > 0."""
    if not (np.isfinite(bias_factor) and bias_factor > 0.0):
        raise InputError(
            f"`bias_factor` must be a finite number > 0, got {bias_factor!r}"
        )


def _sba_factor(alpha_interval: float) -> float:
    """Syntetos-Boylan debiasing factor :math:`1 - \\alpha_p / 2`."""
    return 1.0 - alpha_interval / 2.0


def _scaled(
    fitted: FloatArray | None,
    next_demand: FloatArray,
    factor: float,
    demand_matrix: FloatArray,
) -> DemandForecast:
    """Multiply fitted and next forecasts in place by ``factor`` (if not 1)."""
    if factor != 1.0:
        if fitted is not None:
            fitted *= factor
        next_demand *= factor
    return DemandForecast(_series_major(fitted, demand_matrix), next_demand)


def _mask_before_first_record(
    fitted_block: FloatArray | None, block: PeriodMajorBlock
) -> None:
    """Set fitted forecasts up to and including the first record to NaN."""
    if fitted_block is not None:
        fitted_block[no_record_before(block)] = np.nan


def _series_major(fitted: FloatArray | None, demand_matrix: FloatArray) -> FloatArray:
    """Fitted forecasts as (n_series, n_periods), or (n_series, 0) if not built."""
    if fitted is None:
        return np.empty((demand_matrix.shape[0], 0))
    return fitted.T


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
