"""Import: one transaction, updates by key, never half-written, even when killed."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from spareplan import InvalidInputError, read_catalogue
from spareplan.store import (
    StoreNotReadyError,
    connect_store,
    import_catalogue,
    plan_runs,
    read_transaction,
    receive,
    stock_table,
    store_plan,
    upgrade_store,
)
from spareplan.store.schema import (
    Part,
    PartSite,
    PlanLine,
    PlanRun,
    Requisition,
    RequisitionLine,
    StockMovement,
    Supplier,
)

WORKER = Path(__file__).with_name("workers.py")
COUNTED = (PartSite, PlanRun, PlanLine, StockMovement, Requisition, RequisitionLine)


def _counts(engine: Engine) -> dict[str, int]:
    with read_transaction(engine) as connection:
        return {
            table.__tablename__: int(
                connection.scalar(select(func.count()).select_from(table)) or 0
            )
            for table in COUNTED
        }


def test_import_stores_parts_suppliers_and_a_plan_run(engine: Engine) -> None:
    with read_transaction(engine) as connection:
        supplier = connection.execute(
            select(Supplier).where(Supplier.supplier_id == "SUP-1")
        ).one()
        digital = connection.scalars(
            select(Part.part_id).where(Part.has_digital_model)
        ).all()
        plan = connection.execute(
            select(PartSite.quadrant, PartSite.plan_run_id).where(
                PartSite.part_id == "P-1", PartSite.site_id == "PLANT-A"
            )
        ).one()
    assert (supplier.min_order_quantity, supplier.order_multiple) == (10, 5)
    assert supplier.name == "Bearings Ltd"
    assert digital == ["P-3"]
    assert tuple(plan) == (1, 1)
    runs = plan_runs(engine)
    assert runs.get_column("n_part_sites").to_list() == [6]


def test_reimport_updates_by_key_and_keeps_the_ledger(
    engine: Engine, files: dict[str, Path]
) -> None:
    receive(engine, "P-1", "PLANT-A", 2, user="ana")
    text = files["catalogue"].read_text().replace("bearing,100", "bearing,120")
    files["catalogue"].write_text(text + "P-6,PLANT-B,valve,30,low,3,4,SUP-2,no\n")

    result = import_catalogue(engine, files["catalogue"], user="test")

    assert result.n_part_sites == 7
    assert result.n_opening_movements == 1
    counts = _counts(engine)
    assert counts["part_sites"] == 7
    assert counts["plan_runs"] == 2
    assert counts["plan_lines"] == 6 + 7
    stock = stock_table(engine).filter(part_id="P-1", site_id="PLANT-A")
    assert stock.get_column("on_hand_units").item() == 7
    with read_transaction(engine) as connection:
        cost = connection.scalar(
            select(PartSite.unit_cost).where(
                PartSite.part_id == "P-1", PartSite.site_id == "PLANT-A"
            )
        )
        first_plan = connection.scalar(
            select(func.count()).where(PlanLine.plan_run_id == 1)
        )
    assert cost == 120
    assert first_plan == 6


def test_bad_catalogue_gets_the_readers_error_and_writes_nothing(
    engine: Engine, files: dict[str, Path]
) -> None:
    files["catalogue"].write_text(
        files["catalogue"].read_text() + "P-7,PLANT-A,pin,-4,high,3,1,SUP-1,no\n"
    )
    before = _counts(engine)
    with pytest.raises(InvalidInputError) as from_store:
        import_catalogue(engine, files["catalogue"])
    with pytest.raises(InvalidInputError) as from_reader:
        read_catalogue(files["catalogue"])
    assert str(from_store.value) == str(from_reader.value)
    assert "unit_cost" in str(from_store.value)
    assert _counts(engine) == before


def test_bad_suppliers_file_names_row_column_and_value(
    engine: Engine, files: dict[str, Path]
) -> None:
    files["suppliers"].write_text("supplier_id,order_multiple\nSUP-1,0\nSUP-1,x\n")
    with pytest.raises(InvalidInputError, match=r"row 2, column 'order_multiple'"):
        import_catalogue(engine, files["catalogue"], suppliers_path=files["suppliers"])
    with pytest.raises(InvalidInputError, match=r"must be a number, got 'x'"):
        import_catalogue(engine, files["catalogue"], suppliers_path=files["suppliers"])


def test_store_plan_refuses_part_sites_the_store_does_not_know(
    engine: Engine, files: dict[str, Path], tmp_path: Path
) -> None:
    from spareplan import plan_files

    other = tmp_path / "other.csv"
    other.write_text(
        "part_id,site_id,unit_cost,criticality,lead_time_days\nX-1,PLANT-A,1,high,3\n"
    )
    with pytest.raises(LookupError, match=r"1 part-sites .*'X-1' at 'PLANT-A'"):
        store_plan(engine, plan_files(other))
    run_id = store_plan(engine, plan_files(files["catalogue"]))
    assert run_id == 2


def test_uninitialised_store_says_to_run_db_init(sqlite_url: str) -> None:
    store = connect_store(sqlite_url)
    with pytest.raises(StoreNotReadyError, match="run 'spareplan db init'"):
        stock_table(store)


def _start(operation: str, url: str, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), operation, url, *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill_after(process: subprocess.Popen[str], marker: str, delay: float) -> bool:
    """SIGKILL ``process`` ``delay`` s after it logs ``marker``; True if it ran."""
    assert process.stderr is not None
    for line in process.stderr:
        if marker in line:
            break
    time.sleep(delay)
    was_running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    return was_running


@pytest.mark.parametrize("delay", [0.0, 0.3])
def test_killed_import_leaves_the_store_unchanged_or_complete(
    engine: Engine, big_catalogue, delay: float
) -> None:
    big = big_catalogue(15_000)
    url = engine.url.render_as_string(hide_password=False)
    before = _counts(engine)

    killed = _kill_after(_start("import", url, str(big)), "planned", delay)

    after = _counts(engine)
    complete = {**before, "part_sites": 30_006, "plan_runs": 2}
    complete["plan_lines"] = before["plan_lines"] + 30_000
    complete["stock_movements"] = before["stock_movements"] + 22_500
    assert after in (before, complete)
    if killed and delay == 0.0:
        # Killed as the write began: the open transaction must have vanished.
        assert after == before
    import_catalogue(engine, big)
    assert _counts(engine) == complete


def test_killed_replenish_leaves_no_requisition_behind(
    sqlite_url: str, big_catalogue
) -> None:
    big = big_catalogue(10_000)
    store = connect_store(sqlite_url)
    upgrade_store(store)
    import_catalogue(store, big)

    killed = _kill_after(_start("replenish", sqlite_url), "replenish: reading", 0)

    assert killed
    counts = _counts(store)
    assert (counts["requisitions"], counts["requisition_lines"]) == (0, 0)
    from spareplan.store import replenish

    assert replenish(store, user="again").n_lines > 1000
    store.dispose()
