"""Sites of many pools packed into one set of arrays, checked once."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from spareplan.core._pooling_checks import (
    _broadcast,
    _check_matrix,
    _check_site_index,
    _raise_at,
    _slot_array,
)
from spareplan.core._pooling_types import FloatArray, IntArray
from spareplan.core._validation import as_float_array
from spareplan.errors import InputError

__all__ = ["PoolInputs"]


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
