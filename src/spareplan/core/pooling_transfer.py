"""Cover a shortage by transfers from other sites' surplus before buying."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from spareplan.core._pooling_checks import _nonnegative, _raise_at
from spareplan.core._pooling_types import IntArray
from spareplan.core._validation import as_float_array
from spareplan.errors import InputError

__all__ = ["TransferRecommendation", "recommend_transfer"]


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
