"""Fabrication orders for digital parts, raised in time for maintenance.

For every part-site whose maintenance needs (netted against stock, see
:mod:`spareplan.digital.needs`) are not covered and whose part has a verified
model, an order is raised once its order date has come: ``due - ceil(lead time
+ safety margin)`` on or before today. Only the newest verified revision is
ordered; drafts and obsolete revisions never are. Every stored file is hashed
again first: a file changed or lost since registration stops the run, and
nothing is written.

An order is a ``fabrication`` line on a workshop requisition (no supplier), so
stock positions and ``replenish`` count it as on order and a receipt against the
requisition closes it, plus a ``fabrication_orders`` row with its revision and
dates, and an order package (:mod:`spareplan.digital.package`).
"""

from __future__ import annotations

import logging
import math
import shutil
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, case, insert, literal, select, update

from spareplan.digital.checks import as_day, day_stamp, require_text
from spareplan.digital.errors import DigitalValueError
from spareplan.digital.files import check_stored_file
from spareplan.digital.models import latest_verified_query
from spareplan.digital.needs import (
    DEFAULT_HORIZON_DAYS,
    DEFAULT_SAFETY_MARGIN_DAYS,
    read_needs,
)
from spareplan.digital.package import PACKAGE_FORMATS, OrderPackage, write_package
from spareplan.errors import OutputError
from spareplan.store.checks import utc_now
from spareplan.store.engine import read_transaction, write_transaction
from spareplan.store.ledger import requisition_reference
from spareplan.store.schema import (
    DigitalModelFile,
    DigitalRevision,
    FabricationOrder,
    Part,
    Requisition,
    RequisitionLine,
)

__all__ = [
    "FabricationResult",
    "FabricationSettings",
    "fabricate",
    "fabrication_orders",
    "order_reference",
]

logger = logging.getLogger(__name__)

ORDER_PREFIX = "FAB-"
ORDERS_SCHEMA: dict[str, Any] = {
    "order": pl.String,
    "requisition": pl.String,
    "part_id": pl.String,
    "site_id": pl.String,
    "revision": pl.String,
    "quantity_units": pl.Float64,
    "order_date": pl.Date,
    "due_date": pl.Date,
    "is_late": pl.Boolean,
    "fabricator": pl.String,
    "fabrication_unit_cost": pl.Float64,
    "line_value": pl.Float64,
    "package_path": pl.String,
}


def order_reference(order_id: int) -> str:
    """``12`` -> ``'FAB-000012'``."""
    return f"{ORDER_PREFIX}{order_id:06d}"


@dataclass(frozen=True)
class FabricationSettings:
    """How fabrication orders are timed and packaged.

    Parameters
    ----------
    safety_margin_days : float, default 7
        Days a fabricated part should arrive before it is due, >= 0.
    horizon_days : float, default 90
        How far ahead maintenance needs are read, > 0.
    package_format : str, default "folder"
        ``"folder"`` or ``"zip"``.
    """

    safety_margin_days: float = DEFAULT_SAFETY_MARGIN_DAYS
    horizon_days: float = DEFAULT_HORIZON_DAYS
    package_format: str = "folder"


@dataclass(frozen=True)
class FabricationResult:
    """What one run raised.

    Attributes
    ----------
    orders : polars.DataFrame
        One row per new order (columns of :data:`ORDERS_SCHEMA`).
    n_waiting : int
        Digital needs not yet due for ordering (their order date is ahead).
    n_without_model : int
        Net needs of parts with no verified model: to be bought, not fabricated.
    """

    orders: pl.DataFrame
    n_waiting: int
    n_without_model: int


def fabricate(
    engine: Engine,
    *,
    user: str,
    model_store: Path,
    out_dir: Path,
    as_of: date | None = None,
    settings: FabricationSettings | None = None,
) -> FabricationResult:
    """Raise the fabrication orders due by ``as_of`` and write their packages.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The store.
    user : str
        Recorded as the orders' author.
    model_store : Path
        Root of the content-addressed model folder.
    out_dir : Path
        Where the packages are written (created if its parent exists).
    as_of : date, optional
        Today; default the current UTC date.
    settings : FabricationSettings, optional

    Returns
    -------
    FabricationResult

    Raises
    ------
    ModelIntegrityError
        A stored file of a revision to order changed or is missing.
    DigitalValueError
        Bad settings.
    OutputError
        The output folder cannot be made, or a package cannot be written.

    Notes
    -----
    One transaction under the store lock: a failed run leaves no order, no
    requisition and no package behind, and running it again orders nothing new
    until the needs change (open orders count as on order).
    """
    settings = settings or FabricationSettings()
    user = require_text(user, "user", "fabricate")
    _check_settings(settings)
    _prepare_folder(out_dir)
    today = as_of or datetime.now(UTC).date()
    started = time.perf_counter()
    staging = out_dir / f".staging-{uuid.uuid4().hex}"
    try:
        with write_transaction(engine, lock_store=True) as connection:
            needs = read_needs(
                connection,
                as_of=today,
                horizon_days=settings.horizon_days,
                safety_margin_days=settings.safety_margin_days,
            ).table
            due = _with_replenish_requests(connection, _orders_due(needs), today)
            packages = _packages(connection, due, model_store)
            orders = _write_orders(connection, due, packages, user, out_dir, settings)
            staging.mkdir()
            for package in packages.values():
                write_package(package, staging, settings.package_format)
        _publish(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    digital_short = needs.filter(
        (pl.col("net_units") > 0) & pl.col("revision_id").is_not_null()
    )
    result = FabricationResult(
        orders,
        n_waiting=int((~digital_short.get_column("is_order_due")).sum()),
        n_without_model=needs.filter(
            (pl.col("net_units") > 0) & pl.col("revision_id").is_null()
        ).height,
    )
    logger.info(
        "fabricate raised %d orders in %.2f s",
        orders.height,
        time.perf_counter() - started,
    )
    return result


def _check_settings(settings: FabricationSettings) -> None:
    for name in ("safety_margin_days", "horizon_days"):
        value = getattr(settings, name)
        is_bad = not isinstance(value, int | float) or not math.isfinite(value)
        if is_bad or value < 0 or (name == "horizon_days" and value == 0):
            bound = "> 0" if name == "horizon_days" else ">= 0"
            raise DigitalValueError(
                f"fabrication settings: {name} must be a number {bound}, got {value!r}"
            )
    if settings.package_format not in PACKAGE_FORMATS:
        raise DigitalValueError(
            "fabrication settings: package_format must be 'folder' or 'zip', got "
            f"{settings.package_format!r}"
        )


def _prepare_folder(out_dir: Path) -> None:
    if not out_dir.parent.is_dir():
        raise OutputError(
            f"{str(out_dir)!r}: the folder {str(out_dir.parent)!r} does not exist"
        )
    try:
        out_dir.mkdir(exist_ok=True)
    except OSError as error:
        raise OutputError(f"{str(out_dir)!r} cannot be created: {error}") from None


def _orders_due(needs: pl.DataFrame) -> pl.DataFrame:
    """Uncovered digital needs whose order date has come, one row per part-site."""
    return (
        needs.filter(
            (pl.col("net_units") > 0)
            & pl.col("revision_id").is_not_null()
            & pl.col("is_order_due")
        )
        .group_by("part_id", "site_id", maintain_order=True)
        .agg(
            pl.col("net_units").sum().ceil().alias("quantity_units"),
            pl.col("due_date").min(),
            pl.col("order_date").min(),
            pl.col("is_late").any(),
            pl.first(
                "revision_id",
                "revision",
                "fabrication_lead_time_days",
                "fabrication_unit_cost",
                "fabricator",
                "available_units",
            ),
            pl.struct("asset_id", "plan_name", "due_date", "net_units").alias("needs"),
        )
        .sort("order_date", "part_id", "site_id")
    )


def _with_replenish_requests(
    connection: Connection, due: pl.DataFrame, today: date
) -> pl.DataFrame:
    """Add the open fabrication lines replenish raised that no order covers yet.

    ``replenish`` asks for fabrication when a digital part's position reaches its
    reorder point; such a line becomes an order here, from the newest verified
    revision, due as soon as it can be made. A part-site that also has a
    maintenance need this run keeps that order alone.
    """
    latest = latest_verified_query().subquery("latest")
    rows = connection.execute(
        select(
            RequisitionLine.id,
            RequisitionLine.requisition_id,
            RequisitionLine.part_id,
            RequisitionLine.site_id,
            RequisitionLine.quantity_units - RequisitionLine.received_units,
            DigitalRevision.id,
            DigitalRevision.revision,
            DigitalRevision.fabrication_lead_time_days,
            DigitalRevision.fabrication_unit_cost,
            DigitalRevision.fabricator,
        )
        .join(latest, latest.c.part_id == RequisitionLine.part_id)
        .join(DigitalRevision, DigitalRevision.id == latest.c.revision_id)
        .outerjoin(
            FabricationOrder, FabricationOrder.requisition_line_id == RequisitionLine.id
        )
        .where(
            RequisitionLine.line_type == "fabrication",
            RequisitionLine.status == "open",
            FabricationOrder.id.is_(None),
        )
        .order_by(RequisitionLine.id)
    ).all()
    due = due.with_columns(
        requisition_line_id=pl.lit(None, dtype=pl.Int64),
        requisition_id=pl.lit(None, dtype=pl.Int64),
    )
    taken = set(zip(due["part_id"].to_list(), due["site_id"].to_list(), strict=True))
    requests = []
    for (line_id, requisition_id, part_id, site_id, units, revision_id, revision,
         lead_time, unit_cost, fabricator) in rows:  # fmt: skip
        if (part_id, site_id) in taken or units <= 0:
            continue
        taken.add((part_id, site_id))
        ready = today + timedelta(days=math.ceil(lead_time))
        requests.append(
            {
                "part_id": part_id,
                "site_id": site_id,
                "quantity_units": float(math.ceil(units)),
                "due_date": ready,
                "order_date": today,
                "is_late": False,
                "revision_id": revision_id,
                "revision": revision,
                "fabrication_lead_time_days": lead_time,
                "fabrication_unit_cost": unit_cost,
                "fabricator": fabricator,
                "available_units": 0.0,
                "needs": [
                    {
                        "asset_id": None,
                        "plan_name": "replenish: reorder point reached",
                        "due_date": ready,
                        "net_units": float(units),
                    }
                ],
                "requisition_line_id": line_id,
                "requisition_id": requisition_id,
            }
        )
    if not requests:
        return due
    return pl.concat(
        [due, pl.DataFrame(requests, schema=due.schema)], how="vertical_relaxed"
    )


def _packages(
    connection: Connection, due: pl.DataFrame, model_store: Path
) -> dict[tuple[str, str], OrderPackage]:
    """Each order's verified files and manifest skeleton (ids filled in later)."""
    packages = {}
    for order in due.iter_rows(named=True):
        revision = connection.execute(
            select(
                DigitalRevision.status,
                DigitalRevision.material,
                DigitalRevision.process,
                Part.description,
            )
            .join(Part, Part.part_id == DigitalRevision.part_id)
            .where(DigitalRevision.id == order["revision_id"])
        ).one()
        # NOTE: checked again inside the transaction: a status set after the
        # needs were read must still keep a draft or obsolete model from orders.
        if revision.status != "verified":  # pragma: no cover - guarded by the lock
            raise DigitalValueError(
                f"part {order['part_id']!r} revision {order['revision']!r}: status "
                f"must be 'verified' to be ordered, got {revision.status!r}"
            )
        context = f"part {order['part_id']!r} revision {order['revision']!r}"
        files, listed = _revision_files(
            connection, order["revision_id"], model_store, context
        )
        manifest = {
            "part_id": order["part_id"],
            "site_id": order["site_id"],
            "description": revision.description,
            "quantity_units": order["quantity_units"],
            "revision": order["revision"],
            "revision_status": revision.status,
            "material": revision.material,
            "process": revision.process,
            "fabrication_lead_time_days": order["fabrication_lead_time_days"],
            "fabrication_unit_cost": order["fabrication_unit_cost"],
            "line_value": order["quantity_units"] * order["fabrication_unit_cost"],
            "fabricator": order["fabricator"],
            "order_date": order["order_date"].isoformat(),
            "due_date": order["due_date"].isoformat(),
            "files": listed,
            "needs": [
                {**need, "due_date": need["due_date"].isoformat()}
                for need in order["needs"]
            ],
        }
        packages[(order["part_id"], order["site_id"])] = OrderPackage(
            "", manifest, files
        )
    return packages


def _revision_files(
    connection: Connection, revision_id: int, model_store: Path, context: str
) -> tuple[dict[str, Path], list[dict[str, Any]]]:
    rows = connection.execute(
        select(
            DigitalModelFile.file_name,
            DigitalModelFile.file_kind,
            DigitalModelFile.sha256,
            DigitalModelFile.size_bytes,
            DigitalModelFile.stored_path,
            DigitalModelFile.source_url,
        )
        .where(DigitalModelFile.revision_id == revision_id)
        .order_by(DigitalModelFile.id)
    ).all()
    files: dict[str, Path] = {}
    listed = []
    for row in rows:
        path = None
        if row.stored_path is not None:
            files[row.file_name] = check_stored_file(
                model_store,
                row.stored_path,
                row.sha256,
                f"{context} file {row.file_name!r}",
            )
            path = f"models/{row.file_name}"
        listed.append(
            {
                "file_name": row.file_name,
                "file_kind": row.file_kind,
                "sha256": row.sha256,
                "size_bytes": row.size_bytes,
                "path": path,
                "url": row.source_url,
            }
        )
    return files, listed


def _write_orders(
    connection: Connection,
    due: pl.DataFrame,
    packages: dict[tuple[str, str], OrderPackage],
    user: str,
    out_dir: Path,
    settings: FabricationSettings,
) -> pl.DataFrame:
    """A workshop requisition per site, a line and an order per part-site."""
    now = utc_now()
    requisitions: dict[str, int] = {}
    rows = []
    for order in due.iter_rows(named=True):
        site_id = order["site_id"]
        if order["requisition_line_id"] is not None:
            line_id, requisition_id = _replenish_line(order)
        else:
            line_id, requisition_id = _new_line(
                connection, order, requisitions, user, now
            )
        order_id = connection.execute(
            insert(FabricationOrder)
            .values(
                requisition_line_id=line_id,
                revision_id=order["revision_id"],
                part_id=order["part_id"],
                site_id=site_id,
                quantity_units=order["quantity_units"],
                order_date=day_stamp(order["order_date"]),
                due_date=day_stamp(order["due_date"]),
                status="open",
                package_path=None,
                created_at=now,
                created_by=user,
            )
            .returning(FabricationOrder.id)
        ).scalar_one()
        name = order_reference(order_id)
        suffix = ".zip" if settings.package_format == "zip" else ""
        package_path = str(out_dir / f"{name}{suffix}")
        connection.execute(
            update(FabricationOrder)
            .where(FabricationOrder.id == order_id)
            .values(package_path=package_path)
        )
        key = (order["part_id"], site_id)
        requisition = requisition_reference(requisition_id)
        manifest = {
            "order": name,
            "requisition": requisition,
            **packages[key].manifest,
            "created_at": now.isoformat(),
            "created_by": user,
        }
        packages[key] = OrderPackage(name, manifest, packages[key].files)
        rows.append(
            (name, requisition, order["part_id"], site_id, order["revision"],
             order["quantity_units"], order["order_date"], order["due_date"],
             order["is_late"], order["fabricator"], order["fabrication_unit_cost"],
             manifest["line_value"], package_path)
        )  # fmt: skip
    return pl.DataFrame(rows, schema=ORDERS_SCHEMA, orient="row")


def _replenish_line(order: dict[str, Any]) -> tuple[int, int]:
    """The requisition line replenish already raised for this order."""
    return int(order["requisition_line_id"]), int(order["requisition_id"])


def _new_line(
    connection: Connection,
    order: dict[str, Any],
    requisitions: dict[str, int],
    user: str,
    now: datetime,
) -> tuple[int, int]:
    """A fabrication line on the site's workshop requisition (made on first use)."""
    site_id = order["site_id"]
    if site_id not in requisitions:
        requisitions[site_id] = connection.execute(
            insert(Requisition)
            .values(
                supplier_id=None,
                site_id=site_id,
                status="open",
                created_at=now,
                created_by=user,
            )
            .returning(Requisition.id)
        ).scalar_one()
    line_id = connection.execute(
        insert(RequisitionLine)
        .values(
            requisition_id=requisitions[site_id],
            part_id=order["part_id"],
            site_id=site_id,
            line_type="fabrication",
            quantity_units=order["quantity_units"],
            received_units=0.0,
            status="open",
            position_units=order["available_units"],
            reorder_point=0.0,
            order_up_to=0.0,
            unit_cost=order["fabrication_unit_cost"],
        )
        .returning(RequisitionLine.id)
    ).scalar_one()
    return int(line_id), requisitions[site_id]


def _publish(staging: Path, out_dir: Path) -> None:
    """Move the committed run's packages from the staging folder into place."""
    for item in sorted(staging.iterdir()):
        target = out_dir / item.name
        if target.exists():
            raise OutputError(
                f"order package {str(target)!r} already exists; the orders are "
                f"stored, and their packages are left in {str(staging)!r}"
            )
        item.rename(target)


def fabrication_orders(engine: Engine, status: str | None = None) -> pl.DataFrame:
    """Stored fabrication orders, newest first; ``status`` filters them.

    ``status`` is ``received`` once the requisition line is fully received,
    else the order's own (``open``).
    """
    effective = case(
        (RequisitionLine.status == "closed", literal("received")),
        else_=FabricationOrder.status,
    )
    query = (
        select(
            FabricationOrder.id,
            RequisitionLine.requisition_id,
            FabricationOrder.part_id,
            FabricationOrder.site_id,
            DigitalRevision.revision,
            FabricationOrder.quantity_units,
            RequisitionLine.received_units,
            FabricationOrder.order_date,
            FabricationOrder.due_date,
            effective.label("status"),
            DigitalRevision.fabricator,
            FabricationOrder.package_path,
        )
        .join(
            RequisitionLine, RequisitionLine.id == FabricationOrder.requisition_line_id
        )
        .join(DigitalRevision, DigitalRevision.id == FabricationOrder.revision_id)
        .order_by(FabricationOrder.id.desc())
    )
    if status is not None:
        query = query.where(effective == status)
    with read_transaction(engine) as connection:
        rows = connection.execute(query).all()
    data = [
        (order_reference(r[0]), requisition_reference(r[1]), *r[2:7],
         as_day(r[7]), as_day(r[8]), *r[9:])
        for r in rows
    ]  # fmt: skip
    schema = {
        "order": pl.String,
        "requisition": pl.String,
        "part_id": pl.String,
        "site_id": pl.String,
        "revision": pl.String,
        "quantity_units": pl.Float64,
        "received_units": pl.Float64,
        "order_date": pl.Date,
        "due_date": pl.Date,
        "status": pl.String,
        "fabricator": pl.String,
        "package_path": pl.String,
    }
    return pl.DataFrame(data, schema=schema, orient="row")
