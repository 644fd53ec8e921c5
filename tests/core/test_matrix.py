import numpy as np
import pytest

from spareplan.core.matrix import STRATEGIES, quadrant


@pytest.mark.parametrize(
    ("is_high", "lead_time_days", "expected"),
    [
        (True, 14.0, 1),  # the threshold itself is long
        (True, 13.99, 2),
        (False, 14.0, 3),
        (False, 13.99, 4),
        (True, 120.0, 1),
        (False, 1.0, 4),
    ],
)
def test_quadrant_boundaries(is_high, lead_time_days, expected):
    assert quadrant([is_high], [lead_time_days], 14.0).tolist() == [expected]


def test_strategies_follow_quadrant_order():
    assert STRATEGIES == (
        "strategic_stock",
        "predictive_jit",
        "digital_on_demand",
        "consolidated_jit",
    )


def test_quadrant_vectorised_equals_scalar_loop():
    rng = np.random.default_rng(3)
    is_high = rng.random(200) < 0.5
    lead_times = rng.uniform(1, 60, 200)
    vector = quadrant(is_high, lead_times, 21.0)
    scalar = [quadrant([h], [t], 21.0)[0] for h, t in zip(is_high, lead_times)]
    assert vector.tolist() == scalar
