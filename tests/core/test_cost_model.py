"""Tests of the cost-optimal number of spares (spareplan.core.cost_model)."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np
import pytest
from scipy import stats

from spareplan.core.cost_model import (
    CostOptimalSpares,
    cost_optimal_spares,
)
from spareplan.errors import InputError

HOURS_PER_YEAR = 8760.0


@dataclass(frozen=True)
class RandomParts:
    """Keyword arguments of ``cost_optimal_spares`` for a batch of random parts."""

    demand_per_year: np.ndarray
    lead_time_days: np.ndarray
    holding_cost_per_unit_year: np.ndarray
    downtime_cost_per_hour: np.ndarray
    emergency_premium: np.ndarray
    emergency_lead_time_days: np.ndarray
    lead_time_demand_variance: np.ndarray

    def kwargs(self) -> dict[str, np.ndarray]:
        return {field.name: getattr(self, field.name) for field in fields(self)}

    def part(self, index: int) -> dict[str, float]:
        return {name: float(values[index]) for name, values in self.kwargs().items()}

    def replace(self, **changes: np.ndarray) -> RandomParts:
        return RandomParts(**{**self.kwargs(), **changes})


def random_parts(
    rng: np.random.Generator,
    n_parts: int,
    *,
    emergency_share: float = 0.5,
    negative_binomial_share: float = 0.3,
) -> RandomParts:
    """Slow and medium movers, some with an emergency option, some lumpy."""
    demand = np.exp(rng.uniform(np.log(0.01), np.log(150.0), n_parts))
    lead_time = rng.uniform(1.0, 120.0, n_parts)
    mean = demand * lead_time / 365.0
    has_emergency = rng.random(n_parts) < emergency_share
    is_lumpy = rng.random(n_parts) < negative_binomial_share
    return RandomParts(
        demand_per_year=demand,
        lead_time_days=lead_time,
        holding_cost_per_unit_year=np.exp(rng.uniform(0.0, np.log(5000.0), n_parts)),
        downtime_cost_per_hour=np.exp(
            rng.uniform(np.log(0.05), np.log(5000.0), n_parts)
        ),
        emergency_premium=np.where(
            has_emergency, rng.uniform(0, 5000, n_parts), np.nan
        ),
        emergency_lead_time_days=np.where(
            has_emergency, rng.uniform(0.1, 5.0, n_parts), np.nan
        ),
        lead_time_demand_variance=np.where(
            is_lumpy, mean * rng.uniform(1.2, 4.0, n_parts), np.nan
        ),
    )


# --- An independent brute-force reference: scipy distributions, every level. ---


def reference_distribution(
    mean: float, variance: float
) -> stats.rv_discrete | stats.rv_continuous:
    """scipy's Poisson, or the negative binomial matching mean and variance."""
    if mean > 0 and variance > mean:
        success_probability = mean / variance
        size = mean * success_probability / (1.0 - success_probability)
        return stats.nbinom(size, success_probability)
    return stats.poisson(mean)


def reference_cost_curve(
    part: dict[str, float], max_units: int
) -> dict[str, np.ndarray]:
    """Every cost term at S = 0 .. max_units by direct summation over the pmf."""
    mean = part["demand_per_year"] * part["lead_time_days"] / 365.0
    distribution = reference_distribution(mean, part["lead_time_demand_variance"])
    spread = np.sqrt(np.nanmax([mean, part["lead_time_demand_variance"], 1.0]))
    support = np.arange(int(mean + 40.0 * spread) + max_units + 60)
    mass = distribution.pmf(support)
    levels = np.arange(max_units + 1)
    shortfall = np.maximum(support[np.newaxis, :] - levels[:, np.newaxis], 0)
    leftover = np.maximum(levels[:, np.newaxis] - support[np.newaxis, :], 0)
    backorders = shortfall @ mass
    on_hand = leftover @ mass
    stockout_fraction = distribution.sf(levels - 1)

    demand = part["demand_per_year"]
    if np.isnan(part["emergency_premium"]):
        emergency_purchases = np.zeros(levels.size)
        downtime_hours = HOURS_PER_YEAR * backorders
    else:
        emergency_purchases = demand * stockout_fraction
        downtime_hours = emergency_purchases * 24.0 * part["emergency_lead_time_days"]
        backorders = downtime_hours / HOURS_PER_YEAR
    holding_cost = part["holding_cost_per_unit_year"] * on_hand
    downtime_cost = part["downtime_cost_per_hour"] * downtime_hours
    emergency_cost = np.nan_to_num(part["emergency_premium"]) * emergency_purchases
    return {
        "expected_annual_cost": holding_cost + downtime_cost + emergency_cost,
        "holding_cost_per_year": holding_cost,
        "downtime_cost_per_year": downtime_cost,
        "emergency_purchase_cost_per_year": emergency_cost,
        "expected_downtime_hours_per_year": downtime_hours,
        "expected_on_hand_units": on_hand,
        "expected_backorders": backorders,
        "fill_rate": distribution.cdf(levels - 1),
        "emergency_purchases_per_year": emergency_purchases,
    }


def result_row(result: CostOptimalSpares, index: int) -> dict[str, float]:
    return {
        field.name: getattr(result, field.name)[index].item()
        for field in fields(result)
    }


# --- Agreement with independent references. ---


def test_matches_brute_force_search_with_scipy_on_random_parts() -> None:
    rng = np.random.default_rng(20240611)
    parts = random_parts(rng, 300)
    max_units = 150

    result = cost_optimal_spares(**parts.kwargs(), max_units=max_units)

    assert not result.has_hit_max_units.any()
    for index in range(300):
        curve = reference_cost_curve(parts.part(index), max_units)
        best = int(np.argmin(curve["expected_annual_cost"]))
        assert result.cost_optimal_units[index] == best, parts.part(index)
        # The running sums carry an absolute rounding error of about 1e-15 units
        # per unit of stock and mean, which the costs multiply by their rates.
        part = parts.part(index)
        mean = part["demand_per_year"] * part["lead_time_days"] / 365.0
        units_rounding = 1e-12 * (mean + best + 1.0)
        money_rounding = units_rounding * (
            part["holding_cost_per_unit_year"]
            + HOURS_PER_YEAR * part["downtime_cost_per_hour"]
            + part["demand_per_year"]
            * np.nan_to_num(
                part["emergency_premium"]
                + 24.0
                * part["emergency_lead_time_days"]
                * part["downtime_cost_per_hour"]
            )
        )
        for name, values in curve.items():
            rounding = money_rounding if "cost" in name else units_rounding
            if name == "expected_downtime_hours_per_year":
                rounding = HOURS_PER_YEAR * units_rounding
            assert getattr(result, name)[index] == pytest.approx(
                values[best], rel=1e-9, abs=rounding
            ), (name, parts.part(index))


def test_insurance_spare_matches_hand_calculation() -> None:
    # lambda = 0.2 a year, L = 30 days: mu = 0.2 x 30 / 365 = 0.0164384 units.
    # h = 2,000 a unit-year; b = 500 x 8,760 = 4,380,000 a unit-year backordered.
    # Critical ratio b / (b + h) = 0.9995436.
    #   F(0) = e^-mu = 0.9836960 < 0.9995436 <= F(1) = F(0)(1 + mu) = 0.9998664,
    # so S* = 1.
    # Backorders B(1) = mu - (1 - F(0)) = 0.0164384 - 0.0163040 = 0.00013437.
    # On hand 1 - mu + B(1) = F(0) = 0.9836960: holding 1,967.39 a year.
    # Downtime 8,760 x B(1) = 1.1771 h a year, costing 588.55; total 2,555.94.
    # (No spare: 0.2 failures x 720 h x 500 = 72,000 a year.)
    # First spare breaks even at h F(0) / (8,760 (1 - F(0))) = 13.775 an hour;
    # a second at h F(1) / (8,760 (1 - F(1))) = 1,708.19 an hour.
    result = cost_optimal_spares(
        demand_per_year=0.2,
        lead_time_days=30.0,
        holding_cost_per_unit_year=2000.0,
        downtime_cost_per_hour=500.0,
    )

    mean = 0.2 * 30.0 / 365.0
    no_demand = math.exp(-mean)
    at_most_one = no_demand * (1.0 + mean)
    backorders = mean - (1.0 - no_demand)
    assert result.cost_optimal_units.tolist() == [1]
    assert result.expected_backorders[0] == pytest.approx(backorders, rel=1e-10)
    assert result.expected_on_hand_units[0] == pytest.approx(no_demand, rel=1e-12)
    assert result.fill_rate[0] == pytest.approx(no_demand, rel=1e-12)
    assert result.holding_cost_per_year[0] == pytest.approx(1967.3920, rel=1e-7)
    assert result.expected_downtime_hours_per_year[0] == pytest.approx(
        1.177103, rel=1e-6
    )
    assert result.downtime_cost_per_year[0] == pytest.approx(588.5515, rel=1e-7)
    assert result.expected_annual_cost[0] == pytest.approx(2555.9435, rel=1e-7)
    assert result.emergency_purchase_cost_per_year[0] == 0.0
    assert result.emergency_purchases_per_year[0] == 0.0
    assert result.first_unit_breakeven_downtime_cost_per_hour[0] == pytest.approx(
        2000.0 * no_demand / (HOURS_PER_YEAR * (1.0 - no_demand)), rel=1e-9
    )
    assert result.first_unit_breakeven_downtime_cost_per_hour[0] == pytest.approx(
        13.775, rel=1e-4
    )
    assert result.next_unit_breakeven_downtime_cost_per_hour[0] == pytest.approx(
        2000.0 * at_most_one / (HOURS_PER_YEAR * (1.0 - at_most_one)), rel=1e-9
    )
    assert result.next_unit_breakeven_downtime_cost_per_hour[0] == pytest.approx(
        1708.19, rel=1e-5
    )
    assert result.last_unit_breakeven_downtime_cost_per_hour[0] == pytest.approx(
        result.first_unit_breakeven_downtime_cost_per_hour[0]
    )


def test_emergency_insurance_spare_matches_hand_calculation() -> None:
    # As above, but a failure without a spare is met by an emergency purchase at a
    # premium of 3,000 that arrives in 2 days: each costs 3,000 + 500 x 48 = 27,000.
    # S = 0: every failure is an emergency, 0.2 x 27,000 = 5,400 a year.
    # S = 1: holding 2,000 x F(0) = 1,967.39; emergencies 0.2 x (1 - F(0))
    #   = 0.0032608 a year costing 88.04; total 2,055.43.
    # S = 2: holding 2,000 x (F(0) + F(1)) = 3,967.12 alone exceeds that, so S* = 1.
    # First spare breaks even where h F(0) = lambda p(0) (3,000 + 48 c_d):
    #   c_d = (2,000 / 0.2 - 3,000) / 48 = 145.83 an hour (F(0) = p(0)).
    result = cost_optimal_spares(
        demand_per_year=0.2,
        lead_time_days=30.0,
        holding_cost_per_unit_year=2000.0,
        downtime_cost_per_hour=500.0,
        emergency_premium=3000.0,
        emergency_lead_time_days=2.0,
    )

    no_demand = math.exp(-0.2 * 30.0 / 365.0)
    emergencies = 0.2 * (1.0 - no_demand)
    assert result.cost_optimal_units.tolist() == [1]
    assert result.emergency_purchases_per_year[0] == pytest.approx(emergencies)
    assert result.emergency_purchase_cost_per_year[0] == pytest.approx(
        3000.0 * emergencies
    )
    assert result.expected_downtime_hours_per_year[0] == pytest.approx(
        48.0 * emergencies
    )
    assert result.expected_annual_cost[0] == pytest.approx(2055.4335, rel=1e-7)
    assert result.expected_backorders[0] == pytest.approx(
        48.0 * emergencies / HOURS_PER_YEAR
    )
    assert result.first_unit_breakeven_downtime_cost_per_hour[0] == pytest.approx(
        (2000.0 / 0.2 - 3000.0) / 48.0
    )


def test_matches_snyder_shen_poisson_newsvendor_example() -> None:
    # The newsvendor of Snyder & Shen (2019), Fundamentals of Supply Chain Theory,
    # 2nd ed., ch. 4 (h = 0.18, p = 0.70, mean 50), with Poisson demand as worked in
    # the documentation of stockpyl's newsvendor_poisson: S* = 56, cost 1.797235.
    # The backorder model is that newsvendor with costs per unit-year: a mean of 50
    # in resupply is 50 a year over a 365-day lead time, and p = 0.70 a unit-year
    # is 0.70 / 8,760 per hour.
    result = cost_optimal_spares(
        demand_per_year=50.0,
        lead_time_days=365.0,
        holding_cost_per_unit_year=0.18,
        downtime_cost_per_hour=0.70 / HOURS_PER_YEAR,
    )

    assert result.cost_optimal_units.tolist() == [56]
    assert result.expected_annual_cost[0] == pytest.approx(1.797235211809178, rel=1e-9)


def test_matches_stockpyl_poisson_newsvendor_on_random_parts() -> None:
    newsvendor = pytest.importorskip("stockpyl.newsvendor")
    rng = np.random.default_rng(3)
    mean = rng.uniform(0.05, 40.0, 40)
    holding = rng.uniform(1.0, 1000.0, 40)
    backorder_cost_per_unit_year = rng.uniform(10.0, 1e6, 40)

    result = cost_optimal_spares(
        demand_per_year=mean,
        lead_time_days=365.0,
        holding_cost_per_unit_year=holding,
        downtime_cost_per_hour=backorder_cost_per_unit_year / HOURS_PER_YEAR,
    )

    for index in range(40):
        level, cost = newsvendor.newsvendor_poisson(
            holding[index], backorder_cost_per_unit_year[index], mean[index]
        )
        assert result.cost_optimal_units[index] == int(level)
        assert result.expected_annual_cost[index] == pytest.approx(cost, rel=1e-9)


@pytest.mark.parametrize("is_lumpy", [False, True])
def test_backorder_optimum_is_smallest_level_meeting_critical_ratio(
    is_lumpy: bool,
) -> None:
    # Axsäter (2015), ch. 5; Zipkin (2000), ch. 6: with holding h and backorder cost
    # b a unit-year, S* is the smallest S with P(X <= S) >= b / (b + h).
    rng = np.random.default_rng(11)
    parts = random_parts(
        rng, 200, emergency_share=0.0, negative_binomial_share=float(is_lumpy)
    )

    result = cost_optimal_spares(**parts.kwargs())

    backorder_cost = parts.downtime_cost_per_hour * HOURS_PER_YEAR
    critical_ratio = backorder_cost / (
        backorder_cost + parts.holding_cost_per_unit_year
    )
    for index in range(200):
        part = parts.part(index)
        mean = part["demand_per_year"] * part["lead_time_days"] / 365.0
        distribution = reference_distribution(mean, part["lead_time_demand_variance"])
        expected = distribution.ppf(critical_ratio[index])
        assert result.cost_optimal_units[index] == expected


def test_large_mean_does_not_underflow() -> None:
    # e^-2000 underflows to 0, so a pmf recursion started from it would stay 0.
    result = cost_optimal_spares(
        demand_per_year=[2000.0, 5000.0],
        lead_time_days=365.0,
        holding_cost_per_unit_year=10.0,
        downtime_cost_per_hour=1.0,
    )

    ratio = HOURS_PER_YEAR / (HOURS_PER_YEAR + 10.0)
    expected = stats.poisson.ppf(ratio, [2000.0, 5000.0])
    np.testing.assert_array_equal(result.cost_optimal_units, expected)


# --- The shape of the cost curve that the stopping rule relies on. ---


def test_backorder_cost_is_discretely_convex_in_stock_level() -> None:
    rng = np.random.default_rng(5)
    parts = random_parts(rng, 60, emergency_share=0.0)

    for index in range(60):
        cost = reference_cost_curve(parts.part(index), 80)["expected_annual_cost"]
        second_difference = np.diff(cost, n=2)
        assert np.all(second_difference >= -1e-9 * cost.max())


def test_emergency_cost_is_unimodal_but_not_always_convex() -> None:
    rng = np.random.default_rng(6)
    parts = random_parts(rng, 60, emergency_share=1.0)

    for index in range(60):
        cost = reference_cost_curve(parts.part(index), 80)["expected_annual_cost"]
        step = np.diff(cost)
        rounding = 1e-12 * cost.max()
        # Once the cost clearly rises it never falls again.
        is_rising = step > rounding
        first_rise = int(np.argmax(is_rising)) if is_rising.any() else step.size
        assert np.all(step[first_rise:] >= -rounding)

    # Mean 5 in resupply, dear emergencies: the saving of a unit grows up to the
    # mode, so the cost is concave there.
    part = {
        "demand_per_year": 5.0,
        "lead_time_days": 365.0,
        "holding_cost_per_unit_year": 10.0,
        "downtime_cost_per_hour": 100.0,
        "emergency_premium": 1000.0,
        "emergency_lead_time_days": 1.0,
        "lead_time_demand_variance": np.nan,
    }
    cost = reference_cost_curve(part, 20)["expected_annual_cost"]
    assert np.diff(cost, n=2)[0] < 0.0


# --- Properties. ---


@pytest.mark.parametrize(
    ("name", "is_rising"),
    [
        ("downtime_cost_per_hour", True),
        ("demand_per_year", True),
        ("holding_cost_per_unit_year", False),
    ],
)
def test_optimal_level_is_monotone_in_costs_and_demand(
    name: str, is_rising: bool
) -> None:
    rng = np.random.default_rng(8)
    parts = random_parts(rng, 100)
    base = getattr(parts, name)
    # Scaling the demand keeps a lumpy part's variance-to-mean ratio.
    variance_ratio = parts.lead_time_demand_variance / (
        parts.demand_per_year * parts.lead_time_days / 365.0
    )

    levels = []
    for factor in (0.25, 0.5, 1.0, 2.0, 4.0, 16.0):
        changed = parts.replace(**{name: base * factor})
        mean = changed.demand_per_year * changed.lead_time_days / 365.0
        changed = changed.replace(lead_time_demand_variance=mean * variance_ratio)
        levels.append(cost_optimal_spares(**changed.kwargs()).cost_optimal_units)

    steps = np.diff(np.asarray(levels), axis=0)
    assert np.all(steps >= 0) if is_rising else np.all(steps <= 0)
    assert np.any(steps != 0)


def test_no_spares_without_downtime_cost() -> None:
    rng = np.random.default_rng(9)
    parts = random_parts(rng, 100)
    # Without a premium either, an emergency purchase costs nothing.
    parts = parts.replace(
        downtime_cost_per_hour=np.zeros(100),
        emergency_premium=np.where(np.isnan(parts.emergency_premium), np.nan, 0.0),
    )

    result = cost_optimal_spares(**parts.kwargs())

    assert np.all(result.cost_optimal_units == 0)
    assert np.all(result.holding_cost_per_year == 0.0)


def test_breakevens_bracket_the_actual_downtime_cost() -> None:
    rng = np.random.default_rng(10)
    parts = random_parts(rng, 300)

    result = cost_optimal_spares(**parts.kwargs())

    assert np.all(
        result.next_unit_breakeven_downtime_cost_per_hour > parts.downtime_cost_per_hour
    )
    assert np.all(
        result.last_unit_breakeven_downtime_cost_per_hour
        <= parts.downtime_cost_per_hour
    )
    is_stocked = result.cost_optimal_units > 0
    assert np.all(
        result.first_unit_breakeven_downtime_cost_per_hour[is_stocked]
        <= parts.downtime_cost_per_hour[is_stocked]
    )


def test_breakevens_are_where_the_optimal_level_changes() -> None:
    rng = np.random.default_rng(12)
    parts = random_parts(rng, 200)
    result = cost_optimal_spares(**parts.kwargs())
    units = result.cost_optimal_units

    def level_at(downtime_cost_per_hour: np.ndarray) -> np.ndarray:
        changed = parts.replace(downtime_cost_per_hour=downtime_cost_per_hour)
        return cost_optimal_spares(**changed.kwargs()).cost_optimal_units

    next_unit = result.next_unit_breakeven_downtime_cost_per_hour
    is_finite = np.isfinite(next_unit)
    above = level_at(np.where(is_finite, next_unit * (1 + 1e-6), 1.0))
    below = level_at(np.where(is_finite, next_unit * (1 - 1e-6), 1.0))
    assert np.all(above[is_finite] > units[is_finite])
    assert np.all(below[is_finite] == units[is_finite])

    first_unit = result.first_unit_breakeven_downtime_cost_per_hour
    is_positive = np.isfinite(first_unit) & (first_unit > 0.0)
    above = level_at(np.where(is_positive, first_unit * (1 + 1e-6), 1.0))
    below = level_at(np.where(is_positive, first_unit * (1 - 1e-6), 1.0))
    assert np.all(above[is_positive] >= 1)
    assert np.all(below[is_positive] == 0)


def test_cost_terms_add_up_and_stay_in_range() -> None:
    rng = np.random.default_rng(13)
    parts = random_parts(rng, 300)

    result = cost_optimal_spares(**parts.kwargs())

    np.testing.assert_allclose(
        result.expected_annual_cost,
        result.holding_cost_per_year
        + result.downtime_cost_per_year
        + result.emergency_purchase_cost_per_year,
    )
    for field in fields(result):
        values = getattr(result, field.name)
        assert values.shape == (300,)
        if values.dtype.kind == "f":
            assert np.all(values >= 0.0), field.name
    assert np.all(result.fill_rate <= 1.0)
    has_emergency = ~np.isnan(parts.emergency_premium)
    assert np.all(result.emergency_purchases_per_year[~has_emergency] == 0.0)


def test_vectorised_equals_scalar_loop() -> None:
    rng = np.random.default_rng(14)
    parts = random_parts(rng, 50)

    vector = cost_optimal_spares(**parts.kwargs())

    for index in range(50):
        scalar = cost_optimal_spares(**parts.part(index))
        assert result_row(scalar, 0) == pytest.approx(result_row(vector, index))


def test_same_inputs_give_same_result() -> None:
    parts = random_parts(np.random.default_rng(15), 30)
    first = cost_optimal_spares(**parts.kwargs())
    second = cost_optimal_spares(**parts.kwargs())
    for field in fields(first):
        np.testing.assert_array_equal(
            getattr(first, field.name), getattr(second, field.name)
        )


def test_empty_input_returns_empty_arrays() -> None:
    result = cost_optimal_spares(
        demand_per_year=[],
        lead_time_days=[],
        holding_cost_per_unit_year=[],
        downtime_cost_per_hour=[],
    )

    for field in fields(result):
        assert getattr(result, field.name).shape == (0,)
    assert result.cost_optimal_units.dtype == np.int64


def test_variance_at_or_below_mean_keeps_poisson() -> None:
    poisson = cost_optimal_spares(
        demand_per_year=[3.0, 3.0],
        lead_time_days=365.0,
        holding_cost_per_unit_year=50.0,
        downtime_cost_per_hour=2.0,
    )
    low_variance = cost_optimal_spares(
        demand_per_year=[3.0, 3.0],
        lead_time_days=365.0,
        holding_cost_per_unit_year=50.0,
        downtime_cost_per_hour=2.0,
        lead_time_demand_variance=[3.0, 1.0],
    )
    for field in fields(poisson):
        np.testing.assert_array_equal(
            getattr(poisson, field.name), getattr(low_variance, field.name)
        )


def test_lumpy_part_holds_more_than_a_poisson_one_at_high_service() -> None:
    result = cost_optimal_spares(
        demand_per_year=4.0,
        lead_time_days=365.0,
        holding_cost_per_unit_year=100.0,
        downtime_cost_per_hour=50.0,
        lead_time_demand_variance=[np.nan, 20.0],
    )
    assert result.cost_optimal_units[1] > result.cost_optimal_units[0]


def test_part_without_demand_holds_nothing_and_no_spare_pays() -> None:
    result = cost_optimal_spares(
        demand_per_year=[0.0, 0.0],
        lead_time_days=30.0,
        holding_cost_per_unit_year=[100.0, 0.0],
        downtime_cost_per_hour=1000.0,
        emergency_premium=[np.nan, 500.0],
        emergency_lead_time_days=[np.nan, 1.0],
    )

    assert result.cost_optimal_units.tolist() == [0, 0]
    assert result.expected_annual_cost.tolist() == [0.0, 0.0]
    assert result.fill_rate.tolist() == [0.0, 0.0]
    assert np.isinf(result.first_unit_breakeven_downtime_cost_per_hour).all()


def test_free_holding_stops_where_stockouts_fall_below_rounding() -> None:
    result = cost_optimal_spares(
        demand_per_year=[12.0, 12.0],
        lead_time_days=30.0,
        holding_cost_per_unit_year=0.0,
        downtime_cost_per_hour=100.0,
        emergency_premium=[np.nan, 100.0],
        emergency_lead_time_days=[np.nan, 1.0],
    )

    assert not result.has_hit_max_units.any()
    mean = 12.0 * 30.0 / 365.0
    assert np.all(stats.poisson.sf(result.cost_optimal_units - 1, mean) < 1e-15)
    assert np.all(result.next_unit_breakeven_downtime_cost_per_hour == np.inf)


def test_cap_flags_parts_that_would_hold_more() -> None:
    result = cost_optimal_spares(
        demand_per_year=[100.0, 0.5],
        lead_time_days=60.0,
        holding_cost_per_unit_year=10.0,
        downtime_cost_per_hour=1000.0,
        max_units=5,
    )

    # Second part: mu = 0.5 x 60 / 365 = 0.0822, 1 - b / (b + h) = 1.14e-6 with
    # b = 8,760,000; P(X > 3) = 1.78e-6 is above it, P(X > 4) = 2.9e-8 below: S* = 4.
    assert result.cost_optimal_units.tolist() == [5, 4]
    assert result.has_hit_max_units.tolist() == [True, False]
    assert result.next_unit_breakeven_downtime_cost_per_hour[0] < 1000.0


# --- Error contracts. ---

VALID = {
    "demand_per_year": [1.0, 2.0, 3.0],
    "lead_time_days": [10.0, 10.0, 10.0],
    "holding_cost_per_unit_year": [5.0, 5.0, 5.0],
    "downtime_cost_per_hour": [50.0, 50.0, 50.0],
}


@pytest.mark.parametrize(
    ("name", "values", "message"),
    [
        ("demand_per_year", [1.0, -0.5, -2.0], r"`demand_per_year` must be finite "
         r"and >= 0, got -0\.5 at index 1"),
        ("lead_time_days", [10.0, 10.0, 0.0], r"`lead_time_days` must be finite "
         r"and > 0, got 0\.0 at index 2"),
        ("holding_cost_per_unit_year", [np.inf, 1.0, 1.0],
         r"`holding_cost_per_unit_year` must be finite and >= 0, got inf at index 0"),
        ("downtime_cost_per_hour", [1.0, np.nan, 1.0],
         r"`downtime_cost_per_hour` must be finite and >= 0, got nan at index 1"),
        ("lead_time_demand_variance", [np.nan, -1.0, 2.0],
         r"`lead_time_demand_variance` must be finite and >= 0 or NaN, got -1\.0 "
         r"at index 1"),
    ],
)  # fmt: skip
def test_out_of_range_input_is_named_with_value_and_index(
    name: str, values: list[float], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        cost_optimal_spares(**{**VALID, name: values})


def test_negative_emergency_premium_is_named() -> None:
    with pytest.raises(
        InputError,
        match=r"`emergency_premium` must be finite and >= 0 or NaN, got -10\.0 "
        r"at index 2",
    ):
        cost_optimal_spares(
            **VALID, emergency_premium=[1.0, 1.0, -10.0], emergency_lead_time_days=1.0
        )


def test_emergency_premium_without_lead_time_is_refused() -> None:
    with pytest.raises(
        InputError,
        match=r"`emergency_premium` and `emergency_lead_time_days` must be both "
        r"given or both NaN, got nan and 2\.0 at index 1",
    ):
        cost_optimal_spares(
            **VALID,
            emergency_premium=[100.0, np.nan, 100.0],
            emergency_lead_time_days=[1.0, 2.0, 1.0],
        )


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(InputError, match=r"inputs must share one length.*\(2,\)"):
        cost_optimal_spares(**{**VALID, "lead_time_days": [10.0, 10.0]})


def test_two_dimensional_input_is_refused() -> None:
    with pytest.raises(InputError, match=r"`demand_per_year` must be a scalar or 1-D"):
        cost_optimal_spares(**{**VALID, "demand_per_year": [[1.0, 2.0, 3.0]]})


def test_non_numeric_input_is_refused() -> None:
    with pytest.raises(InputError, match=r"`lead_time_days` must be numeric"):
        cost_optimal_spares(**{**VALID, "lead_time_days": ["ten", "10", "10"]})


@pytest.mark.parametrize("max_units", [0, 2.5, True])
def test_max_units_must_be_a_positive_integer(max_units: object) -> None:
    with pytest.raises(InputError, match=r"`max_units` must be an integer >= 1"):
        cost_optimal_spares(**VALID, max_units=max_units)  # type: ignore[arg-type]
