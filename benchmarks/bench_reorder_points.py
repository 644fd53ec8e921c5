"""Benchmark: normal and Poisson reorder points for 10,000 parts vs stockpyl.

spareplan computes all parts in one vectorised call; the reference loops over parts
calling stockpyl's newsvendor solvers, whose optimal base-stock level with holding
cost ``1 - CSL`` and stockout cost ``CSL`` is the CSL-quantile of lead-time demand
(the critical ratio ``p / (p + h)`` equals the CSL; ``lead_time=0`` because the
moments passed in are already those of lead-time demand). The normal quantile is
rounded up to a whole unit, as spareplan does. Run:
``python benchmarks/bench_reorder_points.py``.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
from numpy.typing import NDArray
from stockpyl.newsvendor import newsvendor_normal, newsvendor_poisson

from spareplan.core.lead_time_demand import (
    NORMAL,
    POISSON,
    reorder_point_for_cycle_service_level,
)


def stockpyl_loop(
    mean: NDArray[np.float64],
    sd: NDArray[np.float64],
    service_level: NDArray[np.float64],
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Per-part reference reorder points from stockpyl."""
    normal = np.empty(mean.size, dtype=np.int64)
    poisson = np.empty(mean.size, dtype=np.int64)
    for part, (mu, sigma, csl) in enumerate(zip(mean, sd, service_level, strict=True)):
        level, _ = newsvendor_normal(1.0 - csl, csl, mu, sigma)
        normal[part] = max(math.ceil(level - 1e-9), 0)
        level, _ = newsvendor_poisson(1.0 - csl, csl, mu)
        poisson[part] = int(level)
    return normal, poisson


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-parts", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=20)
    arguments = parser.parse_args()

    rng = np.random.default_rng(42)
    mean = rng.uniform(0.2, 80.0, arguments.n_parts)
    sd = np.sqrt(mean * rng.uniform(1.0, 4.0, arguments.n_parts))
    service_level = rng.uniform(0.80, 0.995, arguments.n_parts)

    # Warm-up of both sides on the same first 100 parts (imports, caches).
    head = slice(0, 100)
    reorder_point_for_cycle_service_level(
        POISSON, mean[head], mean[head], service_level[head]
    )
    stockpyl_loop(mean[head], sd[head], service_level[head])

    start = time.perf_counter()
    for _ in range(arguments.repeats):
        normal = reorder_point_for_cycle_service_level(
            NORMAL, mean, sd**2, service_level
        )
        poisson = reorder_point_for_cycle_service_level(
            POISSON, mean, mean, service_level
        )
    ours_seconds = (time.perf_counter() - start) / arguments.repeats

    start = time.perf_counter()
    reference_normal, reference_poisson = stockpyl_loop(mean, sd, service_level)
    reference_seconds = time.perf_counter() - start

    print(f"{arguments.n_parts:,} parts, normal + Poisson reorder points")
    print(f"{'engine':<30}{'seconds':>12}")
    print(f"{'spareplan (vectorised)':<30}{ours_seconds:>12.5f}")
    print(f"{'stockpyl (per-part loop)':<30}{reference_seconds:>12.5f}")
    print(f"{'speed-up':<30}{reference_seconds / ours_seconds:>11.0f}x")
    print(
        "parts that differ: normal "
        f"{int(np.sum(normal != reference_normal))}, Poisson "
        f"{int(np.sum(poisson != reference_poisson))}"
    )


if __name__ == "__main__":
    main()
