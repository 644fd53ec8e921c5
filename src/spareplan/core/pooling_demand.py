"""Pooled lead-time demand and the square-root law of pooled safety stock."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from spareplan.core._pooling_checks import _nonnegative
from spareplan.core._pooling_types import FloatArray
from spareplan.core._validation import as_float_array, plain
from spareplan.errors import InputError

__all__ = ["normal_safety_stock", "pooled_lead_time_demand"]


def pooled_lead_time_demand(
    lead_time_demand: ArrayLike,
    lead_time_demand_sd: ArrayLike,
    pool_index: ArrayLike,
    n_pools: int,
) -> tuple[FloatArray, FloatArray]:
    r"""Mean and standard deviation of the lead-time demand of each pool.

    Parameters
    ----------
    lead_time_demand, lead_time_demand_sd : array_like of float, shape (n_rows,)
        Mean :math:`\mu_i` and standard deviation :math:`\sigma_i` >= 0 of each
        site's demand over its lead time, units.
    pool_index : array_like of int, shape (n_rows,)
        Pool of each row, 0 <= index < ``n_pools``.
    n_pools : int
        Number of pools.

    Returns
    -------
    mean, sd : ndarray of float, shape (n_pools,)
        :math:`\sum_i \mu_i` and :math:`\sqrt{\sum_i \sigma_i^2}`, sites taken as
        independent.

    Examples
    --------
    Four identical sites, each with sd 10 units, pool to an sd of 20 (square-root
    law):

    >>> pooled_lead_time_demand([5.0] * 4, [10.0] * 4, [0, 0, 0, 0], 1)
    (array([20.]), array([20.]))
    """
    mean = _nonnegative("lead_time_demand", lead_time_demand)
    sd = _nonnegative("lead_time_demand_sd", lead_time_demand_sd)
    index = np.asarray(pool_index, dtype=np.int64)
    if index.shape != mean.shape or sd.shape != mean.shape:
        raise InputError(
            "`lead_time_demand`, `lead_time_demand_sd` and `pool_index` must share "
            f"one shape, got {mean.shape!r}, {sd.shape!r} and {index.shape!r}"
        )
    if index.size and (index.min() < 0 or index.max() >= n_pools):
        bad = int(index[(index < 0) | (index >= n_pools)][0])
        raise InputError(f"`pool_index` must be in [0, {n_pools}), got {bad!r}")
    pooled_mean = np.bincount(index, weights=mean, minlength=n_pools)
    pooled_variance = np.bincount(index, weights=sd**2, minlength=n_pools)
    return pooled_mean.astype(np.float64), np.sqrt(pooled_variance).astype(np.float64)


def normal_safety_stock(
    lead_time_demand_sd: ArrayLike, cycle_service_level: ArrayLike
) -> FloatArray:
    r"""Normal safety stock :math:`z\sigma`, with :math:`z = \Phi^{-1}(\alpha)`.

    Silver, Pyke & Thomas (2017), sec. 6.7.

    >>> round(float(normal_safety_stock(10.0, 0.95)[0]), 3)
    16.449
    """
    sd = _nonnegative("lead_time_demand_sd", lead_time_demand_sd)
    level = as_float_array("cycle_service_level", cycle_service_level)
    is_bad = ~((level > 0.0) & (level < 1.0))
    if np.any(is_bad):
        raise InputError(
            "`cycle_service_level` must be in (0, 1), got "
            f"{plain(level[is_bad].flat[0])!r}"
        )
    return np.atleast_1d(special.ndtri(level) * sd)
