"""The stock ledger on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from spareplan.errors import SpareplanError
from spareplan.store import (
    InsufficientStockError,
    LedgerSettings,
    LedgerValueError,
    UnknownRecordError,
    count_stock,
    issue,
    on_hand_units,
    read_transaction,
    receive,
    stock_table,
    transfer,
)
from spareplan.store.schema import StockMovement


def _n_movements(engine: Engine) -> int:
    with read_transaction(engine) as connection:
        return int(connection.scalar(select(func.count(StockMovement.id))) or 0)


def test_import_books_catalogue_stock_as_opening_movements(engine: Engine) -> None:
    assert on_hand_units(engine, "P-1", "PLANT-A") == 5
    assert on_hand_units(engine, "P-1", "PLANT-B") == 0
    assert _n_movements(engine) == 3


def test_receipt_issue_transfer_and_count_move_on_hand(engine: Engine) -> None:
    receive(engine, "P-1", "PLANT-A", 4, user="ana", reference="DN-1")
    moved = issue(engine, "P-1", "PLANT-A", "2.5", user="ana", work_order="WO-9")
    assert moved.on_hand_units == pytest.approx(6.5)
    out, into = transfer(engine, "P-1", "PLANT-A", "PLANT-B", 1.5, user="ana")
    assert (out.on_hand_units, into.on_hand_units) == (5, 1.5)
    counted = count_stock(engine, "P-1", "PLANT-A", 3, user="ana")
    assert counted.quantity_units == -2
    assert on_hand_units(engine, "P-1", "PLANT-A") == 3

    stock = stock_table(engine, part_id="P-1")
    assert stock.get_column("on_hand_units").to_list() == [3, 1.5]


def test_count_to_zero_is_allowed(engine: Engine) -> None:
    count_stock(engine, "P-2", "PLANT-A", 0, user="ana")
    assert on_hand_units(engine, "P-2", "PLANT-A") == 0


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda e: receive(e, "P-404", "PLANT-A", 1, user="ana"),
            UnknownRecordError,
            r"part 'P-404' \(part_id\) is not in the store",
        ),
        (
            lambda e: receive(e, "P-1", "PLANT-Z", 1, user="ana"),
            UnknownRecordError,
            r"site 'PLANT-Z' \(site_id\) is not in the store",
        ),
        (
            lambda e: receive(e, "P-2", "PLANT-B", 1, user="ana"),
            UnknownRecordError,
            r"part 'P-2' at site 'PLANT-B' is not in the store",
        ),
        (
            lambda e: receive(e, "P-1", "PLANT-A", -3, user="ana"),
            LedgerValueError,
            r"part 'P-1' at site 'PLANT-A': quantity must be > 0, got -3",
        ),
        (
            lambda e: issue(e, "P-1", "PLANT-A", "ten", user="ana"),
            LedgerValueError,
            r"part 'P-1' at site 'PLANT-A': quantity must be a number > 0, "
            r"got 'ten'",
        ),
        (
            lambda e: issue(e, "P-1", "PLANT-A", float("nan"), user="ana"),
            LedgerValueError,
            r"quantity must be a number > 0, got nan",
        ),
        (
            lambda e: count_stock(e, "P-1", "PLANT-A", -1, user="ana"),
            LedgerValueError,
            r"counted_units must be >= 0, got -1",
        ),
        (
            lambda e: transfer(e, "P-1", "PLANT-A", "PLANT-A", 1, user="ana"),
            LedgerValueError,
            r"part 'P-1': a transfer needs two different sites, got to_site_id "
            r"'PLANT-A'",
        ),
        (
            lambda e: issue(e, "P-1", "PLANT-A", 6, user="ana"),
            InsufficientStockError,
            r"part 'P-1' at site 'PLANT-A': issue of quantity 6 would take "
            r"on_hand_units to -1; on hand is 5",
        ),
        (
            lambda e: transfer(e, "P-1", "PLANT-B", "PLANT-A", 1, user="ana"),
            InsufficientStockError,
            r"part 'P-1' at site 'PLANT-B': transfer of quantity 1",
        ),
        (
            lambda e: receive(e, "P-1", "PLANT-A", 1, user=" "),
            LedgerValueError,
            r"user must be a non-empty text, got ' '",
        ),
    ],
)
def test_bad_ledger_input_names_the_value_and_writes_nothing(
    engine: Engine, call, error: type[Exception], message: str
) -> None:
    before = _n_movements(engine)
    with pytest.raises(error, match=message) as raised:
        call(engine)
    assert isinstance(raised.value, SpareplanError)
    assert _n_movements(engine) == before


def test_ledger_errors_subclass_the_fitting_builtins() -> None:
    assert issubclass(UnknownRecordError, LookupError)
    assert issubclass(LedgerValueError, ValueError)
    assert issubclass(InsufficientStockError, LedgerValueError)


def test_negative_stock_only_when_the_settings_allow_it(engine: Engine) -> None:
    settings = LedgerSettings(allow_negative_stock=True)
    issue(engine, "P-1", "PLANT-A", 7, user="ana", settings=settings)
    assert on_hand_units(engine, "P-1", "PLANT-A") == -2
    with pytest.raises(InsufficientStockError):
        issue(engine, "P-1", "PLANT-A", 1, user="ana")


def test_on_hand_is_the_sum_of_the_ledger(engine: Engine) -> None:
    for quantity in (1, 2, 3):
        receive(engine, "P-4", "PLANT-A", quantity, user="ana")
    with read_transaction(engine) as connection:
        total = connection.scalar(
            select(func.sum(StockMovement.quantity_units)).where(
                StockMovement.part_id == "P-4", StockMovement.site_id == "PLANT-A"
            )
        )
    assert total == on_hand_units(engine, "P-4", "PLANT-A") == 8
