"""Least-squares trend of readings and the day it reaches a level.

Pure functions: arrays in, numbers out, no I/O. Time is in days since the first
reading; a reading's value is in the unit of its measure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from spareplan.digital.errors import DigitalValueError

__all__ = ["LinearTrend", "day_reaching", "linear_trend"]

# A slope smaller than this (units per day) is flat: it never reaches a level.
FLAT_SLOPE_PER_DAY = 1e-12


@dataclass(frozen=True)
class LinearTrend:
    """``value = intercept + slope_per_day x day`` fitted to ``n_readings``."""

    intercept: float
    slope_per_day: float
    n_readings: int


def linear_trend(days: ArrayLike, values: ArrayLike) -> LinearTrend:
    """Ordinary least-squares line through readings.

    .. math::

        b = \\frac{\\sum (x_i - \\bar x)(y_i - \\bar y)}{\\sum (x_i - \\bar x)^2},
        \\qquad a = \\bar y - b \\bar x

    with ``x`` the day of each reading and ``y`` its value (Montgomery, Peck and
    Vining, *Introduction to Linear Regression Analysis*, 5th ed., section 2.2).

    Parameters
    ----------
    days : array_like of float, shape (n,)
        Day of each reading, any origin.
    values : array_like of float, shape (n,)
        The readings.

    Returns
    -------
    LinearTrend

    Raises
    ------
    DigitalValueError
        Shapes differ, a value is not finite, or fewer than two distinct days.

    Examples
    --------
    >>> trend = linear_trend([0, 10, 20, 30], [2.0, 2.6, 2.9, 3.7])
    >>> round(trend.slope_per_day, 6), round(trend.intercept, 6)
    (0.054, 1.99)
    """
    x = np.asarray(days, dtype=np.float64)
    y = np.asarray(values, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1:
        raise DigitalValueError(
            f"days and values must be 1-d of one length, got shapes {x.shape} "
            f"and {y.shape}"
        )
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise DigitalValueError("days and values must be finite numbers")
    if np.unique(x).size < 2:
        raise DigitalValueError(
            f"a trend needs readings on at least two different days, got {x.size} "
            f"reading(s) on {np.unique(x).size} day(s)"
        )

    x_centred = x - x.mean()
    slope = float(np.dot(x_centred, y - y.mean()) / np.dot(x_centred, x_centred))
    intercept = float(y.mean() - slope * x.mean())
    return LinearTrend(intercept, slope, int(x.size))


def day_reaching(trend: LinearTrend, level: float, direction: str) -> float | None:
    """The day the trend line reaches ``level`` moving in ``direction``.

    ``direction`` is ``"rising"`` (the level is reached from below) or
    ``"falling"`` (from above). A flat trend, or one moving the other way, never
    reaches it: ``None``. The day may lie before the last reading (already past).

    Examples
    --------
    >>> trend = LinearTrend(intercept=1.99, slope_per_day=0.054, n_readings=4)
    >>> round(day_reaching(trend, 4.0, "rising"), 4)
    37.2222
    >>> day_reaching(trend, 1.0, "falling") is None
    True
    """
    if direction not in ("rising", "falling"):
        raise DigitalValueError(
            f"direction must be 'rising' or 'falling', got {direction!r}"
        )
    slope = trend.slope_per_day
    if abs(slope) < FLAT_SLOPE_PER_DAY:
        return None
    if (slope > 0) != (direction == "rising"):
        return None
    day = (level - trend.intercept) / slope
    return day if math.isfinite(day) else None
