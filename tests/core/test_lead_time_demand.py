"""Tests of lead-time demand moments, distributions and reorder points."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from scipy import special, stats

from spareplan.core import lead_time_demand
from spareplan.core._search import smallest_whole_number_meeting
from spareplan.core.lead_time_demand import (
    EMPIRICAL,
    NEGATIVE_BINOMIAL,
    NORMAL,
    POISSON,
    DistributionFallbackWarning,
    achieved_cycle_service_level,
    bootstrap_lead_time_demand,
    demand_moments_per_period,
    lead_time_demand_moments,
    negative_binomial_parameters,
    per_period_to_per_day,
    reorder_point_for_cycle_service_level,
)
from spareplan.errors import InputError

NAN = np.nan


def test_moments_match_chopra_meindl_lead_time_uncertainty_example() -> None:
    # Chopra & Meindl, Supply Chain Management (safety inventory chapter): daily
    # demand 2,500 (sd 500), lead time 7 days (sd 7 days) gives mean 17,500 and
    # sigma_L = sqrt(7 * 500^2 + 2500^2 * 7^2) = 17,550 (rounded in the text).
    mean, variance = lead_time_demand_moments(2500.0, 500.0, 7.0, 7.0)
    assert mean.tolist() == [17500.0]
    assert math.sqrt(variance[0]) == pytest.approx(17550, abs=1)
    # With CSL 0.90 the text's safety stock is NORMSINV(0.9) * 17,550 = 22,491.
    reorder_point = reorder_point_for_cycle_service_level(NORMAL, mean, variance, 0.9)
    assert reorder_point[0] - 17500 == pytest.approx(22491, abs=2)


def test_normal_reorder_point_matches_textbook_safety_stock() -> None:
    # Mean 100, sd 20, CSL 0.95: z = 1.645, r = 100 + 32.9 -> 133 (Silver, Pyke &
    # Thomas 2017, Ch. 6, k = 1.645 for a 95 % cycle service level).
    assert reorder_point_for_cycle_service_level(NORMAL, 100.0, 400.0, 0.95)[0] == 133


def test_poisson_reorder_point_matches_poisson_table() -> None:
    # Poisson table, mean 5: P(X <= 8) = 0.9319, P(X <= 9) = 0.9682.
    assert achieved_cycle_service_level(POISSON, [8, 9], 5.0, 5.0).round(
        4
    ).tolist() == [
        0.9319,
        0.9682,
    ]
    assert reorder_point_for_cycle_service_level(POISSON, 5.0, 5.0, 0.95)[0] == 9
    assert reorder_point_for_cycle_service_level(POISSON, 5.0, 5.0, 0.935)[0] == 9
    assert reorder_point_for_cycle_service_level(POISSON, 5.0, 5.0, 0.93)[0] == 8


def test_target_equal_to_a_cdf_value_is_met_exactly() -> None:
    # P(X <= 2) for Poisson(2) is 5 e^-2; asking for exactly that must give 2, and
    # asking for a hair more must give 3.
    target = 5.0 * math.exp(-2.0)
    assert reorder_point_for_cycle_service_level(POISSON, 2.0, 2.0, target)[0] == 2
    assert (
        reorder_point_for_cycle_service_level(POISSON, 2.0, 2.0, target + 1e-8)[0] == 3
    )
    # Normal: a target of exactly Phi(0) sits at the mean.
    assert reorder_point_for_cycle_service_level(NORMAL, 4.0, 1.0, 0.5)[0] == 4


def test_discrete_reorder_points_equal_scipy_quantiles() -> None:
    rng = np.random.default_rng(5)
    mean = rng.uniform(0.05, 60.0, 500)
    variance = mean * rng.uniform(1.05, 6.0, 500)
    target = rng.uniform(0.5, 0.999, 500)
    poisson = reorder_point_for_cycle_service_level(POISSON, mean, mean, target)
    np.testing.assert_array_equal(poisson, stats.poisson.ppf(target, mean))
    n, p, _ = negative_binomial_parameters(mean, variance)
    negative_binomial = reorder_point_for_cycle_service_level(
        NEGATIVE_BINOMIAL, mean, variance, target
    )
    np.testing.assert_array_equal(negative_binomial, stats.nbinom.ppf(target, n, p))


def test_negative_binomial_reorder_points_equal_an_exact_search() -> None:
    # Skewed, near-Poisson and falling-back parts together; the answer must be the
    # smallest r with I_p(n, r + 1) >= target - CDF_TOLERANCE, found by search.
    rng = np.random.default_rng(11)
    mean = 10 ** rng.uniform(-4, 3.5, 4000)
    variance = mean * (1 + 10 ** rng.uniform(-6, 2, 4000))
    variance[:40] = mean[:40]
    target = rng.uniform(0.01, 0.9999, 4000)
    with pytest.warns(DistributionFallbackWarning, match="40 part"):
        result = reorder_point_for_cycle_service_level(
            NEGATIVE_BINOMIAL, mean, variance, target
        )
    n, p, is_poisson = negative_binomial_parameters(mean, variance)
    probability = target - lead_time_demand.CDF_TOLERANCE
    expected = smallest_whole_number_meeting(
        lambda units: (
            np.where(
                is_poisson,
                special.gammaincc(units + 1.0, mean),
                special.betainc(n, units + 1.0, p),
            )
            >= probability
        ),
        np.zeros(mean.shape),
    )
    np.testing.assert_array_equal(result, expected)


def test_negative_binomial_parameters_reproduce_the_moments() -> None:
    n, p, is_poisson = negative_binomial_parameters([4.0, 3.0, 0.0], [8.0, 3.0, 0.0])
    assert is_poisson.tolist() == [False, True, True]
    assert stats.nbinom.mean(n[0], p[0]) == pytest.approx(4.0)
    assert stats.nbinom.var(n[0], p[0]) == pytest.approx(8.0)


def test_negative_binomial_without_overdispersion_falls_back_with_a_warning() -> None:
    with pytest.warns(DistributionFallbackWarning, match=r"1 part\(s\) .* index 1"):
        points = reorder_point_for_cycle_service_level(
            NEGATIVE_BINOMIAL, [4.0, 5.0], [8.0, 4.0], 0.95
        )
    assert points[1] == reorder_point_for_cycle_service_level(POISSON, 5.0, 5.0, 0.95)


@pytest.mark.parametrize("method", [NORMAL, POISSON, NEGATIVE_BINOMIAL])
def test_reorder_point_never_falls_as_service_target_rises(method: int) -> None:
    targets = np.linspace(0.01, 0.999, 200)
    points = reorder_point_for_cycle_service_level(method, 7.3, 19.0, targets)
    assert np.all(np.diff(points) >= 0)
    assert np.all(points >= 0)


@pytest.mark.parametrize("method", [NORMAL, POISSON, NEGATIVE_BINOMIAL])
def test_reorder_point_never_falls_as_lead_time_rises(method: int) -> None:
    lead_time_days = np.linspace(0.5, 60.0, 120)
    mean, variance = lead_time_demand_moments(0.4, 1.1, lead_time_days, 2.0)
    points = reorder_point_for_cycle_service_level(method, mean, variance, 0.97)
    assert np.all(np.diff(points) >= 0)


def test_achieved_service_level_meets_target_and_one_less_does_not() -> None:
    rng = np.random.default_rng(8)
    mean = rng.uniform(0.0, 40.0, 300)
    variance = mean * rng.uniform(1.1, 4.0, 300) + rng.uniform(0.0, 5.0, 300)
    method = rng.integers(0, 3, 300)
    target = rng.uniform(0.6, 0.995, 300)
    points = reorder_point_for_cycle_service_level(method, mean, variance, target)
    achieved = achieved_cycle_service_level(method, points, mean, variance)
    below = achieved_cycle_service_level(method, points - 1, mean, variance)
    assert np.all(achieved >= target - 1e-10)
    assert np.all((below < target) | (points == 0))


def test_vectorised_reorder_points_equal_a_per_part_loop() -> None:
    rng = np.random.default_rng(9)
    mean = rng.uniform(0.0, 30.0, 60)
    variance = mean * rng.uniform(1.2, 3.0, 60)
    method = rng.integers(0, 3, 60)
    samples = bootstrap_lead_time_demand(
        rng.poisson(1.0, (60, 24)).astype(float), 3.0, 200, rng
    )
    method[::7] = EMPIRICAL
    together = reorder_point_for_cycle_service_level(
        method, mean, variance, 0.9, samples
    )
    for index in range(60):
        alone = reorder_point_for_cycle_service_level(
            method[index],
            mean[index],
            variance[index],
            0.9,
            samples[index : index + 1],
        )
        assert alone[0] == together[index]


def test_bootstrap_is_reproducible_with_the_same_seed() -> None:
    history = np.array([[0, 2, 0, 1, NAN], [3, 0, 0, 0, 4]], dtype=float)
    first = bootstrap_lead_time_demand(
        history, [2.5, 4.0], 500, np.random.default_rng(1)
    )
    second = bootstrap_lead_time_demand(
        history, [2.5, 4.0], 500, np.random.default_rng(1)
    )
    np.testing.assert_array_equal(first, second)
    assert first.shape == (2, 500)


def test_bootstrap_mean_is_lead_time_times_history_mean() -> None:
    history = np.array([[0, 2, 0, 1, NAN, NAN], [3, 0, 0, 0, 4, 5]], dtype=float)
    samples = bootstrap_lead_time_demand(
        history, [2.5, 0.0], 200_000, np.random.default_rng(2)
    )
    assert samples[0].mean() == pytest.approx(2.5 * 0.75, rel=0.01)
    assert np.all(samples[1] == 0.0)  # zero lead time, zero demand
    assert set(np.unique(samples[0])) <= set(range(20))  # whole units


def test_empirical_reorder_point_is_the_sample_quantile() -> None:
    samples = np.arange(1.0, 101.0)[np.newaxis, :]  # 1..100
    points = reorder_point_for_cycle_service_level(EMPIRICAL, 0.0, 0.0, 0.95, samples)
    assert points.tolist() == [95]
    achieved = achieved_cycle_service_level(EMPIRICAL, 95, 0.0, 0.0, samples)
    assert achieved.tolist() == [0.95]


def test_moments_per_period_skip_missing_records() -> None:
    mean, variance = demand_moments_per_period(
        [[NAN, 1, 3, NAN], [NAN, NAN, NAN, NAN], [2, NAN, NAN, NAN]]
    )
    np.testing.assert_allclose(mean, [2.0, NAN, 2.0])
    np.testing.assert_allclose(variance, [2.0, NAN, NAN])


def test_per_period_statistics_convert_to_per_day() -> None:
    mean, sd = per_period_to_per_day([30.0], [6.0], days_per_period=30.0)
    assert mean.tolist() == [1.0]
    assert sd[0] == pytest.approx(6.0 / math.sqrt(30.0))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: reorder_point_for_cycle_service_level(NORMAL, 1.0, 1.0, 1.0),
            r"`cycle_service_level` must be in \(0, 1\), got 1\.0",
        ),
        (
            lambda: reorder_point_for_cycle_service_level(POISSON, 1.0, 1.0, 0.0),
            r"`cycle_service_level` must be in \(0, 1\), got 0\.0",
        ),
        (
            lambda: lead_time_demand_moments(1.0, 1.0, [2.0, -3.0]),
            r"`lead_time_days` must be finite and >= 0, got -3\.0 at index \(1,\)",
        ),
        (
            lambda: reorder_point_for_cycle_service_level(7, 1.0, 1.0, 0.9),
            r"`method_code` must be integers in 0\.\.3 .* got 7",
        ),
        (
            lambda: reorder_point_for_cycle_service_level(EMPIRICAL, 1.0, 1.0, 0.9),
            r"`samples_units` must be a 2-D array",
        ),
        (
            lambda: bootstrap_lead_time_demand(
                [[1.0, NAN], [NAN, NAN]], 1.0, 10, np.random.default_rng(0)
            ),
            r"series 1 has no recorded period",
        ),
        (
            lambda: bootstrap_lead_time_demand(
                [[1.0]], -1.0, 10, np.random.default_rng(0)
            ),
            r"`lead_time_periods` must be finite and >= 0, got -1\.0",
        ),
    ],
)
def test_bad_inputs_are_named_in_the_error(call: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        call()  # type: ignore[operator]


def test_docstring_examples_run() -> None:
    assert doctest.testmod(lead_time_demand).failed == 0
