"""Split sites into pools of sites that can reach each other in time."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from spareplan.core._pooling_types import IntArray
from spareplan.core._validation import as_float_array
from spareplan.core.economics import HOURS_PER_DAY

__all__ = ["reachable_clusters"]


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
