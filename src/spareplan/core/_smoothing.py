"""Period-loop kernels behind :mod:`spareplan.core.forecast`, one block of series.

Each kernel walks the periods of a :class:`PeriodMajorBlock` and updates the state
of every series in the block with a fixed sequence of in-place array operations.
The caller cuts the demand matrix into blocks of :data:`BLOCK_SERIES` series so
that a block's state vectors stay in the processor's cache.

An exponential-smoothing step :math:`\\ell \\leftarrow w x + (1 - w)\\ell` that
applies to some series only is written as the same expression with :math:`w = 0`
for the others, which leaves their level unchanged exactly (``0 * x + 1 * level``
is ``level``); where it applies, the operations and their order are those of the
plain formula, so the result agrees to the last bit. A masked copy would do the
same job several times slower, because its branch is unpredictable.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "BLOCK_SERIES",
    "PeriodMajorBlock",
    "croston_levels",
    "exponential_level",
    "has_any_record",
    "no_record_before",
    "period_major_blocks",
    "tsb_levels",
]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
Indicator = NDArray[np.float64] | NDArray[np.bool_]

#: Series per block, measured best on 100,000 x 60: a block's state vectors stay
#: in cache, and there are few enough blocks that per-call overhead stays small.
BLOCK_SERIES = 8192


@dataclass(frozen=True)
class PeriodMajorBlock:
    """Demand of a block of series, one contiguous row per period.

    Attributes
    ----------
    values : ndarray of float, shape (n_periods, n_block)
        Demand in units per period with ``NaN`` (no record) replaced by 0.
    is_recorded : ndarray of float, shape (n_periods, n_block), or None
        1.0 where the period has a record; ``None`` when every period has one.
    """

    values: FloatArray
    is_recorded: FloatArray | None

    @property
    def n_series(self) -> int:
        """Number of series in the block."""
        return int(self.values.shape[1])


@dataclass
class _StepBuffers:
    """Scratch vectors for one smoothing step, reused across periods."""

    weight: FloatArray
    keep: FloatArray
    scratch: FloatArray

    @classmethod
    def of_length(cls, n_series: int) -> _StepBuffers:
        """Uninitialised buffers for ``n_series`` series."""
        return cls(np.empty(n_series), np.empty(n_series), np.empty(n_series))


def period_major_blocks(
    demand_matrix: FloatArray, has_gaps: bool
) -> Iterator[tuple[slice, PeriodMajorBlock]]:
    """Consecutive blocks of :data:`BLOCK_SERIES` series, each laid out period-major.

    The arrays of a block are overwritten by the next one: use each block before
    asking for the next.
    """
    n_series, n_periods = demand_matrix.shape
    # NOTE: one buffer for all blocks; a fresh array per block costs more in page
    # faults than the transposed copy itself.
    buffer = np.empty((n_periods, min(n_series, BLOCK_SERIES)))
    recorded_buffer = np.empty_like(buffer) if has_gaps else None
    for start in range(0, n_series, BLOCK_SERIES):
        series = slice(start, min(start + BLOCK_SERIES, n_series))
        n_block = series.stop - start
        values = buffer[:, :n_block]
        np.copyto(values, demand_matrix[series].T)
        is_recorded = None
        if recorded_buffer is not None:
            is_recorded = recorded_buffer[:, :n_block]
            np.isnan(values, out=is_recorded, casting="unsafe")
            np.subtract(1.0, is_recorded, out=is_recorded)
            np.nan_to_num(values, copy=False, nan=0.0)
        yield series, PeriodMajorBlock(values, is_recorded)


def no_record_before(block: PeriodMajorBlock) -> BoolArray:
    """True at (t, s) while series ``s`` has no record before or at period ``t``."""
    n_periods = block.values.shape[0]
    if block.is_recorded is None:
        first_record = np.zeros(block.n_series, dtype=np.int64)
    else:
        is_recorded = block.is_recorded > 0.0
        first_record = np.where(
            is_recorded.any(axis=0), np.argmax(is_recorded, axis=0), n_periods
        )
    mask: BoolArray = np.arange(n_periods)[:, np.newaxis] <= first_record
    return mask


def has_any_record(block: PeriodMajorBlock) -> BoolArray:
    """True for each series of the block with at least one record."""
    if block.is_recorded is None:
        return np.ones(block.n_series, dtype=bool)
    has_record: BoolArray = np.any(block.is_recorded > 0.0, axis=0)
    return has_record


def _set_weights(
    buffers: _StepBuffers,
    alpha: float,
    is_update: Indicator,
    is_before_start: FloatArray,
) -> None:
    """Weight 1 at a series' first update, alpha later, 0 where nothing updates."""
    np.maximum(is_before_start, alpha, out=buffers.weight)
    buffers.weight *= is_update
    np.subtract(1.0, buffers.weight, out=buffers.keep)


def _apply_weights(
    level: FloatArray, observation: Indicator, buffers: _StepBuffers
) -> None:
    """``level = weight * observation + keep * level`` in place, in that order."""
    np.multiply(buffers.weight, observation, out=buffers.scratch)
    level *= buffers.keep
    level += buffers.scratch


def exponential_level(
    block: PeriodMajorBlock, alpha: float, fitted: FloatArray | None
) -> FloatArray:
    """Level of simple exponential smoothing after the last period of each series.

    Writes the level before each period into ``fitted`` (n_periods, n_block) if
    given; the caller masks the periods before the first record.
    """
    level = np.zeros(block.n_series)
    is_before_start = np.ones(block.n_series)
    buffers = _StepBuffers.of_length(block.n_series)
    is_every_series = np.ones(block.n_series)
    for period, value in enumerate(block.values):
        if fitted is not None:
            fitted[period] = level
        if block.is_recorded is None:
            is_update = is_every_series
        else:
            is_update = block.is_recorded[period]
        _set_weights(buffers, alpha, is_update, is_before_start)
        _apply_weights(level, value, buffers)
        np.subtract(1.0, is_update, out=buffers.scratch)
        is_before_start *= buffers.scratch
    return level


def croston_levels(
    block: PeriodMajorBlock,
    alpha_size: float,
    alpha_interval: float,
    fitted: FloatArray | None,
) -> tuple[FloatArray, FloatArray]:
    """Smoothed non-zero size and inter-demand interval after the last period.

    Writes the ratio size / interval before each period into ``fitted`` if given.
    """
    n_series = block.n_series
    size_level = np.zeros(n_series)
    interval_level = np.ones(n_series)
    periods_since_demand = np.zeros(n_series)
    is_before_demand = np.ones(n_series)
    is_demand = np.empty(n_series, dtype=bool)
    is_no_demand = np.empty(n_series, dtype=bool)
    size_step = _StepBuffers.of_length(n_series)
    interval_step = size_step
    if alpha_interval != alpha_size:
        interval_step = _StepBuffers.of_length(n_series)

    for period, value in enumerate(block.values):
        if fitted is not None:
            np.divide(size_level, interval_level, out=fitted[period])
        np.greater(value, 0.0, out=is_demand)
        np.logical_not(is_demand, out=is_no_demand)
        if block.is_recorded is None:
            periods_since_demand += 1.0
        else:
            periods_since_demand += block.is_recorded[period]
        _set_weights(size_step, alpha_size, is_demand, is_before_demand)
        _apply_weights(size_level, value, size_step)
        if interval_step is not size_step:
            _set_weights(interval_step, alpha_interval, is_demand, is_before_demand)
        _apply_weights(interval_level, periods_since_demand, interval_step)
        periods_since_demand *= is_no_demand
        is_before_demand *= is_no_demand
    return size_level, interval_level


def tsb_levels(
    block: PeriodMajorBlock,
    alpha_size: float,
    alpha_probability: float,
    fitted: FloatArray | None,
) -> tuple[FloatArray, FloatArray]:
    """Smoothed demand probability and non-zero size after the last period.

    Writes their product before each period into ``fitted`` if given.
    """
    n_series = block.n_series
    probability_level = np.zeros(n_series)
    size_level = np.zeros(n_series)
    is_before_demand = np.ones(n_series)
    is_before_record = np.ones(n_series)
    is_demand = np.empty(n_series, dtype=bool)
    size_step = _StepBuffers.of_length(n_series)
    probability_step = _StepBuffers.of_length(n_series)

    for period, value in enumerate(block.values):
        if fitted is not None:
            np.multiply(probability_level, size_level, out=fitted[period])
        np.greater(value, 0.0, out=is_demand)
        if block.is_recorded is None:
            _smooth_every_series(
                probability_level,
                is_demand,
                alpha_probability,
                period == 0,
                probability_step.scratch,
            )
        else:
            is_recorded = block.is_recorded[period]
            _set_weights(
                probability_step, alpha_probability, is_recorded, is_before_record
            )
            _apply_weights(probability_level, is_demand, probability_step)
            np.subtract(1.0, is_recorded, out=probability_step.scratch)
            is_before_record *= probability_step.scratch
        _set_weights(size_step, alpha_size, is_demand, is_before_demand)
        _apply_weights(size_level, value, size_step)
        np.logical_not(is_demand, out=is_demand)
        is_before_demand *= is_demand
    return probability_level, size_level


def _smooth_every_series(
    level: FloatArray,
    observation: Indicator,
    alpha: float,
    is_first: bool,
    scratch: FloatArray,
) -> None:
    """A smoothing step for every series at once (a record in every period)."""
    if is_first:
        np.copyto(level, observation)
        return
    np.multiply(observation, alpha, out=scratch)
    level *= 1.0 - alpha
    level += scratch
