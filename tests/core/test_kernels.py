"""Tests that the numba-compiled kernels give the numpy paths' results exactly."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from collections.abc import Callable

import numpy as np
import pytest
from numpy.typing import NDArray
from scipy import special

from spareplan.core._kernels import (
    compiled_kernels_are_used,
    poisson_quantile_by_mass,
    use_compiled_kernels,
)
from spareplan.core.demand_class import classify_demand
from spareplan.core.forecast import (
    DemandForecast,
    croston,
    intermittent_forecasts,
    syntetos_boylan_approximation,
    teunter_syntetos_babai,
)
from spareplan.core.lead_time_demand import (
    NEGATIVE_BINOMIAL,
    NORMAL,
    POISSON,
    reorder_point_for_cycle_service_level,
)
from spareplan.core.poisson import NEIGHBOUR_MARGIN, poisson_quantile

numba = pytest.importorskip("numba")
from spareplan.core import _numba_kernels  # noqa: E402

FloatArray = NDArray[np.float64]


def _history(seed: int, n_series: int, n_periods: int, has_gaps: bool) -> FloatArray:
    """Intermittent demand, whole and fractional, with ragged gaps if asked."""
    rng = np.random.default_rng(seed)
    occurs = rng.random((n_series, n_periods)) < rng.uniform(0.02, 0.95, (n_series, 1))
    sizes = rng.gamma(1.5, rng.uniform(0.3, 6.0, (n_series, 1)), (n_series, n_periods))
    sizes[: n_series // 2] = np.ceil(sizes[: n_series // 2])
    demand = np.where(occurs, sizes, 0.0)
    if has_gaps:
        periods = np.arange(n_periods)
        starts = rng.integers(0, n_periods // 2 + 1, (n_series, 1))
        demand[(periods < starts) | (rng.random(demand.shape) < 0.1)] = np.nan
        demand[0] = np.nan
    if n_series > 2:
        demand[1] = 0.0
    return demand


def _on_both_paths(call: Callable[[], object]) -> tuple[object, object]:
    """The result of ``call`` with the compiled kernels, then with numpy alone."""
    with use_compiled_kernels(True):
        compiled = call()
    with use_compiled_kernels(False):
        numpy_only = call()
    return compiled, numpy_only


def _assert_same_forecast(compiled: object, numpy_only: object) -> None:
    """Fitted and next forecasts equal to the last bit, NaN where NaN."""
    assert isinstance(compiled, DemandForecast)
    assert isinstance(numpy_only, DemandForecast)
    for field in ("fitted_demand_per_period", "next_demand_per_period"):
        np.testing.assert_array_equal(
            getattr(compiled, field), getattr(numpy_only, field), strict=True
        )


def test_numba_is_used_when_importable_and_not_switched_off() -> None:
    assert compiled_kernels_are_used()
    with use_compiled_kernels(False):
        assert not compiled_kernels_are_used()
    assert compiled_kernels_are_used()


@pytest.mark.parametrize("has_gaps", [False, True])
@pytest.mark.parametrize("shape", [(1, 1), (60, 7), (300, 60), (9, 200)])
@pytest.mark.parametrize("return_fitted", [False, True])
def test_compiled_forecasts_equal_numpy_forecasts_bit_for_bit(
    has_gaps: bool, shape: tuple[int, int], return_fitted: bool
) -> None:
    demand = _history(sum(shape), *shape, has_gaps)
    models: list[Callable[[], DemandForecast]] = [
        lambda: croston(demand, 0.2, 0.05, return_fitted=return_fitted),
        lambda: croston(demand, bias_factor=1.3, return_fitted=return_fitted),
        lambda: syntetos_boylan_approximation(demand, return_fitted=return_fitted),
        lambda: teunter_syntetos_babai(demand, 0.2, 0.3, return_fitted=return_fitted),
        lambda: teunter_syntetos_babai(demand, 1.0, 0.01, return_fitted=return_fitted),
    ]
    for model in models:
        _assert_same_forecast(*_on_both_paths(model))

    compiled, numpy_only = _on_both_paths(
        lambda: intermittent_forecasts(
            demand,
            tsb_alpha_size=0.15,
            tsb_alpha_probability=0.4,
            alpha_size=0.3,
            alpha_interval=0.1,
            return_fitted=return_fitted,
        )
    )
    for name in ("croston", "syntetos_boylan_approximation", "teunter_syntetos_babai"):
        _assert_same_forecast(getattr(compiled, name), getattr(numpy_only, name))


@pytest.mark.parametrize("has_gaps", [False, True])
@pytest.mark.parametrize("cv2_ddof", [0, 1])
@pytest.mark.parametrize("n_periods", [1, 7, 60, 129, 300])
def test_compiled_classification_equals_numpy_bit_for_bit(
    has_gaps: bool, cv2_ddof: int, n_periods: int
) -> None:
    demand = _history(n_periods, 500, n_periods, has_gaps)
    compiled, numpy_only = _on_both_paths(
        lambda: classify_demand(demand, cv2_ddof=cv2_ddof, min_periods=1)
    )
    for field in ("adi", "cv2", "class_code", "n_recorded_periods", "n_demand_periods"):
        np.testing.assert_array_equal(
            getattr(compiled, field), getattr(numpy_only, field), strict=True
        )


@pytest.mark.parametrize("n_values", [*range(20), 127, 128, 129, 257, 1000, 100_003])
def test_pairwise_sum_adds_in_numpys_order(n_values: int) -> None:
    rng = np.random.default_rng(n_values)
    values = rng.standard_normal(n_values) * 10.0 ** rng.integers(-9, 10, n_values)
    total = _numba_kernels._pairwise_sum(values, 0, n_values)
    assert total == np.sum(values)


def test_mass_walk_leaves_near_ties_and_large_means_open() -> None:
    # Targets equal to F(3) of mean 2 and within the margin of it, a mean over the
    # walk's limit, and a target within the margin of 1 (unreachable by the sum).
    cdf_at_3 = float(special.gammaincc(4.0, 2.0))
    mean = np.array([2.0, 2.0, 2.0, 2.0, 1e4, 2.0])
    probability = np.array(
        [cdf_at_3, cdf_at_3 - 5e-10, cdf_at_3 + 5e-10, 0.95, 0.95, 1.0 - 5e-10]
    )
    quantile = poisson_quantile_by_mass(mean, probability, NEIGHBOUR_MARGIN)
    assert quantile.tolist() == [-1, -1, -1, 5, -1, -1]


@pytest.mark.parametrize("mean", [0.5, 3.0, 7.25, 40.0, 399.0])
def test_mass_walk_settles_each_unit_of_a_four_unit_block(mean: float) -> None:
    # Targets just above F(k - 1) for consecutive k, so the answer falls on every
    # position inside the walk's blocks of four units; each must be k exactly.
    units = np.arange(max(0.0, np.floor(mean) - 8.0), np.floor(mean) + 12.0)
    cdf_below = special.gammaincc(units, mean)
    probability = cdf_below + 1e-6 * special.gammaincc(units + 1.0, mean)
    is_reachable = (units > 0) & (probability < 1.0 - 1e-6)
    means = np.full(units.size, mean)
    quantile = poisson_quantile_by_mass(means, probability, NEIGHBOUR_MARGIN)
    assert quantile[is_reachable].tolist() == units[is_reachable].astype(int).tolist()


def test_poisson_quantile_is_the_same_on_both_paths_near_ties() -> None:
    rng = np.random.default_rng(5)
    mean = np.concatenate([rng.uniform(0.0, 60.0, 4000), rng.uniform(300, 900, 200)])
    units = np.floor(mean * rng.uniform(0.5, 1.5, mean.size))
    tie = special.gammaincc(units + 1.0, mean)
    offset = rng.choice([0.0, -3e-10, 3e-10, 2e-9, 0.1], mean.size)
    probability = np.clip(tie + offset, 1e-6, 1.0 - 1e-6)
    z = special.ndtri(probability)
    compiled, numpy_only = _on_both_paths(
        lambda: poisson_quantile(mean, probability, z)
    )
    np.testing.assert_array_equal(compiled, numpy_only, strict=True)


# Mean 0 has no overdispersion: a negative binomial part falls back, with a warning.
@pytest.mark.filterwarnings(
    "ignore::spareplan.core.lead_time_demand.DistributionFallbackWarning"
)
@pytest.mark.parametrize("method", [NORMAL, POISSON, NEGATIVE_BINOMIAL])
def test_reorder_points_are_the_same_on_both_paths(method: int) -> None:
    rng = np.random.default_rng(method)
    mean = np.concatenate([rng.uniform(0.0, 80.0, 3000), [0.0, 1e-300, 500.0, 1e6]])
    variance = mean * rng.uniform(1.1, 3.0, mean.size)
    service_level = rng.uniform(0.5, 0.9999, mean.size)
    for level in (service_level, 0.95):
        compiled, numpy_only = _on_both_paths(
            functools.partial(
                reorder_point_for_cycle_service_level, method, mean, variance, level
            )
        )
        np.testing.assert_array_equal(compiled, numpy_only, strict=True)


def test_compiled_kernels_load_from_the_disk_cache_in_a_new_process() -> None:
    # Compiled (or loaded) here first, so the new process must find the cache.
    classify_demand(_history(0, 20, 12, True))
    reorder_point_for_cycle_service_level(POISSON, np.array([2.0]), 2.0, 0.9)
    script = (
        "import numpy as np\n"
        "from spareplan.core import _numba_kernels as kernels\n"
        "from spareplan.core.demand_class import classify_demand\n"
        "from spareplan.core.lead_time_demand import POISSON, "
        "reorder_point_for_cycle_service_level as rop\n"
        "classify_demand(np.array([[0.0, 1.0, np.nan, 2.0]]))\n"
        "rop(POISSON, np.array([2.0]), 2.0, 0.9)\n"
        "for kernel in (kernels.classify_and_smooth,"
        " kernels.poisson_quantile_by_mass):\n"
        "    print(kernel.stats.cache_hits and 1, len(kernel.stats.cache_misses))\n"
    )
    environment = {**os.environ, "PYTHONWARNINGS": "error"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    )
    assert result.stdout.split() == ["1", "0", "1", "0"]
