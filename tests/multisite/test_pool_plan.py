"""Pooled planning of a hand-made catalogue and of the bundled example."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from openpyxl import load_workbook
from typer.testing import CliRunner

import spareplan.cli_multisite  # noqa: F401  (registers pool and duplicates)
from spareplan import load_config, write_example
from spareplan.cli import app
from spareplan.multisite import PoolSettings, pool_files, write_pool_plan


def test_pooling_never_costs_more_than_planning_alone(tmp_path: Path) -> None:
    catalogue, history, config = write_example(tmp_path)
    plan = pool_files(catalogue, history, load_config(config))
    groups = plan.groups
    assert groups.height > 0
    assert (groups["annual_saving"] >= -1e-9).all()
    assert groups["units_released"].sum() > 0
    sites = plan.sites
    assert (sites["pooled_fill_rate"] <= 1 + 1e-12).all()
    assert (sites["pooled_local_fill_rate"] >= 0).all()


def test_linked_parts_pool_across_sites(catalogue: Path, tmp_path: Path) -> None:
    transfers = tmp_path / "transfers.csv"
    transfers.write_text(
        "from_site,to_site,transfer_hours\nNORTH,SOUTH,4\nNORTH,EAST,6\nEAST,SOUTH,8\n"
    )
    plan = pool_files(catalogue, transfers_path=transfers)
    bearing = plan.groups.filter(pl.col("group_id") == "P-1").row(0, named=True)
    assert bearing["part_ids"] == "P-1 P-9"
    assert bearing["n_sites"] == 3
    # 0.5 failures a year, 60 days to resupply: mu = 0.082 units in resupply per
    # site. Holding 10 a year against 8760 x 30 = 262,800 of downtime a year per
    # waiting demand: the critical ratio 0.99996 needs F(S) >= 0.99996, S = 3 at
    # each site alone (F(2) = 0.99991). Pooled, mu = 0.247 and F(3) = 0.99987,
    # F(4) = 0.999994, so 4 units serve all three plants.
    assert bearing["standalone_units"] == 9
    assert bearing["pooled_units"] == 4
    assert bearing["stock_value_released"] == 40.0 * bearing["units_released"]
    # The filter is at one site only: nothing to pool.
    assert "F-1" not in plan.groups["group_id"].to_list()


def test_far_apart_sites_are_not_pooled(catalogue: Path) -> None:
    plan = pool_files(
        catalogue, settings=PoolSettings(default_transfer_hours=float("inf"))
    )
    assert (plan.groups["units_released"] == 0).all()
    assert (plan.groups["n_pools"] == plan.groups["n_sites"]).all()


def test_pool_workbook_has_a_sheet_per_table(catalogue: Path, tmp_path: Path) -> None:
    out = write_pool_plan(pool_files(catalogue), tmp_path / "pool.xlsx")
    assert load_workbook(out).sheetnames == ["Groups", "Sites", "Transfers", "Notes"]


def test_pool_and_duplicates_commands(catalogue: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "pool.xlsx"
    result = runner.invoke(app, ["pool", str(catalogue), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file()
    assert "Units released" in result.output

    found = tmp_path / "duplicates.csv"
    result = runner.invoke(app, ["duplicates", str(catalogue), "--out", str(found)])
    assert result.exit_code == 0, result.output
    assert pl.read_csv(found)["part_id_b"].to_list() == ["M-7"]


def test_bad_transfer_file_exits_with_2(catalogue: Path, tmp_path: Path) -> None:
    transfers = tmp_path / "transfers.csv"
    transfers.write_text("from_site,to_site,transfer_hours\nNORTH,MOON,4\n")
    result = CliRunner().invoke(
        app, ["pool", str(catalogue), "--transfers", str(transfers)]
    )
    assert result.exit_code == 2
    assert "MOON" in result.output
