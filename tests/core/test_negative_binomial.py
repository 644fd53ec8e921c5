"""Tests of negative binomial quantiles and loss built on one incomplete beta."""

from __future__ import annotations

import doctest
import math
import warnings

import numpy as np
import pytest
from scipy import special, stats

from spareplan.core import negative_binomial
from spareplan.core._search import smallest_whole_number_meeting
from spareplan.core.negative_binomial import (
    negative_binomial_loss,
    negative_binomial_quantile,
)


def _exact_search(n: np.ndarray, p: np.ndarray, probability: np.ndarray) -> np.ndarray:
    """Reference: bracketing search on the exact cdf from zero."""
    return smallest_whole_number_meeting(
        lambda units: special.betainc(n, units + 1.0, p) >= probability,
        np.zeros(n.shape),
    )


def _cornish_fisher(
    n: np.ndarray, p: np.ndarray, probability: np.ndarray
) -> np.ndarray:
    """The planner's first guess, from the mean, variance and skewness."""
    mean, variance = n * (1 - p) / p, n * (1 - p) / p**2
    z = special.ndtri(probability)
    skew_times_sd = 2.0 * variance / mean - 1.0
    guess = mean + z * np.sqrt(variance) + (z**2 - 1.0) / 6.0 * skew_times_sd - 0.5
    return np.ceil(guess)


def _wide_parameters(
    rng: np.random.Generator, size: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shapes n from 1e-3 to 1e6, p from 1e-3 to 1 - 1e-9, targets in (0, 1)."""
    n = 10 ** rng.uniform(-3.0, 6.0, size)
    p = 1.0 - 10 ** rng.uniform(-9.0, np.log10(0.999), size)
    probability = np.concatenate(
        [rng.uniform(1e-6, 1.0 - 1e-9, size - 4), [1e-12, 0.5, 0.99, 1.0 - 1e-12]]
    )
    return n, p, probability


def _brute_force_loss(r: float, n: float, p: float) -> float:
    """E[(X - r)^+] for r >= 0 by summing (x - r) f(x) up to a far tail."""
    mean = n * (1.0 - p) / p
    sd = math.sqrt(n * (1.0 - p)) / p
    x = np.arange(max(math.floor(r) + 1, 0), math.ceil(mean + 60.0 * sd + 200.0))
    return math.fsum((x - r) * stats.nbinom.pmf(x, n, p))


def test_quantile_equals_an_exact_search_over_a_wide_range() -> None:
    n, p, probability = _wide_parameters(np.random.default_rng(23), 6000)
    guess = _cornish_fisher(n, p, probability)
    result = negative_binomial_quantile(n, p, probability, guess)
    np.testing.assert_array_equal(result, _exact_search(n, p, probability))


def test_quantile_equals_scipy_nbinom_ppf() -> None:
    # scipy.stats.nbinom.ppf (Boost) is an independent implementation.
    rng = np.random.default_rng(4)
    n = rng.uniform(0.2, 40.0, 2000)
    p = rng.uniform(0.05, 0.95, 2000)
    probability = rng.uniform(0.5, 0.999, 2000)
    result = negative_binomial_quantile(
        n, p, probability, _cornish_fisher(n, p, probability)
    )
    np.testing.assert_array_equal(result, stats.nbinom.ppf(probability, n, p))


def test_quantile_matches_a_hand_computed_cdf_table() -> None:
    # n = 2, p = 0.5: F(k) = 1 - (k + 3) / 2^(k + 2), so F(2) = 0.6875, F(3) = 0.8125,
    # F(5) = 0.9375, F(6) = 0.9648 (Johnson, Kemp & Kotz 2005, Ch. 5, pmf
    # (k + 1) / 2^(k + 2)).
    probability = np.array([0.6875, 0.7, 0.9375, 0.95])
    n, p = np.full(4, 2.0), np.full(4, 0.5)
    result = negative_binomial_quantile(n, p, probability, np.full(4, 4.0))
    assert result.tolist() == [2, 3, 5, 6]


def test_target_on_a_cdf_value_is_settled_by_the_exact_search() -> None:
    # The target equals F(3), so no step along the masses can decide it.
    n, p = np.array([3.5]), np.array([0.4])
    probability = special.betainc(n, np.array([4.0]), p)
    for guess in (0.0, 3.0, 20.0):
        start = np.array([guess])
        assert negative_binomial_quantile(n, p, probability, start).tolist() == [3]
        above = np.nextafter(probability, 2.0)
        assert negative_binomial_quantile(n, p, above, start).tolist() == [4]


def test_a_bad_first_guess_still_gives_the_quantile() -> None:
    n = np.array([0.01, 2.0, 50.0, 1e5])
    p = np.array([0.001, 0.3, 0.9, 0.999])
    probability = np.array([0.9, 0.99, 0.5, 0.95])
    expected = _exact_search(n, p, probability)
    for guess in (0.0, 1e6, np.nan, -5.0):
        start = np.full(4, guess)
        result = negative_binomial_quantile(n, p, probability, start)
        np.testing.assert_array_equal(result, expected)


@pytest.mark.parametrize(("n", "p"), [(0.05, 0.01), (1.0, 0.5), (30.0, 0.995)])
def test_quantile_never_falls_as_the_target_rises(n: float, p: float) -> None:
    probability = np.linspace(0.01, 0.9999, 400)
    shape = np.full(probability.shape, n)
    success = np.full(probability.shape, p)
    result = negative_binomial_quantile(
        shape, success, probability, _cornish_fisher(shape, success, probability)
    )
    assert np.all(np.diff(result) >= 0)


def test_vectorised_quantile_equals_a_per_part_loop() -> None:
    n, p, probability = _wide_parameters(np.random.default_rng(8), 300)
    guess = _cornish_fisher(n, p, probability)
    together = negative_binomial_quantile(n, p, probability, guess)
    one_by_one = [
        negative_binomial_quantile(
            n[i : i + 1], p[i : i + 1], probability[i : i + 1], guess[i : i + 1]
        )[0]
        for i in range(n.size)
    ]
    assert together.tolist() == one_by_one


def test_geometric_loss_matches_its_closed_form() -> None:
    # n = 1 is the geometric distribution: P(X > k) = q^(k+1), so
    # E[(X - r)^+] = sum_{k >= r} q^(k+1) = q^(r+1) / p for whole r >= 0.
    p = 0.2
    r = np.arange(0.0, 30.0)
    loss = negative_binomial_loss(
        r, np.full(r.shape, 4.0), np.ones(r.shape), np.full(r.shape, p)
    )
    # (mu - r) P(X > r) and the mass term cancel to the loss, costing a few digits
    # once r is several means out.
    np.testing.assert_allclose(loss, (1 - p) ** (r + 1) / p, rtol=1e-12)


@pytest.mark.parametrize(
    ("n", "p"), [(0.3, 0.05), (1.5, 0.4), (4.0, 0.5), (25.0, 0.9), (400.0, 0.999)]
)
def test_loss_equals_a_brute_force_sum(n: float, p: float) -> None:
    mean = n * (1 - p) / p
    r = np.array([-2.5, -0.5, 0.0, 0.5, 1.0, 2.0, 3.7, mean, 2 * mean + 5, 4 * mean])
    loss = negative_binomial_loss(
        r, np.full(r.shape, mean), np.full(r.shape, n), np.full(r.shape, p)
    )
    for units, ours in zip(r, loss):
        expected = mean - units if units < 0 else _brute_force_loss(units, n, p)
        assert ours == pytest.approx(expected, rel=1e-11, abs=1e-15)


def test_loss_equals_the_two_incomplete_beta_form() -> None:
    # The shifted-shape form mu * P_{n+1}(X > r - 1) - r * P_n(X > r) (Axsäter
    # 2015, Ch. 5 for the Poisson analogue) is an independent route to the loss.
    rng = np.random.default_rng(2)
    n = 10 ** rng.uniform(-2, 3, 3000)
    p = rng.uniform(0.01, 0.99, 3000)
    mean = n * (1 - p) / p
    r = np.floor(mean * rng.uniform(0.0, 2.0, 3000))
    shifted = mean * special.betainc(r, n + 1.0, 1 - p) - r * special.betainc(
        r + 1.0, n, 1 - p
    )
    shifted = np.where(r == 0, mean, shifted)
    loss = negative_binomial_loss(r, mean, n, p)
    np.testing.assert_allclose(loss, shifted, rtol=1e-9, atol=1e-14)


def test_loss_tends_to_the_poisson_loss_for_large_n() -> None:
    mean, r = 3.0, np.array([0.0, 2.0, 5.0, 9.0])
    n = 1e9
    p = n / (n + mean)
    loss = negative_binomial_loss(r, np.full(4, mean), np.full(4, n), np.full(4, p))
    poisson = (mean - r) * stats.poisson.sf(r, mean) + mean * stats.poisson.pmf(r, mean)
    np.testing.assert_allclose(loss, poisson, rtol=1e-7)


def test_loss_is_nonnegative_and_falls_as_the_reorder_point_rises() -> None:
    r = np.arange(0.0, 200.0)
    loss = negative_binomial_loss(
        r, np.full(r.shape, 20.0), np.full(r.shape, 2.0), np.full(r.shape, 2 / 22)
    )
    assert np.all(loss >= 0.0)
    assert np.all(np.diff(loss) <= 0.0)


def test_extreme_parameters_raise_no_warning() -> None:
    n = np.array([1e-12, 1e15, 2.0, 0.5, 3.0])
    p = np.array([0.5, 1.0 - 1e-15, 1.0, 1e-12, 0.3])
    probability = np.array([0.9, 0.99, 0.95, 0.5, 1e-12])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        quantile = negative_binomial_quantile(
            n, p, probability, np.array([5.0, 3.0, 2.0, 1e12, 0.0])
        )
        loss = negative_binomial_loss(quantile.astype(float), n * (1 - p) / p, n, p)
    np.testing.assert_array_equal(quantile, _exact_search(n, p, probability))
    assert np.all(np.isfinite(loss))


def test_docstring_examples_run() -> None:
    assert doctest.testmod(negative_binomial).failed == 0
