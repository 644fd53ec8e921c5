"""``spareplan simulate`` and ``spareplan backtest``: how policies would do."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.table import Table

from spareplan.cli import (
    ConfigOpt,
    HistoryOpt,
    _configure_logging,
    _guarded,
    _print_error,
    _refuse_overwriting_input,
    app,
)
from spareplan.cli_support import console
from spareplan.config import load_config
from spareplan.errors import SpareplanError
from spareplan.io.catalogue import read_catalogue
from spareplan.io.history import read_history
from spareplan.planning.evaluation import Evaluation, backtest_plan, simulate_plan
from spareplan.planning.plan import plan_catalogue
from spareplan.reports.evaluation import (
    exchange_curve,
    write_evaluation,
    write_evaluation_plots,
)

CatalogueArg = Annotated[
    Path, typer.Argument(help="Catalogue: .csv, .xlsx or .parquet")
]
PartOpt = Annotated[
    list[str] | None,
    typer.Option("--part", help="Part id to chart over time (repeatable)."),
]
PlotsOpt = Annotated[
    Path | None,
    typer.Option("--plots", help="Folder for PNG charts; default: beside --out."),
]


@app.command()
def simulate(
    catalogue: CatalogueArg,
    history: HistoryOpt = None,
    config: ConfigOpt = None,
    days: Annotated[int, typer.Option(help="Days simulated per path.")] = 365,
    paths: Annotated[int, typer.Option(help="Random demand paths.")] = 100,
    seed: Annotated[int, typer.Option(help="Seed of the random generator.")] = 0,
    out: Annotated[Path, typer.Option("--out")] = Path("simulation.xlsx"),
    plots: PlotsOpt = None,
    part: PartOpt = None,
) -> None:
    """Simulate the plan's policies (and the current min/max) with random demand."""
    _configure_logging(False)
    _refuse_overwriting_input(out, catalogue, history)
    settings = _guarded(load_config, config)
    parts = _guarded(read_catalogue, catalogue, settings)
    usage = _guarded(read_history, history, settings) if history else None
    plan = plan_catalogue(parts, usage, settings)
    rows, names = _trace_rows(plan.table, part or [])
    evaluation = _guarded(
        lambda: simulate_plan(
            plan, n_days=days, n_paths=paths, seed=seed, trace_rows=tuple(rows)
        )
    )
    curve = exchange_curve(parts, usage, settings)
    _report(evaluation, out, plots, curve, names, settings.currency, "simulation")


@app.command()
def backtest(
    catalogue: CatalogueArg,
    history: Annotated[Path, typer.Option("--history", help="Usage history.")],
    config: ConfigOpt = None,
    holdout: Annotated[
        int, typer.Option(help="Last periods of history replayed, unseen by the plan.")
    ] = 12,
    out: Annotated[Path, typer.Option("--out")] = Path("backtest.xlsx"),
    plots: PlotsOpt = None,
    part: PartOpt = None,
) -> None:
    """Replay the last --holdout periods against the current and recommended policy."""
    _configure_logging(False)
    _refuse_overwriting_input(out, catalogue, history)
    settings = _guarded(load_config, config)
    parts = _guarded(read_catalogue, catalogue, settings)
    usage = _guarded(read_history, history, settings)
    first = plan_catalogue(parts, usage, settings)
    rows, names = _trace_rows(first.table, part or [])
    evaluation, _ = _guarded(
        lambda: backtest_plan(
            parts, usage, settings, holdout_periods=holdout, trace_rows=tuple(rows)
        )
    )
    _report(evaluation, out, plots, None, names, settings.currency, "backtest")


def _trace_rows(table: pl.DataFrame, wanted: list[str]) -> tuple[list[int], list[str]]:
    """Plan rows of the requested part ids (every site of each), with labels."""
    if not wanted:
        return [], []
    keyed = table.with_row_index("row").filter(pl.col("part_id").is_in(wanted))
    missing = sorted(set(wanted) - set(keyed["part_id"].to_list()))
    if missing:
        _print_error(
            "Error",
            SpareplanError(
                f"--part {', '.join(map(repr, missing))}: not in the catalogue"
            ),
        )
    rows = keyed["row"].to_list()
    names = [f"{p} at {s}" for p, s in keyed.select("part_id", "site_id").iter_rows()]
    return rows, names


def _report(
    evaluation: Evaluation,
    out: Path,
    plots: Path | None,
    curve: object,
    names: list[str],
    currency: str,
    stem: str,
) -> None:
    folder = plots or out.parent
    if not folder.is_dir():
        _print_error(
            "Error", SpareplanError(f"--plots folder {str(folder)!r} does not exist")
        )
    _guarded(write_evaluation, evaluation, out, curve, names)
    pictures = write_evaluation_plots(evaluation, folder, curve, names, currency, stem)  # type: ignore[arg-type]
    _print_totals(evaluation, currency)
    for note in evaluation.notes:
        console.print(f"note: {note}", markup=False)
    console.print(f"Results written to {out}", markup=False)
    for picture in pictures:
        console.print(f"Chart written to {picture}", markup=False)


def _print_totals(evaluation: Evaluation, currency: str) -> None:
    kind = "Replayed" if evaluation.n_paths == 1 else "Simulated"
    table = Table(
        title=f"{kind}: {evaluation.n_periods} periods x {evaluation.n_paths} path(s)"
        " (counts and hours are per path)",
        title_justify="left",
    )
    headers: tuple[str, ...] = ("Policy", "Decision", "Parts", "Fill", "CSL")
    headers += ("Stockouts", "Down h", f"Stock {currency}", "Orders", "Emerg.")
    for column in headers:
        is_label = column in headers[:2]
        table.add_column(
            column, justify="left" if is_label else "right", no_wrap=is_label
        )
    for row in evaluation.by_decision.iter_rows(named=True):
        table.add_row(
            row["policy"],
            str(row["stock_decision"]),
            f"{row['part_sites']:,}",
            f"{row['fill_rate']:.1%}" if row["fill_rate"] == row["fill_rate"] else "-",
            f"{row['cycle_service_level']:.1%}"
            if row["cycle_service_level"] == row["cycle_service_level"]
            else "-",
            f"{row['n_stockout_events']:,.0f}",
            f"{row['downtime_hours']:,.0f}",
            f"{row['average_stock_value'] / 1000:,.0f}k",
            f"{row['n_orders']:,.0f}",
            f"{row['n_emergency_orders']:,.0f}",
        )
    console.print(table)
