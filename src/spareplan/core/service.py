r"""Loss functions, expected backorders and fill rates for (r, Q) policies.

The fill rate (fraction of demand met from stock) of a continuous-review
:math:`(r, Q)` policy with backordering is approximated, as in most texts, by

.. math:: \beta \approx 1 - \frac{E[(X - r)^+]}{Q},

where :math:`X` is lead-time demand and :math:`E[(X - r)^+]` the expected units
short per replenishment cycle (Silver, Pyke & Thomas 2017, Ch. 6, for the normal
case :math:`\sigma G(k)`). The approximation counts a cycle's shortage from the
reorder point only; it is accurate when :math:`Q` is large relative to :math:`\sigma`
and slightly pessimistic otherwise (Axsäter 2015, Ch. 5, gives the exact form).

Method codes and moments are as in :mod:`spareplan.core.lead_time_demand`.

References
----------
Silver, E. A., Pyke, D. F. & Thomas, D. J. (2017). *Inventory and Production
Management in Supply Chains*, 4th ed., CRC Press.
Axsäter, S. (2015). *Inventory Control*, 3rd ed., Springer.
Nahmias, S. & Olsen, T. L. (2015). *Production and Operations Analysis*, 7th ed.,
Waveland, Ch. 5 (standard normal loss table).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from spareplan.core._search import smallest_whole_number_meeting
from spareplan.core._validation import as_float_array, check_fraction, plain
from spareplan.core.lead_time_demand import (
    CDF_TOLERANCE,
    EMPIRICAL,
    NEGATIVE_BINOMIAL,
    NORMAL,
    POISSON,
    broadcast_part_inputs,
    negative_binomial_parameters_unchecked,
)
from spareplan.core.negative_binomial import negative_binomial_loss
from spareplan.errors import InputError

__all__ = [
    "expected_backorders_per_cycle",
    "fill_rate",
    "inverse_standard_normal_loss",
    "reorder_point_for_fill_rate",
    "standard_normal_loss",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

_INVERSE_LOSS_MAX_ITERATIONS = 100


def standard_normal_loss(z: ArrayLike) -> FloatArray:
    r"""Standard normal loss :math:`G(z) = \varphi(z) - z\,(1 - \Phi(z))`.

    :math:`G(z) = E[(Z - z)^+]` for standard normal :math:`Z` (Silver, Pyke &
    Thomas 2017, App. B; Nahmias & Olsen 2015, Table A-4).

    Examples
    --------
    >>> standard_normal_loss([0.0, 1.0, 1.5]).round(4).tolist()
    [0.3989, 0.0833, 0.0293]
    """
    z_array = as_float_array("z", z)
    density = np.exp(-0.5 * z_array**2) / np.sqrt(2.0 * np.pi)
    loss: FloatArray = density - z_array * special.ndtr(-z_array)
    return loss


def inverse_standard_normal_loss(loss: ArrayLike) -> FloatArray:
    r"""The :math:`z` with :math:`G(z)` equal to ``loss`` (> 0), by Newton's method.

    :math:`G` is convex and decreasing with :math:`G'(z) = -(1 - \Phi(z))` and
    :math:`G(z) > -z`, so Newton steps started at :math:`z_0 = -g` (left of the root)
    rise monotonically to it. Accurate to about 1e-12 for losses down to 1e-9
    (:math:`z \approx 5.6`); below that the subtraction in :math:`G` loses digits.

    Examples
    --------
    >>> inverse_standard_normal_loss([0.3989, 0.0833]).round(3).tolist()
    [0.0, 1.0]
    """
    target = as_float_array("loss", loss)
    if np.any(~(np.isfinite(target) & (target > 0.0))):
        bad = target[~(np.isfinite(target) & (target > 0.0))].flat[0]
        raise InputError(f"`loss` must be finite and > 0, got {plain(bad)!r}")

    z = -target
    for _ in range(_INVERSE_LOSS_MAX_ITERATIONS):
        step = (standard_normal_loss(z) - target) / special.ndtr(-z)
        z = z + step
        if np.all(np.abs(step) <= 1e-13 * (1.0 + np.abs(z))):
            break
    return z


def expected_backorders_per_cycle(
    method_code: ArrayLike,
    reorder_point_units: ArrayLike,
    mean_units: ArrayLike,
    variance_units: ArrayLike,
    samples_units: ArrayLike | None = None,
) -> FloatArray:
    r"""Expected units short per replenishment cycle, :math:`E[(X - r)^+]`.

    Parameters
    ----------
    method_code : array_like of int
        Index into ``LEAD_TIME_DEMAND_METHODS``, per part or one for all.
    reorder_point_units : array_like of float
        Reorder point :math:`r`, units.
    mean_units, variance_units : array_like of float
        Lead-time demand mean :math:`\mu` and variance :math:`\sigma^2`.
    samples_units : array_like of float, shape (n_parts, n_samples), optional
        Bootstrap samples; needed where the method is ``empirical``.

    Returns
    -------
    ndarray of float, shape (n_parts,)

    Notes
    -----
    Normal: :math:`\sigma G((r - \mu)/\sigma)`. Poisson, using
    :math:`x\,p(x; \mu) = \mu\,p(x-1; \mu)`:
    :math:`\mu\,\bar F(r-1) - r\,\bar F(r)` (Axsäter 2015, Ch. 5). Negative
    binomial :math:`(n, p)`: :math:`(\mu - r)\,\bar F(r) + \mu (1 + r/n) f(r)`
    with :math:`f` the probability mass, one incomplete beta and one mass per part
    (derived in :func:`spareplan.core.negative_binomial.negative_binomial_loss`).
    Empirical: the sample mean.

    Examples
    --------
    Poisson mean 2, r = 2: :math:`2\bar F(1) - 2\bar F(2) = 2p(2) = 4e^{-2}`.

    >>> round(float(expected_backorders_per_cycle(POISSON, 2, 2.0, 2.0)[0]), 6)
    0.541341
    """
    methods, units, mean, variance, samples = broadcast_part_inputs(
        method_code, reorder_point_units, mean_units, variance_units, samples_units
    )
    return _loss(methods, units, mean, variance, samples)


def fill_rate(
    method_code: ArrayLike,
    reorder_point_units: ArrayLike,
    order_quantity_units: ArrayLike,
    mean_units: ArrayLike,
    variance_units: ArrayLike,
    samples_units: ArrayLike | None = None,
) -> FloatArray:
    r"""Approximate fill rate :math:`1 - E[(X - r)^+]/Q` of an (r, Q) policy.

    Parameters are as in :func:`expected_backorders_per_cycle`, plus
    ``order_quantity_units`` (:math:`Q` > 0, units). The result is clipped at 0.

    Examples
    --------
    Silver, Pyke & Thomas style: :math:`\sigma = 100`, :math:`k = 1`, :math:`Q = 500`
    gives :math:`1 - 100 \cdot 0.0833/500 = 0.9833`.

    >>> fill_rate(NORMAL, 1100.0, 500.0, 1000.0, 100.0**2).round(4).tolist()
    [0.9833]
    """
    quantity = _check_order_quantity(order_quantity_units)
    backorders = expected_backorders_per_cycle(
        method_code, reorder_point_units, mean_units, variance_units, samples_units
    )
    result: FloatArray = np.clip(1.0 - backorders / quantity, 0.0, 1.0)
    return result


def reorder_point_for_fill_rate(
    method_code: ArrayLike,
    target_fill_rate: ArrayLike,
    order_quantity_units: ArrayLike,
    mean_units: ArrayLike,
    variance_units: ArrayLike,
    samples_units: ArrayLike | None = None,
) -> IntArray:
    r"""Smallest whole :math:`r \ge 0` whose approximate fill rate meets the target.

    Parameters
    ----------
    method_code : array_like of int
        Index into ``LEAD_TIME_DEMAND_METHODS``, per part or one for all.
    target_fill_rate : array_like of float
        Target fraction of demand met from stock, in (0, 1).
    order_quantity_units : array_like of float
        Order quantity :math:`Q` > 0, units.
    mean_units, variance_units : array_like of float
        Lead-time demand mean and variance.
    samples_units : array_like of float, shape (n_parts, n_samples), optional
        Bootstrap samples; needed where the method is ``empirical``.

    Returns
    -------
    ndarray of int64, shape (n_parts,)

    Raises
    ------
    InputError
        If the target is outside (0, 1), Q <= 0, or another input is invalid.

    Notes
    -----
    Finds the smallest :math:`r` with :math:`E[(X - r)^+] \le (1 - \beta)Q`. For the
    normal case the continuous answer is :math:`\mu + k\sigma` with
    :math:`G(k) = (1-\beta)Q/\sigma` (Silver, Pyke & Thomas 2017, Ch. 6); it is used
    as the starting guess of an integer search, which all methods share.

    Examples
    --------
    >>> reorder_point_for_fill_rate(NORMAL, 0.9833, 500.0, 1000.0, 100.0**2)
    array([1100])
    """
    quantity = _check_order_quantity(order_quantity_units)
    methods, target, mean, variance, samples = broadcast_part_inputs(
        method_code, target_fill_rate, mean_units, variance_units, samples_units
    )
    check_fraction("target_fill_rate", target)
    allowed_shortage = np.broadcast_to((1.0 - target) * quantity, methods.shape)

    sd = np.sqrt(variance)
    k = inverse_standard_normal_loss(allowed_shortage / np.where(sd > 0, sd, 1.0))
    guess = np.where(sd > 0, mean + k * sd, mean - allowed_shortage)
    tolerance = CDF_TOLERANCE * np.maximum(1.0, allowed_shortage)
    return smallest_whole_number_meeting(
        lambda units: (
            _loss(methods, units, mean, variance, samples)
            <= allowed_shortage + tolerance
        ),
        np.ceil(guess),
    )


def _check_order_quantity(order_quantity_units: ArrayLike) -> FloatArray:
    """Return Q as floats after checking every value is finite and > 0."""
    quantity = as_float_array("order_quantity_units", order_quantity_units)
    is_bad = ~(np.isfinite(quantity) & (quantity > 0.0))
    if np.any(is_bad):
        raise InputError(
            "`order_quantity_units` must be finite and > 0, "
            f"got {plain(quantity[is_bad].flat[0])!r}"
        )
    return quantity


def _loss(
    methods: IntArray,
    units: ArrayLike,
    mean: FloatArray,
    variance: FloatArray,
    samples: FloatArray | None,
) -> FloatArray:
    """Per-part :math:`E[(X - r)^+]` on whole arrays, each row by its method."""
    r = np.asarray(units, dtype=np.float64)
    n_successes, success_probability, is_poisson = (
        negative_binomial_parameters_unchecked(mean, variance)
    )
    sd = np.sqrt(variance)
    result = np.zeros(r.shape)

    rows = methods == NORMAL
    if np.any(rows):
        shortfall = np.maximum(mean[rows] - r[rows], 0.0)
        scaled = sd[rows] * standard_normal_loss(
            (r[rows] - mean[rows]) / np.where(sd[rows] > 0, sd[rows], 1.0)
        )
        result[rows] = np.where(sd[rows] > 0, scaled, shortfall)
    rows = (methods == POISSON) | ((methods == NEGATIVE_BINOMIAL) & is_poisson)
    if np.any(rows):
        result[rows] = _poisson_loss(r[rows], mean[rows])
    rows = (methods == NEGATIVE_BINOMIAL) & ~is_poisson
    if np.any(rows):
        result[rows] = negative_binomial_loss(
            r[rows], mean[rows], n_successes[rows], success_probability[rows]
        )
    rows = methods == EMPIRICAL
    if np.any(rows) and samples is not None:
        excess = samples[rows] - r[rows, np.newaxis]
        result[rows] = np.maximum(excess, 0.0).mean(axis=1)
    return result


def _poisson_survival(units: FloatArray, mean: FloatArray) -> FloatArray:
    """Poisson :math:`P(X > x)`, 1 for x < 0, via the regularised gamma function."""
    whole = np.floor(units)
    survival: FloatArray = np.where(
        whole < 0, 1.0, special.gammainc(np.maximum(whole, 0.0) + 1.0, mean)
    )
    return survival


def _poisson_loss(r: FloatArray, mean: FloatArray) -> FloatArray:
    """Poisson :math:`E[(X - r)^+]` for whole ``r`` (mean - r below zero)."""
    loss = mean * _poisson_survival(r - 1.0, mean) - r * _poisson_survival(r, mean)
    return np.where(r < 0, mean - r, loss)
