r"""Negative binomial quantiles and loss for many parts, one incomplete beta each.

:math:`X` counts failures before the :math:`n`-th success with success probability
:math:`p` (scipy's parametrisation), :math:`q = 1 - p`, mean :math:`\mu = nq/p`,
probability mass :math:`f(k)` and cdf :math:`F(k) = I_p(n, k + 1)`, the regularised
incomplete beta function. Neighbouring masses follow from the ratio

.. math:: f(k + 1) = f(k)\,\frac{(k + n)\,q}{k + 1}, \qquad f(0) = p^n

(Johnson, Kemp & Kotz 2005, *Univariate Discrete Distributions*, 3rd ed., Ch. 5),
so one exact cdf value and a step or two along the masses give the cdf at the
neighbouring whole numbers.

**Quantile.** The smallest whole :math:`r \ge 0` with :math:`F(r) \ge` a target is
found as :mod:`spareplan.core.poisson` finds the Poisson one. A part whose
Cornish-Fisher guess is at most :data:`SMALL_GUESS` sums the masses up from
:math:`f(0) = p^n` and needs no incomplete beta at all; any other part evaluates
:math:`F` exactly at its guess and walks from there. A part is settled only when
every cdf value it decides on lies further than :data:`NEIGHBOUR_MARGIN` from the
target (far more than its rounding error); the rest go to the exact bracketing
search, so the answer is always the one that search gives.

**Loss.** The expected units short per cycle, :math:`E[(X - r)^+]`, takes one
exact survival value and one mass (see :func:`negative_binomial_loss`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray
from scipy import special, stats

from spareplan.core._search import (
    NEIGHBOUR_MARGIN,
    settle_walk_step,
    smallest_whole_number_meeting,
)

__all__ = [
    "NEIGHBOUR_MARGIN",
    "SMALL_GUESS",
    "negative_binomial_loss",
    "negative_binomial_quantile",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: Closest a cdf value reached through the masses may come to the target and still
#: decide the answer; its rounding error is below 1e-12.

#: Largest first guess for which summing masses up from zero is cheaper than one
#: incomplete beta evaluation.
SMALL_GUESS: Final = 8

# Steps walked before the exact search takes over: from zero, a little past the
# largest small guess; from a guess, which is mostly right or a unit off but
# overshoots by tens of units for very skewed parts (n well below 1). A step costs
# a few array operations on the parts still walking, an exact search step an
# incomplete beta.
_MAX_STEPS_FROM_ZERO = SMALL_GUESS + 4
_MAX_STEPS_FROM_GUESS = 32


def negative_binomial_quantile(
    n_successes: FloatArray,
    success_probability: FloatArray,
    probability: FloatArray,
    initial_guess: FloatArray,
) -> IntArray:
    r"""Smallest whole :math:`r \ge 0` with :math:`I_p(n, r + 1) \ge` ``probability``.

    Parameters
    ----------
    n_successes : ndarray of float, shape (n_parts,)
        Number of successes :math:`n` > 0.
    success_probability : ndarray of float, shape (n_parts,)
        Success probability :math:`p` in (0, 1].
    probability : ndarray of float, shape (n_parts,)
        Target cdf value, compared as given (no tolerance is added).
    initial_guess : ndarray of float, shape (n_parts,)
        First guess of the quantile, e.g. by Cornish-Fisher; any value works, a
        good one saves time.

    Returns
    -------
    ndarray of int64, shape (n_parts,)

    Examples
    --------
    :math:`n = 4, p = 0.5`: :math:`F(7) = 0.887`, :math:`F(8) = 0.927`.

    >>> negative_binomial_quantile(
    ...     np.array([4.0]), np.array([0.5]), np.array([0.9]), np.array([7.0])
    ... )
    array([8])
    """
    # The same whole-number start as the exact search takes from the guess.
    guess = np.nan_to_num(initial_guess, nan=0.0, posinf=0.0, neginf=0.0)
    start = np.floor(np.clip(guess, 0.0, 2.0**52))
    quantile = np.full(start.shape, -1, dtype=np.int64)
    is_small = start <= SMALL_GUESS

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        parts = np.flatnonzero(is_small)
        walk = _Walk.from_zero(parts, n_successes, success_probability, probability)
        _run(walk.settle_start(quantile), quantile, _MAX_STEPS_FROM_ZERO)
        parts = np.flatnonzero(~is_small)
        walk = _Walk.from_guess(
            parts, start[parts], n_successes, success_probability, probability
        )
        _run(walk.settle_start(quantile), quantile, _MAX_STEPS_FROM_GUESS)

    is_unsettled = quantile < 0
    if np.any(is_unsettled):
        quantile[is_unsettled] = _exact_search(
            n_successes[is_unsettled],
            success_probability[is_unsettled],
            probability[is_unsettled],
            initial_guess[is_unsettled],
        )
    return quantile


def negative_binomial_loss(
    reorder_point_units: FloatArray,
    mean_units: FloatArray,
    n_successes: FloatArray,
    success_probability: FloatArray,
) -> FloatArray:
    r"""Expected units short per cycle, :math:`E[(X - r)^+]`, negative binomial.

    Parameters
    ----------
    reorder_point_units : ndarray of float, shape (n_parts,)
        Reorder point :math:`r`, units; below zero the loss is :math:`\mu - r`.
    mean_units : ndarray of float, shape (n_parts,)
        Mean :math:`\mu = nq/p`, units.
    n_successes, success_probability : ndarray of float, shape (n_parts,)
        :math:`n > 0` and :math:`p` in (0, 1].

    Returns
    -------
    ndarray of float, shape (n_parts,)

    Notes
    -----
    With :math:`k = \lfloor r \rfloor \ge 0` and :math:`\bar F(k) = P(X > k) =
    I_q(k + 1, n)`,

    .. math:: E[(X - r)^+] = (\mu - r)\,\bar F(k) + \mu\,(1 + k/n)\,f(k).

    Derivation: the mass ratio gives :math:`(x + 1) f(x + 1) = q (x + n) f(x)`, so
    :math:`A = \sum_{x > k} x f(x) = q\,[A + k f(k) + n \bar F(k - 1)]`; with
    :math:`\bar F(k - 1) = \bar F(k) + f(k)` and :math:`\mu = nq/p` this is
    :math:`A = \mu \bar F(k) + \mu (1 + k/n) f(k)`, and the loss is
    :math:`A - r \bar F(k)`. As :math:`n \to \infty` it becomes the Poisson loss
    :math:`(\mu - r)\bar F(k) + \mu f(k)` (Axsäter 2015, *Inventory Control*, 3rd
    ed., Ch. 5). One incomplete beta and one mass replace the two incomplete betas
    of :math:`\mu \bar F_{n+1}(k - 1) - r \bar F_n(k)`.

    Examples
    --------
    :math:`n = 1, p = 0.5` (geometric, mean 1), :math:`r = 0`: the loss is the mean.

    >>> negative_binomial_loss(
    ...     np.array([0.0]), np.array([1.0]), np.array([1.0]), np.array([0.5])
    ... )
    array([1.])
    """
    r = reorder_point_units
    whole = np.maximum(np.floor(r), 0.0)
    survival = special.betainc(whole + 1.0, n_successes, 1.0 - success_probability)
    mass = _mass(whole, n_successes, success_probability)
    loss = (mean_units - r) * survival + mean_units * (1.0 + whole / n_successes) * mass
    result: FloatArray = np.where(r < 0.0, mean_units - r, loss)
    return result


def _mass(
    units: FloatArray, n_successes: FloatArray, success_probability: FloatArray
) -> FloatArray:
    """Probability mass f(k) at whole ``units``, accurate for every n and p."""
    # NOTE: scipy evaluates it through the incomplete beta derivative (Boost), which
    # avoids the cancellation of log-gamma differences at large n.
    mass: FloatArray = stats.nbinom.pmf(units, n_successes, success_probability)
    return mass


@dataclass(frozen=True)
class _Walk:
    """Open parts walking towards their quantile, a unit a step.

    ``cdf`` and ``mass`` are :math:`F(k)` and :math:`f(k)` at the current ``units``
    :math:`k` of the parts at positions ``part``; a part whose cdf at the start
    meets the target walks down, the others up.
    """

    part: IntArray
    units: FloatArray
    cdf: FloatArray
    mass: FloatArray
    is_down: BoolArray
    n_successes: FloatArray
    failure_probability: FloatArray
    probability: FloatArray

    @classmethod
    def from_zero(
        cls,
        part: IntArray,
        n_successes: FloatArray,
        success_probability: FloatArray,
        probability: FloatArray,
    ) -> _Walk:
        """Start at zero, where the cdf is the mass :math:`p^n`."""
        p = success_probability[part]
        mass = p ** n_successes[part]
        return cls._at(
            part, np.zeros(part.size), mass, mass, p, n_successes, probability
        )

    @classmethod
    def from_guess(
        cls,
        part: IntArray,
        guess: FloatArray,
        n_successes: FloatArray,
        success_probability: FloatArray,
        probability: FloatArray,
    ) -> _Walk:
        """Start at the guess with the exact cdf :math:`I_p(n, g + 1)`."""
        n, p = n_successes[part], success_probability[part]
        cdf = special.betainc(n, guess + 1.0, p)
        return cls._at(
            part, guess, cdf, _mass(guess, n, p), p, n_successes, probability
        )

    @classmethod
    def _at(
        cls,
        part: IntArray,
        units: FloatArray,
        cdf: FloatArray,
        mass: FloatArray,
        p: FloatArray,
        n_successes: FloatArray,
        probability: FloatArray,
    ) -> _Walk:
        """Walk state of ``part`` at ``units``; down where the target is met."""
        target = probability[part]
        is_down = cdf >= target
        return cls(part, units, cdf, mass, is_down, n_successes[part], 1.0 - p, target)

    def settle_start(self, quantile: IntArray) -> _Walk:
        """Drop parts whose starting cdf is within the margin of the target."""
        # NOTE: dropped parts keep quantile -1 and go to the exact search; a part at
        # zero whose cdf clearly meets the target is settled at zero.
        is_clear = np.abs(self.cdf - self.probability) > NEIGHBOUR_MARGIN
        is_at_zero = self.is_down & (self.units == 0.0) & is_clear
        quantile[self.part[is_at_zero]] = 0
        return self._keep(np.flatnonzero(is_clear & ~is_at_zero))

    def step(self, quantile: IntArray) -> _Walk:
        """Write settled parts into ``quantile``; the rest, moved by one unit."""
        units, is_down = self.units, self.is_down
        n, q = self.n_successes, self.failure_probability
        mass_above = self.mass * (units + n) * q / (units + 1.0)
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
        units_moved = units[moves]
        mass_below = (
            self.mass[moves] * units_moved / ((units_moved - 1.0 + n[moves]) * q[moves])
        )
        return _Walk(
            self.part[moves],
            units_moved + np.where(down, -1.0, 1.0),
            neighbour[moves],
            np.where(down, mass_below, mass_above[moves]),
            down,
            n[moves],
            q[moves],
            self.probability[moves],
        )

    def _keep(self, rows: IntArray) -> _Walk:
        """The same walk restricted to ``rows``."""
        return _Walk(
            self.part[rows],
            self.units[rows],
            self.cdf[rows],
            self.mass[rows],
            self.is_down[rows],
            self.n_successes[rows],
            self.failure_probability[rows],
            self.probability[rows],
        )


def _run(walk: _Walk, quantile: IntArray, max_steps: int) -> None:
    """Step ``walk`` until every part is settled or dropped, or steps run out."""
    for _ in range(max_steps):
        if walk.part.size == 0:
            return
        walk = walk.step(quantile)


def _exact_search(
    n_successes: FloatArray,
    success_probability: FloatArray,
    probability: FloatArray,
    initial_guess: FloatArray,
) -> IntArray:
    """Bracketing integer search on the exact cdf, for the few unsettled parts."""

    def meets(units: IntArray) -> BoolArray:
        cdf: FloatArray = special.betainc(n_successes, units + 1.0, success_probability)
        return cdf >= probability

    return smallest_whole_number_meeting(meets, initial_guess)
