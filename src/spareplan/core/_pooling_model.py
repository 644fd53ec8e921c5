"""The pool cost model on packed arrays: slot moments, fill, waits and costs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from spareplan.core._pooling_types import BoolArray, FloatArray, IntArray
from spareplan.core.cost_model import DAYS_PER_YEAR, HOURS_PER_YEAR
from spareplan.core.economics import HOURS_PER_DAY
from spareplan.core.pooling_inputs import PoolInputs


@dataclass(frozen=True)
class _Pools:
    """One chunk's pools, as the greedy search and the evaluation need them."""

    is_site: BoolArray  # (C, K)
    demand: FloatArray  # lambda_i, zero in empty slots
    mean_units: FloatArray  # mu_i
    variance_units: FloatArray  # V_i
    holding: FloatArray
    downtime: FloatArray
    lead_time_hours: FloatArray
    donor_hours: FloatArray  # (C, K from, K to); inf where no transfer
    donor_cost: FloatArray
    pool_mean: FloatArray  # (C,)
    pool_variance: FloatArray
    pool_demand: FloatArray


def _pools(inputs: PoolInputs) -> _Pools:
    """Per-chunk arrays: slot moments and each slot pair's usable transfer."""
    is_site = inputs.site_index >= 0
    demand = np.where(is_site, inputs.demand_per_year, 0.0)
    lead_time = np.where(is_site, inputs.lead_time_days, 1.0)
    mean_units = demand * lead_time / DAYS_PER_YEAR
    variance = inputs.lead_time_demand_variance
    variance_units = np.where(is_site & (variance > mean_units), variance, mean_units)
    lead_time_hours = lead_time * HOURS_PER_DAY
    site = np.where(is_site, inputs.site_index, 0)
    hours = inputs.transfer_hours[site[:, :, None], site[:, None, :]]
    # A transfer slower than the receiver's own resupply is no transfer at all.
    is_usable = (
        is_site[:, :, None]
        & is_site[:, None, :]
        & ~np.eye(site.shape[1], dtype=np.bool_)
        & (hours < lead_time_hours[:, None, :])
    )
    return _Pools(
        is_site=is_site,
        demand=demand,
        mean_units=mean_units,
        variance_units=variance_units,
        holding=np.where(is_site, inputs.holding_cost_per_unit_year, 0.0),
        downtime=np.where(is_site, inputs.downtime_cost_per_hour, 0.0),
        lead_time_hours=lead_time_hours,
        donor_hours=np.where(is_usable, hours, np.inf),
        donor_cost=np.where(
            is_usable, inputs.cost_per_transfer[site[:, :, None], site[:, None, :]], 0.0
        ),
        pool_mean=mean_units.sum(axis=1),
        pool_variance=variance_units.sum(axis=1),
        pool_demand=demand.sum(axis=1),
    )


@dataclass(frozen=True)
class _Costs:
    """The parts of the annual cost and the service behind them."""

    holding: FloatArray
    downtime: FloatArray
    transfer: FloatArray
    local_fill: FloatArray
    transfer_fill: FloatArray

    @property
    def total(self) -> FloatArray:
        """Expected annual cost."""
        return self.holding + self.downtime + self.transfer


def _costs(
    pools: _Pools,
    state: tuple[FloatArray, FloatArray, FloatArray, FloatArray],
    local_cdf: FloatArray,
    wait_hours: FloatArray,
    wait_cost: FloatArray,
    stockout_wait: str,
) -> _Costs:
    """The cost formula of the module docstring; sites on the last axis.

    ``state`` is (units in pool, pool fill g, pool backorders, holding-cost sum
    :math:`\\sum h_i S_i`), with one axis fewer than the per-site arrays.
    """
    total_units, fill, backorders, holding_sum = state
    fill_site = fill[..., None]
    local_fill = np.minimum(local_cdf, fill_site)
    transfer_fill = fill_site - local_fill
    on_hand = np.maximum(total_units - _pool(pools, "pool_mean", fill) + backorders, 0)
    unit_holding = np.divide(
        holding_sum, total_units, out=np.zeros_like(holding_sum), where=total_units > 0
    )
    demand = _site(pools, "demand", local_cdf)
    if stockout_wait == "resupply":
        share = np.divide(demand, _pool(pools, "pool_demand", fill)[..., None] + 1e-300)
        unmet_hours = HOURS_PER_YEAR * backorders[..., None] * share
    else:
        lead_hours = _site(pools, "lead_time_hours", local_cdf)
        unmet_hours = demand * (1.0 - fill_site) * lead_hours
    transfers = demand * transfer_fill
    downtime_rate = _site(pools, "downtime", local_cdf)
    downtime = downtime_rate * (transfers * wait_hours + unmet_hours)
    return _Costs(
        holding=unit_holding * on_hand,
        downtime=downtime.sum(axis=-1),
        transfer=(transfers * wait_cost).sum(axis=-1),
        local_fill=local_fill,
        transfer_fill=transfer_fill,
    )


def _site(pools: _Pools, name: str, like: FloatArray) -> FloatArray:
    """A (C, K) field shaped to broadcast against ``like`` (C, K) or (C, K, K)."""
    values: FloatArray = getattr(pools, name)
    return values if like.ndim == 2 else values[:, None, :]


def _pool(pools: _Pools, name: str, like: FloatArray) -> FloatArray:
    """A (C,) field shaped to broadcast against ``like`` (C,) or (C, K)."""
    values: FloatArray = getattr(pools, name)
    return values if like.ndim == 1 else values[:, None]


def _nearest_donor(pools: _Pools, units: IntArray) -> tuple[FloatArray, FloatArray]:
    """Wait (hours) and cost of a transfer to each slot from its nearest holder."""
    hours = np.where(units[:, :, None] > 0, pools.donor_hours, np.inf)
    nearest = np.argmin(hours, axis=1)
    best = np.take_along_axis(hours, nearest[:, None, :], axis=1)[:, 0, :]
    cost = np.take_along_axis(pools.donor_cost, nearest[:, None, :], axis=1)[:, 0, :]
    has_donor = np.isfinite(best)
    return (
        np.where(has_donor, best, pools.lead_time_hours),
        np.where(has_donor, cost, 0.0),
    )


def _cdf(units: ArrayLike, mean: FloatArray, variance: FloatArray) -> FloatArray:
    """:math:`P(X \\le k)`: Poisson, or negative binomial where variance > mean."""
    k = np.asarray(units, dtype=np.float64)
    is_nb = variance > mean * (1.0 + 1e-9)
    safe_variance = np.where(is_nb, variance, 2.0)
    safe_mean = np.where(is_nb, mean, 1.0)
    success = safe_mean / safe_variance
    size = safe_mean**2 / (safe_variance - safe_mean)
    clipped = np.maximum(k, 0.0)
    cdf = np.where(
        is_nb,
        special.betainc(size, clipped + 1.0, success),
        special.pdtr(clipped, mean),
    )
    return np.where(k < 0.0, 0.0, cdf)


def _pool_backorders(total_units: IntArray, pools: _Pools) -> FloatArray:
    """:math:`B(S) = \\mu - S + \\sum_{x < S} F(x)`, summed one unit at a time."""
    on_hand = np.zeros(total_units.shape)
    for unit in range(int(total_units.max(initial=0))):
        below = unit < total_units
        on_hand += np.where(
            below, _cdf(unit, pools.pool_mean, pools.pool_variance), 0.0
        )
    return np.maximum(pools.pool_mean - total_units + on_hand, 0.0)


def _take_pools(pools: _Pools, rows: IntArray) -> _Pools:
    """The pools at ``rows``."""
    return _Pools(
        **{name: getattr(pools, name)[rows] for name in _Pools.__dataclass_fields__}
    )
