"""Vectorised search for the smallest whole number meeting a monotone condition."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from spareplan.core._validation import as_float_array
from spareplan.errors import InputError

__all__ = ["NEIGHBOUR_MARGIN", "settle_walk_step", "smallest_whole_number_meeting"]

IntArray = NDArray[np.int64]


def smallest_whole_number_meeting(
    meets: Callable[[IntArray], NDArray[np.bool_]], initial_guess: ArrayLike
) -> IntArray:
    """Smallest whole number ``r >= 0`` per element with ``meets(r)`` True.

    ``meets`` must be monotone (once True, True for every larger ``r``) and take and
    return arrays of the guess's shape. The search gallops out from the guess to
    bracket the answer, then bisects, so a good guess costs two or three calls.
    """
    guess = as_float_array("initial_guess", initial_guess)
    guess = np.nan_to_num(guess, nan=0.0, posinf=0.0, neginf=0.0)
    start = np.clip(guess, 0, 2.0**52).astype(np.int64)
    lower, upper = _bracket(meets, start)
    is_open = upper - lower > 1
    while np.any(is_open):
        middle = np.where(is_open, (lower + upper) // 2, upper)
        is_met = meets(middle)
        upper = np.where(is_open & is_met, middle, upper)
        lower = np.where(is_open & ~is_met, middle, lower)
        is_open = upper - lower > 1
    return upper


def _bracket(
    meets: Callable[[IntArray], NDArray[np.bool_]], start: IntArray
) -> tuple[IntArray, IntArray]:
    """Galloping search for ``lower`` failing (or -1) and ``upper`` meeting."""
    is_met = meets(start)
    upper = np.where(is_met, start, -1)
    lower = np.where(is_met, -1, start)
    step = np.ones_like(start)
    is_open = is_met & (start > 0) | ~is_met
    for _ in range(64):
        if not np.any(is_open):
            return lower, upper
        probe = np.where(is_met, np.maximum(upper - step, -1), lower + step)
        probe_met = meets(np.maximum(probe, 0)) & (probe >= 0)
        upper = np.where(is_open & probe_met, probe, upper)
        lower = np.where(is_open & ~probe_met, probe, lower)
        is_open &= np.where(is_met, probe_met & (probe > 0), ~probe_met)
        step *= 2
    raise InputError("no whole number up to 2**64 meets the target; check inputs")


# A cdf within this of the target is too close to trust a summed (rather than
# exact) probability: such parts go to the exact search.
NEIGHBOUR_MARGIN = 1e-9


def settle_walk_step(
    units: NDArray[np.float64],
    is_down: NDArray[np.bool_],
    cdf: NDArray[np.float64],
    mass: NDArray[np.float64],
    mass_above: NDArray[np.float64],
    probability: NDArray[np.float64],
    part: NDArray[np.intp],
    quantile: NDArray[np.int64],
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """One step of a walk from a guessed quantile by adding or removing pmf mass.

    Writes the parts whose neighbouring cdf settles them into ``quantile`` and
    returns the positions of the parts that move one unit on, and every part's
    neighbouring cdf (the cdf of those that move, after the move). A part whose
    neighbour lies within :data:`NEIGHBOUR_MARGIN` of the target (or is not
    finite) does neither: it is left for the exact search.
    """
    neighbour = np.where(
        is_down,
        np.where(units > 0.0, cdf - mass, -np.inf),
        cdf + mass_above,
    )
    is_met = neighbour >= probability + NEIGHBOUR_MARGIN
    is_missed = neighbour < probability - NEIGHBOUR_MARGIN
    is_settled = np.where(is_down, is_missed, is_met)
    quantile[part[is_settled]] = (units + ~is_down)[is_settled]
    return np.flatnonzero(np.where(is_down, is_met, is_missed)), neighbour
