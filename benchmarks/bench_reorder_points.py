"""Benchmark: normal and Poisson reorder points for 10,000 parts vs stockpyl.

spareplan computes all parts in one vectorised call; the reference loops over parts
calling stockpyl's newsvendor solvers, whose optimal base-stock level with holding
cost ``1 - CSL`` and stockout cost ``CSL`` is the CSL-quantile of lead-time demand
(the critical ratio ``p / (p + h)`` equals the CSL; ``lead_time=0`` because the
moments passed in are already those of lead-time demand). The normal quantile is
rounded up to a whole unit, as spareplan does. spareplan is timed with its
numba-compiled Poisson kernel (when numba is installed) and on numpy alone, in the
same run; both engines are warmed up on the same 100 parts first, so numba's
one-off compilation (or loading from its on-disk cache) is excluded and reported.
Run: ``python benchmarks/bench_reorder_points.py``.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
from numpy.typing import NDArray
from stockpyl.newsvendor import newsvendor_normal, newsvendor_poisson

from spareplan.core._kernels import compiled_kernels_are_used, use_compiled_kernels
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

    # Warm-up of both sides on the same first 100 parts (imports, caches, and
    # numba's compilation of spareplan's kernel or its loading from the cache).
    head = slice(0, 100)
    start = time.perf_counter()
    reorder_points(mean[head], sd[head], service_level[head])
    compile_seconds = time.perf_counter() - start
    with use_compiled_kernels(False):
        reorder_points(mean[head], sd[head], service_level[head])
    stockpyl_loop(mean[head], sd[head], service_level[head])

    ours_seconds = _mean_seconds(mean, sd, service_level, arguments.repeats)
    with use_compiled_kernels(False):
        numpy_seconds = _mean_seconds(mean, sd, service_level, arguments.repeats)
    normal, poisson = reorder_points(mean, sd, service_level)

    start = time.perf_counter()
    reference_normal, reference_poisson = stockpyl_loop(mean, sd, service_level)
    reference_seconds = time.perf_counter() - start

    compiled = "numba" if compiled_kernels_are_used() else "numpy: no numba"
    print(f"{arguments.n_parts:,} parts, normal + Poisson reorder points")
    print(f"{'engine':<30}{'seconds':>12}{'speed-up':>10}")
    for name, seconds in (
        (f"spareplan ({compiled})", ours_seconds),
        ("spareplan (numpy only)", numpy_seconds),
        ("stockpyl (per-part loop)", reference_seconds),
    ):
        print(f"{name:<30}{seconds:>12.5f}{reference_seconds / seconds:>9.0f}x")
    print(
        f"excluded from the timings: warm-up on 100 parts, {compile_seconds:.2f} s "
        "for spareplan (numba compiles its kernel there, or loads it from its cache)"
    )
    print(
        "parts that differ: normal "
        f"{int(np.sum(normal != reference_normal))}, Poisson "
        f"{int(np.sum(poisson != reference_poisson))}"
    )


def reorder_points(
    mean: NDArray[np.float64],
    sd: NDArray[np.float64],
    service_level: NDArray[np.float64],
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """spareplan's normal and Poisson reorder points of every part."""
    normal = reorder_point_for_cycle_service_level(NORMAL, mean, sd**2, service_level)
    poisson = reorder_point_for_cycle_service_level(POISSON, mean, mean, service_level)
    return normal, poisson


def _mean_seconds(
    mean: NDArray[np.float64],
    sd: NDArray[np.float64],
    service_level: NDArray[np.float64],
    repeats: int,
) -> float:
    """Mean seconds of :func:`reorder_points` over ``repeats`` calls."""
    start = time.perf_counter()
    for _ in range(repeats):
        reorder_points(mean, sd, service_level)
    return (time.perf_counter() - start) / repeats


if __name__ == "__main__":
    main()
