"""The pump of the digital tests: its plans and readings, on a given store."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine

from spareplan.digital import (
    MaintenancePlanSpec,
    RevisionSpec,
    record_reading,
    register_model,
    set_maintenance_plan,
)

AS_OF = date(2025, 2, 1)


def day(year: int, month: int, day_of_month: int) -> datetime:
    """Midnight UTC of a day, for readings."""
    return datetime(year, month, day_of_month, tzinfo=UTC)


BRACKET_A = RevisionSpec("A", "PA12", "3d_printing", 10, 35, "verified", "PrintShop")


def add_pump_plans(engine: Engine) -> None:
    """Calendar, meter and condition plans of PUMP-1 (at PLANT-A)."""
    # Calendar: every 90 days from 1 Jan -> due 1 April.
    set_maintenance_plan(
        engine,
        "PUMP-1",
        MaintenancePlanSpec(
            "PM-90d", [("P-3", 2)], interval_days=90, last_done_date=date(2025, 1, 1)
        ),
    )
    # Meter: 24 h a day from 1000 h on 1 Jan; every 2000 h from 1500 h.
    set_maintenance_plan(
        engine,
        "PUMP-1",
        MaintenancePlanSpec(
            "PM-2000h", [("P-4", 1)], interval_meter_units=2000, last_done_meter=1500
        ),
    )
    for offset, hours in ((0, 1000), (10, 1240), (20, 1480), (30, 1720)):
        record_reading(
            engine, "PUMP-1", hours, "h", user="ana", at=day(2025, 1, 1 + offset)
        )
    # Condition: bearing clearance rising to 4.0 mm replaces bracket P-3.
    set_maintenance_plan(
        engine,
        "PUMP-1",
        MaintenancePlanSpec(
            "clearance", [("P-3", 1)], measure="clearance", measure_unit="mm",
            threshold=4.0, threshold_direction="rising",
        ),
    )  # fmt: skip
    for offset, value in ((0, 2.0), (10, 2.6), (20, 2.9), (30, 3.7)):
        record_reading(
            engine, "PUMP-1", value, "mm", user="ana", at=day(2025, 1, 1 + offset)
        )


def register_bracket(
    engine: Engine, model_store: Path, source: Path, spec: RevisionSpec = BRACKET_A
) -> None:
    """Register a model of the bracket P-3 (quadrant 3)."""
    register_model(engine, "P-3", [source], spec, user="ana", model_store=model_store)
