"""Read and check a suppliers file: contracted terms per supplier."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from spareplan.errors import InvalidInputError
from spareplan.io.tables import read_table
from spareplan.io.validation import ProblemLog

__all__ = ["SUPPLIER_COLUMNS", "read_suppliers"]

SUPPLIER_ALIASES = {
    "supplier": "supplier_id",
    "vendor": "supplier_id",
    "vendor_id": "supplier_id",
    "supplier_name": "name",
    "lead_time": "lead_time_days",
    "moq": "min_order_quantity",
    "minimum_order_quantity": "min_order_quantity",
    "multiple": "order_multiple",
}
# Numeric column -> (bad-row test, what is expected).
_NUMBER_RULES: dict[str, tuple[pl.Expr, str]] = {
    "lead_time_days": (pl.col("lead_time_days") <= 0, "> 0 (days)"),
    "order_cost": (pl.col("order_cost") < 0, ">= 0"),
    "min_order_quantity": (pl.col("min_order_quantity") < 0, ">= 0 (units)"),
    "order_multiple": (pl.col("order_multiple") <= 0, "> 0 (units)"),
    "emergency_premium": (pl.col("emergency_premium") < 0, ">= 0"),
    "emergency_lead_time_days": (
        pl.col("emergency_lead_time_days") <= 0,
        "> 0 (days)",
    ),
}
SUPPLIER_COLUMNS = ("supplier_id", "name", *_NUMBER_RULES)


def read_suppliers(path: str | Path) -> pl.DataFrame:
    """Read a suppliers file (.csv, .xlsx or .parquet), one row per supplier.

    Columns: ``supplier_id`` (required); optional ``name``, ``lead_time_days``
    (contracted, > 0), ``order_cost`` (>= 0), ``min_order_quantity`` (units,
    >= 0), ``order_multiple`` (units, > 0), ``emergency_premium`` (>= 0, money per
    emergency order) and ``emergency_lead_time_days`` (> 0).

    Returns
    -------
    polars.DataFrame
        Columns ``SUPPLIER_COLUMNS``; missing optional columns are null.

    Raises
    ------
    UnreadableFileError
        The file cannot be read.
    InvalidInputError
        Any cell breaks a rule, or a supplier is listed twice.
    """
    table = read_table(path, SUPPLIER_ALIASES)
    log = ProblemLog(Path(path).name, table, id_columns=("supplier_id", "name"))
    if "supplier_id" not in table.columns:
        log.file_problem("required column 'supplier_id' (or 'Supplier') is missing")
        raise InvalidInputError(log.problems)
    texts = log.texts({"supplier_id": True, "name": False})
    numbers = {
        column: (
            log.number(column, required=False)
            if column in table.columns
            else pl.Series(column, [None] * table.height, dtype=pl.Float64)
        )
        for column in _NUMBER_RULES
    }
    suppliers = pl.DataFrame({**texts, **numbers})
    for column, (is_bad, expected) in _NUMBER_RULES.items():
        log.rows(
            suppliers.select(is_bad.fill_null(False)).to_series(), column, expected
        )
    log.rows(
        texts["supplier_id"].is_duplicated() & texts["supplier_id"].is_not_null(),
        "supplier_id",
        "listed once (it appears on more than one row)",
    )
    if log.problems:
        raise InvalidInputError(log.problems)
    return suppliers.select(SUPPLIER_COLUMNS)
