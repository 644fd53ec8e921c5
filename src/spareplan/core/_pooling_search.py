"""Greedy marginal allocation: one unit a step to every open pool of a chunk.

The search state is updated in place, one step at a time; the choice of each step
is made by :func:`~spareplan.core._pooling_screen.best_candidates`, which gives the
same unit as scoring every candidate with the full cost formula.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from spareplan.core._pooling_model import (
    _cdf,
    _costs,
    _nearest_donor,
    _Pools,
    _pools,
    _take_pools,
)
from spareplan.core._pooling_screen import (
    CandidateState,
    WaitGains,
    best_candidates,
    exact_candidate_costs,
    wait_gains,
)
from spareplan.core._pooling_types import BoolArray, FloatArray, IntArray
from spareplan.core.pooling_inputs import PoolInputs

# Relative improvement below which one more unit counts as no improvement.
_COST_TOLERANCE: Final = 1e-12
# NOTE: finished pools stay in the work arrays until they are this fraction of the
# rows; copying the (pools, slots, slots) arrays every step would cost more.
_COMPACT_BELOW: Final = 0.75


def _greedy(
    inputs: PoolInputs, wait: str, max_units: int
) -> tuple[IntArray, BoolArray]:
    """Add the best unit to every open pool until none lowers its cost."""
    n_pools, n_slots = inputs.site_index.shape
    units = np.zeros((n_pools, n_slots), dtype=np.int64)
    has_hit_max = np.zeros(n_pools, dtype=np.bool_)
    search = _Search.start(_pools(inputs), wait)
    for _ in range(max_units):
        if not search.is_open.any():
            break
        best, best_cost = best_candidates(search.candidates())
        current = search.current_cost()
        is_better = search.is_open & (
            best_cost < current - _COST_TOLERANCE * np.maximum(1.0, current)
        )
        units[search.row_id[is_better], best[is_better]] += 1
        search.add(best, is_better)
    if search.is_open.any():
        search.compact(search.is_open)
        candidate_cost = exact_candidate_costs(search.candidates())
        current = search.current_cost()
        has_hit_max[search.row_id] = candidate_cost.min(axis=1) < current * (
            1.0 - _COST_TOLERANCE
        )
    return units, has_hit_max


@dataclass
class _Search:
    """State of one chunk's pools during the greedy search, updated in place.

    Rows whose pool has stopped stay until :meth:`compact`; ``is_open`` marks the
    others and ``row_id`` maps rows to the chunk's pools.
    """

    pools: _Pools
    wait: str
    row_id: IntArray
    is_open: BoolArray
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
    gains: WaitGains

    @classmethod
    def start(cls, pools: _Pools, wait: str) -> _Search:
        """Every pool empty."""
        n_pools, n_slots = pools.is_site.shape
        units = np.zeros((n_pools, n_slots), dtype=np.int64)
        wait_hours, wait_cost = _nearest_donor(pools, units)
        return cls(
            pools=pools,
            wait=wait,
            row_id=np.arange(n_pools),
            is_open=np.ones(n_pools, dtype=np.bool_),
            units=units,
            local_cdf=np.zeros((n_pools, n_slots)),
            next_local_cdf=_cdf(0, pools.mean_units, pools.variance_units),
            wait_hours=wait_hours,
            wait_cost=wait_cost,
            total=np.zeros(n_pools),
            fill=np.zeros(n_pools),
            next_fill=_cdf(0, pools.pool_mean, pools.pool_variance),
            backorders=pools.pool_mean.copy(),
            holding_sum=np.zeros(n_pools),
            gains=wait_gains(
                pools.donor_hours, pools.donor_cost, wait_hours, wait_cost
            ),
        )

    def candidates(self) -> CandidateState:
        """What scoring one more unit at each slot needs."""
        return CandidateState(
            pools=self.pools,
            wait=self.wait,
            is_open=self.is_open,
            local_cdf=self.local_cdf,
            next_local_cdf=self.next_local_cdf,
            wait_hours=self.wait_hours,
            wait_cost=self.wait_cost,
            total=self.total,
            next_fill=self.next_fill,
            backorders=self.backorders,
            holding_sum=self.holding_sum,
            gains=self.gains,
        )

    def current_cost(self) -> FloatArray:
        """Annual cost of each row's pool as it stands."""
        state = (self.total, self.fill, self.backorders, self.holding_sum)
        return _costs(
            self.pools,
            state,
            self.local_cdf,
            self.wait_hours,
            self.wait_cost,
            self.wait,
        ).total

    def add(self, best: IntArray, is_better: BoolArray) -> None:
        """One more unit at its best slot in each improving row; close the rest."""
        rows = np.flatnonzero(is_better)
        slot = best[rows]
        self._add_local_unit(rows, slot)
        self._add_donor(rows, slot)
        self._add_pool_unit(rows, slot)
        self.is_open = is_better.copy()
        if rows.size < _COMPACT_BELOW * self.row_id.size:
            self.compact(is_better)

    def _add_local_unit(self, rows: IntArray, slot: IntArray) -> None:
        """Advance the shelf probabilities of each chosen slot by one unit."""
        at = (rows, slot)
        self.units[at] += 1
        self.local_cdf[at] = self.next_local_cdf[at]
        self.next_local_cdf[at] = _cdf(
            self.units[at], self.pools.mean_units[at], self.pools.variance_units[at]
        )

    def _add_donor(self, rows: IntArray, slot: IntArray) -> None:
        """Let each chosen slot serve the slots it reaches faster than before."""
        donor_hours = self.pools.donor_hours[rows, slot]
        wait_hours = self.wait_hours[rows]
        is_nearer = donor_hours < wait_hours
        self.wait_hours[rows] = np.where(is_nearer, donor_hours, wait_hours)
        self.wait_cost[rows] = np.where(
            is_nearer, self.pools.donor_cost[rows, slot], self.wait_cost[rows]
        )
        # NOTE: waits change only when a site gets its first unit; the gains of
        # the other rows still hold.
        changed = rows[is_nearer.any(axis=1)]
        if changed.size:
            self.gains.update(
                changed, self.pools, self.wait_hours[changed], self.wait_cost[changed]
            )

    def _add_pool_unit(self, rows: IntArray, slot: IntArray) -> None:
        """Advance each chosen pool's fill, backorders and holding by one unit."""
        total = self.total[rows] + 1.0
        next_fill = self.next_fill[rows]
        self.total[rows] = total
        self.backorders[rows] = self.backorders[rows] - (1.0 - next_fill)
        self.fill[rows] = next_fill
        self.next_fill[rows] = _cdf(
            total, self.pools.pool_mean[rows], self.pools.pool_variance[rows]
        )
        self.holding_sum[rows] = self.holding_sum[rows] + self.pools.holding[rows, slot]

    def compact(self, keep: BoolArray) -> None:
        """Drop the rows not in ``keep``."""
        rows = np.flatnonzero(keep)
        self.pools = _take_pools(self.pools, rows)
        self.gains = self.gains.take(rows)
        for name in (
            "row_id",
            "is_open",
            "units",
            "local_cdf",
            "next_local_cdf",
            "wait_hours",
            "wait_cost",
            "total",
            "fill",
            "next_fill",
            "backorders",
            "holding_sum",
        ):
            setattr(self, name, getattr(self, name)[rows])
