"""Part needs from maintenance: due dates, trend projections and netting."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from digital_scenario import AS_OF, add_pump_plans, day, register_bracket
from sqlalchemy import Engine

from spareplan.digital import (
    MaintenancePlanSpec,
    maintenance_needs,
    record_reading,
    set_maintenance_plan,
)
from spareplan.store import receive


def _rows(table: pl.DataFrame, *columns: str) -> list[tuple[object, ...]]:
    return table.select(*columns).rows()


def test_due_dates_from_calendar_meter_and_wear_trend(plant: Engine) -> None:
    add_pump_plans(plant)
    needs = maintenance_needs(plant, as_of=AS_OF, horizon_days=90)
    by_plan = {plan: due for plan, due in _rows(needs.table, "plan_name", "due_date")}
    # 1 Jan + 90 days.
    assert by_plan["PM-90d"] == date(2025, 4, 1)
    # Meter: 1000 h + 24 h/day; 1500 + 2000 = 3500 h at (3500 - 1000) / 24 =
    # 104.17 days after 1 Jan, i.e. 15 April. The next, 5500 h, is past 2 May.
    assert by_plan["PM-2000h"] == date(2025, 4, 15)
    # Clearance (hand least squares, see test_trend): 1.99 + 0.054 t reaches
    # 4.0 mm at t = 37.22 days after 1 Jan: 7 February.
    assert by_plan["clearance"] == date(2025, 2, 7)
    assert needs.table.height == 3
    assert needs.unscheduled.height == 0


def test_a_flat_or_receding_wear_trend_gives_no_need(plant: Engine) -> None:
    set_maintenance_plan(
        plant,
        "PUMP-1",
        MaintenancePlanSpec(
            "liner", [("P-3", 1)], measure="liner", measure_unit="mm",
            threshold=5.0, threshold_direction="falling",
        ),
    )  # fmt: skip
    for offset, value in ((0, 9.0), (10, 9.2), (20, 9.3)):
        record_reading(
            plant, "PUMP-1", value, "mm", user="ana", at=day(2025, 1, 1 + offset)
        )
    needs = maintenance_needs(plant, as_of=AS_OF)
    assert needs.table.height == 0
    assert needs.unscheduled.height == 0


def test_a_plan_without_enough_readings_is_reported_unscheduled(plant: Engine) -> None:
    set_maintenance_plan(
        plant,
        "PUMP-1",
        MaintenancePlanSpec("PM-h", [("P-4", 1)], interval_meter_units=500),
    )
    record_reading(plant, "PUMP-1", 100, "h", user="ana", at=day(2025, 1, 1))
    needs = maintenance_needs(plant, as_of=AS_OF)
    assert needs.table.height == 0
    assert needs.unscheduled.row(0) == (
        "PUMP-1",
        "PM-h",
        "1 meter readings; a trend needs two or more",
    )


def test_stock_on_hand_covers_the_earliest_needs_first(plant: Engine) -> None:
    # P-4 has 2 on hand; every 30 days from 10 Jan it needs 3.
    set_maintenance_plan(
        plant, "PUMP-1",
        MaintenancePlanSpec("PM-30d", [("P-4", 3)], interval_days=30,
                            last_done_date=date(2025, 1, 10)),
    )  # fmt: skip
    needs = maintenance_needs(plant, as_of=AS_OF, horizon_days=90).table
    assert _rows(needs, "due_date", "gross_units", "covered_units", "net_units") == [
        (date(2025, 2, 9), 3.0, 2.0, 1.0),
        (date(2025, 3, 11), 3.0, 0.0, 3.0),
        (date(2025, 4, 10), 3.0, 0.0, 3.0),
    ]
    receive(plant, "P-4", "PLANT-A", 5, user="ana")
    needs = maintenance_needs(plant, as_of=AS_OF, horizon_days=90).table
    assert needs.get_column("net_units").to_list() == [0.0, 0.0, 2.0]


def test_order_dates_of_digital_parts_leave_lead_time_and_margin(
    plant: Engine, model_store: Path, model_file
) -> None:  # type: ignore[no-untyped-def]
    add_pump_plans(plant)
    register_bracket(plant, model_store, model_file("bracket.step"))
    needs = maintenance_needs(
        plant, as_of=AS_OF, horizon_days=90, safety_margin_days=7
    ).table.filter(pl.col("part_id") == "P-3")
    # Lead time 10 + margin 7: 7 Feb -> 21 Jan (late: ordered 1 Feb, there
    # 11 Feb); 1 April -> 15 March (not yet).
    assert _rows(needs, "due_date", "order_date", "is_order_due", "is_late") == [
        (date(2025, 2, 7), date(2025, 1, 21), True, True),
        (date(2025, 4, 1), date(2025, 3, 15), False, False),
    ]
    assert needs.get_column("revision").to_list() == ["A", "A"]


def test_bad_horizon_is_refused() -> None:
    from spareplan.digital import DigitalValueError
    from spareplan.digital.needs import read_needs

    with pytest.raises(
        DigitalValueError, match=r"needs: horizon_days must be > 0, got -1"
    ):
        read_needs(None, horizon_days=-1)  # type: ignore[arg-type]
