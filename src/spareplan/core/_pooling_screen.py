"""Choose each greedy step's unit without scoring every candidate in full.

Scoring one more unit at each of K slots with the full cost formula costs
:math:`O(K^2)` per pool and step. Most of it can be reused: adding a unit at slot
:math:`k` changes the shelf term of slot :math:`k` only, the pool terms (fill,
backorders, holding) the same way for every :math:`k`, and the transfer waits of
the other slots only where :math:`k` is a nearer donor than they have, which needs
:math:`k`'s first unit. So a candidate's cost is the cost of the unchanged slots,
plus its own slot's change, minus the wait it saves the others (a cached
(K, K) table of savings, refreshed only when a site gets its first unit, times
this step's transfer rates).

That sum rounds differently from the full formula, so it only *screens*: every
candidate within a rounding bound of the lowest screened cost is then scored by the
full formula, and the lowest of those (first slot on a tie) is the step's choice,
exactly as scoring every candidate in full would give.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from spareplan.core._pooling_model import _Pools
from spareplan.core._pooling_types import BoolArray, FloatArray, IntArray
from spareplan.core.cost_model import HOURS_PER_YEAR

# NOTE: a bound on the rounding of either sum, relative to the sum of the absolute
# terms: K (slots) roundings of 2**-53 each, with a wide margin for K up to 1e5.
_SCREEN_TOLERANCE: Final = 1e-10


@dataclass(frozen=True)
class WaitGains:
    """What one more unit at slot k saves slot j, shape (C, K from, K to).

    ``hours`` is the wait saved, :math:`t_j - \\min(t_j, t_{kj})`; ``fees`` the
    transfer cost saved; ``fee_bound`` (C,) a bound on the absolute fee saved;
    ``reaches`` (C, K) whether a unit at k saves any wait.
    Updated in place for the rows whose waits change.
    """

    hours: FloatArray
    fees: FloatArray
    fee_bound: FloatArray
    reaches: BoolArray  # (C, K): a unit at k would shorten some slot's wait

    def update(
        self,
        rows: IntArray,
        pools: _Pools,
        wait_hours: FloatArray,
        wait_cost: FloatArray,
    ) -> None:
        """Recompute the rows whose waits are now ``wait_hours`` (rows, K)."""
        hours, fees, reaches = _gain_tables(
            pools.donor_hours[rows], pools.donor_cost[rows], wait_hours, wait_cost
        )
        self.hours[rows] = hours
        self.fees[rows] = fees
        self.reaches[rows] = reaches

    def take(self, rows: IntArray) -> WaitGains:
        """The rows at ``rows``."""
        return WaitGains(
            self.hours[rows], self.fees[rows], self.fee_bound[rows], self.reaches[rows]
        )


def wait_gains(
    donor_hours: FloatArray,
    donor_cost: FloatArray,
    wait_hours: FloatArray,
    wait_cost: FloatArray,
) -> WaitGains:
    """Savings of a unit at each slot, given each slot's wait (C, K) as it stands."""
    hours, fees, reaches = _gain_tables(donor_hours, donor_cost, wait_hours, wait_cost)
    # A slot's transfer cost is 0 or some donor's, so no fee saved exceeds the
    # dearest donor: a bound that holds for the whole search.
    fee_bound = donor_cost.max(axis=(1, 2), initial=0.0)
    return WaitGains(hours, fees, fee_bound, reaches)


def _gain_tables(
    donor_hours: FloatArray,
    donor_cost: FloatArray,
    wait_hours: FloatArray,
    wait_cost: FloatArray,
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Hours and fees saved (C, K, K), and whether each slot saves any (C, K)."""
    is_nearer = donor_hours < wait_hours[:, None, :]
    hours = np.where(is_nearer, wait_hours[:, None, :] - donor_hours, 0.0)
    fees = np.where(is_nearer, wait_cost[:, None, :] - donor_cost, 0.0)
    reaches = np.asarray(is_nearer.any(axis=2), dtype=np.bool_)
    return hours, fees, reaches


@dataclass(frozen=True)
class CandidateState:
    """The search state a step scores its candidates from; rows are pools."""

    pools: _Pools
    wait: str
    is_open: BoolArray
    local_cdf: FloatArray
    next_local_cdf: FloatArray
    wait_hours: FloatArray
    wait_cost: FloatArray
    total: FloatArray
    next_fill: FloatArray
    backorders: FloatArray
    holding_sum: FloatArray
    gains: WaitGains


def best_candidates(state: CandidateState) -> tuple[IntArray, FloatArray]:
    """Best slot of each open row and its full-formula cost (inf in closed rows)."""
    terms = _RowTerms.of(state)
    screened, margin, is_inert = _screened_costs(state, terms)
    is_site = state.pools.is_site & state.is_open[:, None]
    is_trusted = np.all(np.isfinite(screened) | ~is_site, axis=1) & np.isfinite(margin)
    lowest = np.where(is_site, screened, np.inf).min(axis=1)
    is_close = screened <= (lowest + 2.0 * margin)[:, None]
    is_picked = is_site & (is_close | ~is_trusted[:, None])
    cost = np.full(is_site.shape, np.inf)
    rows, slots = np.nonzero(is_picked & ~is_inert)
    cost[rows, slots] = _pair_costs(state, terms, rows, slots)
    rows, slots = np.nonzero(is_picked & is_inert)
    cost[rows, slots] = (
        terms.holding[rows, slots] + terms.downtime_sum[rows] + terms.fees_sum[rows]
    )
    best = np.argmin(cost, axis=1)
    return best, cost[np.arange(best.size), best]


def exact_candidate_costs(state: CandidateState) -> FloatArray:
    """Full-formula cost of one more unit at each slot; inf in empty slots."""
    rows, slots = np.nonzero(state.pools.is_site)
    cost = np.full(state.pools.is_site.shape, np.inf)
    cost[rows, slots] = _pair_costs(state, _RowTerms.of(state), rows, slots)
    return cost


@dataclass(frozen=True)
class _RowTerms:
    """Per-slot terms after one more unit anywhere in the pool, shape (C, K).

    Each is computed with the full formula's own operations in its own order, so
    candidates built from them cost the same to the bit. ``transfers`` and
    ``downtime``/``fees`` are those of the slots whose shelf is unchanged,
    ``own_*`` those of the slot that gets the unit; ``downtime_sum`` and
    ``fees_sum`` (C,) are their sums over a pool whose per-slot terms all stay as
    they are.
    """

    transfers: FloatArray
    own_transfers: FloatArray
    unmet_hours: FloatArray
    downtime: FloatArray
    fees: FloatArray
    own_downtime: FloatArray
    own_fees: FloatArray
    holding: FloatArray
    downtime_sum: FloatArray
    fees_sum: FloatArray

    @classmethod
    def of(cls, state: CandidateState) -> _RowTerms:
        """The terms of every row of ``state``."""
        pools = state.pools
        fill = state.next_fill[:, None]
        unmet_hours = _unmet_hours(state)
        transfers = pools.demand * (fill - np.minimum(state.local_cdf, fill))
        own_transfers = pools.demand * (fill - np.minimum(state.next_local_cdf, fill))
        downtime = pools.downtime * (transfers * state.wait_hours + unmet_hours)
        fees = transfers * state.wait_cost
        return cls(
            transfers=transfers,
            own_transfers=own_transfers,
            unmet_hours=unmet_hours,
            downtime=downtime,
            fees=fees,
            own_downtime=pools.downtime
            * (own_transfers * state.wait_hours + unmet_hours),
            own_fees=own_transfers * state.wait_cost,
            holding=_candidate_holding(state),
            downtime_sum=downtime.sum(axis=1),
            fees_sum=fees.sum(axis=1),
        )


def _pair_costs(
    state: CandidateState, terms: _RowTerms, rows: IntArray, slots: IntArray
) -> FloatArray:
    """Cost of one more unit at ``slots[i]`` of row ``rows[i]``, by the full formula.

    Element for element the arithmetic of scoring all slots at once, summed the
    same way, so the costs are the same to the bit.
    """
    pools = state.pools
    transfers = terms.transfers[rows]
    transfers[np.arange(rows.size), slots] = terms.own_transfers[rows, slots]
    donor_hours = pools.donor_hours[rows, slots]
    wait_hours = state.wait_hours[rows]
    is_nearer = donor_hours < wait_hours
    wait_hours = np.where(is_nearer, donor_hours, wait_hours)
    wait_cost = np.where(
        is_nearer, pools.donor_cost[rows, slots], state.wait_cost[rows]
    )
    downtime = pools.downtime[rows] * (transfers * wait_hours + terms.unmet_hours[rows])
    fees = transfers * wait_cost
    pair_cost: FloatArray = (
        terms.holding[rows, slots] + downtime.sum(axis=1) + fees.sum(axis=1)
    )
    return pair_cost


def _screened_costs(
    state: CandidateState, terms: _RowTerms
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Cost of one more unit at each slot by reuse (C, K), its bound, inert slots.

    The rounding bound (C,) holds for the screened and the full-formula cost alike.
    A slot is *inert* (C, K) when one more unit there changes no wait and leaves
    its own terms the same to the bit: every per-slot term is then that of the
    pool as it stands, and its full-formula cost is holding plus the row's sums.
    """
    pools = state.pools
    # NOTE: rows where no slot would shorten a wait (every site stocked) save
    # nothing; most rows late in the search.
    rows = np.flatnonzero(state.is_open & state.gains.reaches.any(axis=1))
    hours_saved = np.zeros_like(terms.transfers)
    fees_saved = np.zeros_like(terms.transfers)
    hours_saved[rows] = _matvec(
        state.gains.hours[rows], (pools.downtime * terms.transfers)[rows]
    )
    fees_saved[rows] = _matvec(state.gains.fees[rows], terms.transfers[rows])
    base_total = (terms.downtime_sum + terms.fees_sum)[:, None]
    screened = (
        terms.holding
        + (base_total - terms.downtime - terms.fees)
        + (terms.own_downtime + terms.own_fees)
        - (hours_saved + fees_saved)
    )
    magnitude = (
        terms.holding
        + base_total
        + terms.downtime
        + terms.fees
        + terms.own_downtime
        + terms.own_fees
        + hours_saved
        + (state.gains.fee_bound * terms.transfers.sum(axis=1))[:, None]
    )
    bound = np.where(pools.is_site, magnitude, 0.0).max(axis=1, initial=0.0)
    is_inert = (
        ~state.gains.reaches
        & (terms.own_downtime == terms.downtime)
        & (terms.own_fees == terms.fees)
    )
    return screened, _SCREEN_TOLERANCE * bound, is_inert


def _unmet_hours(state: CandidateState) -> FloatArray:
    """Hours a year each slot's demands wait for resupply after one more unit."""
    pools = state.pools
    if state.wait == "resupply":
        backorders = state.backorders - (1.0 - state.next_fill)
        share = pools.demand / (pools.pool_demand[:, None] + 1e-300)
        return HOURS_PER_YEAR * backorders[:, None] * share
    fill = state.next_fill[:, None]
    return pools.demand * (1.0 - fill) * pools.lead_time_hours


def _candidate_holding(state: CandidateState) -> FloatArray:
    """Holding cost a year after one more unit at each slot, shape (C, K)."""
    pools = state.pools
    total = state.total + 1.0
    backorders = state.backorders - (1.0 - state.next_fill)
    on_hand = np.maximum(total - pools.pool_mean + backorders, 0.0)
    unit_holding = (state.holding_sum[:, None] + pools.holding) / total[:, None]
    holding: FloatArray = unit_holding * on_hand[:, None]
    return holding


def _matvec(table: FloatArray, vector: FloatArray) -> FloatArray:
    """``table[c] @ vector[c]`` for each row c: (C, K, K) by (C, K) to (C, K)."""
    product: FloatArray = np.matmul(table, vector[:, :, None])[:, :, 0]
    return product
