"""The ``spareplan`` commands of the stock store: db, ledger, replenish, emergency.

Mounted on the main application by :func:`register_store_commands`. Every
command takes ``--db URL`` (default ``$SPAREPLAN_DATABASE_URL``, else the SQLite
file ``./spareplan.db``) and exits with status 2 and a clear message on bad input.
"""

from __future__ import annotations

import getpass
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from spareplan.cli_support import console, errors, guarded, print_error
from spareplan.config import load_config
from spareplan.errors import InvalidInputError, SpareplanError
from spareplan.planning.plan import plan_files
from spareplan.store import (
    LedgerSettings,
    Movement,
    PlanSource,
    connect_store,
    count_stock,
    emergency_report,
    export_requisitions,
    import_catalogue,
    issue,
    plan_runs,
    receive,
    record_emergency,
    replenish,
    set_override,
    stock_table,
    store_plan,
    transfer,
    upgrade_store,
)
from spareplan.store.engine import DATABASE_URL_VARIABLE, describe_url

__all__ = ["db_app", "emergency_app", "register_store_commands", "store_app"]

logger = logging.getLogger(__name__)
EXIT_DATABASE = 1
_ROWS_SHOWN = 50


db_app = typer.Typer(
    help="Create the stock database and import catalogues and plans into it.",
    no_args_is_help=True,
)
emergency_app = typer.Typer(
    help="Record emergency purchases and report what they cost.",
    no_args_is_help=True,
)

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help=f"Database URL or SQLite file; default ${DATABASE_URL_VARIABLE}, "
        "else ./spareplan.db.",
        show_default=False,
    ),
]
UserOpt = Annotated[
    str | None, typer.Option("--user", help="Who does it; default your login name.")
]
RefOpt = Annotated[
    str | None, typer.Option("--reference", help="Document number, note.")
]
PartArg = Annotated[str, typer.Argument(help="Part id.")]
SiteArg = Annotated[str, typer.Argument(help="Site id.")]
# Text, not float: the ledger itself checks it and names part, site and value.
QuantityArg = Annotated[str, typer.Argument(help="Units (a number > 0).")]
CatalogueArg = Annotated[
    Path, typer.Argument(help="Catalogue: .csv, .xlsx or .parquet")
]
HistoryOpt = Annotated[
    Path | None, typer.Option("--history", help="Usage history, long or wide.")
]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="TOML configuration file.")
]
NegativeOpt = Annotated[
    bool,
    typer.Option(
        "--allow-negative-stock", help="Let on hand go below zero (default: refuse)."
    ),
]


def register_store_commands(app: typer.Typer) -> None:
    """Add ``db`` and ``emergency`` groups and the ledger commands to ``app``."""
    app.add_typer(db_app, name="db")
    app.add_typer(emergency_app, name="emergency")
    for name, function in _COMMANDS.items():
        app.command(name)(function)


# -- db ------------------------------------------------------------------------


@db_app.command("init")
def db_init(db: DbOpt = None) -> None:
    """Create the store's tables, or upgrade them to this version of spareplan."""
    with _store(db) as engine:
        revision = upgrade_store(engine)
    console.print(
        f"Store {escape(describe_url(str(engine.url)))} is ready "
        f"(schema revision {revision})."
    )


@db_app.command("import")
def db_import(
    catalogue: CatalogueArg,
    history: HistoryOpt = None,
    suppliers: Annotated[
        Path | None, typer.Option("--suppliers", help="Supplier terms file.")
    ] = None,
    config: ConfigOpt = None,
    db: DbOpt = None,
    user: UserOpt = None,
) -> None:
    """Import CATALOGUE (and suppliers), plan it and store the plan, in one go.

    Records are updated by key; stock already in the ledger is kept. On any
    error nothing is written.
    """
    settings = _guarded(load_config, config)
    with _store(db) as engine:
        result = import_catalogue(
            engine,
            catalogue,
            history_path=history,
            suppliers_path=suppliers,
            config=settings,
            user=_user(user),
        )
    _print_pairs(
        "Imported",
        [
            ("Part-sites", f"{result.n_part_sites:,}"),
            ("Parts", f"{result.n_parts:,}"),
            ("Sites", f"{result.n_sites:,}"),
            ("Suppliers", f"{result.n_suppliers:,}"),
            ("Opening stock movements", f"{result.n_opening_movements:,}"),
            ("Plan run", str(result.plan_run_id)),
        ],
    )


@db_app.command("store-plan")
def db_store_plan(
    catalogue: CatalogueArg,
    history: HistoryOpt = None,
    config: ConfigOpt = None,
    db: DbOpt = None,
    user: UserOpt = None,
) -> None:
    """Plan CATALOGUE and store the plan as a new run (part-sites must exist)."""
    settings = _guarded(load_config, config)
    plan = _guarded(plan_files, catalogue, history, settings)
    source = PlanSource(
        catalogue_file=str(catalogue),
        history_file=str(history) if history else None,
        user=_user(user),
    )
    with _store(db) as engine:
        run_id = store_plan(engine, plan, source)
    console.print(f"Stored plan run {run_id} of {plan.table.height:,} part-sites.")


@db_app.command("plans")
def db_plans(db: DbOpt = None) -> None:
    """List the stored plan runs, newest first."""
    with _store(db) as engine:
        runs = plan_runs(engine)
    _print_table("Plan runs", runs)


@db_app.command("override")
def db_override(
    part_id: PartArg,
    site_id: SiteArg,
    reorder_point: Annotated[
        str | None, typer.Option("--reorder-point", help="Units.")
    ] = None,
    order_up_to: Annotated[
        str | None, typer.Option("--order-up-to", help="Units.")
    ] = None,
    order_quantity: Annotated[
        str | None, typer.Option("--order-quantity", help="Units.")
    ] = None,
    quadrant: Annotated[int | None, typer.Option("--quadrant", help="1-4.")] = None,
    supplier_id: Annotated[str | None, typer.Option("--supplier")] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove overrides.")] = False,
    db: DbOpt = None,
    user: UserOpt = None,
) -> None:
    """Override the plan's settings of PART_ID at SITE_ID (who and when are kept)."""
    with _store(db) as engine:
        set_override(
            engine,
            part_id,
            site_id,
            user=_user(user),
            reorder_point=reorder_point,
            order_up_to=order_up_to,
            order_quantity=order_quantity,
            quadrant=quadrant,
            supplier_id=supplier_id,
            note=note,
            clear=clear,
        )
    console.print(f"Settings of {part_id!r} at {site_id!r} updated.", markup=False)


# -- ledger ----------------------------------------------------------------------


def receive_command(
    part_id: PartArg,
    site_id: SiteArg,
    quantity: QuantityArg,
    requisition: Annotated[
        str | None,
        typer.Option("--requisition", help="Requisition received against (REQ-...)."),
    ] = None,
    reference: RefOpt = None,
    db: DbOpt = None,
    user: UserOpt = None,
) -> None:
    """Book a receipt of QUANTITY units of PART_ID at SITE_ID."""
    with _store(db) as engine:
        movement = receive(
            engine,
            part_id,
            site_id,
            quantity,
            user=_user(user),
            reference=reference,
            requisition=requisition,
        )
    _print_movement(movement)


def issue_command(
    part_id: PartArg,
    site_id: SiteArg,
    quantity: QuantityArg,
    work_order: Annotated[str | None, typer.Option("--work-order")] = None,
    asset: Annotated[str | None, typer.Option("--asset")] = None,
    reference: RefOpt = None,
    allow_negative_stock: NegativeOpt = False,
    db: DbOpt = None,
    user: UserOpt = None,
) -> None:
    """Issue QUANTITY units of PART_ID at SITE_ID to a work order or asset."""
    with _store(db) as engine:
        movement = issue(
            engine,
            part_id,
            site_id,
            quantity,
            user=_user(user),
            work_order=work_order,
            asset_id=asset,
            reference=reference,
            settings=LedgerSettings(allow_negative_stock=allow_negative_stock),
        )
    _print_movement(movement)


def transfer_command(
    part_id: PartArg,
    from_site_id: Annotated[str, typer.Argument(help="Site the units leave.")],
    to_site_id: Annotated[str, typer.Argument(help="Site the units go to.")],
    quantity: QuantityArg,
    reference: RefOpt = None,
    allow_negative_stock: NegativeOpt = False,
    db: DbOpt = None,
    user: UserOpt = None,
) -> None:
    """Move QUANTITY units of PART_ID from FROM_SITE_ID to TO_SITE_ID."""
    with _store(db) as engine:
        moves = transfer(
            engine,
            part_id,
            from_site_id,
            to_site_id,
            quantity,
            user=_user(user),
            reference=reference,
            settings=LedgerSettings(allow_negative_stock=allow_negative_stock),
        )
    for movement in moves:
        _print_movement(movement)


def count_command(
    part_id: PartArg,
    site_id: SiteArg,
    counted: Annotated[str, typer.Argument(help="Units counted (>= 0).")],
    reference: RefOpt = None,
    db: DbOpt = None,
    user: UserOpt = None,
) -> None:
    """Record a stock count: on hand of PART_ID at SITE_ID becomes COUNTED."""
    with _store(db) as engine:
        movement = count_stock(
            engine, part_id, site_id, counted, user=_user(user), reference=reference
        )
    _print_movement(movement)


def stock_command(
    site_id: Annotated[str | None, typer.Option("--site")] = None,
    part_id: Annotated[str | None, typer.Option("--part")] = None,
    below: Annotated[
        bool, typer.Option("--below", help="Only at or below the reorder point.")
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write all rows (.csv/.xlsx).")
    ] = None,
    db: DbOpt = None,
) -> None:
    """Show on hand, on order, reserved and inventory position per part-site."""
    with _store(db) as engine:
        table = stock_table(engine, site_id=site_id, part_id=part_id)
    if below:
        table = table.filter(pl.col("needs_order"))
    if out is not None:
        _guarded(export_requisitions, table, out)
    shown = table.select(
        "part_id",
        "site_id",
        pl.col("on_hand_units").alias("on hand"),
        pl.col("on_order_units").alias("on order"),
        pl.col("reserved_units").alias("reserved"),
        pl.col("inventory_position_units").alias("position"),
        pl.col("reorder_point").alias("reorder point"),
        pl.col("order_up_to").alias("order-up-to"),
        pl.col("needs_order").alias("order?"),
    )
    _print_table(f"Stock of {table.height:,} part-sites", shown)


def replenish_command(
    site_id: Annotated[
        str | None, typer.Option("--site", help="Only this site.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write the new lines to .csv or .xlsx."),
    ] = None,
    db: DbOpt = None,
    user: UserOpt = None,
) -> None:
    """Raise requisitions for part-sites at or below their reorder point."""
    if out is not None and out.suffix.lower() not in (".csv", ".xlsx"):
        _print_error(
            "Error",
            SpareplanError(f"--out {str(out)!r} must end in .csv or .xlsx"),
        )
    with _store(db) as engine:
        result = replenish(engine, user=_user(user), site_id=site_id)
    if result.transfers.height:
        _print_table(
            f"{result.transfers.height} transfers proposed before buying "
            "(book them with 'spareplan transfer')",
            result.transfers,
        )
    if result.n_lines == 0:
        console.print(
            "No purchase needed: transfers cover every need."
            if result.transfers.height
            else "Nothing is at or below its reorder point; no requisition."
        )
        return
    summary = result.lines.group_by("requisition", "supplier_id", "site_id").agg(
        pl.len().alias("n_lines"),
        pl.col("line_type").unique().sort().str.join(", ").alias("line_types"),
        pl.col("line_value").sum().round(2),
    )
    _print_table(
        f"{result.n_requisitions} requisitions, {result.n_lines} lines",
        summary.sort("requisition"),
    )
    if out is not None:
        _guarded(export_requisitions, result.lines, out)
        console.print(f"Requisition lines written to [bold]{escape(str(out))}[/]")


# -- emergency -------------------------------------------------------------------


@emergency_app.command("record")
def emergency_record(
    part_id: PartArg,
    site_id: SiteArg,
    quantity: QuantityArg,
    premium: Annotated[
        str, typer.Option("--premium", help="Paid above the normal price (>= 0).")
    ],
    cause: Annotated[str, typer.Option("--cause", help="Why it was needed.")],
    reference: RefOpt = None,
    db: DbOpt = None,
    user: UserOpt = None,
) -> None:
    """Record an emergency purchase of QUANTITY units of PART_ID at SITE_ID."""
    with _store(db) as engine:
        purchase_id = record_emergency(
            engine,
            part_id,
            site_id,
            quantity,
            premium,
            cause,
            user=_user(user),
            reference=reference,
        )
    console.print(f"Emergency purchase recorded as number {purchase_id}.")


@emergency_app.command("report")
def emergency_report_command(
    since: Annotated[
        str | None, typer.Option("--since", help="First day, YYYY-MM-DD.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Last day (included), YYYY-MM-DD.")
    ] = None,
    min_buys: Annotated[
        int, typer.Option("--min-buys", help="Buys that flag a plan as too lean.")
    ] = 2,
    db: DbOpt = None,
) -> None:
    """Emergency buys and premium per site and part-site; flag lean plans."""
    start = _day("--since", since)
    end = _day("--until", until)
    with _store(db) as engine:
        report = emergency_report(
            engine,
            start,
            end + timedelta(days=1) if end else None,
            min_buys_flagged=min_buys,
        )
    _print_table("Emergency purchases per site", report.by_site)
    _print_table("Emergency purchases per part-site", report.by_part_site)
    n_lean = int(report.by_part_site.get_column("is_plan_too_lean").sum())
    if n_lean:
        errors.print(
            f"[yellow]{n_lean} part-site(s) look planned too lean[/] "
            f"({min_buys}+ emergency buys, or more emergency units than safety stock)."
        )


_COMMANDS: dict[str, Callable[..., None]] = {
    "receive": receive_command,
    "issue": issue_command,
    "transfer": transfer_command,
    "count": count_command,
    "stock": stock_command,
    "replenish": replenish_command,
}

# A stand-alone application with everything, for tests and ``python -m``.
store_app = typer.Typer(
    help="spareplan's stock store.", no_args_is_help=True, add_completion=False
)
register_store_commands(store_app)


# -- helpers ---------------------------------------------------------------------


@contextmanager
def _store(url: str | None) -> Iterator[Engine]:
    """An engine for the command; store errors become exit status 2."""
    engine = None
    try:
        engine = connect_store(url)
        yield engine
    except InvalidInputError as error:
        _print_error("Invalid input", error)
    except SpareplanError as error:
        _print_error("Error", error)
    except SQLAlchemyError as error:
        errors.print("[bold red]Database error[/]: ", end="")
        errors.print(str(error).splitlines()[0], markup=False, highlight=False)
        raise typer.Exit(EXIT_DATABASE) from None
    finally:
        if engine is not None:
            engine.dispose()


_guarded = guarded
_print_error = print_error


def _user(user: str | None) -> str:
    if user:
        return user
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _day(option: str, text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.combine(date.fromisoformat(text), time(), tzinfo=UTC)
    except ValueError:
        _print_error(
            "Error",
            SpareplanError(f"{option} must be a date like 2025-01-31, got {text!r}"),
        )


def _print_movement(movement: Movement) -> None:
    console.print(
        f"{movement.kind} {movement.quantity_units:+g} of {movement.part_id!r} at "
        f"{movement.site_id!r}: on hand now {movement.on_hand_units:g}",
        markup=False,
        highlight=False,
    )


def _print_pairs(title: str, pairs: list[tuple[str, str]]) -> None:
    table = Table(title=title, title_justify="left", show_header=False)
    table.add_column()
    table.add_column(justify="right")
    for label, value in pairs:
        table.add_row(label, value)
    console.print(table)


def _print_table(title: str, frame: pl.DataFrame) -> None:
    table = Table(title=title, title_justify="left")
    for name, dtype in frame.schema.items():
        table.add_column(name, justify="right" if dtype.is_numeric() else "left")
    for row in frame.head(_ROWS_SHOWN).iter_rows():
        table.add_row(*(escape(_cell(value)) for value in row))
    console.print(table)
    if frame.height > _ROWS_SHOWN:
        console.print(f"... and {frame.height - _ROWS_SHOWN:,} more rows")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def main() -> None:
    """Run the store commands on their own (``python -m spareplan.cli_store``)."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    store_app()


if __name__ == "__main__":
    main()
