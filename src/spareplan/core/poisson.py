r"""Poisson quantiles for many parts: one exact cdf evaluation per part.

The smallest whole :math:`r \ge 0` with :math:`P(X \le r) \ge p` for Poisson
:math:`X` of mean :math:`\lambda` is found by guessing :math:`g` with the
Cornish-Fisher expansion, evaluating :math:`F(g) = P(X \le g)` exactly (the
regularised upper incomplete gamma function :math:`Q(g + 1, \lambda)`), and
reaching the neighbouring cdf value through the probability mass

.. math:: F(g - 1) = F(g) - f(g), \qquad F(g + 1) = F(g) + f(g)\,\lambda / (g + 1),

with :math:`f(g) = e^{-\lambda}\lambda^g / g!` (Johnson, Kemp & Kotz 2005,
*Univariate Discrete Distributions*, 3rd ed., Ch. 4). The guess is right or one
unit off for almost every part, so one incomplete-gamma evaluation and a step or
two along the masses settle it.

The answer is always the one an exact search on :math:`Q(r + 1, \lambda)` gives: a
part is settled this way only when the neighbouring value it reached through the
mass is further than :data:`NEIGHBOUR_MARGIN` from :math:`p` (far more than its
rounding error), and every other part goes to that exact search.

Where numba is available, a compiled kernel first settles each part of mean up to
:data:`~spareplan.core._numba_kernels.MAX_MASS_WALK_MEAN` by adding the masses
:math:`f(0) = e^{-\lambda}, f(k + 1) = f(k)\lambda / (k + 1)` until the cdf reaches
:math:`p`, under the same margin on both sides of the answer; the parts it leaves
open take the path above. Either way the answer is that of the exact search.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import special

from spareplan.core._kernels import compiled_kernels_are_used, poisson_quantile_by_mass
from spareplan.core._search import (
    NEIGHBOUR_MARGIN,
    settle_walk_step,
    smallest_whole_number_meeting,
)

__all__ = ["NEIGHBOUR_MARGIN", "poisson_quantile"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
#: Positions of some parts: all of them (``slice(None)``) or an index array.
PartIndex = slice | IntArray

#: Closest a cdf value reached through the probability mass may come to the target
#: and still decide the answer; rounding error in it is below 1e-12.

# Steps walked from the guess before the exact search takes over; the guess is
# rarely more than one unit off.
_MAX_STEPS = 4


def poisson_quantile(
    mean_units: FloatArray, probability: FloatArray, z: FloatArray
) -> IntArray:
    r"""Smallest whole :math:`r \ge 0` with :math:`Q(r + 1, \lambda) \ge p`.

    Parameters
    ----------
    mean_units : ndarray of float, shape (n_parts,)
        Poisson mean :math:`\lambda` >= 0, units.
    probability : ndarray of float, shape (n_parts,)
        Target cdf value :math:`p`, compared as given (no tolerance is added).
    z : ndarray of float, shape (n_parts,)
        Standard normal quantile of the target, used only for the first guess.

    Returns
    -------
    ndarray of int64, shape (n_parts,)

    Examples
    --------
    >>> poisson_quantile(np.array([2.0]), np.array([0.95]), np.array([1.6449]))
    array([5])
    """
    return poisson_quantile_with_lazy_z(mean_units, probability, lambda parts: z[parts])


def poisson_quantile_with_lazy_z(
    mean_units: FloatArray,
    probability: FloatArray,
    z_of: Callable[[PartIndex], FloatArray],
) -> IntArray:
    """As :func:`poisson_quantile`, asking ``z_of`` for z of only the parts that
    need a first guess (none, mostly, with the compiled kernel).

    Shared with :mod:`spareplan.core.lead_time_demand`; not part of the public API.
    """
    if not compiled_kernels_are_used():
        return _quantile_from_guess(mean_units, probability, z_of(slice(None)))

    quantile = poisson_quantile_by_mass(mean_units, probability, NEIGHBOUR_MARGIN)
    open_parts = np.flatnonzero(quantile < 0)
    if open_parts.size > 0:
        quantile[open_parts] = _quantile_from_guess(
            mean_units[open_parts], probability[open_parts], z_of(open_parts)
        )
    return quantile


def _quantile_from_guess(
    mean_units: FloatArray, probability: FloatArray, z: FloatArray
) -> IntArray:
    """The quantile by one exact cdf value at the guess, steps and exact search."""
    guess = _cornish_fisher_guess(mean_units, z)
    quantile = np.full(guess.shape, -1, dtype=np.int64)
    walk = _Walk.start(guess, mean_units, probability)
    for _ in range(_MAX_STEPS):
        walk = walk.step(quantile)
        if walk.part.size == 0:
            break

    is_unsettled = quantile < 0
    if np.any(is_unsettled):
        quantile[is_unsettled] = _exact_search(
            mean_units[is_unsettled], probability[is_unsettled], guess[is_unsettled]
        )
    return quantile


@dataclass(frozen=True)
class _Walk:
    """Open parts walking from their guess towards the quantile, a unit a step.

    ``cdf`` and ``mass`` are :math:`F(k)` and :math:`f(k)` at the current ``units``
    :math:`k` of the parts at positions ``part``; a part whose first cdf value
    meets the target walks down, the others up.
    """

    part: IntArray
    units: FloatArray
    cdf: FloatArray
    mass: FloatArray
    is_down: BoolArray
    mean_units: FloatArray
    probability: FloatArray

    @classmethod
    def start(
        cls, guess: FloatArray, mean_units: FloatArray, probability: FloatArray
    ) -> _Walk:
        """Evaluate the exact cdf and the mass at the guess of every part."""
        cdf = special.gammaincc(guess + 1.0, mean_units)
        log_mass = special.xlogy(guess, mean_units) - special.gammaln(guess + 1.0)
        mass = np.exp(log_mass - mean_units)
        part = np.arange(guess.size)
        is_down = cdf >= probability
        return cls(part, guess, cdf, mass, is_down, mean_units, probability)

    def step(self, quantile: IntArray) -> _Walk:
        """Write settled parts into ``quantile``; the rest, moved by one unit."""
        units, is_down, mean_units = self.units, self.is_down, self.mean_units
        mass_above = self.mass * mean_units / (units + 1.0)
        moves, neighbour = settle_walk_step(
            units,
            is_down,
            self.cdf,
            self.mass,
            mass_above,
            self.probability,
            self.part,
            quantile,
        )
        down = is_down[moves]
        # A part moving down has units > 0 and a cdf above 0, so a mean > 0.
        mass_below = self.mass[moves] * units[moves] / mean_units[moves]
        return _Walk(
            self.part[moves],
            units[moves] + np.where(down, -1.0, 1.0),
            neighbour[moves],
            np.where(down, mass_below, mass_above[moves]),
            down,
            mean_units[moves],
            self.probability[moves],
        )


def _cornish_fisher_guess(mean_units: FloatArray, z: FloatArray) -> FloatArray:
    """Whole-number quantile guess with the skewness term, at least 0."""
    guess = mean_units + z * np.sqrt(mean_units) + (z * z - 1.0) / 6.0 - 0.5
    # A part with mean 0 never demands: its quantile is 0 whatever the target.
    return np.where(
        mean_units > 0.0, np.maximum(np.ceil(np.nan_to_num(guess)), 0.0), 0.0
    )


def _exact_search(
    mean_units: FloatArray, probability: FloatArray, guess: FloatArray
) -> IntArray:
    """Bracketing integer search on the exact cdf, for the few unsettled parts."""

    def meets(units: IntArray) -> BoolArray:
        cdf: FloatArray = special.gammaincc(units + 1.0, mean_units)
        return cdf >= probability

    return smallest_whole_number_meeting(meets, guess)
