"""Emergency purchases: recorded, totalled per period, lean plans flagged."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from spareplan.store import LedgerValueError, emergency_report, record_emergency

JAN = datetime(2025, 1, 10, tzinfo=UTC)
FEB = datetime(2025, 2, 10, tzinfo=UTC)


def test_report_counts_premium_per_site_and_flags_lean_plans(engine: Engine) -> None:
    record_emergency(engine, "P-1", "PLANT-A", 1, 300, "pump down", user="a", at=JAN)
    record_emergency(engine, "P-1", "PLANT-A", 1, 200, "pump down", user="a", at=JAN)
    record_emergency(engine, "P-2", "PLANT-A", 1, 50, "belt snapped", user="a", at=JAN)
    record_emergency(engine, "P-1", "PLANT-B", 1, 75, "outside", user="a", at=FEB)

    report = emergency_report(
        engine, datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 2, 1, tzinfo=UTC)
    )

    rows = report.by_part_site.select(
        "part_id", "n_emergency_buys", "premium_paid", "is_plan_too_lean"
    ).rows()
    assert rows[0] == ("P-1", 2, 500.0, True)
    assert rows[1][:3] == ("P-2", 1, 50.0)
    assert report.by_site.select(
        "site_id", "n_emergency_buys", "premium_paid"
    ).rows() == [("PLANT-A", 3, 550.0)]


def test_bad_emergency_input_names_the_field(engine: Engine) -> None:
    with pytest.raises(LedgerValueError, match=r"premium_paid must be >= 0, got -5"):
        record_emergency(engine, "P-1", "PLANT-A", 1, -5, "x", user="a")
    with pytest.raises(LedgerValueError, match=r"cause must be a non-empty text"):
        record_emergency(engine, "P-1", "PLANT-A", 1, 5, "", user="a")
    with pytest.raises(LedgerValueError, match=r"end must be after start"):
        emergency_report(engine, FEB, JAN)
