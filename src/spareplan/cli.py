"""The ``spareplan`` command line."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from spareplan.cli_support import console, errors, guarded, print_error
from spareplan.config import load_config
from spareplan.errors import SpareplanError
from spareplan.examples import write_example
from spareplan.io.catalogue import read_catalogue
from spareplan.io.history import read_history
from spareplan.io.writers import write_plan_table
from spareplan.planning.plan import Plan, plan_catalogue

__all__ = ["app", "main"]

logger = logging.getLogger(__name__)
app = typer.Typer(
    help="Plan maintenance spare parts: strategy, stock levels and reasons.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

_WARNINGS_SHOWN = 15
CatalogueArg = Annotated[
    Path, typer.Argument(help="Catalogue: .csv, .xlsx or .parquet")
]
HistoryOpt = Annotated[
    Path | None, typer.Option("--history", help="Usage history, long or wide.")
]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="TOML configuration file.")
]
OutOpt = Annotated[
    Path, typer.Option("--out", help="Plan file: .csv, .xlsx or .parquet.")
]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Log progress.")]


@app.command()
def plan(
    catalogue: CatalogueArg,
    history: HistoryOpt = None,
    config: ConfigOpt = None,
    out: OutOpt = Path("plan.xlsx"),
    verbose: VerboseOpt = False,
) -> None:
    """Plan every part at every site of CATALOGUE and write the plan to --out."""
    _configure_logging(verbose)
    result = _run_plan(catalogue, history, config, out)
    _print_summary(result, out)


@app.command()
def demo(
    directory: Annotated[
        Path, typer.Option("--dir", help="Where the example files are written.")
    ] = Path("example"),
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Plan file; default plan.xlsx in --dir."),
    ] = None,
) -> None:
    """Write the bundled example plants to --dir and plan them."""
    _configure_logging(False)
    out = out or directory / "plan.xlsx"
    catalogue, history, config = _guarded(write_example, directory)
    console.print(f"Example written: {catalogue}, {history}, {config}", markup=False)
    result = _run_plan(catalogue, history, config, out)
    _print_summary(result, out)


@app.command()
def example(
    directory: Annotated[Path, typer.Argument(help="Folder for the example files.")],
) -> None:
    """Write the example catalogue, history and configuration to DIRECTORY."""
    for path in _guarded(write_example, directory):
        console.print(f"wrote {path}", markup=False)


def _run_plan(
    catalogue: Path, history: Path | None, config: Path | None, out: Path
) -> Plan:
    started = time.perf_counter()
    _refuse_overwriting_input(out, catalogue, history)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
    ) as progress:
        task = progress.add_task("reading configuration", total=5)
        settings = _guarded(load_config, config)
        progress.update(task, description=f"reading {catalogue.name}", advance=1)
        parts = _guarded(read_catalogue, catalogue, settings)
        usage = None
        if history is not None:
            progress.update(task, description=f"reading {history.name}", advance=1)
            usage = _guarded(read_history, history, settings)
        progress.update(task, description="planning", advance=1)
        result = plan_catalogue(parts, usage, settings)
        progress.update(task, description=f"writing {out.name}", advance=1)
        _guarded(
            write_plan_table,
            result.table,
            out,
            result.summary.rows(),
            [str(w) for w in result.warnings],
        )
    logger.info(
        "plan of %d part-sites written to %s in %.2f s",
        result.table.height,
        out,
        time.perf_counter() - started,
    )
    return result


def _refuse_overwriting_input(out: Path, *inputs: Path | None) -> None:
    for path in inputs:
        if path is not None and out.resolve() == path.resolve():
            _print_error(
                "Error",
                SpareplanError(
                    f"--out {str(out)!r} is an input file; writing the plan there "
                    "would destroy it"
                ),
            )


# Shared with the other command modules, which import them from here too.
_guarded = guarded
_print_error = print_error


def _print_summary(result: Plan, out: Path) -> None:
    summary = result.summary
    currency = result.config.currency
    table = Table(
        title=f"Plan of {summary.n_part_sites:,} part-sites", title_justify="left"
    )
    table.add_column("Quadrant")
    table.add_column("Strategy")
    table.add_column("Part-sites", justify="right")
    table.add_column("Stocked", justify="right")
    for q, name in enumerate(
        ("strategic stock", "predictive JIT", "digital on demand", "consolidated JIT"),
        start=1,
    ):
        table.add_row(
            str(q),
            name,
            f"{summary.parts_per_quadrant.get(q, 0):,}",
            f"{summary.stocked_per_quadrant.get(q, 0):,}",
        )
    console.print(table)
    money = Table(show_header=False, box=None, padding=(0, 2))
    money.add_column(justify="left")
    money.add_column(justify="right")
    for label, value in [
        ("Recommended stock value (average on hand)", summary.stock_value),
        (
            "  the same with rule-of-thumb safety stock",
            summary.stock_value_rule_of_thumb,
        ),
        ("Annual carrying cost of that stock", summary.annual_carrying_cost),
        ("Current stock value (on hand)", summary.current_stock_value),
        (
            "Downtime exposure covered (one stockout per part)",
            summary.downtime_exposure_covered,
        ),
        ("Downtime exposure left to JIT", summary.downtime_exposure_uncovered),
    ]:
        money.add_row(label, f"{value:,.0f} {currency}")
    console.print(money)
    _print_warnings(result)
    console.print(f"Plan written to [bold]{escape(str(out))}[/]")


def _print_warnings(result: Plan) -> None:
    if not result.warnings:
        return
    errors.print(f"[yellow]{len(result.warnings)} warning(s):[/]")
    for warning in result.warnings[:_WARNINGS_SHOWN]:
        errors.print(f"  - {warning}", highlight=False, markup=False)
    if len(result.warnings) > _WARNINGS_SHOWN:
        errors.print(
            f"  ... and {len(result.warnings) - _WARNINGS_SHOWN} more "
            "(all are in the Excel plan's Warnings sheet)"
        )


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def main() -> None:
    """Entry point of the ``spareplan`` console script."""
    app()


# Registers `simulate` and `backtest` on `app`; imported last, as it uses the above.
from spareplan import cli_evaluation  # noqa: E402, F401
from spareplan.cli_store import register_store_commands  # noqa: E402

register_store_commands(app)
from spareplan import cli_multisite  # noqa: E402, F401
from spareplan.cli_digital import register_digital_commands  # noqa: E402

register_digital_commands(app)
