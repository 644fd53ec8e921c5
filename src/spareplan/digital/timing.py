"""Due dates of maintenance and the day a fabrication order must be placed.

Pure functions on calendar days. One time base: days. A fractional lead time is
rounded up to whole days, so a part ordered on the order date is there in time.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from spareplan.digital.errors import DigitalValueError

__all__ = ["calendar_due_dates", "fabrication_order_date", "occurrences_in_horizon"]


def fabrication_order_date(
    due_date: date, fabrication_lead_time_days: float, safety_margin_days: float
) -> date:
    """The last day to order so the part is there ``safety_margin_days`` early.

    .. math:: t_{order} = t_{due} - \\lceil L_f + m \\rceil

    with ``L_f`` the fabrication lead time and ``m`` the safety margin, in days.

    Raises
    ------
    DigitalValueError
        A negative or non-finite lead time or margin.

    Examples
    --------
    >>> fabrication_order_date(date(2025, 3, 31), 10, 5)
    datetime.date(2025, 3, 16)
    >>> fabrication_order_date(date(2025, 3, 31), 2.5, 0)
    datetime.date(2025, 3, 28)
    """
    for name, value in (
        ("fabrication_lead_time_days", fabrication_lead_time_days),
        ("safety_margin_days", safety_margin_days),
    ):
        if not (math.isfinite(value) and value >= 0):
            raise DigitalValueError(f"{name} must be a number >= 0, got {value!r}")
    return due_date - timedelta(
        days=math.ceil(fabrication_lead_time_days + safety_margin_days)
    )


def occurrences_in_horizon(
    first_due: float, interval: float, as_of: float, horizon_end: float
) -> list[float]:
    """The first due point, then every later one after ``as_of`` up to the horizon.

    Points are on any axis (days or meter units). The first occurrence is kept
    even when overdue (before ``as_of``); repeats of an overdue task that also
    fall before ``as_of`` are one late occurrence, not several.

    Examples
    --------
    >>> occurrences_in_horizon(10, 30, 0, 100)
    [10, 40, 70, 100]
    >>> occurrences_in_horizon(-50, 30, 0, 40)
    [-50, 10, 40]
    """
    if not (math.isfinite(interval) and interval > 0):
        raise DigitalValueError(f"interval must be a number > 0, got {interval!r}")
    if first_due > horizon_end:
        return []
    points = [first_due]
    step = 1
    if first_due < as_of:
        step = max(1, math.floor((as_of - first_due) / interval) + 1)
    while first_due + step * interval <= horizon_end:
        points.append(first_due + step * interval)
        step += 1
    return points


def calendar_due_dates(
    last_done_date: date | None, interval_days: float, as_of: date, horizon_end: date
) -> list[date]:
    """Due dates of a calendar plan: last done + interval, and its repeats.

    A plan never done is due on ``as_of``. A fractional due day is rounded down
    (the earlier day).

    Examples
    --------
    >>> calendar_due_dates(date(2025, 1, 1), 30, date(2025, 1, 15), date(2025, 3, 5))
    [datetime.date(2025, 1, 31), datetime.date(2025, 3, 2)]
    """
    if last_done_date is None:
        first_day = float(as_of.toordinal())
    else:
        first_day = last_done_date.toordinal() + interval_days
    points = occurrences_in_horizon(
        first_day, interval_days, as_of.toordinal(), horizon_end.toordinal()
    )
    return [date.fromordinal(math.floor(point)) for point in points]
