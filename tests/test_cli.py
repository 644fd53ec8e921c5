"""The console command, run as a user runs it: a real process on real files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polars as pl

CATALOGUE = (
    "part_id,site_id,unit_cost,criticality,lead_time_days,lead_time_days_max,"
    "downtime_cost_per_hour,usage_per_day_avg,usage_per_day_max,order_cost\n"
    "P1,A,100,V,5,12,1000,2,5,\n"
    "P2,A,50,D,30,40,0,0.1,0.3,25\n"
)


RULE_OF_THUMB = '[demand]\nsafety_stock_method = "rule_of_thumb"\n'


def _spareplan(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "spareplan", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_plan_writes_csv_excel_and_parquet(tmp_path):
    (tmp_path / "parts.csv").write_text(CATALOGUE)
    (tmp_path / "rule.toml").write_text(RULE_OF_THUMB)
    for suffix in ("csv", "xlsx", "parquet"):
        result = _spareplan(
            "plan",
            "parts.csv",
            *("--config", "rule.toml", "--out", f"plan.{suffix}"),
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stderr
        assert f"Plan written to plan.{suffix}" in result.stdout
    from_csv = pl.read_csv(tmp_path / "plan.csv")
    from_parquet = pl.read_parquet(tmp_path / "plan.parquet")
    assert (
        from_csv["reorder_point"].to_list() == from_parquet["reorder_point"].to_list()
    )
    # P1 (quadrant 2): rule of thumb r = 60, raised to S* - 1 where the downtime
    # cost model wants more units on the shelf. P2 has no downtime cost: JIT.
    cost_optimal = from_csv["cost_optimal_units"].to_list()
    assert from_csv["reorder_point"].to_list() == [max(60, cost_optimal[0] - 1), 0]
    assert cost_optimal[1] == 0
    sheets = pl.read_excel(tmp_path / "plan.xlsx", sheet_id=0)
    assert set(sheets) == {"Plan", "Summary"}
    assert sheets["Plan"].columns[:3] == ["Part", "Site", "Description"]
    summary = dict(sheets["Summary"].iter_rows())
    assert summary["Part-sites planned"] == 2


def test_console_summary_shows_quadrants_and_money(tmp_path):
    (tmp_path / "parts.csv").write_text(CATALOGUE)
    (tmp_path / "rule.toml").write_text(RULE_OF_THUMB)
    result = _spareplan(
        "plan", "parts.csv", "--config", "rule.toml", "--out", "plan.csv", cwd=tmp_path
    )
    assert "strategic stock" in result.stdout and "digital on demand" in result.stdout
    plan = pl.read_csv(tmp_path / "plan.csv")
    stock_value = plan["stock_value"].sum()
    assert f"{stock_value:,.0f} EUR" in result.stdout
    assert f"{plan['annual_carrying_cost'].sum():,.0f} EUR" in result.stdout


def test_bad_input_exits_non_zero_lists_every_problem_and_writes_nothing(tmp_path):
    (tmp_path / "parts.csv").write_text(
        "part_id,site_id,unit_cost,criticality,lead_time_days\n"
        "P1,A,-1,V,3\nP2,A,10,Z,3\n"
    )
    result = _spareplan("plan", "parts.csv", "--out", "plan.xlsx", cwd=tmp_path)
    assert result.returncode == 2
    assert "row 2, column 'unit_cost', part 'P1'" in result.stderr
    assert "row 3, column 'criticality', part 'P2'" in result.stderr
    assert not (tmp_path / "plan.xlsx").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["parts.csv"]


def test_bad_configuration_is_named(tmp_path):
    (tmp_path / "parts.csv").write_text(CATALOGUE)
    (tmp_path / "spareplan.toml").write_text("carrying_rate_per_year = 25\n")
    result = _spareplan(
        "plan",
        "parts.csv",
        "--config",
        "spareplan.toml",
        "--out",
        "p.csv",
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "carrying_rate_per_year must be between 0 and 1, got 25.0" in (
        result.stderr.replace("\n", " ")
    )


def test_demo_writes_example_and_plan(tmp_path):
    result = _spareplan("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "example" / "plan.xlsx").is_file()
    assert (tmp_path / "example" / "catalogue.csv").is_file()


def test_markup_in_a_cell_is_printed_as_text(tmp_path):
    (tmp_path / "parts.csv").write_text(
        "part_id,site_id,unit_cost,criticality,lead_time_days\nP[/x]1,A,-1,V,3\n"
    )
    result = _spareplan("plan", "parts.csv", "--out", "plan.csv", cwd=tmp_path)
    assert result.returncode == 2
    assert "part 'P[/x]1'" in result.stderr
    assert "Traceback" not in result.stderr


def test_output_problems_exit_2_without_traceback(tmp_path):
    (tmp_path / "parts.csv").write_text(CATALOGUE)
    cases = {
        "missing/plan.xlsx": "the folder 'missing' does not exist",
        "parts.csv": "is an input file",
        "plan": "a file without a suffix",
        "plan.json": "cannot write '.json' files",
    }
    for out, message in cases.items():
        result = _spareplan("plan", "parts.csv", "--out", out, cwd=tmp_path)
        assert result.returncode == 2, out
        assert message in result.stderr.replace("\n", " "), result.stderr
        assert "Traceback" not in result.stderr
    assert (tmp_path / "parts.csv").read_text() == CATALOGUE


def test_plan_file_gets_ordinary_permissions(tmp_path):
    (tmp_path / "parts.csv").write_text(CATALOGUE)
    old = os.umask(0o022)
    try:
        _spareplan("plan", "parts.csv", "--out", "plan.csv", cwd=tmp_path)
    finally:
        os.umask(old)
    assert (tmp_path / "plan.csv").stat().st_mode & 0o777 == 0o644


def test_simulate_and_backtest_write_workbooks_and_charts(tmp_path):
    result = _spareplan("example", "ex", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    common = ("ex/catalogue.csv", "--history", "ex/history.csv")
    result = _spareplan(
        "simulate",
        *common,
        "--days",
        "60",
        "--paths",
        "5",
        "--out",
        "sim.xlsx",
        "--part",
        "P-100034",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Simulated: 60 periods x 5 path(s)" in result.stdout
    result = _spareplan(
        "backtest", *common, "--holdout", "6", "--out", "bt.xlsx", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "Replayed: 6 periods x 1 path(s)" in result.stdout
    sheets = pl.read_excel(tmp_path / "bt.xlsx", sheet_id=0)
    assert {"Totals", "By decision", "By class and criticality", "Per part"} <= set(
        sheets
    )
    assert set(sheets["Totals"]["policy"]) == {"recommended", "current"}
    pictures = sorted(p.name for p in tmp_path.glob("*.png"))
    assert "simulation-service-vs-stock-value.png" in pictures
    assert any(name.startswith("simulation-stock-P-100034") for name in pictures)


def test_backtest_with_too_long_holdout_exits_2(tmp_path):
    _spareplan("example", "ex", cwd=tmp_path)
    result = _spareplan(
        "backtest",
        "ex/catalogue.csv",
        "--history",
        "ex/history.csv",
        "--holdout",
        "99",
        "--out",
        "bt.xlsx",
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "holdout_periods must be between 1 and" in result.stderr
    assert not (tmp_path / "bt.xlsx").exists()
