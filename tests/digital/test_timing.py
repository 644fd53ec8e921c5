"""Due dates of calendar plans and fabrication order dates."""

from __future__ import annotations

from datetime import date

import pytest

from spareplan.digital import (
    DigitalValueError,
    calendar_due_dates,
    fabrication_order_date,
)


def test_order_date_leaves_lead_time_and_margin_before_the_due_date() -> None:
    # 31 March - (10 + 5) days = 16 March.
    assert fabrication_order_date(date(2025, 3, 31), 10, 5) == date(2025, 3, 16)
    # A fractional lead time is rounded up: 2.5 days -> 3 days.
    assert fabrication_order_date(date(2025, 3, 31), 2.5, 0) == date(2025, 3, 28)


def test_order_date_refuses_a_negative_lead_time() -> None:
    with pytest.raises(DigitalValueError, match=r"fabrication_lead_time_days .* -3"):
        fabrication_order_date(date(2025, 3, 31), -3, 0)


def test_calendar_plan_is_due_last_done_plus_interval_and_repeats() -> None:
    dates = calendar_due_dates(
        date(2025, 1, 1), 30, date(2025, 1, 15), date(2025, 4, 1)
    )
    assert dates == [date(2025, 1, 31), date(2025, 3, 2), date(2025, 4, 1)]


def test_an_overdue_plan_is_one_late_occurrence_then_the_future_ones() -> None:
    dates = calendar_due_dates(
        date(2024, 10, 1), 30, date(2025, 1, 15), date(2025, 2, 20)
    )
    # 31 Oct is overdue; 30 Nov and 30 Dec are the same late task; next 29 Jan.
    assert dates == [date(2024, 10, 31), date(2025, 1, 29)]


def test_a_plan_never_done_is_due_today() -> None:
    assert calendar_due_dates(None, 90, date(2025, 1, 15), date(2025, 2, 1)) == [
        date(2025, 1, 15)
    ]
