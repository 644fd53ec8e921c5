"""Benchmark: classification, Croston/SBA/TSB and lead-time quantiles vs statsforecast.

Builds a long table (``unique_id``, ``ds``, ``y``) of 100,000 intermittent series of
60 periods, then times spareplan's vectorised core (long table to matrix,
classification, Croston, SBA, TSB and Poisson reorder points) against
statsforecast's ``CrostonClassic``, ``CrostonSBA`` and ``TSB`` with ``n_jobs=1``.
statsforecast is timed on a subset and scaled linearly when the full run would take
too long; the output says so. spareplan is timed twice in the same run: with its
numba-compiled kernels (when numba is installed) and on numpy alone. Both engines
are warmed up on the same ten series first, so numba's one-off compilation (or
loading from its on-disk cache) is excluded; the output reports how long it took.
Run: ``python benchmarks/bench_intermittent.py``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from statsforecast import StatsForecast
from statsforecast.models import TSB, CrostonClassic, CrostonSBA

from spareplan.core._kernels import compiled_kernels_are_used, use_compiled_kernels
from spareplan.core.demand_class import classify_demand
from spareplan.core.forecast import intermittent_forecasts
from spareplan.core.lead_time_demand import (
    POISSON,
    reorder_point_for_cycle_service_level,
)

ALPHA_SIZE_TSB = 0.2
ALPHA_PROBABILITY_TSB = 0.3
LEAD_TIME_PERIODS = 2.0
CYCLE_SERVICE_LEVEL = 0.95


def build_long_table(n_series: int, n_periods: int, seed: int) -> pd.DataFrame:
    """Intermittent demand in long form, one row per series and period."""
    rng = np.random.default_rng(seed)
    probability = rng.uniform(0.05, 0.9, (n_series, 1))
    size = rng.gamma(2.0, rng.uniform(0.5, 5.0, (n_series, 1)), (n_series, n_periods))
    occurs = rng.random((n_series, n_periods)) < probability
    demand = np.where(occurs, np.ceil(size), 0.0)
    return pd.DataFrame(
        {
            "unique_id": np.repeat(np.arange(n_series), n_periods),
            "ds": np.tile(np.arange(1, n_periods + 1), n_series),
            "y": demand.ravel(),
        }
    )


def long_to_matrix(table: pd.DataFrame) -> NDArray[np.float64]:
    """Long table to a (n_series, n_periods) matrix, NaN where a row is missing."""
    series_ids = table["unique_id"].to_numpy()
    periods = table["ds"].to_numpy()
    demand = table["y"].to_numpy(dtype=np.float64)
    if series_ids.dtype.kind == "i" and periods.dtype.kind == "i":
        matrix = _reshape_if_sorted_and_complete(
            series_ids.astype(np.int64, copy=False),
            periods.astype(np.int64, copy=False),
            demand,
        )
        if matrix is not None:
            return matrix
    # pandas' hash-based factorize stands in for the polars join the io layer does.
    series_index, series_codes = pd.factorize(series_ids, sort=True)
    period_index, period_codes = pd.factorize(periods, sort=True)
    matrix = np.full((series_codes.size, period_codes.size), np.nan)
    matrix[series_index, period_index] = demand
    return matrix


def _reshape_if_sorted_and_complete(
    series_ids: NDArray[np.int64],
    periods: NDArray[np.int64],
    demand: NDArray[np.float64],
) -> NDArray[np.float64] | None:
    """The demand column as a matrix when no join is needed, else None.

    That is when rows are sorted by series and then period and every series has
    the same periods, as statsforecast's own output and most exports are.
    """
    if series_ids.size == 0:
        return None
    n_periods = int(np.searchsorted(series_ids, series_ids[0], side="right"))
    if series_ids.size % n_periods:
        return None
    id_rows = series_ids.reshape(-1, n_periods)
    period_rows = periods.reshape(-1, n_periods)
    # Ids that never fall, with each row starting and ending on the same id and
    # rising from row to row, are constant within a row and sorted.
    is_sorted_and_complete = (
        bool(np.all(id_rows[1:, 0] > id_rows[:-1, 0]))
        and bool(np.all(id_rows[:, 0] == id_rows[:, -1]))
        and bool(np.all(series_ids[1:] >= series_ids[:-1]))
        and bool(np.all(period_rows[0, 1:] > period_rows[0, :-1]))
        and bool(np.all(period_rows == period_rows[0]))
    )
    return demand.reshape(-1, n_periods) if is_sorted_and_complete else None


def run_spareplan(table: pd.DataFrame) -> dict[str, NDArray[np.float64]]:
    """The whole vectorised pipeline from the long table to reorder points."""
    demand = long_to_matrix(table)
    classify_demand(demand)
    forecasts = intermittent_forecasts(
        demand,
        tsb_alpha_size=ALPHA_SIZE_TSB,
        tsb_alpha_probability=ALPHA_PROBABILITY_TSB,
    )
    sba = forecasts.syntetos_boylan_approximation.next_demand_per_period
    mean = sba * LEAD_TIME_PERIODS
    reorder_point_for_cycle_service_level(POISSON, mean, mean, CYCLE_SERVICE_LEVEL)
    return {
        "CrostonClassic": forecasts.croston.next_demand_per_period,
        "CrostonSBA": sba,
        "TSB": forecasts.teunter_syntetos_babai.next_demand_per_period,
    }


def run_statsforecast(table: pd.DataFrame) -> pd.DataFrame:
    """statsforecast's three intermittent models, one process."""
    models = [
        CrostonClassic(),
        CrostonSBA(),
        TSB(alpha_d=ALPHA_SIZE_TSB, alpha_p=ALPHA_PROBABILITY_TSB),
    ]
    engine = StatsForecast(models=models, freq=1, n_jobs=1)
    forecast = engine.forecast(df=table, h=1)
    if not isinstance(forecast, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(forecast)!r}")
    return forecast.sort_values("unique_id")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-series", type=int, default=100_000)
    parser.add_argument("--n-periods", type=int, default=60)
    parser.add_argument("--statsforecast-series", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    arguments = parser.parse_args()

    table = build_long_table(arguments.n_series, arguments.n_periods, seed=42)
    n_subset = min(arguments.statsforecast_series, arguments.n_series)
    subset = table[table["unique_id"] < n_subset]
    # Warm-up of both sides on the same ten series: spareplan compiles its numba
    # kernels on first use (or loads them from the on-disk cache); statsforecast
    # initialises its compiled library and pandas machinery.
    warm_up = table.head(arguments.n_periods * 10)
    compile_seconds = _seconds(lambda: run_spareplan(warm_up))
    with use_compiled_kernels(False):
        run_spareplan(warm_up)
    run_statsforecast(warm_up)

    ours = run_spareplan(table)
    ours_seconds = _median_seconds(lambda: run_spareplan(table), arguments.repeats)
    with use_compiled_kernels(False):
        numpy_seconds = _median_seconds(lambda: run_spareplan(table), arguments.repeats)
    start = time.perf_counter()
    reference = run_statsforecast(subset)
    subset_seconds = time.perf_counter() - start
    reference_seconds = subset_seconds * arguments.n_series / n_subset

    worst = max(
        float(np.max(np.abs(ours[name][:n_subset] - reference[name].to_numpy())))
        for name in ("CrostonClassic", "CrostonSBA", "TSB")
    )
    scaled = n_subset < arguments.n_series
    compiled = "numba" if compiled_kernels_are_used() else "numpy: no numba"
    print(f"{arguments.n_series:,} series x {arguments.n_periods} periods")
    print(f"{'engine (classify+3 models+ROP)':<34}{'seconds':>10}{'speed-up':>10}")
    label = "statsforecast n_jobs=1" + (" (scaled)" if scaled else "")
    for name, seconds in (
        (f"spareplan ({compiled})", ours_seconds),
        ("spareplan (numpy only)", numpy_seconds),
        (label, reference_seconds),
    ):
        print(f"{name:<34}{seconds:>10.3f}{reference_seconds / seconds:>9.0f}x")
    print(
        f"excluded from the timings: warm-up on 10 series, {compile_seconds:.2f} s for "
        "spareplan (numba compiles its kernels there, or loads them from its cache)"
    )
    print(
        f"spareplan: median of {arguments.repeats} runs (a run is short, so one "
        "run is at the mercy of the scheduler); statsforecast: one run"
    )
    if scaled:
        print(
            f"statsforecast timed on {n_subset:,} series ({subset_seconds:.2f} s) "
            f"and scaled linearly to {arguments.n_series:,}"
        )
    print(f"largest |difference| of forecasts on the compared series: {worst:.1e}")


def _seconds(call: Callable[[], object]) -> float:
    """Wall-clock seconds of one call."""
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def _median_seconds(call: Callable[[], object], repeats: int) -> float:
    """Median wall-clock seconds of ``repeats`` calls."""
    return float(np.median([_seconds(call) for _ in range(repeats)]))


if __name__ == "__main__":
    main()
