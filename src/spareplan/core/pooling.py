r"""Pooled spares across sites: shared requirement, allocation and transfers.

Sites that stock the same (or an interchangeable) part and can ship it to each other
faster than a supplier can resupply it form a *pool*. This module holds the pure
arithmetic of such pools; reading files and forming the pools is done by
:mod:`spareplan.multisite`.

**Pooled requirement.** Demand over the lead time at independent sites adds in mean
and in variance, :math:`\mu_P = \sum_i \mu_i` and :math:`\sigma_P^2 = \sum_i
\sigma_i^2`, so a normal safety stock :math:`z \sigma_P` grows with the square root
of the number of identical sites rather than linearly (the square-root law, Maister
1976; Eppen 1979).

**Pool model.** Each pool holds a one-for-one base stock :math:`S_i` at each of its
sites. The units in resupply at site :math:`i`, :math:`X_i`, have mean
:math:`\mu_i = \lambda_i L_i / 365` (Palm 1938) and variance :math:`V_i` (Poisson,
or a moment-matched negative binomial where :math:`V_i > \mu_i`, as in
:mod:`spareplan.core.cost_model`). For the pool, :math:`X = \sum X_i` and
:math:`S = \sum S_i`. With complete pooling a demand anywhere finds a unit somewhere
with probability :math:`g = P(X \le S - 1)` (PASTA, Wolff 1982), and the pool has
:math:`B(S) = E[(X - S)^+]` waiting demands on average. *Approximations adopted*
(in the spirit of Axsäter 1990 and Wong et al. 2006, simplified to stay
vectorised):

- a demand at site :math:`i` is met from its own shelf with probability
  :math:`\ell_i = \min(P(X_i \le S_i - 1),\, g)`, and by a transfer with
  probability :math:`g - \ell_i`;
- a transfer comes from the nearest other site holding stock (shortest transfer
  time to :math:`i`; a site that cannot deliver within :math:`i`'s lead time is no
  donor) and the demand waits its transfer hours :math:`t_i`; without any donor
  it waits :math:`24 L_i` hours;
- a demand that no shelf can meet waits for resupply: the pool's backorders
  :math:`B(S)` are shared among the sites by demand, giving
  :math:`8760\,B(S)\,\lambda_i / \Lambda` hours a year (Little 1961), as the
  stand-alone cost model counts them; with ``stockout_wait="lead_time"`` each
  such demand waits the full :math:`24 L_i` hours instead;
- holding is charged on the pool's expected on-hand stock :math:`S - \mu + B(S)`
  at the unit-weighted holding cost :math:`\sum_i h_i S_i / S`.

The expected annual cost of an allocation is

.. math:: C = \bar h\,(S - \mu + B) + \sum_i \lambda_i (g - \ell_i)
   (c_i t_i + k_i) + \sum_i c_i\,W_i,

with :math:`c_i` the downtime cost per hour, :math:`k_i` the cost of the transfer
and :math:`W_i` the unmet-demand hours above. A pool of one site reduces exactly to
the backorder model of :func:`~spareplan.core.cost_model.cost_optimal_spares`.

**Allocation** is greedy marginal allocation (Sherbrooke 2004, ch. 2): starting from
no stock, add the one unit, at whichever site, that lowers :math:`C` most, and stop
when no unit lowers it. All pools of a chunk advance together, one unit per step.

**Transfers before purchases.** :func:`recommend_transfer` covers a shortage at one
site from the sites holding stock above their own reorder point, nearest first,
never taking a donor below its reorder point; what is left is bought.

References
----------
Axsäter, S. (1990). Modelling emergency lateral transshipments in inventory
systems. *Management Science*, 36(11), 1329-1338.
Eppen, G. D. (1979). Effects of centralization on expected costs in a
multi-location newsboy problem. *Management Science*, 25(5), 498-501.
Maister, D. H. (1976). Centralisation of inventories and the "square root law".
*International Journal of Physical Distribution*, 6(3), 124-134.
Sherbrooke, C. C. (2004). *Optimal Inventory Modeling of Systems*, 2nd ed., Kluwer.
Wong, H., van Houtum, G. J., Cattrysse, D. & Van Oudheusden, D. (2006). Multi-item
spare parts systems with lateral transshipments and waiting time constraints.
*European Journal of Operational Research*, 171(3), 1071-1093.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from spareplan.core._validation import as_float_array, check_positive_int, plain
from spareplan.core.cost_model import DAYS_PER_YEAR, HOURS_PER_YEAR
from spareplan.core.economics import HOURS_PER_DAY
from spareplan.errors import InputError

__all__ = [
    "STOCKOUT_WAITS",
    "PoolAllocation",
    "PoolInputs",
    "TransferRecommendation",
    "allocate_pooled_stock",
    "evaluate_allocation",
    "normal_safety_stock",
    "pooled_lead_time_demand",
    "reachable_clusters",
    "recommend_transfer",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: How a demand that no shelf in the pool can meet is charged.
STOCKOUT_WAITS: Final = ("resupply", "lead_time")
#: Pools evaluated together; bounds the (chunk, sites, sites) work arrays.
DEFAULT_CHUNK_POOLS: Final = 1024
# Relative improvement below which one more unit counts as no improvement.
_COST_TOLERANCE: Final = 1e-12


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


@dataclass(frozen=True)
class PoolInputs:
    """Sites of each pool, packed into slots; validated by :meth:`create`.

    Per-slot arrays have shape (n_pools, n_slots); a slot with ``site_index`` -1 is
    empty (pools have different numbers of sites) and its other entries are
    ignored. The transfer matrices have shape (n_sites, n_sites), row the sending
    and column the receiving site.
    """

    site_index: IntArray
    demand_per_year: FloatArray
    lead_time_days: FloatArray
    holding_cost_per_unit_year: FloatArray
    downtime_cost_per_hour: FloatArray
    lead_time_demand_variance: FloatArray
    transfer_hours: FloatArray
    cost_per_transfer: FloatArray

    @classmethod
    def create(
        cls,
        *,
        site_index: ArrayLike,
        demand_per_year: ArrayLike,
        lead_time_days: ArrayLike,
        holding_cost_per_unit_year: ArrayLike,
        downtime_cost_per_hour: ArrayLike,
        transfer_hours: ArrayLike,
        cost_per_transfer: ArrayLike = 0.0,
        lead_time_demand_variance: ArrayLike = np.nan,
    ) -> PoolInputs:
        """Check and pack the inputs.

        Parameters
        ----------
        site_index : array_like of int, shape (n_pools, n_slots)
            Network site of each slot, or -1 for an empty slot. A site appears
            at most once per pool.
        demand_per_year : array_like of float, shape (n_pools, n_slots)
            Demand rate :math:`\\lambda_i` >= 0, units a year.
        lead_time_days : array_like of float
            Mean resupply lead time :math:`L_i` > 0, days.
        holding_cost_per_unit_year : array_like of float
            Carrying cost :math:`h_i` >= 0 of one unit for a year.
        downtime_cost_per_hour : array_like of float
            Cost :math:`c_i` >= 0 of an hour waiting for the part.
        transfer_hours : array_like of float, shape (n_sites, n_sites)
            Hours >= 0 to ship a unit from the row's site to the column's; ``inf``
            where no transfer is possible. The diagonal is ignored.
        cost_per_transfer : array_like of float, shape (n_sites, n_sites)
            Cost >= 0 of one transfer; default 0.
        lead_time_demand_variance : array_like of float, default NaN
            Variance of the units in resupply; NaN (or at most the mean) keeps them
            Poisson.

        Raises
        ------
        InputError
            A value out of range (named with its position), shapes that differ, a
            site index out of range or repeated within a pool.
        """
        index = np.atleast_2d(np.asarray(site_index, dtype=np.int64))
        hours = as_float_array("transfer_hours", transfer_hours)
        if hours.ndim != 2 or hours.shape[0] != hours.shape[1]:
            raise InputError(
                "`transfer_hours` must be square, shape (n_sites, n_sites), got "
                f"{hours.shape!r}"
            )
        n_sites = hours.shape[0]
        _check_site_index(index, n_sites)
        is_site = index >= 0
        slots = {
            "demand_per_year": (demand_per_year, ">= 0"),
            "lead_time_days": (lead_time_days, "> 0"),
            "holding_cost_per_unit_year": (holding_cost_per_unit_year, ">= 0"),
            "downtime_cost_per_hour": (downtime_cost_per_hour, ">= 0"),
        }
        arrays = {
            name: _slot_array(name, values, index.shape, is_site, bound)
            for name, (values, bound) in slots.items()
        }
        variance = _broadcast(
            "lead_time_demand_variance", lead_time_demand_variance, index.shape
        )
        bad_variance = is_site & (variance < 0.0)
        if np.any(bad_variance):
            _raise_at("lead_time_demand_variance", variance, bad_variance, ">= 0")
        costs = np.broadcast_to(
            as_float_array("cost_per_transfer", cost_per_transfer), hours.shape
        )
        _check_matrix("transfer_hours", hours, allow_inf=True)
        _check_matrix("cost_per_transfer", costs, allow_inf=False)
        return cls(
            site_index=index,
            demand_per_year=arrays["demand_per_year"],
            lead_time_days=arrays["lead_time_days"],
            holding_cost_per_unit_year=arrays["holding_cost_per_unit_year"],
            downtime_cost_per_hour=arrays["downtime_cost_per_hour"],
            lead_time_demand_variance=np.where(is_site, variance, np.nan),
            transfer_hours=hours.copy(),
            cost_per_transfer=np.array(costs, dtype=np.float64),
        )

    @property
    def n_pools(self) -> int:
        """Number of pools."""
        return int(self.site_index.shape[0])

    def take(self, rows: slice | IntArray) -> PoolInputs:
        """The pools at ``rows``; the network matrices are shared."""
        return PoolInputs(
            site_index=self.site_index[rows],
            demand_per_year=self.demand_per_year[rows],
            lead_time_days=self.lead_time_days[rows],
            holding_cost_per_unit_year=self.holding_cost_per_unit_year[rows],
            downtime_cost_per_hour=self.downtime_cost_per_hour[rows],
            lead_time_demand_variance=self.lead_time_demand_variance[rows],
            transfer_hours=self.transfer_hours,
            cost_per_transfer=self.cost_per_transfer,
        )


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


def _greedy(
    inputs: PoolInputs, wait: str, max_units: int
) -> tuple[IntArray, BoolArray]:
    """Add the best unit to every open pool until none lowers its cost."""
    pools = _pools(inputs)
    n_pools, n_slots = inputs.site_index.shape
    units = np.zeros((n_pools, n_slots), dtype=np.int64)
    has_hit_max = np.zeros(n_pools, dtype=np.bool_)
    search = _Search.start(pools, wait)
    open_rows = np.arange(n_pools)
    eye = np.eye(n_slots, dtype=np.bool_)
    for _ in range(max_units):
        if open_rows.size == 0:
            break
        candidate_cost = search.candidate_costs(eye)
        best = np.argmin(candidate_cost, axis=1)
        best_cost = candidate_cost[np.arange(best.size), best]
        current = search.current_cost()
        is_better = best_cost < current - _COST_TOLERANCE * np.maximum(1.0, current)
        chosen = open_rows[is_better]
        units[chosen, best[is_better]] += 1
        search = search.add(best, is_better)
        open_rows = chosen
    if open_rows.size:
        candidate_cost = search.candidate_costs(eye)
        current = search.current_cost()
        has_hit_max[open_rows] = candidate_cost.min(axis=1) < current * (
            1.0 - _COST_TOLERANCE
        )
    return units, has_hit_max


@dataclass(frozen=True)
class _Search:
    """State of the open pools of one chunk during the greedy search."""

    pools: _Pools
    wait: str
    units: IntArray
    local_cdf: FloatArray  # P(X_i <= S_i - 1)
    next_local_cdf: FloatArray  # P(X_i <= S_i)
    wait_hours: FloatArray
    wait_cost: FloatArray
    total: FloatArray
    fill: FloatArray  # P(X <= S - 1)
    next_fill: FloatArray  # P(X <= S)
    backorders: FloatArray
    holding_sum: FloatArray

    @classmethod
    def start(cls, pools: _Pools, wait: str) -> _Search:
        """Every pool empty."""
        n_pools, n_slots = pools.is_site.shape
        units = np.zeros((n_pools, n_slots), dtype=np.int64)
        wait_hours, wait_cost = _nearest_donor(pools, units)
        zeros = np.zeros(n_pools)
        return cls(
            pools=pools,
            wait=wait,
            units=units,
            local_cdf=np.zeros((n_pools, n_slots)),
            next_local_cdf=_cdf(0, pools.mean_units, pools.variance_units),
            wait_hours=wait_hours,
            wait_cost=wait_cost,
            total=zeros,
            fill=zeros,
            next_fill=_cdf(0, pools.pool_mean, pools.pool_variance),
            backorders=pools.pool_mean.copy(),
            holding_sum=zeros,
        )

    def current_cost(self) -> FloatArray:
        """Annual cost of each open pool as it stands."""
        state = (self.total, self.fill, self.backorders, self.holding_sum)
        return _costs(
            self.pools,
            state,
            self.local_cdf,
            self.wait_hours,
            self.wait_cost,
            self.wait,
        ).total

    def candidate_costs(self, eye: BoolArray) -> FloatArray:
        """Cost after one more unit at each slot, shape (C, K); inf for empty slots."""
        pools = self.pools
        local = np.where(eye, self.next_local_cdf[:, :, None], self.local_cdf[:, None])
        # Unit at k: k becomes a donor to every other slot it can reach.
        hours = pools.donor_hours
        is_nearer = hours < self.wait_hours[:, None, :]
        wait_hours = np.where(is_nearer, hours, self.wait_hours[:, None, :])
        wait_cost = np.where(is_nearer, pools.donor_cost, self.wait_cost[:, None, :])
        backorders = self.backorders - (1.0 - self.next_fill)
        holding_sum = self.holding_sum[:, None] + pools.holding
        n_slots = eye.shape[0]
        state = (
            np.repeat((self.total + 1.0)[:, None], n_slots, axis=1),
            np.repeat(self.next_fill[:, None], n_slots, axis=1),
            np.repeat(backorders[:, None], n_slots, axis=1),
            holding_sum,
        )
        cost = _costs(pools, state, local, wait_hours, wait_cost, self.wait).total
        return np.where(pools.is_site, cost, np.inf)

    def add(self, best: IntArray, is_better: BoolArray) -> _Search:
        """The pools that improved, each with one more unit at its best slot."""
        rows = np.flatnonzero(is_better)
        slot = best[rows]
        pools = _take_pools(self.pools, rows)
        units = self.units[rows]
        units[np.arange(rows.size), slot] += 1
        local_cdf = self.local_cdf[rows]
        next_local = self.next_local_cdf[rows]
        at = (np.arange(rows.size), slot)
        local_cdf[at] = next_local[at]
        next_local[at] = _cdf(units[at], pools.mean_units[at], pools.variance_units[at])
        donor_hours = pools.donor_hours[np.arange(rows.size), slot]
        wait_hours = self.wait_hours[rows]
        is_nearer = donor_hours < wait_hours
        total = self.total[rows] + 1.0
        return _Search(
            pools=pools,
            wait=self.wait,
            units=units,
            local_cdf=local_cdf,
            next_local_cdf=next_local,
            wait_hours=np.where(is_nearer, donor_hours, wait_hours),
            wait_cost=np.where(
                is_nearer,
                pools.donor_cost[np.arange(rows.size), slot],
                self.wait_cost[rows],
            ),
            total=total,
            fill=self.next_fill[rows],
            next_fill=_cdf(total, pools.pool_mean, pools.pool_variance),
            backorders=self.backorders[rows] - (1.0 - self.next_fill[rows]),
            holding_sum=self.holding_sum[rows] + pools.holding[at],
        )


def _take_pools(pools: _Pools, rows: IntArray) -> _Pools:
    """The pools at ``rows``."""
    return _Pools(
        **{name: getattr(pools, name)[rows] for name in _Pools.__dataclass_fields__}
    )


def _with_max_flag(allocation: PoolAllocation, flag: BoolArray) -> PoolAllocation:
    fields = {
        name: getattr(allocation, name) for name in allocation.__dataclass_fields__
    }
    fields["has_hit_max_units"] = flag
    return PoolAllocation(**fields)


def reachable_clusters(
    site_index: ArrayLike, lead_time_days: ArrayLike, transfer_hours: ArrayLike
) -> IntArray:
    """Split each group's sites into pools of sites that can reach each other.

    Two slots are linked when a transfer each way is faster than the receiving
    site's lead time; a pool is a connected set of linked slots.

    Parameters
    ----------
    site_index : array_like of int, shape (n_groups, n_slots)
        Network site of each slot, -1 for an empty slot.
    lead_time_days : array_like of float, shape (n_groups, n_slots)
        Resupply lead time of each slot, days.
    transfer_hours : array_like of float, shape (n_sites, n_sites)
        Hours from the row's site to the column's; ``inf`` where impossible.

    Returns
    -------
    ndarray of int64, shape (n_groups, n_slots)
        Cluster label of each slot: the lowest slot number in its cluster; -1 in
        empty slots.
    """
    index = np.atleast_2d(np.asarray(site_index, dtype=np.int64))
    hours = as_float_array("transfer_hours", transfer_hours)
    lead_hours = np.atleast_2d(as_float_array("lead_time_days", lead_time_days))
    lead_hours = lead_hours * HOURS_PER_DAY
    is_site = index >= 0
    site = np.where(is_site, index, 0)
    there = hours[site[:, :, None], site[:, None, :]] < lead_hours[:, None, :]
    back = hours[site[:, None, :], site[:, :, None]] < lead_hours[:, :, None]
    linked = there & back & is_site[:, :, None] & is_site[:, None, :]
    n_slots = index.shape[1]
    label = np.broadcast_to(np.arange(n_slots), index.shape).copy()
    # Label propagation: each slot takes the lowest label among its links, until
    # nothing changes (at most n_slots rounds).
    for _ in range(n_slots):
        offered = np.where(linked, label[:, None, :], n_slots).min(axis=2)
        updated = np.minimum(label, offered)
        if np.array_equal(updated, label):
            break
        label = updated
    return np.where(is_site, label, -1)


@dataclass(frozen=True)
class TransferRecommendation:
    """How to cover one shortage: transfers first, then a purchase.

    Attributes
    ----------
    transfer_units : ndarray of int64, shape (n_sites,)
        Units to send from each site (0 at the short site).
    purchase_units : int
        Shortfall left after the transfers, to buy (in an emergency).
    transfer_hours : float
        Hours until the last transferred unit arrives; 0 without a transfer.
    transfer_cost : float
        Sum of the transfer costs, one per donor used.
    """

    transfer_units: IntArray
    purchase_units: int
    transfer_hours: float
    transfer_cost: float


def recommend_transfer(
    *,
    short_site: int,
    shortfall_units: int,
    on_hand_units: ArrayLike,
    reorder_point: ArrayLike,
    transfer_hours: ArrayLike,
    cost_per_transfer: ArrayLike = 0.0,
    max_transfer_hours: float = np.inf,
) -> TransferRecommendation:
    """Cover a shortage at one site from others' stock above their reorder point.

    Donors are taken fastest first (then cheapest, then the largest surplus); each
    gives at most ``floor(on_hand - reorder_point)`` units, so no donor ends below
    its own reorder point. What the donors cannot cover is a purchase.

    Parameters
    ----------
    short_site : int
        Position of the site short of stock in the per-site arrays.
    shortfall_units : int
        Units needed, >= 0.
    on_hand_units, reorder_point : array_like of float, shape (n_sites,)
        Stock on the shelf and reorder point of each site, >= 0.
    transfer_hours : array_like of float, shape (n_sites,)
        Hours from each site to the short site; ``inf`` where impossible.
    cost_per_transfer : array_like of float, shape (n_sites,), default 0
        Cost of one shipment from each site.
    max_transfer_hours : float, default inf
        Slower transfers are not used (pass the emergency purchase's lead time in
        hours to prefer a faster purchase).

    Returns
    -------
    TransferRecommendation

    Raises
    ------
    InputError
        Shapes that differ, ``short_site`` out of range, a negative shortfall, stock
        or hours, or NaN.

    Examples
    --------
    >>> advice = recommend_transfer(
    ...     short_site=0, shortfall_units=3, on_hand_units=[0, 5, 9],
    ...     reorder_point=[2, 4, 6], transfer_hours=[0, 2, 8])
    >>> advice.transfer_units, advice.purchase_units
    (array([0, 1, 2]), 0)
    """
    on_hand = _nonnegative("on_hand_units", on_hand_units)
    reorder = _nonnegative("reorder_point", reorder_point)
    hours = as_float_array("transfer_hours", transfer_hours)
    costs = np.broadcast_to(
        _nonnegative("cost_per_transfer", cost_per_transfer), on_hand.shape
    )
    if (
        on_hand.ndim != 1
        or reorder.shape != on_hand.shape
        or hours.shape != on_hand.shape
    ):
        raise InputError(
            "`on_hand_units`, `reorder_point` and `transfer_hours` must be 1-D of one "
            f"length, got {on_hand.shape!r}, {reorder.shape!r} and {hours.shape!r}"
        )
    if np.any(np.isnan(hours) | (hours < 0)):
        _raise_at("transfer_hours", hours, np.isnan(hours) | (hours < 0), ">= 0 or inf")
    if not 0 <= short_site < on_hand.size:
        raise InputError(
            f"`short_site` must be in [0, {on_hand.size}), got {short_site!r}"
        )
    if shortfall_units < 0:
        raise InputError(f"`shortfall_units` must be >= 0, got {shortfall_units!r}")

    surplus = np.floor(np.maximum(on_hand - reorder, 0.0)).astype(np.int64)
    is_donor = (surplus > 0) & (hours <= max_transfer_hours) & np.isfinite(hours)
    is_donor[short_site] = False
    order = np.lexsort((-surplus, costs, hours))
    order = order[is_donor[order]]
    offered = surplus[order]
    still_short = np.maximum(shortfall_units - (np.cumsum(offered) - offered), 0)
    given = np.minimum(offered, still_short)
    units = np.zeros(on_hand.size, dtype=np.int64)
    units[order] = given
    used = units > 0
    return TransferRecommendation(
        transfer_units=units,
        purchase_units=int(shortfall_units - units.sum()),
        transfer_hours=float(hours[used].max(initial=0.0)),
        transfer_cost=float(costs[used].sum()),
    )


def _nonnegative(name: str, values: ArrayLike) -> FloatArray:
    array = np.atleast_1d(as_float_array(name, values))
    is_bad = ~(np.isfinite(array) & (array >= 0.0))
    if np.any(is_bad):
        _raise_at(name, array, is_bad, "finite and >= 0")
    return array


def _raise_at(name: str, values: FloatArray, is_bad: BoolArray, expected: str) -> None:
    where = tuple(int(i) for i in np.argwhere(is_bad)[0])
    raise InputError(
        f"`{name}` must be {expected}, got {plain(values[where])!r} at index {where}"
    )


def _broadcast(name: str, values: ArrayLike, shape: tuple[int, ...]) -> FloatArray:
    array = as_float_array(name, values)
    try:
        return np.array(np.broadcast_to(array, shape), dtype=np.float64)
    except ValueError:
        raise InputError(
            f"`{name}` must broadcast to the shape of `site_index` {shape!r}, got "
            f"{array.shape!r}"
        ) from None


def _slot_array(
    name: str,
    values: ArrayLike,
    shape: tuple[int, ...],
    is_site: BoolArray,
    bound: str,
) -> FloatArray:
    array = _broadcast(name, values, shape)
    is_in_range = array > 0.0 if bound == "> 0" else array >= 0.0
    is_bad = is_site & ~(np.isfinite(array) & is_in_range)
    if np.any(is_bad):
        _raise_at(name, array, is_bad, f"finite and {bound}")
    return array


def _check_site_index(index: IntArray, n_sites: int) -> None:
    if index.ndim != 2:
        raise InputError(
            f"`site_index` must be 2-D (n_pools, n_slots), got shape {index.shape!r}"
        )
    is_bad = (index < -1) | (index >= n_sites)
    if np.any(is_bad):
        _raise_at(
            "site_index",
            index.astype(np.float64),
            is_bad,
            f"-1 (empty) or in [0, {n_sites})",
        )
    ordered = np.sort(index, axis=1)
    repeats = (ordered[:, 1:] == ordered[:, :-1]) & (ordered[:, 1:] >= 0)
    if np.any(repeats):
        pool = int(np.flatnonzero(repeats.any(axis=1))[0])
        raise InputError(f"`site_index` repeats a site within pool {pool}")


def _check_matrix(name: str, matrix: FloatArray, *, allow_inf: bool) -> None:
    is_ok = (matrix >= 0.0) & (np.isfinite(matrix) | (allow_inf and True))
    if not allow_inf:
        is_ok &= np.isfinite(matrix)
    off_diagonal = ~np.eye(matrix.shape[0], dtype=np.bool_)
    if np.any(~is_ok & off_diagonal):
        expected = ">= 0 or inf" if allow_inf else "finite and >= 0"
        _raise_at(name, matrix, ~is_ok & off_diagonal, expected)


def _check_choice(stockout_wait: str) -> None:
    if stockout_wait not in STOCKOUT_WAITS:
        raise InputError(
            f"`stockout_wait` must be one of {STOCKOUT_WAITS!r}, got {stockout_wait!r}"
        )
