"""Write a pool plan to Excel (a sheet per table) and show it on the console."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import xlsxwriter
from rich.console import Console
from rich.table import Table

from spareplan.io.writers import write_atomically
from spareplan.multisite.pool_plan import PoolPlan

__all__ = ["GROUP_COLUMNS", "SITE_COLUMNS", "print_pool_plan", "write_pool_plan"]

GROUP_COLUMNS = (
    "group_id",
    "part_ids",
    "n_sites",
    "n_pools",
    "pooled_demand_per_day",
    "pooled_lead_time_demand",
    "pooled_lead_time_demand_sd",
    "service_target",
    "safety_stock_sum_of_sites",
    "safety_stock_pooled",
    "on_hand_units",
    "standalone_units",
    "pooled_units",
    "units_released",
    "standalone_stock_value",
    "pooled_stock_value",
    "stock_value_released",
    "standalone_annual_cost",
    "pooled_annual_cost",
    "annual_saving",
)
SITE_COLUMNS = (
    "group_id",
    "pool_id",
    "is_pooled",
    "site_id",
    "part_ids",
    "on_hand_units",
    "reorder_point",
    "standalone_units",
    "pooled_units",
    "unit_cost",
    "standalone_stock_value",
    "pooled_stock_value",
    "standalone_fill_rate",
    "pooled_local_fill_rate",
    "pooled_transfer_fill_rate",
    "pooled_fill_rate",
    "transfers_per_year",
    "standalone_annual_cost",
    "pooled_annual_cost",
    "has_hit_max_units",
)
_PERCENT = "0.0%"
_MONEY = "#,##0.00"
_FORMATS = {
    "standalone_fill_rate": _PERCENT,
    "pooled_local_fill_rate": _PERCENT,
    "pooled_transfer_fill_rate": _PERCENT,
    "pooled_fill_rate": _PERCENT,
    "service_target": _PERCENT,
    **{
        name: _MONEY
        for name in (*GROUP_COLUMNS, *SITE_COLUMNS)
        if "value" in name or "cost" in name or "saving" in name
    },
}


def write_pool_plan(plan: PoolPlan, path: str | Path) -> Path:
    """Write the sheets Groups, Sites, Transfers and Notes to an ``.xlsx`` file."""

    def write(target: Path) -> None:
        workbook = xlsxwriter.Workbook(str(target), {"nan_inf_to_errors": True})
        sheets = {
            "Groups": plan.groups.select(GROUP_COLUMNS),
            "Sites": plan.sites.select(SITE_COLUMNS),
            "Transfers": plan.network.table(),
            "Notes": _notes(plan),
        }
        for name, table in sheets.items():
            table = table.with_columns(
                pl.selectors.float().replace([float("inf"), float("nan")], None)
            )
            table.write_excel(
                workbook,
                worksheet=name,
                column_formats={
                    c: f for c, f in _FORMATS.items() if c in table.columns
                },
                header_format={"bold": True, "text_wrap": True, "valign": "top"},
                freeze_panes=(1, 1),
                autofit=table.height <= 20_000,
            )
        workbook.close()

    return write_atomically(Path(path), {".xlsx": write})


def _notes(plan: PoolPlan) -> pl.DataFrame:
    settings = plan.settings
    lines = [
        "Stand-alone units are the plan's cost_optimal_units; pooled units come from "
        "greedy marginal allocation over sites that reach each other within the "
        "lead time.",
        "Stock value is units x unit cost (the base stock owned).",
        f"Transfer hours between unlisted sites: {settings.default_transfer_hours}",
        f"Cost per transfer between unlisted sites: "
        f"{settings.default_cost_per_transfer}",
        f"Demand no site can meet waits: {settings.stockout_wait}",
        *(str(warning) for warning in plan.warnings),
    ]
    return pl.DataFrame({"note": lines})


def print_pool_plan(
    plan: PoolPlan, console: Console, currency: str = "EUR", n_shown: int = 15
) -> None:
    """Totals and the groups that save most, as Rich tables."""
    groups = plan.groups
    table = Table(
        title=f"Pooled spares: {groups.height:,} groups shared by several sites",
        title_justify="left",
    )
    for header in ("Group", "Sites", "On hand", "Alone", "Pooled", "Released"):
        table.add_column(header, justify="left" if header == "Group" else "right")
    table.add_column(f"Value released {currency}", justify="right")
    table.add_column(f"Saving {currency}/yr", justify="right")
    top = groups.sort("annual_saving", descending=True).head(n_shown)
    for row in top.iter_rows(named=True):
        table.add_row(
            row["group_id"],
            str(row["n_sites"]),
            f"{row['on_hand_units']:,.0f}",
            f"{row['standalone_units']:,}",
            f"{row['pooled_units']:,}",
            f"{row['units_released']:,}",
            f"{row['stock_value_released']:,.0f}",
            f"{row['annual_saving']:,.0f}",
        )
    console.print(table)
    totals = groups.select(
        pl.col("units_released", "stock_value_released", "annual_saving").sum()
    ).row(0, named=True)
    console.print(
        f"Units released: {totals['units_released'] or 0:,}; stock value released: "
        f"{totals['stock_value_released'] or 0:,.0f} {currency}; expected saving: "
        f"{totals['annual_saving'] or 0:,.0f} {currency} a year",
        markup=False,
        highlight=False,
    )
