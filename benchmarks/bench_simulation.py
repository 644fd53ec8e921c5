"""Benchmark: the vectorised policy simulator against stockpyl and inventorize.

Every part has Poisson demand with a mean spread log-uniformly over 0.005 to 1 unit
a day by default (median about 2 a month, as for most spare parts; ``--max-mean 3``
for fast movers), a fixed lead time of 2 to 20 days, and either a one-for-one
base-stock policy or a min-max policy. The same parts and policies run in

* spareplan: all parts x all paths in one call (``simulate_policies``);
* stockpyl: ``stockpyl.sim.simulation`` on a single-stage network per part (policy
  ``BS`` or ``sS``, Poisson demand, backorders), consistency checks off;
* inventorize: ``base_stock_policy`` or ``sim_min_max`` per part on one demand
  path (lost sales, so only its speed is comparable).

The reference libraries simulate one part on one path per call, so they are timed
on a small subset of parts and their time is scaled per part-period; spareplan's
time is divided by parts x periods x paths (each path of a part is one
part-period's worth of work). Then the full run, 10,000 parts x 365 days x 100
paths by default, reports its wall time and peak memory, with a second full run
of the features the references lack (negative binomial demand, gamma lead times
with crossing orders, periodic review, emergency orders).

Run: ``python benchmarks/bench_simulation.py`` (add ``--help`` for sizes).
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from spareplan.core.simulation import (
    DemandPaths,
    FixedLeadTime,
    PolicyArrays,
    PolicyKind,
    RandomDemand,
    RandomLeadTime,
    simulate_policies,
)


@dataclass(frozen=True)
class Parts:
    """Per-part data shared by all three simulators."""

    mean_per_day: NDArray[np.float64]
    lead_time_days: NDArray[np.int64]
    kind: NDArray[np.int8]
    reorder_point_units: NDArray[np.float64]
    order_up_to_units: NDArray[np.float64]

    def subset(self, n_parts: int) -> Parts:
        """The first ``n_parts`` parts."""
        return Parts(*(getattr(self, name)[:n_parts] for name in self.__annotations__))

    @property
    def policy(self) -> PolicyArrays:
        """The parts' policies for spareplan."""
        return PolicyArrays(
            kind=self.kind,
            reorder_point_units=self.reorder_point_units,
            order_up_to_units=self.order_up_to_units,
            review_period_periods=np.ones(self.kind.size, dtype=np.int64),
        )


def make_parts(
    n_parts: int, min_mean: float, max_mean: float, rng: np.random.Generator
) -> Parts:
    """Random parts: demand, lead time, alternately base stock and min-max."""
    mean = np.exp(rng.uniform(np.log(min_mean), np.log(max_mean), n_parts))
    lead = rng.integers(2, 21, n_parts)
    lead_time_demand = mean * lead
    order_up_to = np.ceil(lead_time_demand + 2.0 * np.sqrt(lead_time_demand)) + 1.0
    kind = np.where(
        np.arange(n_parts) % 2 == 0, PolicyKind.BASE_STOCK, PolicyKind.MIN_MAX
    ).astype(np.int8)
    reorder_point = np.where(
        kind == PolicyKind.MIN_MAX, np.floor(0.6 * order_up_to), 0.0
    )
    return Parts(mean, lead, kind, reorder_point, order_up_to)


def time_spareplan(
    parts: Parts, n_periods: int, n_paths: int, seed: int
) -> tuple[float, int, float]:
    """Wall seconds, pipeline bytes and mean fill rate of one spareplan run."""
    start = time.perf_counter()
    result = simulate_policies(
        parts.policy,
        RandomDemand(parts.mean_per_day, parts.mean_per_day),
        FixedLeadTime(parts.lead_time_days),
        n_periods=n_periods,
        n_paths=n_paths,
        rng=np.random.default_rng(seed),
    )
    seconds = time.perf_counter() - start
    return seconds, result.pipeline_buffer_bytes, float(result.fill_rate.mean.mean())


def time_full_features(n_parts: int, n_periods: int, n_paths: int) -> float:
    """Wall seconds of a run with every feature the references lack."""
    rng = np.random.default_rng(7)
    mean = rng.gamma(0.6, 1.0, n_parts)
    variance = mean * rng.uniform(1.0, 4.0, n_parts)
    lead_mean = rng.uniform(2.0, 20.0, n_parts)
    order_up_to = np.ceil(
        mean * (lead_mean + 7.0) + 2.0 * np.sqrt(variance * lead_mean)
    )
    policy = PolicyArrays(
        kind=rng.integers(0, 3, n_parts).astype(np.int8),
        reorder_point_units=np.floor(0.5 * order_up_to),
        order_up_to_units=order_up_to,
        review_period_periods=np.full(n_parts, 7),
    )
    start = time.perf_counter()
    simulate_policies(
        policy,
        RandomDemand(mean, variance),
        RandomLeadTime(lead_mean, 0.3 * lead_mean),
        n_periods=n_periods,
        n_paths=n_paths,
        rng=rng,
        emergency_lead_time_periods=np.where(rng.random(n_parts) < 0.3, 2.0, np.nan),
        unit_cost=rng.uniform(5.0, 500.0, n_parts),
    )
    return time.perf_counter() - start


def time_stockpyl(parts: Parts, n_periods: int) -> float:
    """Wall seconds of stockpyl simulating each part once."""
    from stockpyl.sim import simulation
    from stockpyl.supply_chain_network import single_stage_system

    start = time.perf_counter()
    for part in range(parts.kind.size):
        is_base_stock = parts.kind[part] == PolicyKind.BASE_STOCK
        policy = (
            {"policy_type": "BS", "base_stock_level": parts.order_up_to_units[part]}
            if is_base_stock
            else {
                "policy_type": "sS",
                "reorder_point": parts.reorder_point_units[part],
                "order_up_to_level": parts.order_up_to_units[part],
            }
        )
        network = single_stage_system(
            holding_cost=1.0,
            stockout_cost=1.0,
            demand_type="P",
            mean=parts.mean_per_day[part],
            shipment_lead_time=int(parts.lead_time_days[part]),
            **policy,
        )
        simulation(
            network,
            n_periods,
            rand_seed=part,
            progress_bar=False,
            consistency_checks="N",
        )
    return time.perf_counter() - start


def time_inventorize(parts: Parts, n_periods: int, seed: int) -> float:
    """Wall seconds of inventorize simulating each part on one demand path."""
    import inventorize

    rng = np.random.default_rng(seed)
    demand = rng.poisson(parts.mean_per_day[:, None], (parts.kind.size, n_periods))
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for part in range(parts.kind.size):
            common = {
                "demand": demand[part].astype(float),
                "leadtime": int(parts.lead_time_days[part]),
                "service_level": 0.95,
                "mean": parts.mean_per_day[part],
                "sd": np.sqrt(parts.mean_per_day[part]),
                "distribution": "poisson",
            }
            if parts.kind[part] == PolicyKind.BASE_STOCK:
                inventorize.base_stock_policy(
                    Base=parts.order_up_to_units[part], **common
                )
            else:
                inventorize.sim_min_max(
                    Min=parts.reorder_point_units[part],
                    Max=parts.order_up_to_units[part],
                    **common,
                )
    return time.perf_counter() - start


def check_replay_runs(parts: Parts) -> None:
    """Check that replaying explicit demand paths runs on these parts."""
    demand = np.zeros((parts.kind.size, 1, 5), dtype=np.int64)
    simulate_policies(
        parts.policy,
        DemandPaths(demand),
        FixedLeadTime(parts.lead_time_days),
        n_periods=5,
        n_paths=1,
        rng=np.random.default_rng(0),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-parts", type=int, default=10_000)
    parser.add_argument("--n-periods", type=int, default=365)
    parser.add_argument("--n-paths", type=int, default=100)
    parser.add_argument("--stockpyl-parts", type=int, default=4)
    parser.add_argument("--inventorize-parts", type=int, default=40)
    parser.add_argument("--min-mean", type=float, default=0.005, help="units/day")
    parser.add_argument("--max-mean", type=float, default=1.0, help="units/day")
    arguments = parser.parse_args()
    n_parts, n_periods, n_paths = (
        arguments.n_parts,
        arguments.n_periods,
        arguments.n_paths,
    )
    parts = make_parts(
        n_parts, arguments.min_mean, arguments.max_mean, np.random.default_rng(42)
    )
    check_replay_runs(parts.subset(10))

    # The full run first, so the peak memory is spareplan's alone.
    tracemalloc.start()
    seconds, pipeline_bytes, fill_rate = time_spareplan(parts, n_periods, n_paths, 1)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    max_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    untraced_seconds, _, _ = time_spareplan(parts, n_periods, n_paths, 1)
    full_seconds = time_full_features(n_parts, n_periods, n_paths)
    ours_ns = 1e9 * untraced_seconds / (n_parts * n_periods * n_paths)

    stockpyl_parts = parts.subset(arguments.stockpyl_parts)
    stockpyl_seconds = time_stockpyl(stockpyl_parts, n_periods)
    stockpyl_ns = 1e9 * stockpyl_seconds / (arguments.stockpyl_parts * n_periods)
    inventorize_parts = parts.subset(arguments.inventorize_parts)
    inventorize_seconds = time_inventorize(inventorize_parts, n_periods, 3)
    inventorize_ns = (
        1e9 * inventorize_seconds / (arguments.inventorize_parts * n_periods)
    )

    size = f"{n_parts} parts x {n_periods} periods x {n_paths} paths"
    demand = f"Poisson demand {arguments.min_mean:g}-{arguments.max_mean:g}/day"
    print(f"Policy simulation, {demand}, fixed lead time; spareplan: {size}")
    print(f"{'simulator':<44}{'ns per part-period':>20}{'spareplan faster':>18}")
    print(
        f"{'spareplan simulate_policies (all at once)':<44}{ours_ns:>20.1f}{'1x':>18}"
    )
    stockpyl_label = f"stockpyl sim ({arguments.stockpyl_parts} parts, scaled)"
    print(f"{stockpyl_label:<44}{stockpyl_ns:>20.0f}{stockpyl_ns / ours_ns:>17.0f}x")
    inventorize_label = f"inventorize ({arguments.inventorize_parts} parts, scaled)"
    print(
        f"{inventorize_label:<44}{inventorize_ns:>20.0f}"
        f"{inventorize_ns / ours_ns:>17.0f}x"
    )
    print()
    print(f"spareplan full run, {size}:")
    print(f"  wall time                  {untraced_seconds:8.2f} s")
    print(f"  wall time under tracemalloc{seconds:8.2f} s")
    print(f"  peak numpy memory          {traced_peak / 2**20:8.1f} MiB (tracemalloc)")
    print(f"  peak process memory        {max_rss_mib:8.1f} MiB (ru_maxrss)")
    print(f"  pipeline ring buffer       {pipeline_bytes / 2**20:8.1f} MiB")
    print(f"  mean fill rate             {fill_rate:8.3f}")
    print(
        f"  with NB demand, gamma lead times, periodic review, emergency orders: "
        f"{full_seconds:.2f} s"
    )


if __name__ == "__main__":
    main()
