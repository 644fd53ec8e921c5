"""Tests of the Syntetos-Boylan demand classification."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

from spareplan.core import demand_class
from spareplan.core.demand_class import (
    DEMAND_CLASSES,
    ERRATIC,
    INTERMITTENT,
    LUMPY,
    NO_DEMAND,
    SMOOTH,
    TOO_SHORT,
    classify_demand,
    demand_class_names,
)
from spareplan.errors import InputError

NAN = np.nan


def test_class_codes_index_the_class_names() -> None:
    codes = (SMOOTH, ERRATIC, INTERMITTENT, LUMPY, NO_DEMAND, TOO_SHORT)
    assert [DEMAND_CLASSES[code] for code in codes] == [
        "smooth",
        "erratic",
        "intermittent",
        "lumpy",
        "no_demand",
        "too_short",
    ]


def test_four_quadrants_match_hand_worked_examples() -> None:
    # Worked by hand:
    # smooth:       8 recorded, 8 demands -> ADI 1; sizes 4,5,4,6,5,4,5,7:
    #               mean 5, population variance 8/8 = 1 -> CV2 1/25 = 0.04.
    # erratic:      8 demands 1,9,1,9,1,9,1,9: mean 5, variance 16 -> CV2 0.64.
    # intermittent: 8 recorded, 2 demands (4, 6) -> ADI 4; mean 5, variance 1,
    #               CV2 0.04.
    # lumpy:        8 recorded, 2 demands (1, 9) -> ADI 4; CV2 16/25 = 0.64.
    demand = np.array(
        [
            [4, 5, 4, 6, 5, 4, 5, 7],
            [1, 9, 1, 9, 1, 9, 1, 9],
            [0, 4, 0, 0, 0, 6, 0, 0],
            [0, 1, 0, 0, 0, 9, 0, 0],
        ],
        dtype=float,
    )
    result = classify_demand(demand)
    np.testing.assert_allclose(result.adi, [1.0, 1.0, 4.0, 4.0])
    np.testing.assert_allclose(result.cv2, [0.04, 0.64, 0.04, 0.64])
    assert result.class_code.tolist() == [SMOOTH, ERRATIC, INTERMITTENT, LUMPY]


def test_nan_is_no_record_not_zero() -> None:
    # 6 recorded periods with 3 demands -> ADI 2, whatever the NaN padding.
    padded = [[NAN, NAN, 2, 0, 2, 0, 2, 0, NAN, NAN]]
    result = classify_demand(padded)
    assert result.n_recorded_periods.tolist() == [6]
    assert result.adi.tolist() == [2.0]


def test_trailing_zeros_count_towards_adi() -> None:
    result = classify_demand([[3, 3, 3, 3, 0, 0, 0, 0]])
    assert result.adi.tolist() == [2.0]
    assert result.class_code.tolist() == [INTERMITTENT]


def test_value_equal_to_cutoff_falls_on_irregular_side() -> None:
    # 33 recorded periods over 25 demands: ADI = 1.32 exactly -> intermittent.
    row = np.zeros(33)
    row[:25] = 2.0
    result = classify_demand(row[np.newaxis, :])
    assert result.adi[0] == pytest.approx(1.32)
    assert result.class_code.tolist() == [INTERMITTENT]


def test_edge_cases_get_sensible_classes() -> None:
    demand = np.array(
        [
            [NAN] * 8,  # empty history
            [0.0] * 8,  # all zeros
            [0, 0, 0, 5, 0, 0, 0, 0],  # a single demand
            [3, 1, 2, 5, 2, 4, 1, 2],  # no zeros
            [NAN, NAN, NAN, 1, 2, NAN, NAN, NAN],  # two records only
        ]
    )
    result = classify_demand(demand)
    assert demand_class_names(result.class_code).tolist() == [
        "too_short",
        "no_demand",
        "intermittent",
        "smooth",  # mean 2.5, variance 1.75 -> CV2 0.28
        "too_short",
    ]
    assert np.isnan(result.adi[0])
    assert result.adi[1] == np.inf
    assert np.isnan(result.cv2[2])  # one size has no spread


def test_sample_variance_option_uses_ddof_one() -> None:
    demand = [[4, 6, 4, 6, 4, 6]]
    population = classify_demand(demand).cv2[0]
    sample = classify_demand(demand, cv2_ddof=1).cv2[0]
    assert population == pytest.approx(1 / 25)
    assert sample == pytest.approx(population * 6 / 5)


def test_vectorised_result_equals_one_series_at_a_time() -> None:
    rng = np.random.default_rng(7)
    demand = rng.poisson(0.6, size=(50, 24)).astype(float)
    demand[rng.random(demand.shape) < 0.1] = NAN
    together = classify_demand(demand)
    for index, row in enumerate(demand):
        alone = classify_demand(row[np.newaxis, :])
        assert alone.class_code[0] == together.class_code[index]
        np.testing.assert_equal(alone.adi[0], together.adi[index])
        np.testing.assert_equal(alone.cv2[0], together.cv2[index])


def test_carparts_classification_runs_and_covers_all_quadrants() -> None:
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "shared" / "data" / "carparts.csv"
    if not path.exists():
        pytest.skip(f"{path} not available")
    demand = np.genfromtxt(path, delimiter=",", skip_header=1)[:, 1:]
    result = classify_demand(demand)
    assert result.class_code.shape == (demand.shape[0],)
    # Car parts are mostly intermittent or lumpy (Hyndman's carparts data).
    share = np.isin(result.class_code, (INTERMITTENT, LUMPY)).mean()
    assert share > 0.5


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"adi_cutoff": 0.0}, r"`adi_cutoff` must be a finite number > 0, got 0\.0"),
        ({"cv2_cutoff": -1.0}, r"`cv2_cutoff` must be .* got -1\.0"),
        ({"min_periods": 0}, r"`min_periods` must be an integer >= 1, got 0"),
        ({"cv2_ddof": 2}, r"`cv2_ddof` must be 0 or 1, got 2"),
    ],
)
def test_bad_parameters_are_named_in_the_error(
    kwargs: dict[str, float], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        classify_demand([[1.0, 2.0]], **kwargs)  # type: ignore[arg-type]


def test_negative_demand_is_rejected_with_its_position() -> None:
    with pytest.raises(InputError, match=r"got -3\.0 in series 1, period 2"):
        classify_demand([[1, 2, 3], [1, 2, -3]])


def test_one_dimensional_demand_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"must be 2-D .* shape \(3,\)"):
        classify_demand([1.0, 2.0, 3.0])


def test_docstring_examples_run() -> None:
    assert doctest.testmod(demand_class).failed == 0


@pytest.mark.parametrize("cv2_ddof", [0, 1])
def test_blocks_of_series_and_gaps_give_the_same_classes(
    cv2_ddof: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(21)
    demand = rng.gamma(1.5, 3.0, (40, 24)) * (rng.random((40, 24)) < 0.4)
    with_gaps = demand.copy()
    with_gaps[3, :5] = NAN
    whole = classify_demand(demand, cv2_ddof=cv2_ddof)
    gapped = classify_demand(with_gaps, cv2_ddof=cv2_ddof)
    monkeypatch.setattr(demand_class, "_BLOCK_SERIES", 6)
    for expected, actual in [
        (whole, classify_demand(demand, cv2_ddof=cv2_ddof)),
        (gapped, classify_demand(with_gaps, cv2_ddof=cv2_ddof)),
    ]:
        for field in ("adi", "cv2", "class_code", "n_demand_periods"):
            np.testing.assert_array_equal(
                getattr(actual, field), getattr(expected, field)
            )
    assert gapped.n_recorded_periods[3] == 19
    np.testing.assert_array_equal(np.delete(gapped.cv2, 3), np.delete(whole.cv2, 3))


@pytest.mark.parametrize("bad", [np.inf, -1e-300, -np.inf])
def test_infinite_or_negative_demand_is_rejected_among_gaps(bad: float) -> None:
    demand = np.ones((3, 8))
    demand[0, 2] = NAN
    demand[2, 5] = bad
    with pytest.raises(InputError, match=r"in series 2, period 5"):
        classify_demand(demand)
