"""Vectorised search for the smallest whole number meeting a monotone condition."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from spareplan.core._validation import as_float_array
from spareplan.errors import InputError

__all__ = ["smallest_whole_number_meeting"]

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
