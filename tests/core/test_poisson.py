"""Tests of the Poisson quantile settled by one exact cdf evaluation."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from scipy import special, stats

from spareplan.core import poisson
from spareplan.core._search import smallest_whole_number_meeting
from spareplan.core.poisson import poisson_quantile


def _exact_search(mean: np.ndarray, probability: np.ndarray) -> np.ndarray:
    """Reference: bracketing search on the exact cdf from zero."""
    return smallest_whole_number_meeting(
        lambda units: special.gammaincc(units + 1.0, mean) >= probability,
        np.zeros(mean.shape),
    )


def test_quantile_equals_an_exact_search_over_a_wide_range() -> None:
    rng = np.random.default_rng(17)
    mean = np.concatenate(
        [
            rng.uniform(0.0, 3.0, 3000),
            rng.uniform(3.0, 100.0, 3000),
            rng.uniform(100.0, 1e5, 1000),
            [0.0, 1e-300, 1e-9, 0.5, 1e6],
        ]
    )
    probability = rng.uniform(0.01, 0.999999, mean.size)
    result = poisson_quantile(mean, probability, special.ndtri(probability))
    np.testing.assert_array_equal(result, _exact_search(mean, probability))


def test_quantile_equals_scipy_poisson_ppf() -> None:
    # scipy.stats.poisson.ppf is an independent implementation of the quantile.
    rng = np.random.default_rng(3)
    mean = rng.uniform(0.05, 80.0, 2000)
    probability = rng.uniform(0.5, 0.999, 2000)
    result = poisson_quantile(mean, probability, special.ndtri(probability))
    np.testing.assert_array_equal(result, stats.poisson.ppf(probability, mean))


def test_target_on_a_cdf_value_is_settled_by_the_exact_search() -> None:
    # The target equals F(3) for mean 2, so the mass step cannot decide it.
    mean = np.array([2.0])
    probability = special.gammaincc(np.array([4.0]), mean)
    z = special.ndtri(probability)
    assert poisson_quantile(mean, probability, z).tolist() == [3]
    assert poisson_quantile(mean, np.nextafter(probability, 2.0), z).tolist() == [4]


def test_a_bad_first_guess_still_gives_the_quantile() -> None:
    mean = np.array([5.0, 40.0, 0.0])
    probability = np.array([0.9, 0.99, 0.9])
    for z in (np.full(3, -8.0), np.full(3, 8.0)):
        result = poisson_quantile(mean, probability, z)
        np.testing.assert_array_equal(result, _exact_search(mean, probability))


@pytest.mark.parametrize("mean", [0.0, 0.3, 7.0])
def test_quantile_never_falls_as_the_target_rises(mean: float) -> None:
    probability = np.linspace(0.01, 0.9999, 300)
    result = poisson_quantile(
        np.full(300, mean), probability, special.ndtri(probability)
    )
    assert np.all(np.diff(result) >= 0)


def test_docstring_examples_run() -> None:
    assert doctest.testmod(poisson).failed == 0
