"""Pooled stock across sites: square-root law, greedy allocation, transfers."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from spareplan.core._pooling_model import _pools
from spareplan.core._pooling_screen import best_candidates, exact_candidate_costs
from spareplan.core._pooling_search import _Search
from spareplan.core.cost_model import cost_optimal_spares
from spareplan.core.pooling import (
    PoolInputs,
    allocate_pooled_stock,
    evaluate_allocation,
    normal_safety_stock,
    pooled_lead_time_demand,
    reachable_clusters,
    recommend_transfer,
)
from spareplan.errors import InputError


def test_pooled_safety_stock_of_identical_sites_follows_square_root_law() -> None:
    # Hand calculation: 4 sites, lead-time demand sd 10 units each, 95 % cycle
    # service: z = 1.6449, one site 16.449 units, four alone 65.79 units. Pooled:
    # sd = sqrt(4 x 10^2) = 20, safety stock 1.6449 x 20 = 32.90 = sqrt(4) x 16.449.
    mean, sd = pooled_lead_time_demand([3.0] * 4, [10.0] * 4, [0, 0, 0, 0], 1)
    one_site = normal_safety_stock(10.0, 0.95)[0]
    pooled = normal_safety_stock(sd, 0.95)[0]
    assert mean[0] == pytest.approx(12.0)
    assert sd[0] == pytest.approx(20.0)
    assert one_site == pytest.approx(16.449, abs=1e-3)
    assert pooled == pytest.approx(np.sqrt(4) * one_site)
    assert pooled == pytest.approx(32.897, abs=1e-3)


@pytest.mark.parametrize("n_sites", [1, 2, 3, 9, 25])
def test_pooled_sd_is_sqrt_n_times_one_site(n_sites: int) -> None:
    _, sd = pooled_lead_time_demand(
        np.ones(n_sites), np.full(n_sites, 7.0), np.zeros(n_sites, int), 1
    )
    assert sd[0] == pytest.approx(np.sqrt(n_sites) * 7.0)


def _pool(
    demand: list[float],
    *,
    lead_time_days: float = 30.0,
    holding: float = 200.0,
    downtime: list[float] | float = 50.0,
    hours: float = 6.0,
    transfer_cost: float = 0.0,
) -> PoolInputs:
    n_sites = len(demand)
    matrix = np.full((n_sites, n_sites), hours)
    np.fill_diagonal(matrix, 0.0)
    return PoolInputs.create(
        site_index=[list(range(n_sites))],
        demand_per_year=[demand],
        lead_time_days=lead_time_days,
        holding_cost_per_unit_year=holding,
        downtime_cost_per_hour=downtime,
        transfer_hours=matrix,
        cost_per_transfer=transfer_cost,
    )


def _brute_force(
    inputs: PoolInputs, wait: str, max_total: int = 6
) -> tuple[float, int]:
    """Cheapest cost over every allocation of up to ``max_total`` units, its total."""
    n_slots = inputs.site_index.shape[1]
    allocations = np.array(
        [
            units
            for units in itertools.product(range(max_total + 1), repeat=n_slots)
            if sum(units) <= max_total
        ]
    )
    many = PoolInputs.create(
        site_index=np.repeat(inputs.site_index, len(allocations), axis=0),
        demand_per_year=np.repeat(inputs.demand_per_year, len(allocations), axis=0),
        lead_time_days=np.repeat(inputs.lead_time_days, len(allocations), axis=0),
        holding_cost_per_unit_year=np.repeat(
            inputs.holding_cost_per_unit_year, len(allocations), axis=0
        ),
        downtime_cost_per_hour=np.repeat(
            inputs.downtime_cost_per_hour, len(allocations), axis=0
        ),
        transfer_hours=inputs.transfer_hours,
        cost_per_transfer=inputs.cost_per_transfer,
    )
    costs = evaluate_allocation(many, allocations, stockout_wait=wait)
    best = int(np.argmin(costs.expected_annual_cost))
    return float(costs.expected_annual_cost[best]), int(allocations[best].sum())


@pytest.mark.parametrize("wait", ["resupply", "lead_time"])
@pytest.mark.parametrize(
    ("demand", "downtime", "hours"),
    [
        ([0.5, 0.5], 20.0, 4.0),
        ([2.0, 0.3], [80.0, 10.0], 12.0),
        ([1.0, 1.0, 1.0], 30.0, 8.0),
        ([3.0, 0.2, 1.0], [5.0, 200.0, 40.0], 30.0),
    ],
)
def test_greedy_allocation_matches_brute_force_on_small_pools(
    wait: str, demand: list[float], downtime: list[float] | float, hours: float
) -> None:
    inputs = _pool(demand, downtime=downtime, hours=hours)
    greedy = allocate_pooled_stock(inputs, stockout_wait=wait)
    best_cost, best_total = _brute_force(inputs, wait)
    assert best_total < 6  # the search space holds the optimum
    assert greedy.expected_annual_cost[0] == pytest.approx(best_cost, rel=1e-9)


def test_greedy_allocation_matches_brute_force_on_random_pools() -> None:
    rng = np.random.default_rng(20260)
    n_checked = 0
    for _ in range(60):
        n_sites = int(rng.integers(2, 4))
        inputs = _pool(
            list(rng.gamma(1.0, 1.5, n_sites)),
            lead_time_days=float(rng.uniform(5, 60)),
            holding=float(rng.uniform(50, 800)),
            downtime=list(rng.uniform(0, 100, n_sites)),
            hours=float(rng.uniform(1, 48)),
            transfer_cost=float(rng.uniform(0, 50)),
        )
        best_cost, best_total = _brute_force(inputs, "resupply")
        if best_total == 6:
            continue  # the optimum may lie outside the enumerated allocations
        greedy = allocate_pooled_stock(inputs)
        assert greedy.expected_annual_cost[0] == pytest.approx(best_cost, rel=1e-9)
        n_checked += 1
    assert n_checked >= 30


def test_one_site_pool_reproduces_the_stand_alone_cost_model() -> None:
    rng = np.random.default_rng(3)
    n_parts = 300
    demand = rng.gamma(0.5, 10.0, n_parts)
    lead_time = rng.uniform(2, 90, n_parts)
    holding = rng.uniform(1, 500, n_parts)
    downtime = rng.uniform(0, 2000, n_parts)
    inputs = PoolInputs.create(
        site_index=np.zeros((n_parts, 1), dtype=int),
        demand_per_year=demand[:, None],
        lead_time_days=lead_time[:, None],
        holding_cost_per_unit_year=holding[:, None],
        downtime_cost_per_hour=downtime[:, None],
        transfer_hours=[[0.0]],
    )
    pooled = allocate_pooled_stock(inputs, chunk_pools=64)
    alone = cost_optimal_spares(
        demand_per_year=demand,
        lead_time_days=lead_time,
        holding_cost_per_unit_year=holding,
        downtime_cost_per_hour=downtime,
    )
    np.testing.assert_array_equal(pooled.units[:, 0], alone.cost_optimal_units)
    np.testing.assert_allclose(
        pooled.expected_annual_cost, alone.expected_annual_cost, rtol=1e-9, atol=1e-9
    )


def test_pooling_two_slow_movers_halves_their_spares() -> None:
    # Each site alone: mu = 0.5 x 60 / 365 = 0.082; a first unit saves
    # 8760 x 0.082 x 2 = 1,440 a year of downtime for 500 x 0.92 of holding, so each
    # holds one. Pooled, a second unit saves 8760 x (1 - F(1)) x 2 = 219 < 494.
    inputs = _pool([0.5, 0.5], lead_time_days=60.0, holding=500.0, downtime=2.0)
    pooled = allocate_pooled_stock(inputs)
    assert pooled.units.sum() == 1
    assert pooled.local_fill_rate[0].max() > 0.8
    assert pooled.transfer_fill_rate[0].max() > 0.8


def test_vectorised_allocation_equals_one_pool_at_a_time() -> None:
    rng = np.random.default_rng(11)
    n_pools, n_slots = 30, 4
    site_index = np.tile(np.arange(n_slots), (n_pools, 1))
    site_index[rng.random((n_pools, n_slots)) < 0.25] = -1
    hours = rng.uniform(1, 40, (n_slots, n_slots))
    arrays = {
        "demand_per_year": rng.gamma(1.0, 2.0, (n_pools, n_slots)),
        "lead_time_days": rng.uniform(5, 60, (n_pools, n_slots)),
        "holding_cost_per_unit_year": rng.uniform(20, 300, (n_pools, n_slots)),
        "downtime_cost_per_hour": rng.uniform(0, 90, (n_pools, n_slots)),
    }
    together = allocate_pooled_stock(
        PoolInputs.create(site_index=site_index, transfer_hours=hours, **arrays),
        chunk_pools=7,
    )
    for pool in range(n_pools):
        alone = allocate_pooled_stock(
            PoolInputs.create(
                site_index=site_index[pool : pool + 1],
                transfer_hours=hours,
                **{name: array[pool : pool + 1] for name, array in arrays.items()},
            )
        )
        np.testing.assert_array_equal(alone.units[0], together.units[pool])


def _random_chunk(rng: np.random.Generator, wait: str) -> _Search:
    """A chunk of uneven pools: empty slots, overdispersion, far and equal sites."""
    n_pools, n_slots, n_sites = 40, 6, 9
    shape = (n_pools, n_slots)
    site_index = np.array([rng.permutation(n_sites)[:n_slots] for _ in range(n_pools)])
    site_index[rng.random(shape) < 0.2] = -1
    demand = rng.gamma(0.6, 4.0, shape)
    demand[: n_pools // 4] *= 200.0  # pools whose fill stays near 0 for long
    lead_time = rng.uniform(3, 90, shape)
    mean = demand * lead_time / 365.0
    hours = np.round(rng.uniform(2, 100, (n_sites, n_sites)), -1)  # equal hours
    hours[rng.random(hours.shape) < 0.2] = np.inf
    inputs = PoolInputs.create(
        site_index=site_index,
        demand_per_year=demand,
        lead_time_days=lead_time,
        holding_cost_per_unit_year=rng.choice([10.0, 300.0], shape),
        downtime_cost_per_hour=rng.choice([0.0, 50.0, 5000.0], shape),
        transfer_hours=hours,
        cost_per_transfer=rng.choice([0.0, 40.0], (n_sites, n_sites)),
        lead_time_demand_variance=np.where(rng.random(shape) < 0.4, 3 * mean, np.nan),
    )
    return _Search.start(_pools(inputs), wait)


@pytest.mark.parametrize("wait", ["resupply", "lead_time"])
def test_screened_step_choice_equals_scoring_every_candidate(wait: str) -> None:
    rng = np.random.default_rng(42)
    search = _random_chunk(rng, wait)
    for _ in range(60):
        state = search.candidates()
        best, best_cost = best_candidates(state)
        full = exact_candidate_costs(state)
        rows = np.flatnonzero(search.is_open)
        np.testing.assert_array_equal(best[rows], np.argmin(full[rows], axis=1))
        np.testing.assert_array_equal(best_cost[rows], full[rows].min(axis=1))
        search.add(best, search.is_open & np.isfinite(best_cost))
    assert search.is_open.any()  # the high-demand pools were still being filled


def test_sites_out_of_reach_form_separate_clusters() -> None:
    hours = np.array([[0, 5, 500], [5, 0, 500], [500, 500, 0]], dtype=float)
    labels = reachable_clusters([[0, 1, 2, -1]], [[10.0, 10.0, 10.0, 1.0]], hours)
    np.testing.assert_array_equal(labels, [[0, 0, 2, -1]])


def test_transfer_never_takes_a_donor_below_its_reorder_point() -> None:
    rng = np.random.default_rng(5)
    for _ in range(500):
        n_sites = int(rng.integers(2, 7))
        on_hand = rng.integers(0, 12, n_sites).astype(float)
        reorder_point = rng.integers(0, 8, n_sites).astype(float)
        shortfall = int(rng.integers(0, 15))
        short = int(rng.integers(n_sites))
        advice = recommend_transfer(
            short_site=short,
            shortfall_units=shortfall,
            on_hand_units=on_hand,
            reorder_point=reorder_point,
            transfer_hours=rng.uniform(1, 50, n_sites),
        )
        after = on_hand - advice.transfer_units
        donors = advice.transfer_units > 0
        assert np.all(after[donors] >= reorder_point[donors])
        assert advice.transfer_units[short] == 0
        assert advice.transfer_units.sum() + advice.purchase_units == shortfall
        surplus = np.maximum(np.floor(on_hand - reorder_point), 0)
        surplus[short] = 0
        assert advice.purchase_units == max(shortfall - int(surplus.sum()), 0)


def test_transfer_prefers_the_nearest_donor_and_skips_slow_ones() -> None:
    advice = recommend_transfer(
        short_site=0,
        shortfall_units=4,
        on_hand_units=[0, 6, 9, 20],
        reorder_point=[2, 4, 6, 0],
        transfer_hours=[0, 2, 8, 96],
        cost_per_transfer=[0, 30, 10, 5],
        max_transfer_hours=48.0,
    )
    np.testing.assert_array_equal(advice.transfer_units, [0, 2, 2, 0])
    assert advice.purchase_units == 0
    assert advice.transfer_hours == 8.0
    assert advice.transfer_cost == 40.0


def test_transfer_rejects_negative_stock_with_its_position() -> None:
    with pytest.raises(InputError, match=r"on_hand_units.*-1\.0 at index \(1,\)"):
        recommend_transfer(
            short_site=0,
            shortfall_units=1,
            on_hand_units=[0, -1],
            reorder_point=[0, 0],
            transfer_hours=[0, 1],
        )


def test_pool_inputs_reject_negative_transfer_hours() -> None:
    with pytest.raises(InputError, match=r"transfer_hours.*-3\.0 at index \(0, 1\)"):
        PoolInputs.create(
            site_index=[[0, 1]],
            demand_per_year=1.0,
            lead_time_days=10.0,
            holding_cost_per_unit_year=1.0,
            downtime_cost_per_hour=1.0,
            transfer_hours=[[0.0, -3.0], [1.0, 0.0]],
        )


def test_pool_inputs_reject_a_site_twice_in_one_pool() -> None:
    with pytest.raises(InputError, match="repeats a site within pool 0"):
        PoolInputs.create(
            site_index=[[1, 1]],
            demand_per_year=1.0,
            lead_time_days=10.0,
            holding_cost_per_unit_year=1.0,
            downtime_cost_per_hour=1.0,
            transfer_hours=np.zeros((2, 2)),
        )


def test_unknown_stockout_wait_is_named() -> None:
    with pytest.raises(InputError, match=r"stockout_wait.*'forever'"):
        allocate_pooled_stock(_pool([1.0, 1.0]), stockout_wait="forever")
