r"""Lead-time demand distributions and cycle-service reorder points, per part.

Four models of the demand :math:`X` over a replenishment lead time, chosen per part
by an integer method code (index into :data:`LEAD_TIME_DEMAND_METHODS`):

- ``normal``: mean :math:`\mu = dL`, variance :math:`\sigma^2 = L s_d^2 + d^2 s_L^2`;
- ``poisson``: mean :math:`dL`;
- ``negative_binomial``: fitted to the same mean and variance by moments where the
  variance exceeds the mean, otherwise Poisson (with a
  :class:`DistributionFallbackWarning`);
- ``empirical``: lead-time demand resampled from the part's own history.

Time base: lead times in days and demand per day (the package's internal base);
:func:`per_period_to_per_day` converts monthly or weekly statistics. The bootstrap
works on the history's own periods and so takes ``lead_time_periods``.

The reorder point is the smallest whole number :math:`r \ge 0` with
:math:`P(X \le r) \ge` the cycle service level. A probability short of the target
by at most :data:`CDF_TOLERANCE` counts as meeting it, so floating-point error in a
cdf never pushes :math:`r` up a unit (nor, the tolerance being tiny, down).

References
----------
Silver, E. A., Pyke, D. F. & Thomas, D. J. (2017). *Inventory and Production
Management in Supply Chains*, 4th ed., CRC Press, Ch. 6.
Axsäter, S. (2015). *Inventory Control*, 3rd ed., Springer, Ch. 5.
Willemain, T. R., Smart, C. N. & Schwarz, H. F. (2004). A new approach to
forecasting intermittent demand for service parts inventories. *International
Journal of Forecasting*, 20(3), 375-387.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from spareplan.core._search import smallest_whole_number_meeting
from spareplan.core._validation import (
    as_float_array,
    check_demand_matrix,
    check_fraction,
    check_nonnegative,
    check_positive_int,
)
from spareplan.core.negative_binomial import negative_binomial_quantile
from spareplan.core.poisson import (
    PartIndex,
    poisson_quantile,
    poisson_quantile_with_lazy_z,
)
from spareplan.errors import InputError, SpareplanWarning

__all__ = [
    "CDF_TOLERANCE",
    "EMPIRICAL",
    "LEAD_TIME_DEMAND_METHODS",
    "NEGATIVE_BINOMIAL",
    "NORMAL",
    "POISSON",
    "DistributionFallbackWarning",
    "achieved_cycle_service_level",
    "bootstrap_lead_time_demand",
    "demand_moments_per_period",
    "lead_time_demand_moments",
    "negative_binomial_parameters",
    "per_period_to_per_day",
    "reorder_point_for_cycle_service_level",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
# Rows of the parts of one method: all of them (a slice) or a boolean mask.
_Rows = slice | NDArray[np.bool_]
# Any index of parts: rows, or positions.
_Index = _Rows | NDArray[np.integer[Any]]

#: Method names, ordered so that ``LEAD_TIME_DEMAND_METHODS[code]`` names a code.
LEAD_TIME_DEMAND_METHODS: Final[tuple[str, ...]] = (
    "normal",
    "poisson",
    "negative_binomial",
    "empirical",
)
NORMAL: Final = 0
POISSON: Final = 1
NEGATIVE_BINOMIAL: Final = 2
EMPIRICAL: Final = 3

#: Shortfall in probability still taken as meeting a service target.
CDF_TOLERANCE: Final = 1e-10


class DistributionFallbackWarning(SpareplanWarning):
    """A part asked for a negative binomial got a Poisson (variance <= mean)."""


def per_period_to_per_day(
    mean_per_period: ArrayLike, sd_per_period: ArrayLike, days_per_period: float
) -> tuple[FloatArray, FloatArray]:
    r"""Convert demand mean and standard deviation per period to per day.

    Assumes demand on different days is independent, so the mean scales with
    :math:`1/T` and the standard deviation with :math:`1/\sqrt{T}` for a period of
    :math:`T` days.

    Examples
    --------
    >>> per_period_to_per_day(30.0, 6.0, days_per_period=30.0)
    (array([1.]), array([1.09544512]))
    """
    mean = check_nonnegative("mean_per_period", mean_per_period)
    sd = check_nonnegative("sd_per_period", sd_per_period)
    if not (np.isfinite(days_per_period) and days_per_period > 0):
        raise InputError(f"`days_per_period` must be > 0, got {days_per_period!r}")
    return np.atleast_1d(mean / days_per_period), np.atleast_1d(
        sd / np.sqrt(days_per_period)
    )


def demand_moments_per_period(demand: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Mean and sample variance (ddof=1) of each series' recorded periods.

    ``NaN`` periods are left out. The mean is ``NaN`` without a record and the
    variance ``NaN`` with fewer than two records; shapes (n_series,).
    """
    demand_matrix = check_demand_matrix(demand)

    is_recorded = ~np.isnan(demand_matrix)
    n_recorded = is_recorded.sum(axis=1)
    values = np.where(is_recorded, demand_matrix, 0.0)
    mean = np.divide(
        values.sum(axis=1),
        n_recorded,
        out=np.full(n_recorded.shape, np.nan),
        where=n_recorded > 0,
    )
    squares = np.where(is_recorded, (values - mean[:, np.newaxis]) ** 2, 0.0)
    variance = np.divide(
        squares.sum(axis=1),
        n_recorded - 1,
        out=np.full(n_recorded.shape, np.nan),
        where=n_recorded > 1,
    )
    return mean, variance


def lead_time_demand_moments(
    demand_per_day: ArrayLike,
    demand_sd_per_day: ArrayLike,
    lead_time_days: ArrayLike,
    lead_time_sd_days: ArrayLike = 0.0,
) -> tuple[FloatArray, FloatArray]:
    r"""Mean and variance of demand over a random lead time.

    Parameters
    ----------
    demand_per_day : array_like of float, shape (n_parts,)
        Mean demand :math:`d` in units per day.
    demand_sd_per_day : array_like of float, shape (n_parts,)
        Standard deviation :math:`s_d` of one day's demand, units.
    lead_time_days : array_like of float, shape (n_parts,)
        Mean lead time :math:`L` in days, >= 0.
    lead_time_sd_days : array_like of float, default 0
        Standard deviation :math:`s_L` of the lead time, days.

    Returns
    -------
    mean_units, variance_units : ndarray of float, shape (n_parts,)

    Raises
    ------
    InputError
        If any input is negative or not finite.

    Notes
    -----
    For independent daily demands and a lead time independent of them,

    .. math:: \mu = dL, \qquad \sigma^2 = L s_d^2 + d^2 s_L^2

    (Silver, Pyke & Thomas 2017, Ch. 6; Axsäter 2015, Ch. 5).

    Examples
    --------
    Silver, Pyke & Thomas style: 2 units/day (sd 1), lead time 10 days (sd 2):

    >>> lead_time_demand_moments(2.0, 1.0, 10.0, 2.0)
    (array([20.]), array([26.]))
    """
    d = check_nonnegative("demand_per_day", demand_per_day)
    s_d = check_nonnegative("demand_sd_per_day", demand_sd_per_day)
    lead_time = check_nonnegative("lead_time_days", lead_time_days)
    s_lead_time = check_nonnegative("lead_time_sd_days", lead_time_sd_days)

    mean = d * lead_time
    variance = lead_time * s_d**2 + d**2 * s_lead_time**2
    return np.atleast_1d(mean), np.atleast_1d(variance)


def negative_binomial_parameters(
    mean_units: ArrayLike, variance_units: ArrayLike
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
    r"""Negative binomial :math:`(n, p)` matching a mean and variance by moments.

    With scipy's parametrisation (failures before the :math:`n`-th success),
    :math:`p = \mu/\sigma^2` and :math:`n = \mu^2/(\sigma^2 - \mu)`. Only defined
    where :math:`\sigma^2 > \mu > 0`; elsewhere ``is_poisson`` is True and
    :math:`n, p` are ``NaN``.

    Returns
    -------
    n_successes, success_probability : ndarray of float
    is_poisson : ndarray of bool

    Examples
    --------
    >>> negative_binomial_parameters(4.0, 8.0)
    (array([4.]), array([0.5]), array([False]))
    """
    mean = check_nonnegative("mean_units", mean_units)
    variance = check_nonnegative("variance_units", variance_units)

    mean, variance = (np.atleast_1d(a) for a in np.broadcast_arrays(mean, variance))
    return negative_binomial_parameters_unchecked(mean, variance)


def achieved_cycle_service_level(
    method_code: ArrayLike,
    reorder_point_units: ArrayLike,
    mean_units: ArrayLike,
    variance_units: ArrayLike,
    samples_units: ArrayLike | None = None,
) -> FloatArray:
    r"""Probability of no stockout in a cycle, :math:`P(X \le r)`, per part.

    Parameters
    ----------
    method_code : array_like of int
        Index into :data:`LEAD_TIME_DEMAND_METHODS`, per part or one for all.
    reorder_point_units : array_like of float
        Reorder point :math:`r`, units.
    mean_units, variance_units : array_like of float
        Lead-time demand mean and variance, units and units squared.
    samples_units : array_like of float, shape (n_parts, n_samples), optional
        Bootstrap samples; needed where the method is ``empirical``.

    Returns
    -------
    ndarray of float, shape (n_parts,)

    Examples
    --------
    Poisson with mean 2: :math:`P(X \le 2) = 5e^{-2}`.

    >>> round(float(achieved_cycle_service_level(POISSON, 2, 2.0, 2.0)[0]), 6)
    0.676676
    """
    methods, units, mean, variance, samples = broadcast_part_inputs(
        method_code, reorder_point_units, mean_units, variance_units, samples_units
    )
    cdf = _cdf_function(methods, mean, variance, samples)
    return cdf(units)


def reorder_point_for_cycle_service_level(
    method_code: ArrayLike,
    mean_units: ArrayLike,
    variance_units: ArrayLike,
    cycle_service_level: ArrayLike,
    samples_units: ArrayLike | None = None,
) -> IntArray:
    r"""Smallest whole :math:`r \ge 0` with :math:`P(X \le r) \ge` the target.

    Parameters
    ----------
    method_code : array_like of int
        Index into :data:`LEAD_TIME_DEMAND_METHODS`, per part or one for all.
    mean_units, variance_units : array_like of float
        Lead-time demand mean and variance (ignored by ``poisson`` and
        ``empirical``), shape (n_parts,) or scalar.
    cycle_service_level : array_like of float
        Target probability of no stockout per cycle, in (0, 1).
    samples_units : array_like of float, shape (n_parts, n_samples), optional
        Bootstrap samples from :func:`bootstrap_lead_time_demand`.

    Returns
    -------
    ndarray of int64, shape (n_parts,)

    Raises
    ------
    InputError
        If a code is unknown, a moment negative, the target outside (0, 1), or
        samples are missing for an ``empirical`` part.

    Notes
    -----
    Normal: :math:`r = \lceil \mu + z\sigma \rceil` with
    :math:`z = \Phi^{-1}(\mathrm{CSL})`
    (Silver, Pyke & Thomas 2017, Ch. 6). Discrete: the CSL-quantile of the
    distribution, found by a bracketing integer search on its cdf; Poisson and
    negative binomial parts are mostly settled by at most one cdf evaluation and a
    few steps along the masses, with the same answer as that search (see
    :mod:`spareplan.core.poisson` and :mod:`spareplan.core.negative_binomial`).

    Examples
    --------
    Normal, mean 100, sd 20, 95 %: :math:`100 + 1.645 \cdot 20 = 132.9`.

    >>> reorder_point_for_cycle_service_level(NORMAL, 100.0, 400.0, 0.95)
    array([133])
    >>> reorder_point_for_cycle_service_level(POISSON, 2.0, 2.0, 0.95)
    array([5])
    """
    methods, target, mean, variance, samples = broadcast_part_inputs(
        method_code, cycle_service_level, mean_units, variance_units, samples_units
    )
    check_fraction("cycle_service_level", target)

    z_of = _service_level_z(cycle_service_level, target.shape)
    reorder_point = np.zeros(methods.shape, dtype=np.int64)
    rows = _rows_of(methods == NORMAL)
    if rows is not None:
        reorder_point[rows] = _normal_quantile(
            mean[rows], np.sqrt(variance[rows]), z_of(rows)
        )
    rows = _rows_of(methods == POISSON)
    if rows is not None:
        reorder_point[rows] = poisson_quantile_with_lazy_z(
            mean[rows], target[rows] - CDF_TOLERANCE, _z_within(z_of, rows)
        )
    rows = _rows_of((methods == NEGATIVE_BINOMIAL) | (methods == EMPIRICAL))
    if rows is not None:
        reorder_point[rows] = _counting_quantile(
            methods[rows],
            mean[rows],
            variance[rows],
            target[rows] - CDF_TOLERANCE,
            z_of(rows),
            None if samples is None else samples[rows],
        )
    return reorder_point


def bootstrap_lead_time_demand(
    demand: ArrayLike,
    lead_time_periods: ArrayLike,
    n_samples: int,
    rng: np.random.Generator,
) -> FloatArray:
    r"""Resample lead-time demand from each series' own recorded periods.

    Parameters
    ----------
    demand : array_like of float, shape (n_series, n_periods)
        History in units per period; ``NaN`` periods are never drawn.
    lead_time_periods : array_like of float, shape (n_series,) or scalar
        Lead time in the history's periods (days / days per period), >= 0.
    n_samples : int
        Number of lead-time demands drawn per series.
    rng : numpy.random.Generator
        Source of randomness; the same seed gives the same samples.

    Returns
    -------
    ndarray of float, shape (n_series, n_samples)

    Raises
    ------
    InputError
        If a series has no record, a lead time is negative or ``n_samples`` < 1.

    Notes
    -----
    Each sample sums :math:`\lfloor L \rfloor` periods drawn with replacement, plus
    one more drawn with probability :math:`L - \lfloor L \rfloor`, so the sample
    mean of :math:`X` is :math:`L\bar x` exactly in expectation and integer
    histories give integer samples (a simple bootstrap in the spirit of Willemain,
    Smart & Schwarz 2004, without their Markov or jitter steps).
    """
    demand_matrix = check_demand_matrix(demand)
    n_series = demand_matrix.shape[0]
    lead_time = np.broadcast_to(
        check_nonnegative("lead_time_periods", lead_time_periods), (n_series,)
    )
    n_samples = check_positive_int("n_samples", n_samples)
    is_recorded = ~np.isnan(demand_matrix)
    n_recorded = is_recorded.sum(axis=1)
    if np.any(n_recorded == 0):
        series = int(np.flatnonzero(n_recorded == 0)[0])
        raise InputError(f"series {series} has no recorded period to resample")

    order = np.argsort(~is_recorded, axis=1, kind="stable")
    history = np.take_along_axis(demand_matrix, order, axis=1)
    whole_periods = np.floor(lead_time).astype(np.int64)
    fraction = (lead_time - whole_periods)[:, np.newaxis]
    total = np.zeros((n_series, n_samples))
    for step in range(int(whole_periods.max(initial=0)) + 1):
        is_whole = np.greater(whole_periods, step)[:, np.newaxis]
        is_extra = np.equal(whole_periods, step)[:, np.newaxis] & (
            rng.random((n_series, n_samples)) < fraction
        )
        index = rng.integers(0, n_recorded[:, np.newaxis], (n_series, n_samples))
        drawn = np.take_along_axis(history, index, axis=1)
        total += np.where(is_whole | is_extra, drawn, 0.0)
    return total


def _service_level_z(
    cycle_service_level: ArrayLike, shape: tuple[int, ...]
) -> Callable[[_Index], FloatArray]:
    """z = inverse normal cdf of the service level, of the parts asked for."""
    service_level = np.asarray(cycle_service_level, dtype=np.float64)
    # NOTE: the inverse normal cdf is the costly step here. A single service level
    # (the usual case) is inverted once rather than once per part; per-part levels
    # are inverted only for the parts that ask, which with the compiled Poisson
    # kernel are mostly none of the Poisson parts.
    if service_level.size == 1:
        z = np.broadcast_to(special.ndtri(service_level), shape)
        return lambda rows: z[rows]
    per_part = np.broadcast_to(service_level, shape)
    return lambda rows: special.ndtri(per_part[rows])


def _z_within(
    z_of: Callable[[_Index], FloatArray], rows: _Rows
) -> Callable[[PartIndex], FloatArray]:
    """``z_of`` for positions counted within ``rows`` rather than all parts."""
    if isinstance(rows, slice):
        return z_of
    row_index = np.flatnonzero(rows)
    return lambda parts: z_of(row_index[parts])


def _rows_of(is_row: NDArray[np.bool_]) -> slice | NDArray[np.bool_] | None:
    """Index of the chosen rows: None if none, a view-giving slice if all."""
    if is_row.all():
        return slice(None)
    return is_row if is_row.any() else None


def _counting_quantile(
    methods: IntArray,
    mean: FloatArray,
    variance: FloatArray,
    probability: FloatArray,
    z: FloatArray,
    samples: FloatArray | None,
) -> IntArray:
    """Smallest whole r >= 0 with cdf(r) >= probability, negative binomial or
    empirical parts (Poisson where a negative binomial has variance <= mean)."""
    n_successes, success_probability, is_poisson = (
        negative_binomial_parameters_unchecked(mean, variance)
    )
    is_negative_binomial = methods == NEGATIVE_BINOMIAL
    _warn_of_fallback(is_negative_binomial & is_poisson, stacklevel=4)
    guess = _cornish_fisher_guess(mean, variance, z)
    reorder_point = np.zeros(methods.shape, dtype=np.int64)

    rows = _rows_of(is_negative_binomial & ~is_poisson)
    if rows is not None:
        reorder_point[rows] = negative_binomial_quantile(
            n_successes[rows], success_probability[rows], probability[rows], guess[rows]
        )
    rows = _rows_of(is_negative_binomial & is_poisson)
    if rows is not None:
        # Same answer as a search on the Poisson cdf from any guess.
        reorder_point[rows] = poisson_quantile(mean[rows], probability[rows], z[rows])
    rows = _rows_of(methods == EMPIRICAL)
    if rows is not None and samples is not None:
        cdf = _cdf_function(methods[rows], mean[rows], variance[rows], samples[rows])
        reorder_point[rows] = smallest_whole_number_meeting(
            lambda units: cdf(units) >= probability[rows], guess[rows]
        )
    return reorder_point


def _normal_quantile(mean: FloatArray, sd: FloatArray, z: FloatArray) -> IntArray:
    """Smallest whole r >= 0 at or above mu + z*sigma, forgiving rounding error."""
    exact = mean + z * sd
    # NOTE: 1e-9 relative slack so that 132.0000000000001 from rounding gives 132.
    # The steps reuse two buffers in place; the values are those of the plain
    # expressions, 1e-9 * max(1, |exact|) and max(ceil(exact - slack), 0).
    slack = np.abs(exact)
    np.maximum(slack, 1.0, out=slack)
    slack *= 1e-9
    np.subtract(exact, slack, out=slack)
    np.ceil(slack, out=slack)
    np.maximum(slack, 0.0, out=slack)
    return slack.astype(np.int64)


def _cornish_fisher_guess(
    mean: FloatArray, variance: FloatArray, z: FloatArray
) -> FloatArray:
    """Quantile guess with a skewness term; exact or off by one for counts."""
    # Third central moment over variance: 1 for Poisson, 2*var/mean - 1 for the
    # negative binomial (Johnson, Kemp & Kotz 2005, Univariate Discrete
    # Distributions, Ch. 5), which the same expression covers.
    skew_times_sd = 2.0 * variance / np.maximum(mean, 1e-300) - 1.0
    guess = mean + z * np.sqrt(variance) + (z**2 - 1.0) / 6.0 * skew_times_sd - 0.5
    return np.ceil(np.nan_to_num(guess))


def broadcast_part_inputs(
    method_code: ArrayLike,
    values: ArrayLike,
    mean_units: ArrayLike,
    variance_units: ArrayLike,
    samples_units: ArrayLike | None,
) -> tuple[IntArray, FloatArray, FloatArray, FloatArray, FloatArray | None]:
    """Validate per-part inputs and broadcast them to one 1-D shape.

    Shared with :mod:`spareplan.core.service`; not part of the public API.
    """
    methods = np.asarray(method_code)
    if methods.dtype.kind not in "iu" or np.any(
        (methods < 0) | (methods >= len(LEAD_TIME_DEMAND_METHODS))
    ):
        raise InputError(
            f"`method_code` must be integers in 0..{len(LEAD_TIME_DEMAND_METHODS) - 1}"
            f" (see LEAD_TIME_DEMAND_METHODS), got {method_code!r}"
        )
    mean = check_nonnegative("mean_units", mean_units)
    variance = check_nonnegative("variance_units", variance_units)
    values = as_float_array("value", values)
    methods, values, mean, variance = (
        np.atleast_1d(array)
        for array in np.broadcast_arrays(methods, values, mean, variance)
    )

    samples = None
    if samples_units is not None:
        samples = check_nonnegative("samples_units", samples_units)
    is_empirical = methods == EMPIRICAL
    if np.any(is_empirical) and (samples is None or samples.ndim != 2):
        raise InputError(
            "`samples_units` must be a 2-D array (n_parts, n_samples) where any "
            f"method is 'empirical', got {None if samples is None else samples.shape}"
        )
    if samples is not None:
        samples = np.broadcast_to(samples, (methods.size, samples.shape[-1]))
    return methods.astype(np.int64), values, mean, variance, samples


def _cdf_function(
    methods: IntArray,
    mean: FloatArray,
    variance: FloatArray,
    samples: FloatArray | None,
) -> Callable[[ArrayLike], FloatArray]:
    """Per-part cdf P(X <= x) evaluated on whole arrays of ``x``."""
    n_successes, success_probability, is_poisson = (
        negative_binomial_parameters_unchecked(mean, variance)
    )
    is_fallback = (methods == NEGATIVE_BINOMIAL) & is_poisson
    _warn_of_fallback(is_fallback, stacklevel=4)
    sd = np.sqrt(variance)
    normal_rows = methods == NORMAL
    poisson_rows = (methods == POISSON) | is_fallback
    negative_binomial_rows = (methods == NEGATIVE_BINOMIAL) & ~is_poisson
    empirical_rows = methods == EMPIRICAL

    def cdf(units: ArrayLike) -> FloatArray:
        x = np.asarray(units, dtype=np.float64)
        whole = np.maximum(np.floor(x), -1.0)
        result = np.zeros(x.shape)
        rows = normal_rows
        if np.any(rows):
            scaled = (x[rows] - mean[rows]) / np.where(sd[rows] > 0, sd[rows], 1.0)
            at_mean = (x[rows] >= mean[rows]).astype(np.float64)
            result[rows] = np.where(sd[rows] > 0, special.ndtr(scaled), at_mean)
        rows = poisson_rows
        if np.any(rows):
            result[rows] = special.gammaincc(whole[rows] + 1.0, mean[rows])
        rows = negative_binomial_rows
        if np.any(rows):
            result[rows] = special.betainc(
                n_successes[rows], whole[rows] + 1.0, success_probability[rows]
            )
        rows = empirical_rows
        if np.any(rows) and samples is not None:
            result[rows] = (samples[rows] <= x[rows, np.newaxis]).mean(axis=1)
        return np.where(whole < 0, 0.0, result)

    return cdf


def negative_binomial_parameters_unchecked(
    mean: FloatArray, variance: FloatArray
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
    """:func:`negative_binomial_parameters` of already checked 1-D moments.

    Shared with :mod:`spareplan.core.service`; not part of the public API.
    """
    is_poisson = ~((variance > mean) & (mean > 0.0))
    excess = np.where(is_poisson, 1.0, variance - mean)
    n_successes = np.where(is_poisson, np.nan, mean**2 / excess)
    success_probability = np.where(
        is_poisson, np.nan, mean / np.where(is_poisson, 1.0, variance)
    )
    return n_successes, success_probability, is_poisson


def _warn_of_fallback(is_fallback: NDArray[np.bool_], stacklevel: int) -> None:
    """Warn that parts asked for a negative binomial use a Poisson instead."""
    if np.any(is_fallback):
        warnings.warn(
            f"{int(is_fallback.sum())} part(s) asked for a negative binomial have "
            "variance <= mean and use a Poisson instead (first at index "
            f"{int(np.flatnonzero(is_fallback)[0])})",
            DistributionFallbackWarning,
            stacklevel=stacklevel,
        )
