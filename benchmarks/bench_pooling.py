"""Pooled planning of 50 sites x 20,000 parts: time and peak memory.

Run: ``.venv/bin/python benchmarks/bench_pooling.py [--sites 50] [--parts 20000]``.
Every part is held at every site (one equivalence group per part), so each group
is one pool of up to 50 sites; about 10 % of part-sites are left out at random.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import polars as pl

from spareplan.multisite import PoolSettings, plan_pools, transfer_network
from spareplan.multisite.equivalence import equivalence_groups


def synthetic_plan(
    n_sites: int, n_parts: int, rng: np.random.Generator
) -> pl.DataFrame:
    """A plan table with the columns pooling reads, as Plan.table has them."""
    part = np.repeat(np.arange(n_parts), n_sites)
    site = np.tile(np.arange(n_sites), n_parts)
    keep = rng.random(part.size) > 0.1
    part, site = part[keep], site[keep]
    n_rows = part.size
    part_rate = rng.gamma(0.6, 0.02, n_parts)  # demand per day at one site
    unit_cost = np.exp(rng.uniform(np.log(5), np.log(20_000), n_parts))
    lead_time = rng.uniform(3, 120, n_parts)
    demand = part_rate[part] * rng.uniform(0.5, 1.5, n_rows)
    return pl.DataFrame(
        {
            "part_id": [f"P-{p:06d}" for p in part],
            "site_id": [f"S-{s:03d}" for s in site],
            "demand_per_day": demand,
            "failures_per_year": pl.Series([None] * n_rows, dtype=pl.Float64),
            "lead_time_days": lead_time[part],
            "lead_time_demand": demand * lead_time[part],
            "lead_time_demand_sd": np.sqrt(demand * lead_time[part]),
            "method": ["poisson"] * n_rows,
            "unit_cost": unit_cost[part],
            "carrying_cost_per_unit_year": 0.25 * unit_cost[part],
            "downtime_cost_per_hour": rng.choice([0.0, 50.0, 500.0, 5000.0], n_rows),
            "service_target": np.full(n_rows, 0.95),
            "on_hand_units": rng.integers(0, 4, n_rows).astype(float),
            "reorder_point": rng.integers(0, 3, n_rows),
            "cost_optimal_units": rng.integers(0, 4, n_rows),
        }
    )


def main() -> None:
    """Build the synthetic network and time the pooled planning."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--parts", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    table = synthetic_plan(args.sites, args.parts, rng)
    sites = sorted(table["site_id"].unique().to_list())
    hours = rng.uniform(2, 72, (len(sites), len(sites)))
    pairs = pl.DataFrame(
        {
            "from_site": [a for a in sites for _ in sites],
            "to_site": [b for _ in sites for b in sites],
            "transfer_hours": hours.ravel(),
            "cost_per_transfer": np.full(hours.size, 40.0),
        }
    ).filter(pl.col("from_site") != pl.col("to_site"))
    settings = PoolSettings()
    network = transfer_network(sites, pairs, settings)
    equivalence = equivalence_groups(table["part_id"])

    started = time.perf_counter()
    plan = plan_pools(table, equivalence, network, settings)
    seconds = time.perf_counter() - started

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{table.height:,} part-sites, {plan.groups.height:,} groups, "
        f"{plan.sites['pool_id'].n_unique():,} pools: {seconds:.1f} s, "
        f"peak RSS {peak_mb:,.0f} MB; units alone "
        f"{plan.groups['standalone_units'].sum():,}, pooled "
        f"{plan.groups['pooled_units'].sum():,}"
    )


if __name__ == "__main__":
    main()
