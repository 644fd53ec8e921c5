import numpy as np
import pytest

from spareplan.core.stock_levels import (
    expected_on_hand_units,
    lead_time_demand,
    order_quantity_by_cover,
    reorder_point,
    rule_of_thumb_safety_stock,
    whole_order_quantity,
)


def test_rule_of_thumb_safety_stock_shop_floor_example():
    # max lead time 12 days x max 5 a day - average 5 days x average 2 a day = 50.
    assert rule_of_thumb_safety_stock(5.0, 12.0, 2.0, 5.0) == pytest.approx(50.0)


def test_rule_of_thumb_is_zero_when_nothing_varies():
    # Worst case equals average case: 7 x 3 - 7 x 3 = 0.
    assert rule_of_thumb_safety_stock(7.0, 7.0, 3.0, 3.0) == pytest.approx(0.0)


def test_reorder_point_heizer_render_example():
    # Heizer & Render, Operations Management, reorder point example: 8,000 units a
    # year over 250 working days = 32 a day; lead time 3 days -> ROP = 96 units.
    demand = lead_time_demand(8000 / 250, 3.0)
    assert demand == pytest.approx(96.0)
    assert reorder_point(demand, 0.0) == 96.0


def test_reorder_point_rounds_up_but_ignores_floating_noise():
    # 0.1 x 3 = 0.30000000000000004 must round up to 1; 2.0000000000000004 to 2.
    assert reorder_point(lead_time_demand(0.1, 3.0), 0.0) == 1.0
    assert reorder_point(2.0000000000000004, 0.0) == 2.0
    assert reorder_point(96.0, 50.0) == 146.0


def test_reorder_point_rises_with_lead_time():
    lead_times = np.arange(1.0, 60.0)
    points = reorder_point(lead_time_demand(0.37, lead_times), 2.0)
    assert (np.diff(points) >= 0).all()


def test_whole_order_quantity_rounds_half_up_and_keeps_one_unit():
    assert whole_order_quantity([0.2, 1.5, 2.49, 76.42]).tolist() == [1, 2, 2, 76]


def test_order_quantity_by_cover_hand_calculation():
    # 30 days at 2 a day = 60; 0.1 a day x 30 = 3.0000000000000004 -> 3 units.
    assert order_quantity_by_cover([2.0, 0.1, 0.0], 30).tolist() == [60, 3, 1]


def test_expected_on_hand_hand_calculation():
    # r = 10, Q = 20, lead-time demand 8: 10 - 8 + (20 + 1) / 2 = 12.5 units.
    # An insurance spare (r = 0, Q = 1, no use) keeps its unit: 0 - 0 + 1 = 1.
    # A policy that orders nothing holds nothing.
    on_hand = expected_on_hand_units(
        [10.0, 0.0, 0.0], [20.0, 1.0, 0.0], [8.0, 0.0, 0.0]
    )
    assert on_hand.tolist() == [12.5, 1.0, 0.0]
