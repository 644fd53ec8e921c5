"""The ``spareplan`` commands of the virtual warehouse and of maintenance.

Mounted on the main application by :func:`register_digital_commands`: the
``digital`` group (register models, list them, move their status, compare stock
with fabrication, list orders), the ``maintenance`` group (assets, plans,
readings, parts lists), ``needs`` and ``fabricate``. Every command takes
``--db`` like the store's commands and exits with status 2 on bad input.
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, NoReturn

import polars as pl
import typer
from rich.console import Console
from rich.markup import escape

from spareplan.cli_store import (
    DbOpt,
    UserOpt,
    _print_table,
    _store,
    _user,
)
from spareplan.digital import (
    FabricationSettings,
    MaintenancePlanSpec,
    ModelSource,
    RevisionSpec,
    add_asset,
    fabricate,
    fabrication_orders,
    maintenance_needs,
    maintenance_plans,
    model_revisions,
    model_store_root,
    parts_without_verified_model,
    record_reading,
    register_model,
    set_asset_part,
    set_maintenance_plan,
    set_revision_status,
    stock_or_fabricate_table,
)
from spareplan.digital.needs import DEFAULT_HORIZON_DAYS, DEFAULT_SAFETY_MARGIN_DAYS
from spareplan.store.engine import database_url

__all__ = ["digital_app", "maintenance_app", "register_digital_commands"]

logger = logging.getLogger(__name__)
EXIT_BAD_INPUT = 2

console = Console()
errors = Console(stderr=True)

digital_app = typer.Typer(
    help="Digital parts: model files, revisions, fabrication economics and orders.",
    no_args_is_help=True,
)
maintenance_app = typer.Typer(
    help="Assets, preventive plans, condition readings and spare-parts lists.",
    no_args_is_help=True,
)

ModelStoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--model-store",
        help="Folder of model files; default $SPAREPLAN_MODEL_STORE, else "
        "spareplan-models beside the SQLite file (./spareplan-models otherwise).",
        show_default=False,
    ),
]
AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="Today, YYYY-MM-DD; default today.")
]
HorizonOpt = Annotated[
    str, typer.Option("--horizon-days", help="Days ahead to look (> 0).")
]
MarginOpt = Annotated[
    str,
    typer.Option(
        "--margin-days", help="Days a fabricated part should arrive early (>= 0)."
    ),
]


def register_digital_commands(app: typer.Typer) -> None:
    """Add the ``digital`` and ``maintenance`` groups, ``needs`` and ``fabricate``."""
    app.add_typer(digital_app, name="digital")
    app.add_typer(maintenance_app, name="maintenance")
    app.command("needs")(needs_command)
    app.command("fabricate")(fabricate_command)


# -- digital ---------------------------------------------------------------------


@digital_app.command("register")
def digital_register(
    part_id: Annotated[str, typer.Argument(help="Part id.")],
    sources: Annotated[
        list[str], typer.Argument(help="Model files or URLs (URLs are not fetched).")
    ],
    revision: Annotated[str, typer.Option("--revision", help="Revision label.")],
    material: Annotated[str, typer.Option("--material")],
    process: Annotated[
        str, typer.Option("--process", help="cnc_machining, 3d_printing, ...")
    ],
    lead_time_days: Annotated[
        str, typer.Option("--lead-time-days", help="Fabrication lead time (>= 0).")
    ],
    cost: Annotated[str, typer.Option("--cost", help="Cost of one unit (>= 0).")],
    status: Annotated[
        str, typer.Option("--status", help="draft, verified or obsolete.")
    ] = "draft",
    fabricator: Annotated[
        str | None, typer.Option("--fabricator", help="Preferred fabricator.")
    ] = None,
    sha256: Annotated[
        str | None, typer.Option("--sha256", help="Hash of a file given by URL.")
    ] = None,
    model_store: ModelStoreOpt = None,
    db: DbOpt = None,
    user: UserOpt = None,
) -> None:
    """Register a new REVISION of PART_ID's model from files or URLs."""
    if sha256 is not None and len(sources) != 1:
        _fail(f"--sha256 goes with a single URL, got {len(sources)} sources")
    items = [
        ModelSource(s, sha256) if "://" in s else ModelSource(Path(s), sha256)
        for s in sources
    ]
    spec = RevisionSpec(
        revision, material, process, lead_time_days, cost, status, fabricator
    )
    with _store(db) as engine:
        registered = register_model(
            engine,
            part_id,
            items,
            spec,
            user=_user(user),
            model_store=_model_store(db, model_store),
        )
    console.print(
        f"Registered {part_id!r} revision {registered.revision!r} "
        f"({registered.status}) with {len(registered.files)} file(s).",
        markup=False,
    )


@digital_app.command("models")
def digital_models(
    part_id: Annotated[str | None, typer.Argument(help="Only this part.")] = None,
    missing: Annotated[
        bool,
        typer.Option(
            "--missing", help="List quadrant-3 parts without a verified model."
        ),
    ] = False,
    db: DbOpt = None,
) -> None:
    """List registered model files (or, with --missing, models still needed)."""
    with _store(db) as engine:
        if missing:
            table = parts_without_verified_model(engine)
            _print_table(
                f"{table.height} quadrant-3 part-sites without a verified model", table
            )
            return
        table = model_revisions(engine, part_id)
    shown = table.select(
        "part_id",
        "revision",
        "status",
        pl.col("is_ordered_revision").alias("ordered"),
        "material",
        "process",
        pl.col("fabrication_lead_time_days").alias("lead days"),
        pl.col("fabrication_unit_cost").alias("cost"),
        "fabricator",
        "file_name",
        pl.col("sha256").str.slice(0, 12).alias("sha256"),
    )
    _print_table(f"{table.height} model files", shown)


@digital_app.command("status")
def digital_status(
    part_id: Annotated[str, typer.Argument(help="Part id.")],
    revision: Annotated[str, typer.Argument(help="Revision label.")],
    status: Annotated[str, typer.Argument(help="verified or obsolete.")],
    model_store: ModelStoreOpt = None,
    db: DbOpt = None,
) -> None:
    """Move REVISION of PART_ID forward to STATUS (hashes checked on verify)."""
    with _store(db) as engine:
        before = set_revision_status(
            engine,
            part_id,
            revision,
            status,
            model_store=_model_store(db, model_store),
        )
    console.print(
        f"{part_id!r} revision {revision!r}: {before} -> {status.lower()}",
        markup=False,
    )


@digital_app.command("economics")
def digital_economics(
    downtime_cost_per_hour: Annotated[
        float, typer.Option("--downtime-cost-per-hour", help="Cost of an hour down.")
    ],
    carrying_rate: Annotated[
        float, typer.Option("--carrying-rate", help="Per year, 0-1.")
    ] = 0.25,
    unplanned_fraction: Annotated[
        float,
        typer.Option("--unplanned-fraction", help="Demand without warning, 0-1."),
    ] = 1.0,
    db: DbOpt = None,
) -> None:
    """Yearly cost of holding stock against fabricating on demand, per part-site."""
    with _store(db) as engine:
        table = stock_or_fabricate_table(
            engine,
            downtime_cost_per_hour=downtime_cost_per_hour,
            carrying_rate_per_year=carrying_rate,
            unplanned_demand_fraction=unplanned_fraction,
        )
    shown = table.select(
        "part_id",
        "site_id",
        "revision",
        pl.col("stock_units").alias("stock"),
        pl.col("demand_units_per_year").alias("demand/yr"),
        pl.col("holding_cost_per_year").alias("holding/yr"),
        pl.col("on_demand_cost_per_year").alias("on demand/yr"),
        pl.col("saving_per_year").alias("saving/yr"),
        pl.col("is_on_demand_cheaper").alias("fabricate?"),
    )
    _print_table("Hold stock or fabricate on demand", shown)


@digital_app.command("orders")
def digital_orders(
    status: Annotated[
        str | None, typer.Option("--status", help="open or received.")
    ] = None,
    db: DbOpt = None,
) -> None:
    """List fabrication orders, newest first."""
    with _store(db) as engine:
        table = fabrication_orders(engine, status)
    _print_table(f"{table.height} fabrication orders", table.drop("package_path"))


# -- maintenance -----------------------------------------------------------------


@maintenance_app.command("asset")
def maintenance_asset(
    asset_id: Annotated[str, typer.Argument(help="Asset id.")],
    site_id: Annotated[str, typer.Option("--site", help="Site it stands at.")],
    description: Annotated[str | None, typer.Option("--description")] = None,
    meter_unit: Annotated[
        str | None, typer.Option("--meter-unit", help="Unit of its meter, e.g. h.")
    ] = None,
    db: DbOpt = None,
) -> None:
    """Add ASSET at a site, or update it."""
    with _store(db) as engine:
        add_asset(
            engine, asset_id, site_id, description=description, meter_unit=meter_unit
        )
    console.print(f"Asset {asset_id!r} at {site_id!r} stored.", markup=False)


@maintenance_app.command("plan")
def maintenance_plan(
    asset_id: Annotated[str, typer.Argument(help="Asset id.")],
    name: Annotated[str, typer.Option("--name", help="Plan name, unique per asset.")],
    parts: Annotated[
        list[str], typer.Option("--part", help="PART_ID:QTY used per occurrence.")
    ],
    every_days: Annotated[
        str | None, typer.Option("--every-days", help="Calendar interval.")
    ] = None,
    every_meter: Annotated[
        str | None,
        typer.Option("--every-meter", help="Interval in the asset's meter unit."),
    ] = None,
    threshold: Annotated[
        str | None, typer.Option("--threshold", help="Condition level.")
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Unit of the condition measure.")
    ] = None,
    direction: Annotated[
        str | None, typer.Option("--direction", help="rising or falling.")
    ] = None,
    measure: Annotated[
        str | None, typer.Option("--measure", help="Name of the measure (wear).")
    ] = None,
    last_done: Annotated[
        str | None, typer.Option("--last-done", help="YYYY-MM-DD.")
    ] = None,
    last_meter: Annotated[
        str | None, typer.Option("--last-meter", help="Meter when last done.")
    ] = None,
    db: DbOpt = None,
) -> None:
    """Add or replace a preventive plan of ASSET (one trigger)."""
    spec = MaintenancePlanSpec(
        plan_name=name,
        parts=[_part_quantity(text) for text in parts],
        interval_days=every_days,
        interval_meter_units=every_meter,
        measure=measure,
        measure_unit=unit,
        threshold=threshold,
        threshold_direction=direction,
        last_done_date=_date("--last-done", last_done),
        last_done_meter=last_meter,
    )
    with _store(db) as engine:
        set_maintenance_plan(engine, asset_id, spec)
    console.print(f"Plan {name!r} of {asset_id!r} stored.", markup=False)


@maintenance_app.command("reading")
def maintenance_reading(
    asset_id: Annotated[str, typer.Argument(help="Asset id.")],
    value: Annotated[str, typer.Option("--value", help="The reading.")],
    unit: Annotated[str, typer.Option("--unit", help="Its unit.")],
    at: Annotated[
        str | None, typer.Option("--at", help="YYYY-MM-DD[THH:MM]; default now.")
    ] = None,
    measure: Annotated[
        str | None, typer.Option("--measure", help="Which measure, if ambiguous.")
    ] = None,
    db: DbOpt = None,
    user: UserOpt = None,
) -> None:
    """Record a meter or wear reading of ASSET."""
    with _store(db) as engine:
        record_reading(
            engine,
            asset_id,
            value,
            unit,
            user=_user(user),
            measure=measure,
            at=_stamp("--at", at),
        )
    console.print(f"Reading {value} {unit} of {asset_id!r} stored.", markup=False)


@maintenance_app.command("parts")
def maintenance_parts(
    asset_id: Annotated[str, typer.Argument(help="Asset id.")],
    part_id: Annotated[str, typer.Argument(help="Part id.")],
    quantity: Annotated[str, typer.Argument(help="Units fitted (> 0).")],
    db: DbOpt = None,
) -> None:
    """Put PART_ID on ASSET's spare-parts list with QUANTITY."""
    with _store(db) as engine:
        set_asset_part(engine, asset_id, part_id, quantity)
    console.print(f"{part_id!r} x {quantity} on {asset_id!r}'s list.", markup=False)


@maintenance_app.command("plans")
def maintenance_plans_command(
    asset_id: Annotated[str | None, typer.Argument(help="Only this asset.")] = None,
    db: DbOpt = None,
) -> None:
    """List preventive plans and the parts they use."""
    with _store(db) as engine:
        table = maintenance_plans(engine, asset_id)
    _print_table(f"{table.height} plan parts", table)


# -- needs and fabrication -------------------------------------------------------


def needs_command(
    horizon_days: HorizonOpt = str(int(DEFAULT_HORIZON_DAYS)),
    margin_days: MarginOpt = str(int(DEFAULT_SAFETY_MARGIN_DAYS)),
    as_of: AsOfOpt = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also needs covered by stock.")
    ] = False,
    db: DbOpt = None,
) -> None:
    """Part needs from maintenance, netted against stock, earliest first."""
    with _store(db) as engine:
        needs = maintenance_needs(
            engine,
            as_of=_date("--as-of", as_of),
            horizon_days=horizon_days,
            safety_margin_days=margin_days,
        )
        missing = parts_without_verified_model(engine)
    table = needs.table if show_all else needs.table.filter(pl.col("net_units") > 0)
    shown = table.select(
        "due_date",
        "part_id",
        "site_id",
        "asset_id",
        "plan_name",
        pl.col("gross_units").alias("need"),
        pl.col("covered_units").alias("covered"),
        pl.col("net_units").alias("net"),
        "revision",
        "order_date",
        pl.col("is_late").alias("late?"),
    ).sort("due_date", "part_id", "site_id")
    _print_table(
        f"Maintenance needs {needs.as_of} to {needs.horizon_end}: {table.height} rows",
        shown,
    )
    for asset_id, plan_name, reason in needs.unscheduled.iter_rows():
        errors.print(
            f"plan {plan_name!r} of {asset_id!r} not scheduled: {reason}",
            markup=False,
            highlight=False,
        )
    if missing.height:
        errors.print(
            f"[yellow]{missing.height} quadrant-3 part-site(s) have no verified "
            "model[/] (spareplan digital models --missing)."
        )


def fabricate_command(
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the order packages.")
    ] = Path("fabrication"),
    as_zip: Annotated[
        bool, typer.Option("--zip", help="Write each package as a .zip.")
    ] = False,
    horizon_days: HorizonOpt = str(int(DEFAULT_HORIZON_DAYS)),
    margin_days: MarginOpt = str(int(DEFAULT_SAFETY_MARGIN_DAYS)),
    as_of: AsOfOpt = None,
    model_store: ModelStoreOpt = None,
    db: DbOpt = None,
    user: UserOpt = None,
) -> None:
    """Raise the fabrication orders due now and write their packages to --out."""
    settings = FabricationSettings(
        safety_margin_days=_number("--margin-days", margin_days),
        horizon_days=_number("--horizon-days", horizon_days),
        package_format="zip" if as_zip else "folder",
    )
    with _store(db) as engine:
        result = fabricate(
            engine,
            user=_user(user),
            model_store=_model_store(db, model_store),
            out_dir=out,
            as_of=_date("--as-of", as_of),
            settings=settings,
        )
    if result.orders.height:
        _print_table(
            f"{result.orders.height} fabrication orders",
            result.orders.drop("package_path"),
        )
        console.print(f"Order packages written to [bold]{escape(str(out))}[/]")
    else:
        console.print("No fabrication order is due now.")
    if result.n_waiting:
        console.print(f"{result.n_waiting} digital need(s) will be ordered later.")
    if result.n_without_model:
        errors.print(
            f"[yellow]{result.n_without_model} need(s) are for parts without a "
            "verified model[/]: buy them (spareplan needs)."
        )


# -- helpers ---------------------------------------------------------------------


def _model_store(db: str | None, model_store: Path | None) -> Path:
    return model_store_root(database_url(db), model_store)


def _fail(message: str) -> NoReturn:
    errors.print("[bold red]Error[/]: ", end="")
    errors.print(message, markup=False, highlight=False)
    raise typer.Exit(EXIT_BAD_INPUT)


def _date(option: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        _fail(f"{option} must be a date like 2025-01-31, got {text!r}")


def _stamp(option: str, text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        _fail(f"{option} must be a date or time like 2025-01-31T08:30, got {text!r}")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _number(option: str, text: str) -> float:
    try:
        return float(text)
    except ValueError:
        _fail(f"{option} must be a number, got {text!r}")


def _part_quantity(text: str) -> tuple[str, str]:
    part_id, separator, quantity = text.rpartition(":")
    if not separator or not part_id.strip():
        _fail(f"--part must be PART_ID:QTY like P-100034:2, got {text!r}")
    return part_id.strip(), quantity.strip()


def main() -> None:
    """Run these commands on their own (``python -m spareplan.cli_digital``)."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    app = typer.Typer(no_args_is_help=True, add_completion=False)
    register_digital_commands(app)
    app()


if __name__ == "__main__":
    main()
