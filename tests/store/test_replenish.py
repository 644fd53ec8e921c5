"""Replenishment: quantities, grouping, line types, idempotence, receipts."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine

from spareplan.store import (
    LedgerValueError,
    UnknownRecordError,
    export_requisitions,
    receive,
    replenish,
    requisition_lines,
    set_override,
    stock_table,
)

# part, site, reorder point, order-up-to (on hand: P-1 5, P-2 10, P-4 2, others 0)
LEVELS = [
    ("P-1", "PLANT-A", 5, 12),
    ("P-1", "PLANT-B", 0, 0),
    ("P-2", "PLANT-A", 10, 13),
    ("P-3", "PLANT-A", 1, 4),
    ("P-4", "PLANT-A", 2, 7),
    ("P-5", "PLANT-A", 0, 3),
]


@pytest.fixture
def levelled(engine: Engine) -> Engine:
    """The small store with hand-set levels, so every quantity is known."""
    for part_id, site_id, reorder_point, order_up_to in LEVELS:
        set_override(
            engine,
            part_id,
            site_id,
            user="planner",
            reorder_point=reorder_point,
            order_up_to=order_up_to,
        )
    return engine


def test_requisitions_respect_minimum_multiple_and_quadrant(levelled: Engine) -> None:
    result = replenish(levelled, user="buyer")

    lines = result.lines.select(
        "requisition", "supplier_id", "part_id", "line_type", "quantity_units"
    ).sort("part_id")
    # P-1: 12 - 5 = 7, raised to SUP-1's minimum 10 (a multiple of 5).
    # P-2: 13 - 10 = 3 -> 10. P-3 has a digital model: fabricated, no supplier.
    assert lines.select("part_id", "line_type", "quantity_units").rows() == [
        ("P-1", "purchase", 10.0),
        ("P-2", "kanban", 10.0),
        ("P-3", "fabrication", 4.0),
        ("P-4", "consolidated", 5.0),
        ("P-5", "purchase", 3.0),
    ]
    assert result.n_requisitions == 3
    by_group = lines.group_by("requisition").agg(pl.col("part_id").sort())
    assert sorted(by_group.get_column("part_id").to_list()) == [
        ["P-1", "P-2"],
        ["P-3"],
        ["P-4", "P-5"],
    ]
    assert lines.filter(part_id="P-3").get_column("supplier_id").item() is None


def test_running_twice_raises_nothing_new(levelled: Engine) -> None:
    first = replenish(levelled, user="buyer")
    second = replenish(levelled, user="buyer")
    assert first.n_lines == 5
    assert second.n_lines == 0
    stock = stock_table(levelled).filter(part_id="P-1", site_id="PLANT-A")
    assert stock.get_column("on_order_units").item() == 10


def test_receiving_against_a_line_closes_it_and_then_the_requisition(
    levelled: Engine,
) -> None:
    lines = replenish(levelled, user="buyer").lines
    requisition = lines.filter(part_id="P-1").get_column("requisition").item()

    receive(levelled, "P-1", "PLANT-A", 4, user="ana", requisition=requisition)
    assert requisition_lines(levelled).filter(part_id="P-1").get_column(
        "received_units"
    ).to_list() == [4]
    moved = receive(levelled, "P-1", "PLANT-A", 6, user="ana", requisition=requisition)
    receive(levelled, "P-2", "PLANT-A", 10, user="ana", requisition=requisition)

    assert moved.reference == requisition
    closed = requisition_lines(levelled, status="closed")
    assert sorted(closed.get_column("part_id").to_list()) == ["P-1", "P-2"]
    with pytest.raises(UnknownRecordError, match=f"requisition '{requisition}' has"):
        receive(levelled, "P-1", "PLANT-A", 1, user="ana", requisition=requisition)


def test_requisitions_export_to_csv_and_excel(levelled: Engine, tmp_path: Path) -> None:
    lines = replenish(levelled, user="buyer").lines
    csv = export_requisitions(lines, tmp_path / "req.csv")
    xlsx = export_requisitions(lines, tmp_path / "req.xlsx")
    assert pl.read_csv(csv).height == 5
    assert xlsx.stat().st_size > 0
    with pytest.raises(OSError, match=r"\.csv or \.xlsx, got '\.txt'"):
        export_requisitions(lines, tmp_path / "req.txt")


def test_override_must_keep_order_up_to_above_reorder_point(engine: Engine) -> None:
    with pytest.raises(LedgerValueError, match=r"order_up_to must be above"):
        set_override(engine, "P-1", "PLANT-A", user="p", reorder_point=9, order_up_to=4)
    with pytest.raises(LedgerValueError, match=r"reorder_point must be >= 0, got -1"):
        set_override(engine, "P-1", "PLANT-A", user="p", reorder_point=-1)


def test_sister_site_stock_above_its_reorder_point_is_transferred_before_buying(
    levelled: Engine,
) -> None:
    # P-1 at PLANT-A: position 5 <= reorder point 5, short 12 - 5 = 7 of its max.
    # PLANT-B holds 9 with reorder point 2: it can give 9 - 2 = 7 and stay at its
    # own reorder point, so nothing is bought for P-1.
    set_override(
        levelled, "P-1", "PLANT-B", user="planner", reorder_point=2, order_up_to=9
    )
    receive(levelled, "P-1", "PLANT-B", 9, user="clerk", reference="DN-1")
    result = replenish(levelled, user="buyer")
    assert result.transfers.rows() == [("P-1", "PLANT-B", "PLANT-A", 7.0)]
    assert "P-1" not in result.lines["part_id"].to_list()


def test_a_donor_is_never_taken_below_its_reorder_point(levelled: Engine) -> None:
    # PLANT-B holds 6 with reorder point 2: only 4 can go, and P-1 at PLANT-A is
    # then at position 9 > 5, so no purchase either.
    set_override(
        levelled, "P-1", "PLANT-B", user="planner", reorder_point=2, order_up_to=9
    )
    receive(levelled, "P-1", "PLANT-B", 6, user="clerk", reference="DN-1")
    result = replenish(levelled, user="buyer")
    assert result.transfers.rows() == [("P-1", "PLANT-B", "PLANT-A", 4.0)]
    assert "P-1" not in result.lines["part_id"].to_list()
