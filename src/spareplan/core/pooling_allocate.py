"""Allocate each pool's stock among its sites by greedy marginal allocation."""

from __future__ import annotations

import numpy as np

from spareplan.core._pooling_checks import _check_choice
from spareplan.core._pooling_search import _greedy
from spareplan.core._pooling_types import BoolArray
from spareplan.core._validation import check_positive_int
from spareplan.core.pooling_evaluate import (
    DEFAULT_CHUNK_POOLS,
    PoolAllocation,
    evaluate_allocation,
)
from spareplan.core.pooling_inputs import PoolInputs

__all__ = ["allocate_pooled_stock"]


def allocate_pooled_stock(
    inputs: PoolInputs,
    *,
    stockout_wait: str = "resupply",
    max_units: int = 10_000,
    chunk_pools: int = DEFAULT_CHUNK_POOLS,
) -> PoolAllocation:
    """Greedy marginal allocation of each pool's stock among its sites.

    Parameters
    ----------
    inputs : PoolInputs
        The pools; see :meth:`PoolInputs.create`.
    stockout_wait : {"resupply", "lead_time"}, default "resupply"
        How a demand no shelf can meet is charged (module docstring).
    max_units : int, default 10,000
        Most units given to one pool, >= 1.
    chunk_pools : int, default 1024
        Pools searched together; memory grows as chunk x slots squared.

    Returns
    -------
    PoolAllocation
        The allocation, evaluated by :func:`evaluate_allocation`.

    Examples
    --------
    Two plants 4 hours apart, each failing a part 0.5 times a year with 60 days to
    resupply: alone each would hold one; pooled they share one.

    >>> inputs = PoolInputs.create(
    ...     site_index=[[0, 1]], demand_per_year=0.5, lead_time_days=60.0,
    ...     holding_cost_per_unit_year=500.0, downtime_cost_per_hour=2.0,
    ...     transfer_hours=[[0.0, 4.0], [4.0, 0.0]])
    >>> allocate_pooled_stock(inputs).units
    array([[1, 0]])
    """
    _check_choice(stockout_wait)
    max_units = check_positive_int("max_units", max_units)
    chunk_pools = check_positive_int("chunk_pools", chunk_pools)
    units = np.zeros(inputs.site_index.shape, dtype=np.int64)
    has_hit_max = np.zeros(inputs.n_pools, dtype=np.bool_)
    for start in range(0, inputs.n_pools, chunk_pools):
        rows = slice(start, start + chunk_pools)
        units[rows], has_hit_max[rows] = _greedy(
            inputs.take(rows), stockout_wait, max_units
        )
    allocation = evaluate_allocation(inputs, units, stockout_wait=stockout_wait)
    return _with_max_flag(allocation, has_hit_max)


def _with_max_flag(allocation: PoolAllocation, flag: BoolArray) -> PoolAllocation:
    fields = {
        name: getattr(allocation, name) for name in allocation.__dataclass_fields__
    }
    fields["has_hit_max_units"] = flag
    return PoolAllocation(**fields)
