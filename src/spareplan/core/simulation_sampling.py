r"""Random draws of the inventory-policy simulator: demand and lead times.

Demand of a period is drawn by inversion of its cdf, the probabilities built up by
Panjer's recursion for the :math:`(a, b, 0)` class,

.. math:: f(0) = P(X = 0), \qquad f(k) = f(k - 1)\,(a + b / k),

with :math:`a = 0, b = \lambda, f(0) = e^{-\lambda}` for Poisson demand of mean
:math:`\lambda`, and :math:`a = 1 - p, b = (n - 1)(1 - p), f(0) = p^n` for negative
binomial demand of mean :math:`\mu` and variance :math:`\sigma^2 > \mu`, with
:math:`p = \mu / \sigma^2` and :math:`n = \mu^2 / (\sigma^2 - \mu)` (Panjer 1981;
Klugman, Panjer & Willmot 2019, Ch. 6). A cell keeps drawing only while its
uniform number lies above the cdf reached so far, so the work per period is about
the demand drawn, and parts with no demand cost nothing. Parts with a mean above
:data:`INVERSION_MAX_MEAN_UNITS` use numpy's own samplers instead.

References
----------
Panjer, H. H. (1981). Recursive evaluation of a family of compound distributions.
*ASTIN Bulletin* 12(1), 22-26.
Klugman, S. A., Panjer, H. H. & Willmot, G. E. (2019). *Loss Models: From Data to
Decisions*, 5th ed., Wiley.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray
from scipy import special

__all__ = [
    "INVERSION_MAX_MEAN_UNITS",
    "LEAD_TIME_CAP_TAIL_PROBABILITY",
    "DemandSampler",
    "LeadTimeSampler",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Parts whose mean demand per period is at most this are drawn by inversion.
INVERSION_MAX_MEAN_UNITS: Final = 8.0

#: Most cdf levels compared for every cell of every inversion part at once.
MAX_DENSE_LEVELS: Final = 12

#: Dense comparisons continue while more than this fraction of cells, averaged over
#: the parts, would otherwise be left to the cell-by-cell search.
DENSE_ACTIVE_FRACTION: Final = 0.1

#: A random lead time is capped at its gamma quantile of 1 minus this probability.
LEAD_TIME_CAP_TAIL_PROBABILITY: Final = 1e-6


@dataclass(frozen=True)
class DemandSampler:
    """Per-part parameters for drawing one period of demand for every path."""

    n_paths: int
    inversion_parts: IntArray
    zero_probability: FloatArray
    panjer_a: FloatArray
    panjer_b: FloatArray
    cdf_levels: FloatArray
    last_level_probability: FloatArray
    poisson_parts: IntArray
    poisson_mean_units: FloatArray
    negative_binomial_parts: IntArray
    negative_binomial_n: FloatArray
    negative_binomial_p: FloatArray

    @classmethod
    def from_moments(
        cls, mean_units: FloatArray, variance_units2: FloatArray, n_paths: int
    ) -> DemandSampler:
        """Choose each part's distribution and method from its mean and variance."""
        is_negative_binomial = (variance_units2 > mean_units) & (mean_units > 0.0)
        excess = np.where(is_negative_binomial, variance_units2 - mean_units, 1.0)
        n = np.where(is_negative_binomial, mean_units**2 / excess, np.inf)
        p = np.where(
            is_negative_binomial,
            mean_units / np.where(is_negative_binomial, variance_units2, 1.0),
            1.0,
        )

        is_inversion = (mean_units > 0.0) & (mean_units <= INVERSION_MAX_MEAN_UNITS)
        is_high = mean_units > INVERSION_MAX_MEAN_UNITS
        inversion = np.flatnonzero(is_inversion)
        nb_inv = is_negative_binomial[inversion]
        zero_probability = np.where(
            nb_inv,
            np.power(p[inversion], np.where(nb_inv, n[inversion], 0.0)),
            np.exp(-mean_units[inversion]),
        )
        panjer_a = np.where(nb_inv, 1.0 - p[inversion], 0.0)
        panjer_b = np.where(
            nb_inv,
            (np.where(nb_inv, n[inversion], 1.0) - 1.0) * (1.0 - p[inversion]),
            mean_units[inversion],
        )

        cdf_levels, last_level_probability = _dense_cdf_levels(
            zero_probability, panjer_a, panjer_b
        )
        poisson = np.flatnonzero(is_high & ~is_negative_binomial)
        negative_binomial = np.flatnonzero(is_high & is_negative_binomial)
        return cls(
            n_paths=n_paths,
            inversion_parts=inversion,
            zero_probability=zero_probability,
            panjer_a=panjer_a,
            panjer_b=panjer_b,
            cdf_levels=cdf_levels,
            last_level_probability=last_level_probability,
            poisson_parts=poisson,
            poisson_mean_units=mean_units[poisson],
            negative_binomial_parts=negative_binomial,
            negative_binomial_n=n[negative_binomial],
            negative_binomial_p=p[negative_binomial],
        )

    def draw(self, rng: np.random.Generator, demand_units: IntArray) -> None:
        """Fill ``demand_units`` (n_parts, n_paths) with one period's demand."""
        if self.inversion_parts.size == demand_units.shape[0]:
            self._draw_by_inversion(rng, demand_units)
            return
        demand_units.fill(0)
        if self.inversion_parts.size:
            drawn = np.zeros((self.inversion_parts.size, self.n_paths), dtype=np.int64)
            self._draw_by_inversion(rng, drawn)
            demand_units[self.inversion_parts] = drawn
        if self.poisson_parts.size:
            demand_units[self.poisson_parts] = rng.poisson(
                self.poisson_mean_units[:, np.newaxis],
                size=(self.poisson_parts.size, self.n_paths),
            )
        if self.negative_binomial_parts.size:
            demand_units[self.negative_binomial_parts] = rng.negative_binomial(
                self.negative_binomial_n[:, np.newaxis],
                self.negative_binomial_p[:, np.newaxis],
                size=(self.negative_binomial_parts.size, self.n_paths),
            )

    def _draw_by_inversion(self, rng: np.random.Generator, drawn: IntArray) -> None:
        """Write into ``drawn`` the smallest k with u < F(k) for each cell."""
        uniform = rng.random((self.inversion_parts.size, self.n_paths))

        # The first levels for all cells at once: k = #{j < n_levels: u >= F(j)}.
        is_above = np.empty(uniform.shape, dtype=np.bool_)
        n_levels = self.cdf_levels.shape[1]
        for level in range(n_levels):
            np.greater_equal(
                uniform, self.cdf_levels[:, level, np.newaxis], out=is_above
            )
            if level == 0:
                np.copyto(drawn, is_above)
            else:
                np.add(drawn, is_above, out=drawn)

        # Then cell by cell for the few with u >= F(n_levels - 1). Each search keeps
        # its flat position, part, f(k) and u - F(k), which stays >= 0 while u lies
        # above the cdf.
        flat_drawn = drawn.reshape(-1)
        position = np.flatnonzero(is_above)
        part = position // self.n_paths
        remainder = uniform.reshape(-1)[position] - self.cdf_levels[part, -1]
        probability = self.last_level_probability[part]
        k = n_levels - 1
        while position.size:
            k += 1
            flat_drawn[position] = k
            probability *= self.panjer_a[part] + self.panjer_b[part] / k
            remainder -= probability
            # NOTE: a cell whose cdf stalls below u through rounding stops once the
            # probabilities underflow, which happens with probability ~1e-16.
            keep = np.flatnonzero((remainder >= 0.0) & (probability > 0.0))
            position, part = position[keep], part[keep]
            remainder, probability = remainder[keep], probability[keep]


def _dense_cdf_levels(
    zero_probability: FloatArray, panjer_a: FloatArray, panjer_b: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """cdf F(0..m-1) per part for the dense phase, and f(m - 1).

    m is the fewest levels after which, on average over the parts, at most
    ``DENSE_ACTIVE_FRACTION`` of the cells still search (at least 1, at most
    ``MAX_DENSE_LEVELS``).
    """
    probability = zero_probability.copy()
    probabilities = [probability]
    for k in range(1, MAX_DENSE_LEVELS):
        probability = probability * (panjer_a + panjer_b / k)
        probabilities.append(probability)
    cdf = np.cumsum(np.stack(probabilities, axis=1), axis=1)

    still_searching = (1.0 - cdf).mean(axis=0) if cdf.size else np.zeros(1)
    n_levels = int(np.argmax(still_searching <= DENSE_ACTIVE_FRACTION)) + 1
    if still_searching[n_levels - 1] > DENSE_ACTIVE_FRACTION:
        n_levels = MAX_DENSE_LEVELS
    return np.ascontiguousarray(cdf[:, :n_levels]), probabilities[n_levels - 1]


@dataclass(frozen=True)
class LeadTimeSampler:
    """Per-part parameters for drawing the lead time of each order placed."""

    fixed_periods: IntArray
    is_random: NDArray[np.bool_]
    gamma_shape: FloatArray
    gamma_scale_periods: FloatArray
    cap_periods: IntArray

    @classmethod
    def from_moments(
        cls, mean_periods: FloatArray, sd_periods: FloatArray
    ) -> LeadTimeSampler:
        """Gamma by moments where the sd is positive, else a fixed whole lead time."""
        is_random = sd_periods > 0.0
        fixed = np.maximum(np.rint(mean_periods), 1.0).astype(np.int64)
        safe_sd = np.where(is_random, sd_periods, 1.0)
        shape = np.where(is_random, (mean_periods / safe_sd) ** 2, 1.0)
        scale = np.where(is_random, safe_sd**2 / mean_periods, 1.0)
        tail_quantile = scale * special.gammaincinv(
            shape, 1.0 - LEAD_TIME_CAP_TAIL_PROBABILITY
        )
        cap = np.where(
            is_random, np.maximum(np.ceil(tail_quantile), 1.0), fixed
        ).astype(np.int64)
        return cls(
            fixed_periods=fixed,
            is_random=is_random,
            gamma_shape=shape,
            gamma_scale_periods=scale,
            cap_periods=cap,
        )

    @property
    def max_periods(self) -> int:
        """Longest lead time any order can draw, periods (0 with no parts)."""
        return int(self.cap_periods.max(initial=0))

    def draw(self, rng: np.random.Generator, part: IntArray) -> IntArray:
        """Lead time, whole periods, of one order for each part index in ``part``."""
        lead = self.fixed_periods[part]
        is_random = self.is_random[part]
        if np.any(is_random):
            random_part = part[is_random]
            gamma = rng.gamma(
                self.gamma_shape[random_part], self.gamma_scale_periods[random_part]
            )
            lead[is_random] = np.clip(
                np.rint(gamma).astype(np.int64), 1, self.cap_periods[random_part]
            )
        return lead
