r"""Per-series and per-part loops compiled with numba; import only through `_kernels`.

Each kernel repeats, one series or part at a time, the arithmetic of a numpy path
elsewhere in the core, so that both give the same numbers:

- :func:`classify_and_smooth` walks each demand series once and does the counting
  of :func:`~spareplan.core.demand_class.classify_demand` and the smoothing of
  Croston, SBA and TSB in :mod:`spareplan.core._smoothing`, with the same
  operations in the same order (a step that does not apply is the same expression
  with weight 0, as there). The sums behind CV2 follow numpy's pairwise summation,
  so classification agrees to the last bit too.
- :func:`poisson_quantile_by_mass` accumulates Poisson masses from zero, four units
  a step, and decides a part only where the cdf value on each side of the answer
  is further than a margin from the target; other parts are left for the exact
  search in :mod:`spareplan.core.poisson`. Its sums are not those of any numpy
  path: only the margin, far above their rounding error, makes its answers exact.

NOTE: numba's default (no ``fastmath``) forbids fused multiply-add and reordering,
which the bit-for-bit agreement relies on. Kernels are compiled on first call and
cached on disk beside this module (``cache=True``), so later processes load them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Final, TypeVar, cast

import numba
import numpy as np
from numpy.typing import NDArray

__all__ = ["MAX_MASS_WALK_MEAN", "classify_and_smooth", "poisson_quantile_by_mass"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

_Function = TypeVar("_Function", bound=Callable[..., object])

#: Largest Poisson mean settled by adding masses from zero: the walk costs about
#: one multiply-add per unit of the quantile, and beyond this the exact
#: incomplete-gamma evaluation of the numpy path is as fast.
MAX_MASS_WALK_MEAN: Final = 400.0
# Most units of that walk: far in the upper tail of the largest mean.
_MAX_MASS_WALK_UNITS = 1700
# Units added per step of the walk; divides the most units.
_BLOCK_UNITS = 4

# numpy's pairwise summation: 8 running sums up to this many values, else halves.
_PAIRWISE_BLOCK = 128
_N_ACCUMULATORS = 8
# Deepest halving: 64 levels cover any array that fits in memory.
_MAX_DEPTH = 64


def _compiled(function: _Function) -> _Function:
    """Compile ``function`` without fastmath, cached on disk beside this module.

    ``error_model="numpy"``: a float division by zero gives inf or NaN as in numpy,
    rather than raising as in Python.
    """
    compiler = numba.njit(cache=True, nogil=True, error_model="numpy")
    return cast(_Function, compiler(function))


@_compiled
def _pairwise_sum(values: FloatArray, start: int, count: int) -> float:
    """Sum of ``values[start:start + count]`` added in numpy's pairwise order."""
    if count <= _PAIRWISE_BLOCK:
        return _block_sum(values, start, count)

    # NOTE: numpy recurses on halves here; numba's on-disk cache crashes on loading
    # a recursive function, so the same tree is walked with an explicit stack.
    # Each node is first split (stage 0), then keeps its left sum (stage 1), then
    # adds its right sum (stage 2); ``total`` carries a finished node's sum.
    node_start = np.empty(_MAX_DEPTH, dtype=np.int64)
    node_count = np.empty(_MAX_DEPTH, dtype=np.int64)
    node_stage = np.zeros(_MAX_DEPTH, dtype=np.int64)
    left_sum = np.empty(_MAX_DEPTH)
    node_start[0], node_count[0] = start, count
    top, total = 0, 0.0
    while top >= 0:
        first, size, stage = node_start[top], node_count[top], node_stage[top]
        half = size // 2 - (size // 2) % _N_ACCUMULATORS
        if stage == 0 and size <= _PAIRWISE_BLOCK:
            total = _block_sum(values, first, size)
            top -= 1
        elif stage == 2:
            total = float(left_sum[top]) + total
            top -= 1
        else:
            if stage == 1:
                left_sum[top] = total
                first, half = first + half, size - half
            node_stage[top] = stage + 1
            top += 1
            node_start[top], node_count[top], node_stage[top] = first, half, 0
    return total


@_compiled
def _block_sum(values: FloatArray, start: int, count: int) -> float:
    """Pairwise sum of at most :data:`_PAIRWISE_BLOCK` values: no halving."""
    if count < _N_ACCUMULATORS:
        running = 0.0
        for index in range(start, start + count):
            running += values[index]
        return running
    stop = start + count - count % _N_ACCUMULATORS
    s0, s1, s2 = values[start], values[start + 1], values[start + 2]
    s3, s4, s5 = values[start + 3], values[start + 4], values[start + 5]
    s6, s7 = values[start + 6], values[start + 7]
    for block in range(start + _N_ACCUMULATORS, stop, _N_ACCUMULATORS):
        s0 += values[block]
        s1 += values[block + 1]
        s2 += values[block + 2]
        s3 += values[block + 3]
        s4 += values[block + 4]
        s5 += values[block + 5]
        s6 += values[block + 6]
        s7 += values[block + 7]
    total: float = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
    for index in range(stop, start + count):
        total += values[index]
    return total


@_compiled
def _size_cv2(row: FloatArray, n_demand: int, ddof: int, squares: FloatArray) -> float:
    """CV2 of the non-zero values of a NaN-free row by two pairwise passes."""
    if n_demand < 2:
        return math.nan
    mean_size = _pairwise_sum(row, 0, row.size) / n_demand
    for period in range(row.size):
        is_demand = 1.0 if row[period] > 0.0 else 0.0
        deviation = (row[period] - mean_size) * is_demand
        squares[period] = deviation * deviation
    variance = _pairwise_sum(squares, 0, squares.size) / (n_demand - ddof)
    return variance / (mean_size * mean_size)


@_compiled
def _smoothed(level: float, weight: float, observation: float) -> float:
    """One smoothing step, ``keep * level + weight * observation`` as numpy does it."""
    return level * (1.0 - weight) + weight * observation


@_compiled
def classify_and_smooth(
    demand: FloatArray,
    has_gaps: bool,
    alphas: FloatArray,
    sba_factor: float,
    cv2_ddof: int,
    counts: IntArray,
    cv2: FloatArray,
    next_demand: FloatArray,
    fitted: tuple[FloatArray, FloatArray, FloatArray],
) -> None:
    """Counts, CV2 and Croston / SBA / TSB forecasts, one pass over each series.

    ``demand`` (n_series, n_periods) is C-contiguous with ``NaN`` for no record.
    ``alphas`` holds Croston's size and interval and TSB's size and probability
    constants. Outputs are filled in place, each skipped when empty: ``counts``
    (n_series, 2) recorded and demand periods, ``cv2`` (n_series,),
    ``next_demand`` (3, n_series) and ``fitted``, three (n_series, n_periods),
    for Croston, SBA and TSB in that order.
    """
    n_series, n_periods = demand.shape
    row = np.empty(n_periods)
    squares = np.empty(n_periods)
    for series in range(n_series):
        n_recorded, n_demand = _walk_series(
            demand[series], alphas, sba_factor, row, next_demand, fitted, series
        )
        # NOTE: as in the numpy path, a gap-free matrix counts every series as
        # recorded, even one of zero periods.
        if next_demand.size > 0 and has_gaps and n_recorded == 0:
            next_demand[:, series] = math.nan
        if cv2.size > 0:
            counts[series, 0] = n_recorded
            counts[series, 1] = n_demand
            cv2[series] = _size_cv2(row, n_demand, cv2_ddof, squares)


@_compiled
def _walk_series(
    values: FloatArray,
    alphas: FloatArray,
    sba_factor: float,
    row: FloatArray,
    next_demand: FloatArray,
    fitted: tuple[FloatArray, FloatArray, FloatArray],
    series: int,
) -> tuple[int, int]:
    """Walk one series: copy it NaN-free into ``row``, count, smooth, forecast."""
    alpha_size, alpha_interval = alphas[0], alphas[1]
    tsb_alpha_size, tsb_alpha_probability = alphas[2], alphas[3]
    croston_fitted, sba_fitted, tsb_fitted = fitted
    is_forecast = next_demand.size > 0
    size, interval, periods_since_demand = 0.0, 1.0, 0.0
    tsb_probability, tsb_size = 0.0, 0.0
    is_before_demand, is_before_record = 1.0, 1.0
    n_recorded, n_demand = 0, 0
    for period in range(values.size):
        value = values[period]
        is_recorded = 0.0 if math.isnan(value) else 1.0
        value = 0.0 if math.isnan(value) else value
        is_demand = 1.0 if value > 0.0 else 0.0
        row[period] = value
        n_recorded += int(is_recorded)
        n_demand += int(is_demand)
        if not is_forecast:
            continue
        # NaN up to and including the first record, as the numpy path masks.
        is_known = is_before_record == 0.0
        ratio = size / interval if is_known else math.nan
        if croston_fitted.size > 0:
            croston_fitted[series, period] = ratio
        if sba_fitted.size > 0:
            sba_fitted[series, period] = ratio * sba_factor
        if tsb_fitted.size > 0:
            tsb_fitted[series, period] = (
                tsb_probability * tsb_size if is_known else math.nan
            )
        periods_since_demand += is_recorded
        weight = max(is_before_demand, alpha_size) * is_demand
        size = _smoothed(size, weight, value)
        weight = max(is_before_demand, alpha_interval) * is_demand
        interval = _smoothed(interval, weight, periods_since_demand)
        weight = max(is_before_record, tsb_alpha_probability) * is_recorded
        tsb_probability = _smoothed(tsb_probability, weight, is_demand)
        weight = max(is_before_demand, tsb_alpha_size) * is_demand
        tsb_size = _smoothed(tsb_size, weight, value)
        periods_since_demand *= 1.0 - is_demand
        is_before_demand *= 1.0 - is_demand
        is_before_record *= 1.0 - is_recorded
    if is_forecast:
        next_demand[0, series] = size / interval
        next_demand[1, series] = next_demand[0, series] * sba_factor
        next_demand[2, series] = tsb_probability * tsb_size
    return n_recorded, n_demand


@_compiled
def poisson_quantile_by_mass(
    mean_units: FloatArray,
    probability: FloatArray,
    margin: float,
    mass_at_zero: FloatArray,
    quantile: IntArray,
) -> None:
    r"""Smallest whole r with :math:`P(X \le r) \ge p`, or -1 where not decided.

    Masses :math:`f(k + 1) = f(k)\lambda / (k + 1)` from :math:`f(0) = e^{-\lambda}`
    (``mass_at_zero``) are added until the cdf reaches :math:`p`. A part is
    decided only when both :math:`F(r) - p` and :math:`p - F(r - 1)` are at least
    ``margin``, far above the rounding error of the sum; it is -1 (left open)
    otherwise, or when its mean exceeds :data:`MAX_MASS_WALK_MEAN` or is not a
    number.
    """
    reciprocals = _block_reciprocals()
    for part in range(mean_units.size):
        quantile[part] = _quantile_by_mass(
            mean_units[part], probability[part], margin, mass_at_zero[part], reciprocals
        )


@_compiled
def _block_reciprocals() -> FloatArray:
    """Row b, column j: 1 / ((k + 1) ... (k + j + 1)) for the block's first k = 4b."""
    # NOTE: products of at most four whole numbers up to 1700 are exact in float64
    # (below 2**53), so each entry is the correctly rounded reciprocal.
    n_blocks = _MAX_MASS_WALK_UNITS // _BLOCK_UNITS
    table = np.empty((n_blocks, _BLOCK_UNITS))
    for block in range(n_blocks):
        product = 1.0
        for step in range(_BLOCK_UNITS):
            product *= block * _BLOCK_UNITS + step + 1.0
            table[block, step] = 1.0 / product
    return table


@_compiled
def _quantile_by_mass(
    mean: float,
    probability: float,
    margin: float,
    mass_at_zero: float,
    reciprocals: FloatArray,
) -> int:
    """One part of :func:`poisson_quantile_by_mass`."""
    if not (mean <= MAX_MASS_WALK_MEAN) or math.isnan(probability):
        return -1
    if mass_at_zero >= probability:
        units, cdf, cdf_below = 0, mass_at_zero, 0.0
    else:
        units, cdf, cdf_below = _walk_blocks(
            mean, probability, mass_at_zero, reciprocals
        )

    if units < 0 or cdf - probability < margin:
        return -1
    if units > 0 and probability - cdf_below < margin:
        return -1
    return units


@_compiled
def _walk_blocks(
    mean: float, probability: float, mass_at_zero: float, reciprocals: FloatArray
) -> tuple[int, float, float]:
    """Quantile r, F(r) and F(r - 1) by blocks of four units; r = -1 past the end."""
    # NOTE: the j-th mass of a block is f(k) lambda^j / ((k + 1) ... (k + j)), so
    # a block's growth factors do not wait on one another, and the loop waits on
    # only one product (the next block's first mass) and one sum (its cdf) per
    # four units. The cdf inside a block is added up only in the block that
    # reaches the target.
    mean_2 = mean * mean
    mean_3 = mean_2 * mean
    mean_4 = mean_2 * mean_2
    mass, cdf = mass_at_zero, mass_at_zero
    for block in range(reciprocals.shape[0]):
        growth_1 = mean * reciprocals[block, 0]
        growth_2 = mean_2 * reciprocals[block, 1]
        growth_3 = mean_3 * reciprocals[block, 2]
        growth_4 = mean_4 * reciprocals[block, 3]
        cdf_4 = cdf + mass * ((growth_1 + growth_2) + (growth_3 + growth_4))
        if cdf_4 >= probability:
            # The cdf within the block rises, so the units short of the target
            # come first; counting them settles the block without branching.
            cdf_1 = cdf + mass * growth_1
            cdf_2 = cdf_1 + mass * growth_2
            cdf_3 = cdf_2 + mass * growth_3
            is_short_1 = cdf_1 < probability
            is_short_2 = cdf_2 < probability
            is_short_3 = cdf_3 < probability
            units = block * _BLOCK_UNITS + 1 + is_short_1 + is_short_2 + is_short_3
            below = cdf_2 if is_short_2 else (cdf_1 if is_short_1 else cdf)
            at = cdf_3 if is_short_2 else (cdf_2 if is_short_1 else cdf_1)
            if is_short_3:
                below, at = cdf_3, cdf_4
            return units, at, below
        mass, cdf = mass * growth_4, cdf_4
    return -1, cdf, cdf
