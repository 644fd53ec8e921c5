"""Write a plan as CSV, Excel or Parquet, chosen by the file suffix.

Every writer goes to a temporary file beside the target and renames it into place,
so a failed or interrupted write never leaves a half-written plan behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import polars as pl
import xlsxwriter

from spareplan.errors import OutputError

__all__ = ["PLAN_HEADERS", "write_atomically", "write_plan_table"]

# Column -> (readable header, Excel number format).
PLAN_HEADERS: dict[str, tuple[str, str | None]] = {
    "part_id": ("Part", None),
    "site_id": ("Site", None),
    "description": ("Description", None),
    "criticality": ("Criticality", None),
    "quadrant": ("Quadrant", "0"),
    "strategy": ("Strategy", None),
    "stock_decision": ("Decision", None),
    "stock_decision_simple": ("Decision, simple rule", None),
    "usage_source": ("Usage from", None),
    "n_history_periods": ("History periods", "0"),
    "usage_per_day_avg": ("Usage / day (avg)", "0.000"),
    "usage_per_day_max": ("Usage / day (max)", "0.000"),
    "demand_class": ("Demand class", None),
    "adi": ("ADI (periods)", "0.00"),
    "cv2": ("CV²", "0.00"),
    "forecast_method": ("Forecast method", None),
    "forecast_per_period": ("Forecast / period", "0.000"),
    "demand_per_day": ("Demand / day (forecast)", "0.0000"),
    "demand_sd_per_day": ("Demand sd / day", "0.0000"),
    "lead_time_days_sd": ("Lead time sd (days)", "0.0"),
    "lead_time_days": ("Lead time (days)", "0.0"),
    "lead_time_days_max": ("Lead time max (days)", "0.0"),
    "unit_cost": ("Unit cost", "#,##0.00"),
    "downtime_cost_per_hour": ("Downtime cost / hour", "#,##0"),
    "downtime_exposure": ("Downtime exposure", "#,##0"),
    "carrying_cost_per_unit_year": ("Carrying cost / unit-year", "#,##0.00"),
    "carrying_cost_if_stocked": ("Carrying cost if stocked / year", "#,##0.00"),
    "cost_optimal_units": ("Cost-optimal units", "0"),
    "expected_annual_cost": ("Expected cost / year at optimum", "#,##0.00"),
    "expected_downtime_hours_per_year": ("Expected downtime h / year", "0.000"),
    "breakeven_downtime_cost_per_hour": (
        "Next unit pays above (/ h; blank = never)",
        "#,##0.00",
    ),
    "first_spare_breakeven_downtime_cost_per_hour": (
        "First spare pays above (/ h; blank = never)",
        "#,##0.00",
    ),
    "lead_time_demand": ("Lead-time demand (mean)", "0.00"),
    "lead_time_demand_sd": ("Lead-time demand (sd)", "0.00"),
    "method": ("Lead-time demand model", None),
    "service_target": ("Service target", "0.0%"),
    "safety_stock_rule_of_thumb": ("Safety stock (rule of thumb)", "0.00"),
    "safety_stock": ("Safety stock", "0.00"),
    "reorder_point": ("Reorder point (min)", "0"),
    "order_quantity": ("Order quantity", "0"),
    "order_quantity_rule": ("Order quantity rule", None),
    "order_up_to": ("Order-up-to (max)", "0"),
    "on_hand_units": ("On hand", "0"),
    "on_order_units": ("On order", "0"),
    "expected_on_hand_units": ("Expected on hand (avg)", "0.0"),
    "expected_cycle_service_level": ("Expected cycle service level", "0.0%"),
    "expected_fill_rate": ("Expected fill rate", "0.0%"),
    "stock_value": ("Stock value (avg)", "#,##0.00"),
    "stock_value_rule_of_thumb": ("Stock value, rule of thumb (avg)", "#,##0.00"),
    "annual_carrying_cost": ("Annual carrying cost", "#,##0.00"),
    "supplier_id": ("Supplier", None),
    "order_cost": ("Order cost", "#,##0.00"),
    "failures_per_year": ("Failures / year", "0.00"),
    "emergency_premium": ("Emergency premium", "#,##0.00"),
    "emergency_lead_time_days": ("Emergency lead time (days)", "0.0"),
    "min_units": ("Current min", "0"),
    "max_units": ("Current max", "0"),
    "digital_state": ("Digital state", None),
    "has_digital_model": ("Digital model", None),
    "fabrication_lead_time_days": ("Fabrication lead time (days)", "0.0"),
    "fabrication_unit_cost": ("Fabrication unit cost", "#,##0.00"),
    "on_demand_cost_per_year": ("Fabricate-on-demand cost / year", "#,##0.00"),
    "reason": ("Reason", None),
}


def write_plan_table(
    table: pl.DataFrame,
    path: str | Path,
    summary_rows: list[tuple[str, float | int]] | None = None,
    warnings: list[str] | None = None,
) -> Path:
    """Write ``table`` to ``path`` (.csv, .xlsx or .parquet) and return the path.

    The Excel file gets a "Plan" sheet with readable headers and number formats,
    a "Summary" sheet from ``summary_rows`` and, when there are any, a "Warnings"
    sheet.
    """
    path = Path(path)
    # An ERP reads "inf" as text: a breakeven no downtime cost reaches is blank.
    finite = table.with_columns(pl.selectors.float().replace([float("inf")], None))
    writers: dict[str, Callable[[Path], None]] = {
        ".csv": lambda target: finite.write_csv(target),
        ".parquet": lambda target: table.write_parquet(target),
        ".xlsx": lambda target: _write_excel(
            table, target, summary_rows or [], warnings or []
        ),
    }
    return write_atomically(path, writers)


def write_atomically(path: Path, writers: dict[str, Callable[[Path], None]]) -> Path:
    """Write ``path`` with the writer of its suffix, all or nothing.

    Raises
    ------
    OutputError
        Unknown or missing suffix, missing folder, a folder as target, or an
        operating-system refusal (permissions, full disk).
    """
    suffix = path.suffix.lower()
    if suffix not in writers:
        got = f"{suffix!r} files" if suffix else "a file without a suffix"
        names = ", ".join(writers)
        raise OutputError(f"{str(path)!r}: cannot write {got}; end the name in {names}")
    if not path.parent.is_dir():
        raise OutputError(
            f"{str(path)!r}: the folder {str(path.parent)!r} does not exist"
        )
    if path.is_dir():
        raise OutputError(f"{str(path)!r} is a folder; give a file name")
    try:
        _write_atomically(path, writers[suffix])
    except OSError as error:
        raise OutputError(
            f"{str(path)!r} cannot be written: {error.strerror or error}"
        ) from None
    return path


def _write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent
    )
    os.close(handle)
    try:
        write(Path(temporary))
        # mkstemp makes the file private (0600); give it the usual permissions.
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_excel(
    table: pl.DataFrame,
    path: Path,
    summary_rows: list[tuple[str, float | int]],
    warnings: list[str],
) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True})
    # Excel has no infinity: a breakeven no downtime cost reaches is left blank.
    table = table.with_columns(
        pl.selectors.float().replace([float("inf"), float("nan")], None)
    )
    readable = table.rename(
        {c: PLAN_HEADERS[c][0] for c in table.columns if c in PLAN_HEADERS}
    )
    formats = {
        PLAN_HEADERS[c][0]: PLAN_HEADERS[c][1]
        for c in table.columns
        if c in PLAN_HEADERS and PLAN_HEADERS[c][1]
    }
    readable.write_excel(
        workbook,
        worksheet="Plan",
        column_formats=formats,  # type: ignore[arg-type]
        header_format={"bold": True, "text_wrap": True, "valign": "top"},
        freeze_panes=(1, 2),
        autofit=table.height <= 20_000,
        table_style="Table Style Light 9",
    )
    _write_summary(workbook, summary_rows)
    if warnings:
        sheet = workbook.add_worksheet("Warnings")
        sheet.write(0, 0, "Warning", workbook.add_format({"bold": True}))
        for row, text in enumerate(warnings, start=1):
            sheet.write_string(row, 0, text)
        sheet.set_column(0, 0, 120)
    workbook.close()


def _write_summary(
    workbook: xlsxwriter.Workbook, summary_rows: list[tuple[str, float | int]]
) -> None:
    sheet = workbook.add_worksheet("Summary")
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "#,##0.00"})
    count = workbook.add_format({"num_format": "#,##0"})
    sheet.write_row(0, 0, ["Measure", "Value"], bold)
    for row, (label, value) in enumerate(summary_rows, start=1):
        sheet.write_string(row, 0, label)
        sheet.write_number(row, 1, value, count if isinstance(value, int) else money)
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, 1, 18)
