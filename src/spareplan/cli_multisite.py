"""``spareplan pool`` and ``spareplan duplicates``: many plants, one pool of spares."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from spareplan.cli import (
    CatalogueArg,
    ConfigOpt,
    HistoryOpt,
    _configure_logging,
    _guarded,
    _refuse_overwriting_input,
    app,
)
from spareplan.cli_support import console
from spareplan.config import load_config
from spareplan.io.writers import write_atomically
from spareplan.multisite.files import duplicate_files, pool_files
from spareplan.multisite.report import print_pool_plan, write_pool_plan

TransfersOpt = Annotated[
    Path | None,
    typer.Option(
        "--transfers",
        help="Transfer table: from_site, to_site, transfer_hours, cost_per_transfer.",
    ),
]
EquivalentsOpt = Annotated[
    Path | None,
    typer.Option(
        "--equivalents",
        help="Interchangeable parts: part_id, equivalent_part_id (or group_id, "
        "part_id).",
    ),
]
DecisionsOpt = Annotated[
    Path | None,
    typer.Option("--decisions", help="Confirmed and rejected duplicates (CSV)."),
]


@app.command()
def pool(
    catalogue: CatalogueArg,
    history: HistoryOpt = None,
    config: ConfigOpt = None,
    transfers: TransfersOpt = None,
    equivalents: EquivalentsOpt = None,
    decisions: DecisionsOpt = None,
    out: Annotated[Path, typer.Option("--out", help="Workbook (.xlsx).")] = Path(
        "pool.xlsx"
    ),
) -> None:
    """Pool equivalent spares across sites that reach each other in time."""
    _configure_logging(False)
    _refuse_overwriting_input(out, catalogue, history, transfers, equivalents)
    settings = _guarded(load_config, config)
    result = _guarded(
        lambda: pool_files(
            catalogue,
            history,
            settings,
            transfers_path=transfers,
            equivalents_path=equivalents,
            decisions_path=decisions,
        )
    )
    _guarded(write_pool_plan, result, out)
    print_pool_plan(result, console, settings.currency)
    console.print(f"Pool plan written to {out}", markup=False)


@app.command()
def duplicates(
    catalogue: CatalogueArg,
    decisions: DecisionsOpt = None,
    equivalents: EquivalentsOpt = None,
    out: Annotated[Path, typer.Option("--out", help="Report (.csv).")] = Path(
        "duplicates.csv"
    ),
) -> None:
    """List likely duplicate parts across sites for a planner to confirm or reject.

    Fill the ``decision`` column (confirm / reject) and pass the file back with
    --decisions: confirmed pairs are pooled, rejected ones never proposed again.
    """
    _configure_logging(False)
    _refuse_overwriting_input(out, catalogue, decisions, equivalents)
    found = _guarded(lambda: duplicate_files(catalogue, decisions, equivalents))
    _guarded(write_atomically, out, {".csv": lambda target: found.write_csv(target)})
    console.print(
        f"{found.height:,} likely duplicate pair(s) written to {out}", markup=False
    )
