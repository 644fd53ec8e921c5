"""Tests of the vectorised per-period forecasts."""

from __future__ import annotations

import doctest
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from spareplan.core import _smoothing, forecast
from spareplan.core.forecast import (
    DemandForecast,
    croston,
    intermittent_forecasts,
    moving_average,
    simple_exponential_smoothing,
    syntetos_boylan_approximation,
    teunter_syntetos_babai,
)
from spareplan.errors import InputError

NAN = np.nan
CARPARTS = Path(__file__).resolve().parents[3] / "shared" / "data" / "carparts.csv"
Model = Callable[[NDArray[np.float64]], DemandForecast]

MODELS: dict[str, Model] = {
    "ses": lambda y: simple_exponential_smoothing(y, alpha=0.3),
    "moving_average": lambda y: moving_average(y, window_periods=3),
    "croston": lambda y: croston(y),
    "sba": lambda y: syntetos_boylan_approximation(y),
    "tsb": lambda y: teunter_syntetos_babai(y, alpha_size=0.2, alpha_probability=0.3),
}


def _random_history(
    seed: int, n_series: int = 40, n_periods: int = 30
) -> NDArray[np.float64]:
    """Intermittent counts with ragged starts and ends (NaN = no record)."""
    rng = np.random.default_rng(seed)
    counts = (
        rng.poisson(0.5, (n_series, n_periods))
        * rng.integers(1, 5, n_series)[:, np.newaxis]
    )
    demand = counts.astype(np.float64)
    starts = rng.integers(0, n_periods // 2, n_series)
    ends = rng.integers(n_periods // 2, n_periods + 1, n_series)
    periods = np.arange(n_periods)
    demand[(periods < starts[:, np.newaxis]) | (periods >= ends[:, np.newaxis])] = NAN
    demand[0] = NAN  # an empty history
    demand[1] = 0.0  # all zeros
    return demand


def test_croston_matches_hand_worked_example() -> None:
    # y = 0 0 3 0 1 0 0 2 0 0, alpha 0.1 for both parts. By hand:
    # demand 3 after 3 periods -> size 3, interval 3 (both start at first value);
    # demand 1 after 2 -> size 0.1*1 + 0.9*3 = 2.8, interval 0.1*2 + 0.9*3 = 2.9;
    # demand 2 after 3 -> size 2.72, interval 2.91; forecast 2.72/2.91.
    y = np.array([[0, 0, 3, 0, 1, 0, 0, 2, 0, 0]], dtype=float)
    result = croston(y)
    assert result.next_demand_per_period[0] == pytest.approx(2.72 / 2.91)
    expected_fitted = [NAN, 0, 0, 1, 1, 2.8 / 2.9, 2.8 / 2.9, 2.8 / 2.9]
    np.testing.assert_allclose(result.fitted_demand_per_period[0, :8], expected_fitted)
    sba = syntetos_boylan_approximation(y)
    assert sba.next_demand_per_period[0] == pytest.approx(0.95 * 2.72 / 2.91)


def test_tsb_matches_hand_worked_example() -> None:
    # y = 0 2 0, alpha_size 0.5, alpha_probability 0.5. Probability starts at 0,
    # becomes 0.5 after the demand, 0.25 after the last zero; size 2 -> 0.5.
    result = teunter_syntetos_babai([[0.0, 2.0, 0.0]], 0.5, 0.5)
    np.testing.assert_allclose(result.fitted_demand_per_period[0], [NAN, 0.0, 1.0])
    assert result.next_demand_per_period[0] == pytest.approx(0.5)


def test_moving_average_skips_missing_periods() -> None:
    result = moving_average([[NAN, 2.0, 4.0, NAN, 6.0, NAN]], window_periods=2)
    np.testing.assert_allclose(
        result.fitted_demand_per_period[0], [NAN, NAN, 2.0, 3.0, 3.0, 5.0]
    )
    assert result.next_demand_per_period.tolist() == [5.0]


@pytest.mark.parametrize("name", sorted(MODELS))
def test_leading_nan_left_aligns_and_trailing_nan_holds(name: str) -> None:
    core = np.array([0, 3, 0, 0, 1, 2, 0, 4], dtype=float)
    padded = np.concatenate([[NAN, NAN], core, [NAN, NAN, NAN]])
    plain = MODELS[name](core[np.newaxis, :])
    shifted = MODELS[name](padded[np.newaxis, :])
    np.testing.assert_allclose(
        shifted.fitted_demand_per_period[0, 2:10], plain.fitted_demand_per_period[0]
    )
    assert np.isnan(shifted.fitted_demand_per_period[0, :2]).all()
    trailing = shifted.fitted_demand_per_period[0, 10:]
    np.testing.assert_allclose(trailing, plain.next_demand_per_period[0])
    assert shifted.next_demand_per_period[0] == plain.next_demand_per_period[0]


@pytest.mark.parametrize("name", sorted(MODELS))
def test_vectorised_forecast_equals_one_series_at_a_time(name: str) -> None:
    demand = _random_history(seed=3)
    together = MODELS[name](demand)
    for index, row in enumerate(demand):
        alone = MODELS[name](row[np.newaxis, :])
        np.testing.assert_array_equal(
            alone.fitted_demand_per_period[0], together.fitted_demand_per_period[index]
        )
        np.testing.assert_array_equal(
            alone.next_demand_per_period[0], together.next_demand_per_period[index]
        )


@pytest.mark.parametrize("name", sorted(MODELS))
def test_edge_cases_give_sensible_forecasts(name: str) -> None:
    demand = np.array(
        [[NAN] * 5, [0.0] * 5, [0, 0, 4, 0, 0], [2.0, 1.0, 3.0, 2.0, 2.0]]
    )
    result = MODELS[name](demand)
    assert np.isnan(result.next_demand_per_period[0])  # nothing to forecast from
    assert result.next_demand_per_period[1] == 0.0
    assert result.next_demand_per_period[2] > 0.0
    assert np.all(result.next_demand_per_period[1:] >= 0.0)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda y: croston(y, alpha_size=0.0), r"`alpha_size` must be in \(0, 1\]"),
        (lambda y: croston(y, alpha_interval=1.5), r"\(0, 1\], got 1\.5"),
        (lambda y: simple_exponential_smoothing(y, -0.2), r"`alpha` .* got -0\.2"),
        (
            lambda y: teunter_syntetos_babai(y, 0.1, 2.0),
            r"`alpha_probability` must be in \(0, 1\], got 2\.0",
        ),
        (lambda y: moving_average(y, 0), r"`window_periods` must be .*>= 1, got 0"),
        (lambda y: croston(y, bias_factor=-1.0), r"`bias_factor` .* got -1\.0"),
    ],
)
def test_bad_parameters_are_named_in_the_error(
    call: Callable[[NDArray[np.float64]], object], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        call(np.ones((2, 4)))


def _statsforecast_models() -> dict[str, object]:
    models = pytest.importorskip("statsforecast.models")
    return {
        "croston": models.CrostonClassic(),
        "sba": models.CrostonSBA(),
        "tsb": models.TSB(alpha_d=0.2, alpha_p=0.3),
        "ses": models.SimpleExponentialSmoothing(alpha=0.3),
    }


def _assert_matches_statsforecast(demand: NDArray[np.float64]) -> None:
    """Compare every model, series by series, with NaN removed for statsforecast."""
    reference_models = _statsforecast_models()
    for name, reference in reference_models.items():
        ours = MODELS[name](demand)
        for index, row in enumerate(demand):
            is_recorded = ~np.isnan(row)
            if not is_recorded.any():
                continue
            expected = reference.forecast(row[is_recorded], h=1, fitted=True)  # type: ignore[attr-defined]
            assert ours.next_demand_per_period[index] == pytest.approx(
                expected["mean"][0], abs=1e-9, rel=0
            ), (name, index)
            np.testing.assert_allclose(
                ours.fitted_demand_per_period[index, is_recorded],
                expected["fitted"],
                rtol=0,
                atol=1e-9,
                err_msg=f"{name} series {index}",
            )


def test_models_equal_statsforecast_on_synthetic_series() -> None:
    demand = _random_history(seed=11, n_series=60, n_periods=36)
    demand[2] = [5.0] + [NAN] * 35  # a single record
    demand[3] = np.arange(36, dtype=float) + 1.0  # no zeros
    _assert_matches_statsforecast(demand)


def test_models_equal_statsforecast_on_carparts() -> None:
    if not CARPARTS.exists():
        pytest.skip(f"{CARPARTS} not available")
    demand = np.genfromtxt(CARPARTS, delimiter=",", skip_header=1)[:, 1:]
    _assert_matches_statsforecast(demand)


def test_docstring_examples_run() -> None:
    assert doctest.testmod(forecast).failed == 0


@pytest.mark.parametrize("name", ["croston", "sba", "tsb", "ses"])
def test_skipping_fitted_forecasts_keeps_the_next_forecast(name: str) -> None:
    demand = _random_history(seed=5)
    full = MODELS[name](demand)
    calls: dict[str, Callable[[], DemandForecast]] = {
        "croston": lambda: croston(demand, return_fitted=False),
        "sba": lambda: syntetos_boylan_approximation(demand, return_fitted=False),
        "tsb": lambda: teunter_syntetos_babai(demand, 0.2, 0.3, return_fitted=False),
        "ses": lambda: simple_exponential_smoothing(demand, 0.3, return_fitted=False),
    }
    lean = calls[name]()
    assert lean.fitted_demand_per_period.shape == (demand.shape[0], 0)
    np.testing.assert_array_equal(
        lean.next_demand_per_period, full.next_demand_per_period
    )


@pytest.mark.parametrize("return_fitted", [True, False])
def test_intermittent_forecasts_equal_the_three_models_called_alone(
    return_fitted: bool,
) -> None:
    demand = _random_history(seed=9)
    together = intermittent_forecasts(
        demand,
        tsb_alpha_size=0.2,
        tsb_alpha_probability=0.3,
        return_fitted=return_fitted,
    )
    pairs = [
        (together.croston, MODELS["croston"](demand)),
        (together.syntetos_boylan_approximation, MODELS["sba"](demand)),
        (together.teunter_syntetos_babai, MODELS["tsb"](demand)),
    ]
    for combined, alone in pairs:
        np.testing.assert_array_equal(
            combined.next_demand_per_period, alone.next_demand_per_period
        )
        if return_fitted:
            np.testing.assert_array_equal(
                combined.fitted_demand_per_period, alone.fitted_demand_per_period
            )


def test_intermittent_forecasts_name_a_bad_tsb_constant() -> None:
    with pytest.raises(InputError, match=r"`tsb_alpha_probability` .* got 0\.0"):
        intermittent_forecasts(
            np.ones((2, 4)), tsb_alpha_size=0.2, tsb_alpha_probability=0.0
        )


@pytest.mark.parametrize("name", sorted(MODELS))
@pytest.mark.parametrize("has_gaps", [True, False])
def test_blocks_of_series_give_the_same_forecasts(
    name: str, has_gaps: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    demand = _random_history(seed=13, n_series=50)
    if not has_gaps:
        demand = np.nan_to_num(demand)
    whole = MODELS[name](demand)
    monkeypatch.setattr(_smoothing, "BLOCK_SERIES", 7)
    in_blocks = MODELS[name](demand)
    np.testing.assert_array_equal(
        in_blocks.fitted_demand_per_period, whole.fitted_demand_per_period
    )
    np.testing.assert_array_equal(
        in_blocks.next_demand_per_period, whole.next_demand_per_period
    )
