"""Assets, preventive plans, readings and parts lists: checks and transactions."""

from __future__ import annotations

from datetime import date

import pytest
from digital_scenario import day
from sqlalchemy import Engine, func, select

from spareplan.digital import (
    DigitalValueError,
    MaintenancePlanSpec,
    add_asset,
    asset_parts,
    maintenance_plans,
    record_reading,
    set_asset_part,
    set_maintenance_plan,
)
from spareplan.store import UnknownRecordError
from spareplan.store.engine import read_transaction
from spareplan.store.schema import ConditionReading, MaintenancePlan


def _count(engine: Engine, table: type) -> int:
    with read_transaction(engine) as connection:
        return int(connection.scalar(select(func.count()).select_from(table)) or 0)


def test_plans_and_parts_lists_are_stored_and_replaced_by_name(plant: Engine) -> None:
    spec = MaintenancePlanSpec(
        "PM-90d", [("P-4", 2), ("P-3", 1)], interval_days=90,
        last_done_date=date(2025, 1, 1),
    )  # fmt: skip
    first = set_maintenance_plan(plant, "PUMP-1", spec)
    again = set_maintenance_plan(
        plant, "PUMP-1", MaintenancePlanSpec("PM-90d", [("P-4", 3)], interval_days=60)
    )
    assert again == first
    plans = maintenance_plans(plant, "PUMP-1")
    assert plans.select("part_id", "quantity_units", "interval_days").rows() == [
        ("P-4", 3.0, 60.0)
    ]
    set_asset_part(plant, "PUMP-1", "P-1", 2)
    set_asset_part(plant, "PUMP-1", "P-1", "4")
    assert asset_parts(plant).select("part_id", "quantity_units").rows() == [
        ("P-1", 4.0)
    ]


def test_unknown_asset_or_part_names_the_record(plant: Engine) -> None:
    spec = MaintenancePlanSpec("PM", [("P-4", 1)], interval_days=30)
    with pytest.raises(
        UnknownRecordError, match=r"asset 'PUMP-9' \(asset_id\).*'PUMP-1'"
    ):
        set_maintenance_plan(plant, "PUMP-9", spec)
    bad_part = MaintenancePlanSpec("PM", [("P-4", 1), ("P-99", 1)], interval_days=30)
    with pytest.raises(UnknownRecordError, match=r"part 'P-99' \(part_id\)"):
        set_maintenance_plan(plant, "PUMP-1", bad_part)
    add_asset(plant, "FAN-2", "PLANT-B")
    with pytest.raises(UnknownRecordError, match=r"part 'P-4' at site 'PLANT-B'"):
        set_asset_part(plant, "FAN-2", "P-4", 1)
    with pytest.raises(UnknownRecordError, match=r"site 'PLANT-Z' \(site_id\)"):
        add_asset(plant, "FAN-3", "PLANT-Z")
    assert _count(plant, MaintenancePlan) == 0


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (MaintenancePlanSpec("PM", [("P-4", 1)]), r"exactly one trigger.*got none"),
        (MaintenancePlanSpec("PM", [("P-4", 1)], interval_days=30, threshold=3),
         r"exactly one trigger.*\['interval_days', 'threshold'\]"),
        (MaintenancePlanSpec("PM", [("P-4", 1)], interval_days=-5),
         r"asset 'PUMP-1' plan 'PM': interval_days must be > 0, got -5"),
        (MaintenancePlanSpec("PM", [("P-4", 0)], interval_days=5),
         r"plan 'PM' part 'P-4': quantity_units must be > 0, got 0"),
        (MaintenancePlanSpec("PM", [], interval_days=5), r"at least one"),
        (MaintenancePlanSpec("PM", [("P-4", 1)], threshold=3, measure_unit="mm",
                             threshold_direction="up"),
         r"threshold_direction must be 'rising' or 'falling', got 'up'"),
    ],
)  # fmt: skip
def test_bad_plans_are_refused_with_field_and_value(
    plant: Engine, spec: MaintenancePlanSpec, message: str
) -> None:
    with pytest.raises(DigitalValueError, match=message):
        set_maintenance_plan(plant, "PUMP-1", spec)
    assert _count(plant, MaintenancePlan) == 0


def test_a_reading_in_the_wrong_unit_is_refused(plant: Engine) -> None:
    set_maintenance_plan(
        plant,
        "PUMP-1",
        MaintenancePlanSpec(
            "clearance", [("P-3", 1)], measure="clearance", measure_unit="mm",
            threshold=4.0, threshold_direction="rising",
        ),
    )  # fmt: skip
    record_reading(plant, "PUMP-1", 1200, "h", user="ana", at=day(2025, 1, 1))
    record_reading(plant, "PUMP-1", "2.5", "mm", user="ana", at=day(2025, 1, 1))
    with pytest.raises(
        DigitalValueError,
        match=r"asset 'PUMP-1': unit must be one of 'mm' \(clearance\), 'h' \(meter\), "
        r"got 'in'",
    ):
        record_reading(plant, "PUMP-1", 0.1, "in", user="ana")
    with pytest.raises(
        DigitalValueError, match=r"measure 'clearance': unit must be 'mm'"
    ):
        record_reading(plant, "PUMP-1", 0.1, "h", user="ana", measure="clearance")
    with pytest.raises(DigitalValueError, match=r"value must be a number, got 'abc'"):
        record_reading(plant, "PUMP-1", "abc", "mm", user="ana")
    with pytest.raises(UnknownRecordError, match=r"asset 'PUMP-7'"):
        record_reading(plant, "PUMP-7", 1, "h", user="ana")
    assert _count(plant, ConditionReading) == 2
