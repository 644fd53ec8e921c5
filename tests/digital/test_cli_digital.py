"""The digital and maintenance commands: a day's work, and exit 2 on bad input."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from spareplan import cli_store
from spareplan.cli_digital import register_digital_commands
from spareplan.cli_store import register_store_commands

runner = CliRunner()
app = typer.Typer(add_completion=False)
register_store_commands(app)
register_digital_commands(app)


def _run(*arguments: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(arguments))


def _ok(*arguments: str) -> str:
    result = _run(*arguments)
    assert result.exit_code == 0, (arguments, result.output)
    return " ".join(result.output.split())


def _setup(tmp_path: Path, files: dict[str, Path]) -> list[str]:
    db = ["--db", str(tmp_path / "cli.db")]
    _ok("db", "init", *db)
    _ok(
        "db",
        "import",
        str(files["catalogue"]),
        "--suppliers",
        str(files["suppliers"]),
        *db,
    )
    _ok("maintenance", "asset", "PUMP-1", "--site", "PLANT-A", "--meter-unit", "h", *db)
    return db


def test_from_model_to_order_package(
    tmp_path: Path, files: dict[str, Path], monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(cli_store.console, "width", 250)  # whole tables, no "…"
    db = _setup(tmp_path, files)
    model = tmp_path / "bracket.step"
    model.write_text("solid bracket", encoding="utf-8")
    _ok(
        "digital", "register", "P-3", str(model), "--revision", "A",
        "--status", "verified", "--material", "PA12", "--process", "3d printing",
        "--lead-time-days", "10", "--cost", "35", "--fabricator", "PrintShop", *db,
    )  # fmt: skip
    assert (tmp_path / "spareplan-models").is_dir()
    assert "bracket.step" in _ok("digital", "models", "P-3", *db)
    assert "P-5" in _ok("digital", "models", "--missing", *db)
    _ok(
        "maintenance", "plan", "PUMP-1", "--name", "PM-30d", "--every-days", "30",
        "--last-done", "2025-01-10", "--part", "P-3:2", *db,
    )  # fmt: skip
    _ok("maintenance", "reading", "PUMP-1", "--value", "1200", "--unit", "h", *db)
    _ok("maintenance", "parts", "PUMP-1", "P-1", "1", *db)
    assert "PM-30d" in _ok("maintenance", "plans", *db)
    output = _ok("needs", "--as-of", "2025-02-01", "--horizon-days", "40", *db)
    assert "2025-02-09" in output
    out = tmp_path / "packages"
    output = _ok("fabricate", "--out", str(out), "--as-of", "2025-02-01", *db)
    assert "FAB-000001" in output
    assert (out / "FAB-000001" / "manifest.json").is_file()
    assert "FAB-000001" in _ok("digital", "orders", *db)
    assert "P-3" in _ok("digital", "economics", "--downtime-cost-per-hour", "100", *db)


def test_bad_input_exits_with_2_and_names_the_value(
    tmp_path: Path, files: dict[str, Path]
) -> None:
    db = _setup(tmp_path, files)
    register = ["digital", "register", "P-3", "--revision", "A", "--material", "PA12",
                "--process", "cnc", "--cost", "3"]  # fmt: skip
    cases = [
        ((*register, str(tmp_path / "none.step"), "--lead-time-days", "2"),
         "none.step' does not exist"),
        ((*register, "https://m.invalid/a.step", "--lead-time-days", "-2"),
         "fabrication_lead_time_days must be >= 0, got '-2'"),
        (("maintenance", "reading", "PUMP-1", "--value", "3", "--unit", "mm"),
         "unit must be one of 'h' (meter), got 'mm'"),
        (("maintenance", "reading", "PUMP-9", "--value", "3", "--unit", "h"),
         "asset 'PUMP-9' (asset_id) is not in the store"),
        (("maintenance", "parts", "PUMP-1", "P-99", "1"), "part 'P-99' (part_id)"),
        (("maintenance", "plan", "PUMP-1", "--name", "x", "--part", "P-3"),
         "--part must be PART_ID:QTY"),
        (("needs", "--as-of", "1.2.2025"), "--as-of must be a date"),
        (("fabricate", "--margin-days", "-1", "--out", str(tmp_path / "o")),
         "safety_margin_days must be a number >= 0, got -1.0"),
    ]  # fmt: skip
    for arguments, message in cases:
        result = _run(*arguments, *db)
        assert result.exit_code == 2, (arguments, result.output)
        assert message in " ".join(result.output.split()), result.output
    assert "0 model files" in _ok("digital", "models", *db)
