r"""What the inventory-policy simulator returns, and how paths become estimates.

The paths of a run are independent replications, so each measure is estimated by
its mean over paths with the standard error across them and a 95 % confidence
half-width from Student's t with ``n_paths - 1`` degrees of freedom (Law 2015,
Ch. 9). A fraction of totals (fill rate, cycle service level) is a ratio
estimator with a delta-method standard error (Cochran 1977, Ch. 6).

References
----------
Law, A. M. (2015). *Simulation Modeling and Analysis*, 5th ed., McGraw-Hill.
Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., Wiley.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import special

__all__ = [
    "PathEstimate",
    "SimulationResult",
    "StockTrace",
    "mean_estimate",
    "ratio_estimate",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class PathEstimate:
    """An estimate per part from independent paths, with its uncertainty.

    Attributes
    ----------
    mean : ndarray of float, shape (n_parts,)
        Point estimate (mean over paths, or a ratio of totals over paths).
    standard_error : ndarray of float, shape (n_parts,)
        Standard error of ``mean`` across paths; ``NaN`` with one path.
    half_width_95 : ndarray of float, shape (n_parts,)
        Half-width of the 95 % confidence interval, ``t * standard_error``.
    """

    mean: FloatArray
    standard_error: FloatArray
    half_width_95: FloatArray


@dataclass(frozen=True)
class StockTrace:
    """Stock over time of a few parts in path 0, one column per recorded period.

    Attributes
    ----------
    part_indices : ndarray of int64, shape (n_traced,)
    on_hand_units, backorder_units : ndarray of int64, shape (n_traced, n_periods)
        Units on hand and on backorder at the end of each period.
    order_units : ndarray of int64, shape (n_traced, n_periods)
        Units ordered by the regular policy at the end of each period.
    """

    part_indices: IntArray
    on_hand_units: IntArray
    backorder_units: IntArray
    order_units: IntArray


@dataclass(frozen=True)
class SimulationResult:
    """Per-part performance of the simulated policies (see the module docstring).

    Every :class:`PathEstimate` is per path over the ``n_periods`` recorded
    periods; ``average_stock_value`` and ``downtime_cost`` are ``None`` where
    ``unit_cost`` or ``downtime_cost_per_hour`` was not given.
    """

    n_paths: int
    n_periods: int
    period_days: float
    fill_rate: PathEstimate
    cycle_service_level: PathEstimate
    n_stockout_events: PathEstimate
    backorder_unit_periods: PathEstimate
    average_backorder_units: PathEstimate
    downtime_hours: PathEstimate
    downtime_cost: PathEstimate | None
    average_on_hand_units: PathEstimate
    average_stock_value: PathEstimate | None
    n_orders: PathEstimate
    n_emergency_orders: PathEstimate
    emergency_order_units: PathEstimate
    trace: StockTrace | None
    pipeline_buffer_shape: tuple[int, int, int]
    pipeline_buffer_bytes: int


def t_quantile_95(n_paths: int) -> float:
    """Two-sided 95 % Student t quantile with ``n_paths - 1`` degrees of freedom."""
    return float(special.stdtrit(n_paths - 1, 0.975)) if n_paths >= 2 else np.nan


def mean_estimate(per_path: NDArray[np.generic]) -> PathEstimate:
    """Mean over paths (axis 1) with its standard error and 95 % half-width."""
    values = np.asarray(per_path, dtype=np.float64)
    n_paths = values.shape[1]
    mean = values.mean(axis=1)
    if n_paths < 2:
        standard_error = np.full(mean.shape, np.nan)
    else:
        standard_error = values.std(axis=1, ddof=1) / np.sqrt(n_paths)
    return PathEstimate(mean, standard_error, t_quantile_95(n_paths) * standard_error)


def ratio_estimate(
    numerator: NDArray[np.generic], denominator: NDArray[np.generic]
) -> PathEstimate:
    r"""Ratio of totals over paths, 1 where the denominator is 0, delta-method error.

    :math:`\hat R = \sum_i y_i / \sum_i x_i` and :math:`\mathrm{se}(\hat R)^2 =
    \sum_i (y_i - \hat R x_i)^2 / (n (n - 1) \bar x^2)` (Cochran 1977, Ch. 6).
    """
    y = np.asarray(numerator, dtype=np.float64)
    x = np.asarray(denominator, dtype=np.float64)
    n_paths = x.shape[1]
    x_total = x.sum(axis=1)
    has_any = x_total > 0.0
    safe_total = np.where(has_any, x_total, 1.0)
    ratio = np.where(has_any, y.sum(axis=1) / safe_total, 1.0)
    if n_paths < 2:
        standard_error = np.full(ratio.shape, np.nan)
    else:
        residual_sum = ((y - ratio[:, np.newaxis] * x) ** 2).sum(axis=1)
        x_mean = safe_total / n_paths
        standard_error = np.where(
            has_any,
            np.sqrt(residual_sum / (n_paths * (n_paths - 1))) / x_mean,
            0.0,
        )
    return PathEstimate(ratio, standard_error, t_quantile_95(n_paths) * standard_error)
