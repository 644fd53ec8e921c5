"""Tests of loss functions, expected backorders and fill rates."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from scipy import integrate, stats

from spareplan.core import service
from spareplan.core.lead_time_demand import (
    EMPIRICAL,
    NEGATIVE_BINOMIAL,
    NORMAL,
    POISSON,
    negative_binomial_parameters,
)
from spareplan.core.service import (
    expected_backorders_per_cycle,
    fill_rate,
    inverse_standard_normal_loss,
    reorder_point_for_fill_rate,
    standard_normal_loss,
)
from spareplan.errors import InputError


def test_standard_normal_loss_matches_published_table() -> None:
    # Standard normal loss table (Silver, Pyke & Thomas 2017, App. B; Nahmias &
    # Olsen 2015, Table A-4): G(0) = 0.3989, G(0.5) = 0.1978, G(1) = 0.0833,
    # G(1.5) = 0.0293, G(2) = 0.0085, G(3) = 0.0004.
    z = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0]
    table = [0.3989, 0.1978, 0.0833, 0.0293, 0.0085, 0.0004]
    np.testing.assert_allclose(standard_normal_loss(z), table, atol=5e-5)


@pytest.mark.parametrize("z", [-3.0, -1.0, 0.0, 0.7, 2.5, 4.0])
def test_standard_normal_loss_equals_numerical_integral(z: float) -> None:
    integral, _ = integrate.quad(lambda x: (x - z) * stats.norm.pdf(x), z, np.inf)
    assert standard_normal_loss(z) == pytest.approx(integral, rel=1e-9)


def test_standard_normal_loss_symmetry_identity() -> None:
    # G(-z) = G(z) + z for every z.
    z = np.linspace(-5, 5, 101)
    np.testing.assert_allclose(
        standard_normal_loss(-z), standard_normal_loss(z) + z, atol=1e-12
    )


def test_inverse_standard_normal_loss_round_trips() -> None:
    z = np.linspace(-4.0, 5.5, 200)
    recovered = inverse_standard_normal_loss(standard_normal_loss(z))
    np.testing.assert_allclose(recovered, z, atol=1e-8)


def test_poisson_backorders_equal_brute_force_and_stockpyl() -> None:
    mean = 3.7
    x = np.arange(0, 200)
    pmf = stats.poisson.pmf(x, mean)
    for r in range(0, 12):
        brute_force = np.sum(np.maximum(x - r, 0) * pmf)
        ours = expected_backorders_per_cycle(POISSON, r, mean, mean)[0]
        assert ours == pytest.approx(brute_force, rel=1e-10, abs=1e-14)
    loss_functions = pytest.importorskip("stockpyl.loss_functions")
    loss, _ = loss_functions.poisson_loss(5, mean)
    assert expected_backorders_per_cycle(POISSON, 5, mean, mean)[0] == pytest.approx(
        loss, rel=1e-9
    )


def test_negative_binomial_backorders_equal_brute_force() -> None:
    mean, variance = 4.0, 11.0
    n, p, _ = negative_binomial_parameters(mean, variance)
    x = np.arange(0, 2000)
    pmf = stats.nbinom.pmf(x, n[0], p[0])
    for r in (0, 1, 3, 8, 20):
        brute_force = np.sum(np.maximum(x - r, 0) * pmf)
        ours = expected_backorders_per_cycle(NEGATIVE_BINOMIAL, r, mean, variance)[0]
        assert ours == pytest.approx(brute_force, rel=1e-9)


def test_negative_binomial_backorders_at_fractional_and_negative_points() -> None:
    # E[(X - r)^+] = sum over x > r of (x - r) f(x), and mean - r below zero.
    mean, variance = 2.5, 9.0
    n, p, _ = negative_binomial_parameters(mean, variance)
    x = np.arange(0, 3000)
    pmf = stats.nbinom.pmf(x, n[0], p[0])
    for r in (-1.5, -0.25, 0.4, 2.75, 11.5):
        brute_force = np.sum(np.maximum(x - r, 0) * pmf)
        ours = expected_backorders_per_cycle(NEGATIVE_BINOMIAL, r, mean, variance)[0]
        assert ours == pytest.approx(brute_force, rel=1e-11)


def test_normal_backorders_scale_the_standard_loss() -> None:
    ours = expected_backorders_per_cycle(NORMAL, 130.0, 100.0, 400.0)[0]
    assert ours == pytest.approx(20.0 * float(standard_normal_loss(1.5)))
    # No variability: the shortfall is simply max(mean - r, 0).
    assert expected_backorders_per_cycle(NORMAL, [8.0, 12.0], 10.0, 0.0).tolist() == [
        2.0,
        0.0,
    ]


def test_normal_fill_rate_matches_textbook_formula() -> None:
    # P2 = 1 - sigma G(k) / Q (Silver, Pyke & Thomas 2017, Ch. 6): sigma 100,
    # k = 1.5, Q = 200 -> 1 - 100 * 0.0293 / 200 = 0.98535.
    rate = fill_rate(NORMAL, 1150.0, 200.0, 1000.0, 100.0**2)[0]
    assert rate == pytest.approx(0.98535, abs=5e-5)


def test_fill_rate_reorder_point_is_the_smallest_meeting_the_target() -> None:
    rng = np.random.default_rng(4)
    mean = rng.uniform(0.1, 50.0, 200)
    variance = mean * rng.uniform(1.1, 5.0, 200)
    quantity = rng.uniform(1.0, 40.0, 200)
    method = rng.integers(0, 3, 200)
    target = rng.uniform(0.7, 0.999, 200)
    points = reorder_point_for_fill_rate(method, target, quantity, mean, variance)
    achieved = fill_rate(method, points, quantity, mean, variance)
    below = fill_rate(method, points - 1, quantity, mean, variance)
    assert np.all(achieved >= target - 1e-9)
    assert np.all((below < target) | (points == 0))


def test_fill_rate_reorder_point_rises_with_the_target() -> None:
    targets = np.linspace(0.5, 0.999, 100)
    for method in (NORMAL, POISSON, NEGATIVE_BINOMIAL):
        points = reorder_point_for_fill_rate(method, targets, 5.0, 12.0, 30.0)
        assert np.all(np.diff(points) >= 0)


def test_empirical_backorders_are_the_sample_average() -> None:
    samples = np.array([[0.0, 1.0, 2.0, 5.0]])
    ours = expected_backorders_per_cycle(EMPIRICAL, 1.0, 0.0, 0.0, samples)
    assert ours.tolist() == [(0 + 0 + 1 + 4) / 4]
    point = reorder_point_for_fill_rate(EMPIRICAL, 0.9, 10.0, 0.0, 0.0, samples)
    assert point.tolist() == [2]  # E[(X-2)^+] = 0.75 <= 1.0 < E[(X-1)^+] = 1.25


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: reorder_point_for_fill_rate(NORMAL, 1.2, 5.0, 1.0, 1.0),
            r"`target_fill_rate` must be in \(0, 1\), got 1\.2",
        ),
        (
            lambda: fill_rate(NORMAL, 3.0, 0.0, 1.0, 1.0),
            r"`order_quantity_units` must be finite and > 0, got 0\.0",
        ),
        (
            lambda: inverse_standard_normal_loss([0.1, -0.5]),
            r"`loss` must be finite and > 0, got -0\.5",
        ),
        (
            lambda: expected_backorders_per_cycle(POISSON, 1.0, -2.0, 1.0),
            r"`mean_units` must be finite and >= 0, got -2\.0",
        ),
    ],
)
def test_bad_inputs_are_named_in_the_error(call: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        call()  # type: ignore[operator]


def test_docstring_examples_run() -> None:
    assert doctest.testmod(service).failed == 0
