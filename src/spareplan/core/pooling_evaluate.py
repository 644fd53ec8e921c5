"""Expected cost and service of a given allocation of each pool."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import ArrayLike

from spareplan.core._pooling_checks import _check_choice, _raise_at
from spareplan.core._pooling_model import (
    _cdf,
    _costs,
    _nearest_donor,
    _pool_backorders,
    _pools,
)
from spareplan.core._pooling_types import BoolArray, FloatArray, IntArray
from spareplan.core.pooling_inputs import PoolInputs
from spareplan.errors import InputError

__all__ = ["DEFAULT_CHUNK_POOLS", "PoolAllocation", "evaluate_allocation"]

#: Pools evaluated together; bounds the (chunk, sites, sites) work arrays.
DEFAULT_CHUNK_POOLS: Final = 1024


@dataclass(frozen=True)
class PoolAllocation:
    """An allocation of each pool and what it is expected to achieve.

    Per-slot arrays have shape (n_pools, n_slots), zero in empty slots; per-pool
    arrays have shape (n_pools,). Money per year in the inputs' currency.

    Attributes
    ----------
    units : ndarray of int64
        Base stock :math:`S_i` of each site.
    expected_annual_cost : ndarray of float
        :math:`C`, the sum of the next three fields.
    holding_cost_per_year, downtime_cost_per_year, transfer_cost_per_year : ndarray
        The three parts of :math:`C`.
    local_fill_rate : ndarray of float
        Fraction of a site's demands met from its own shelf, :math:`\\ell_i`.
    transfer_fill_rate : ndarray of float
        Fraction met by a transfer from another site, :math:`g - \\ell_i`.
    transfers_per_year : ndarray of float
        Expected transfers into each site a year.
    has_hit_max_units : ndarray of bool
        The greedy search stopped at ``max_units`` while a unit still paid.
    """

    units: IntArray
    expected_annual_cost: FloatArray
    holding_cost_per_year: FloatArray
    downtime_cost_per_year: FloatArray
    transfer_cost_per_year: FloatArray
    local_fill_rate: FloatArray
    transfer_fill_rate: FloatArray
    transfers_per_year: FloatArray
    has_hit_max_units: BoolArray


def evaluate_allocation(
    inputs: PoolInputs,
    units: ArrayLike,
    *,
    stockout_wait: str = "resupply",
    chunk_pools: int = DEFAULT_CHUNK_POOLS,
) -> PoolAllocation:
    """Expected cost and service of a given allocation, by the pool model.

    Parameters
    ----------
    inputs : PoolInputs
        The pools.
    units : array_like of int, shape (n_pools, n_slots)
        Base stock >= 0 of each slot (ignored in empty slots).
    stockout_wait : {"resupply", "lead_time"}, default "resupply"
    chunk_pools : int, default 1024

    Returns
    -------
    PoolAllocation
        ``has_hit_max_units`` is all False.
    """
    _check_choice(stockout_wait)
    stock = np.asarray(units)
    if stock.shape != inputs.site_index.shape:
        raise InputError(
            f"`units` must have shape {inputs.site_index.shape!r}, got {stock.shape!r}"
        )
    if np.any(stock < 0) or not np.all(np.isfinite(stock)):
        _raise_at("units", stock.astype(np.float64), ~(stock >= 0), ">= 0")
    stock = np.where(inputs.site_index >= 0, stock, 0).astype(np.int64)
    parts = [
        _evaluate_chunk(
            inputs.take(slice(start, start + chunk_pools)),
            stock[start : start + chunk_pools],
            stockout_wait,
        )
        for start in range(0, inputs.n_pools, max(1, chunk_pools))
    ]
    if not parts:
        return _evaluate_chunk(inputs, stock, stockout_wait)
    return PoolAllocation(
        **{
            name: np.concatenate([getattr(part, name) for part in parts])
            for name in PoolAllocation.__dataclass_fields__
        }
    )


def _evaluate_chunk(inputs: PoolInputs, units: IntArray, wait: str) -> PoolAllocation:
    pools = _pools(inputs)
    total = units.sum(axis=1)
    fill = _cdf(total - 1, pools.pool_mean, pools.pool_variance)
    backorders = _pool_backorders(total, pools)
    holding_sum = (pools.holding * units).sum(axis=1)
    local_cdf = _cdf(units - 1, pools.mean_units, pools.variance_units)
    wait_hours, wait_cost = _nearest_donor(pools, units)
    state = (total.astype(np.float64), fill, backorders, holding_sum)
    costs = _costs(pools, state, local_cdf, wait_hours, wait_cost, wait)
    mask = pools.is_site
    return PoolAllocation(
        units=units,
        expected_annual_cost=costs.total,
        holding_cost_per_year=costs.holding,
        downtime_cost_per_year=costs.downtime,
        transfer_cost_per_year=costs.transfer,
        local_fill_rate=np.where(mask, costs.local_fill, 0.0),
        transfer_fill_rate=np.where(mask, costs.transfer_fill, 0.0),
        transfers_per_year=pools.demand * np.where(mask, costs.transfer_fill, 0.0),
        has_hit_max_units=np.zeros(units.shape[0], dtype=np.bool_),
    )
