"""Benchmark: classification, Croston/SBA/TSB and lead-time quantiles vs statsforecast.

Builds a long table (``unique_id``, ``ds``, ``y``) of 100,000 intermittent series of
60 periods, then times spareplan's vectorised core (long table to matrix,
classification, Croston, SBA, TSB and Poisson reorder points) against
statsforecast's ``CrostonClassic``, ``CrostonSBA`` and ``TSB`` with ``n_jobs=1``.
statsforecast is timed on a subset and scaled linearly when the full run would take
too long; the output says so. Run: ``python benchmarks/bench_intermittent.py``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from statsforecast import StatsForecast
from statsforecast.models import TSB, CrostonClassic, CrostonSBA

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
    arguments = parser.parse_args()

    table = build_long_table(arguments.n_series, arguments.n_periods, seed=42)
    n_subset = min(arguments.statsforecast_series, arguments.n_series)
    subset = table[table["unique_id"] < n_subset]
    # Warm-up of both sides on the same ten series (statsforecast compiles its
    # kernels with numba on first use; spareplan has nothing to compile).
    warm_up = table.head(arguments.n_periods * 10)
    run_spareplan(warm_up)
    run_statsforecast(warm_up)

    start = time.perf_counter()
    ours = run_spareplan(table)
    ours_seconds = time.perf_counter() - start
    start = time.perf_counter()
    reference = run_statsforecast(subset)
    subset_seconds = time.perf_counter() - start
    reference_seconds = subset_seconds * arguments.n_series / n_subset

    worst = max(
        float(np.max(np.abs(ours[name][:n_subset] - reference[name].to_numpy())))
        for name in ("CrostonClassic", "CrostonSBA", "TSB")
    )
    scaled = n_subset < arguments.n_series
    print(f"{arguments.n_series:,} series x {arguments.n_periods} periods")
    print(f"{'engine':<34}{'seconds':>10}")
    print(f"{'spareplan (classify+3 models+ROP)':<34}{ours_seconds:>10.3f}")
    label = "statsforecast n_jobs=1" + (" (scaled)" if scaled else "")
    print(f"{label:<34}{reference_seconds:>10.3f}")
    print(f"{'speed-up':<34}{reference_seconds / ours_seconds:>9.0f}x")
    if scaled:
        print(
            f"statsforecast timed on {n_subset:,} series ({subset_seconds:.2f} s) "
            f"and scaled linearly to {arguments.n_series:,}"
        )
    print(f"largest |difference| of forecasts on the compared series: {worst:.1e}")


if __name__ == "__main__":
    main()
