"""The store's commands: readable output, exit status 2 on bad input."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from spareplan.cli_store import store_app

runner = CliRunner()


def _run(*arguments: str):  # type: ignore[no-untyped-def]
    return runner.invoke(store_app, list(arguments))


def test_a_day_at_the_storeroom(tmp_path: Path, files: dict[str, Path]) -> None:
    db = ["--db", str(tmp_path / "cli.db")]
    assert _run("db", "init", *db).exit_code == 0
    result = _run(
        "db",
        "import",
        str(files["catalogue"]),
        "--suppliers",
        str(files["suppliers"]),
        *db,
    )
    assert result.exit_code == 0, result.output
    assert "Part-sites" in result.output
    assert _run("receive", "P-1", "PLANT-A", "3", "--user", "ana", *db).exit_code == 0
    result = _run("issue", "P-1", "PLANT-A", "2", "--work-order", "WO-1", *db)
    assert "on hand now 6" in result.output
    assert _run("transfer", "P-1", "PLANT-A", "PLANT-B", "1", *db).exit_code == 0
    assert _run("count", "P-1", "PLANT-A", "4", *db).exit_code == 0
    assert "P-1" in _run("stock", "--part", "P-1", *db).output
    out = tmp_path / "req.csv"
    result = _run("replenish", "--out", str(out), *db)
    assert result.exit_code == 0, result.output
    result = _run(
        "emergency",
        "record",
        "P-1",
        "PLANT-A",
        "1",
        "--premium",
        "90",
        "--cause",
        "breakdown",
        *db,
    )
    assert result.exit_code == 0, result.output
    assert "PLANT-A" in _run("emergency", "report", *db).output
    assert _run("db", "store-plan", str(files["catalogue"]), *db).exit_code == 0
    assert "Plan runs" in _run("db", "plans", *db).output


def test_bad_input_exits_with_2_and_names_the_value(
    tmp_path: Path, files: dict[str, Path]
) -> None:
    db = ["--db", str(tmp_path / "cli.db")]
    _run("db", "init", *db)
    _run("db", "import", str(files["catalogue"]), *db)
    cases = [
        (("issue", "P-1", "PLANT-A", "x"), "quantity must be a number > 0, got 'x'"),
        (("issue", "P-1", "PLANT-A", "99"), "would take on_hand_units to -94"),
        (("receive", "P-9", "PLANT-A", "1"), "part 'P-9' (part_id) is not"),
        (("transfer", "P-1", "PLANT-A", "PLANT-A", "1"), "two different sites"),
        (("emergency", "report", "--since", "1.1.25"), "--since must be a date"),
    ]
    for arguments, message in cases:
        result = _run(*arguments, *db)
        assert result.exit_code == 2, (arguments, result.output)
        assert message in " ".join(result.output.split()), result.output


def test_commands_before_init_say_what_to_do(tmp_path: Path) -> None:
    result = _run("stock", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 2
    assert "db init" in result.output
