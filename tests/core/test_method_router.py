"""Tests of the lead-time demand method router."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

from spareplan.core import method_router
from spareplan.core.demand_class import (
    ERRATIC,
    INTERMITTENT,
    LUMPY,
    NO_DEMAND,
    SMOOTH,
    TOO_SHORT,
)
from spareplan.core.lead_time_demand import (
    EMPIRICAL,
    NEGATIVE_BINOMIAL,
    NORMAL,
    POISSON,
)
from spareplan.core.method_router import (
    NOT_FORCED,
    RouterSettings,
    method_codes_from_names,
    route_lead_time_demand_method,
)
from spareplan.errors import InputError


def test_each_class_gets_its_documented_method() -> None:
    classes = [SMOOTH, ERRATIC, SMOOTH, ERRATIC, INTERMITTENT, LUMPY, LUMPY]
    classes += [NO_DEMAND, TOO_SHORT]
    mean = [40.0, 25.0, 3.0, 3.0, 2.0, 2.0, 2.0, 0.0, 1.0]
    variance = [50.0, 90.0, 2.0, 9.0, 6.0, 6.0, 1.5, 0.0, 8.0]
    codes = route_lead_time_demand_method(classes, mean, variance)
    assert codes.tolist() == [
        NORMAL,
        NORMAL,
        POISSON,  # slow and not over-dispersed
        NEGATIVE_BINOMIAL,  # slow and over-dispersed
        POISSON,
        NEGATIVE_BINOMIAL,
        POISSON,  # lumpy but variance <= mean
        POISSON,
        POISSON,
    ]


def test_normal_threshold_is_a_setting() -> None:
    codes = route_lead_time_demand_method(
        [SMOOTH], [5.0], [4.0], settings=RouterSettings(normal_min_mean_units=5.0)
    )
    assert codes.tolist() == [NORMAL]


def test_forced_methods_override_the_rules() -> None:
    forced = method_codes_from_names([None, "empirical", "", "normal"])
    codes = route_lead_time_demand_method(
        [SMOOTH, LUMPY, LUMPY, INTERMITTENT],
        [40.0, 2.0, 2.0, 2.0],
        [50.0, 6.0, 6.0, 2.0],
        forced_method_code=forced,
    )
    assert forced.tolist() == [NOT_FORCED, EMPIRICAL, NOT_FORCED, NORMAL]
    assert codes.tolist() == [NORMAL, EMPIRICAL, NEGATIVE_BINOMIAL, NORMAL]


def test_missing_moments_never_pick_normal_or_negative_binomial() -> None:
    codes = route_lead_time_demand_method(
        [SMOOTH, LUMPY], [np.nan, np.nan], [np.nan, np.nan]
    )
    assert codes.tolist() == [POISSON, POISSON]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: route_lead_time_demand_method([9], [1.0], [1.0]),
            r"`class_code` must be in 0\.\.5, got 9",
        ),
        (
            lambda: route_lead_time_demand_method(
                [SMOOTH], [1.0], [1.0], forced_method_code=[4]
            ),
            r"`forced_method_code` must be in -1\.\.3, got 4",
        ),
        (
            lambda: method_codes_from_names(["gamma"]),
            r"position 0 must be one of .* got 'gamma'",
        ),
        (
            lambda: RouterSettings(normal_min_mean_units=-1.0),
            r"`normal_min_mean_units` must be finite and >= 0, got -1\.0",
        ),
        (
            lambda: route_lead_time_demand_method([0, 1], [1.0, 2.0, 3.0], [1.0]),
            r"must have one shape",
        ),
    ],
)
def test_bad_inputs_are_named_in_the_error(call: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        call()  # type: ignore[operator]


def test_docstring_examples_run() -> None:
    assert doctest.testmod(method_router).failed == 0
