"""The stock ledger: receipts, issues, transfers and counts as movement rows.

On hand is never stored; it is the sum of the signed movement quantities of a
part-site, computed by the database. Every operation runs in one write
transaction that first locks the part-sites it touches (see
:mod:`spareplan.store.engine`), then reads the balance, checks it and inserts the
movement, so concurrent writers can neither lose nor double a movement nor take
stock below zero between the check and the insert.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, Select, func, insert, literal, select, update

from spareplan.store.checks import (
    lock_part_sites,
    parse_quantity,
    require_text,
    utc_now,
    where,
)
from spareplan.store.engine import read_transaction, write_transaction
from spareplan.store.errors import (
    InsufficientStockError,
    LedgerValueError,
    UnknownRecordError,
)
from spareplan.store.schema import (
    PartSite,
    Requisition,
    RequisitionLine,
    StockMovement,
)

__all__ = [
    "LedgerSettings",
    "Movement",
    "count_stock",
    "issue",
    "on_hand_units",
    "positions_query",
    "receive",
    "requisition_reference",
    "stock_table",
    "transfer",
]

logger = logging.getLogger(__name__)

REQUISITION_PREFIX = "REQ-"


@dataclass(frozen=True)
class LedgerSettings:
    """Rules of the ledger.

    Parameters
    ----------
    allow_negative_stock : bool, default False
        Let an issue or transfer take on hand below zero (a store that books
        issues before the receipts are keyed in). Off, such a movement is refused.
    """

    allow_negative_stock: bool = False


@dataclass(frozen=True)
class Movement:
    """A movement written to the ledger and the on hand it left behind."""

    movement_id: int
    part_id: str
    site_id: str
    kind: str
    quantity_units: float
    on_hand_units: float
    moved_at: datetime
    reference: str | None


def requisition_reference(requisition_id: int) -> str:
    """``12`` -> ``'REQ-000012'``, the reference printed on a requisition."""
    return f"{REQUISITION_PREFIX}{requisition_id:06d}"


def receive(
    engine: Engine,
    part_id: str,
    site_id: str,
    quantity: object,
    *,
    user: str,
    reference: str | None = None,
    requisition: str | int | None = None,
    at: datetime | None = None,
) -> Movement:
    """Book a receipt of ``quantity`` units of a part at a site.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The store.
    part_id, site_id : str
        The part-site; both must be in the store.
    quantity : float or str
        Units received, > 0.
    user : str
        Who booked it.
    reference : str, optional
        Delivery note or purchase order number.
    requisition : str or int, optional
        The requisition received against (``'REQ-000012'`` or ``12``). Its open
        line for this part-site is credited and closed once fully received; the
        movement's reference is then the requisition's.
    at : datetime, optional
        When it happened; default now (UTC).

    Returns
    -------
    Movement

    Raises
    ------
    UnknownRecordError
        Unknown part, site, part-site or open requisition line.
    LedgerValueError
        Quantity not a number > 0, or empty user.
    """
    units = parse_quantity(quantity, part_id, site_id)
    user = require_text(user, "user", where(part_id, site_id))
    with write_transaction(engine) as connection:
        lock_part_sites(connection, [(part_id, site_id)])
        line_id = None
        if requisition is not None:
            line_id, reference = _credit_requisition(
                connection, part_id, site_id, requisition, units, at
            )
        return _insert_movement(
            connection,
            part_id,
            site_id,
            "receipt",
            units,
            user=user,
            reference=reference,
            requisition_line_id=line_id,
            at=at,
        )


def issue(
    engine: Engine,
    part_id: str,
    site_id: str,
    quantity: object,
    *,
    user: str,
    work_order: str | None = None,
    asset_id: str | None = None,
    reference: str | None = None,
    settings: LedgerSettings | None = None,
    at: datetime | None = None,
) -> Movement:
    """Book an issue of ``quantity`` units to a work order or asset.

    Raises
    ------
    UnknownRecordError
        Unknown part, site or part-site.
    LedgerValueError
        Quantity not a number > 0, or empty user.
    InsufficientStockError
        The issue would take on hand below zero (unless the settings allow it).
    """
    settings = settings or LedgerSettings()
    units = parse_quantity(quantity, part_id, site_id)
    user = require_text(user, "user", where(part_id, site_id))
    with write_transaction(engine) as connection:
        lock_part_sites(connection, [(part_id, site_id)])
        _check_enough(connection, part_id, site_id, units, "issue", settings)
        return _insert_movement(
            connection,
            part_id,
            site_id,
            "issue",
            -units,
            user=user,
            reference=reference,
            work_order=work_order,
            asset_id=asset_id,
            at=at,
        )


def transfer(
    engine: Engine,
    part_id: str,
    from_site_id: str,
    to_site_id: str,
    quantity: object,
    *,
    user: str,
    reference: str | None = None,
    settings: LedgerSettings | None = None,
    at: datetime | None = None,
) -> tuple[Movement, Movement]:
    """Move ``quantity`` units of a part from one site to another, atomically.

    Two movements sharing one ``transfer_id`` are written: ``transfer_out`` at the
    source and ``transfer_in`` at the destination.

    Raises
    ------
    UnknownRecordError
        Unknown part or site, or the part is not held at one of the sites.
    LedgerValueError
        Same source and destination, quantity not a number > 0, or empty user.
    InsufficientStockError
        The source would go below zero (unless the settings allow it).
    """
    settings = settings or LedgerSettings()
    if from_site_id == to_site_id:
        raise LedgerValueError(
            f"part {part_id!r}: a transfer needs two different sites, got "
            f"to_site_id {to_site_id!r} equal to from_site_id {from_site_id!r}"
        )
    units = parse_quantity(quantity, part_id, from_site_id)
    user = require_text(user, "user", where(part_id, from_site_id))
    transfer_id = uuid.uuid4().hex
    with write_transaction(engine) as connection:
        lock_part_sites(connection, [(part_id, from_site_id), (part_id, to_site_id)])
        _check_enough(connection, part_id, from_site_id, units, "transfer", settings)
        common: dict[str, Any] = {
            "user": user,
            "reference": reference,
            "transfer_id": transfer_id,
            "at": at,
        }
        out = _insert_movement(
            connection, part_id, from_site_id, "transfer_out", -units, **common
        )
        into = _insert_movement(
            connection, part_id, to_site_id, "transfer_in", units, **common
        )
    return out, into


def count_stock(
    engine: Engine,
    part_id: str,
    site_id: str,
    counted_units: object,
    *,
    user: str,
    reference: str | None = None,
    at: datetime | None = None,
) -> Movement:
    """Record a stock count: on hand becomes ``counted_units``.

    The movement's quantity is the difference (counted - on hand before), so the
    ledger still sums to on hand; ``counted_units`` is kept on the row too.

    Raises
    ------
    UnknownRecordError
        Unknown part, site or part-site.
    LedgerValueError
        Count not a number >= 0, or empty user.
    """
    counted = parse_quantity(
        counted_units, part_id, site_id, "counted_units", allow_zero=True
    )
    user = require_text(user, "user", where(part_id, site_id))
    with write_transaction(engine) as connection:
        lock_part_sites(connection, [(part_id, site_id)])
        before = _on_hand(connection, part_id, site_id)
        return _insert_movement(
            connection,
            part_id,
            site_id,
            "count",
            counted - before,
            user=user,
            reference=reference,
            counted_units=counted,
            at=at,
        )


def on_hand_units(engine: Engine, part_id: str, site_id: str) -> float:
    """Units on hand of a part at a site: the sum of its movements."""
    with read_transaction(engine) as connection:
        lock_part_sites(connection, [(part_id, site_id)])
        return _on_hand(connection, part_id, site_id)


def _on_hand(connection: Connection, part_id: str, site_id: str) -> float:
    total = connection.scalar(
        select(func.coalesce(func.sum(StockMovement.quantity_units), 0.0)).where(
            StockMovement.part_id == part_id, StockMovement.site_id == site_id
        )
    )
    return float(total or 0.0)


def _check_enough(
    connection: Connection,
    part_id: str,
    site_id: str,
    units: float,
    operation: str,
    settings: LedgerSettings,
) -> None:
    if settings.allow_negative_stock:
        return
    before = _on_hand(connection, part_id, site_id)
    if units > before:
        raise InsufficientStockError(
            f"{where(part_id, site_id)}: {operation} of quantity {units:g} would take "
            f"on_hand_units to {before - units:g}; on hand is {before:g} and "
            "negative stock is not allowed"
        )


def _insert_movement(
    connection: Connection,
    part_id: str,
    site_id: str,
    kind: str,
    quantity_units: float,
    *,
    user: str,
    reference: str | None = None,
    at: datetime | None = None,
    **extra: Any,
) -> Movement:
    moved_at = at or utc_now()
    movement_id = connection.execute(
        insert(StockMovement)
        .values(
            part_id=part_id,
            site_id=site_id,
            kind=kind,
            quantity_units=quantity_units,
            moved_at=moved_at,
            user_name=user,
            reference=reference,
            **extra,
        )
        .returning(StockMovement.id)
    ).scalar_one()
    after = _on_hand(connection, part_id, site_id)
    logger.debug("%s %s %+g at %s -> %g", kind, part_id, quantity_units, site_id, after)
    return Movement(
        movement_id, part_id, site_id, kind, quantity_units, after, moved_at, reference
    )


def _requisition_id(value: str | int) -> int:
    text = str(value).strip().upper().removeprefix(REQUISITION_PREFIX)
    if not text.isdigit():
        raise LedgerValueError(
            f"requisition must be a number or like 'REQ-000012', got {value!r}"
        )
    return int(text)


def _credit_requisition(
    connection: Connection,
    part_id: str,
    site_id: str,
    requisition: str | int,
    units: float,
    at: datetime | None,
) -> tuple[int, str]:
    """Add ``units`` to the open requisition line; close what is complete."""
    requisition_id = _requisition_id(requisition)
    reference = requisition_reference(requisition_id)
    line = connection.execute(
        select(
            RequisitionLine.id,
            RequisitionLine.quantity_units,
            RequisitionLine.received_units,
        )
        .where(
            RequisitionLine.requisition_id == requisition_id,
            RequisitionLine.part_id == part_id,
            RequisitionLine.site_id == site_id,
            RequisitionLine.status == "open",
        )
        .order_by(RequisitionLine.id)
        .limit(1)
    ).first()
    if line is None:
        raise UnknownRecordError(
            f"{where(part_id, site_id)}: requisition {reference!r} has no open line "
            "for this part-site"
        )
    received = line.received_units + units
    is_complete = received >= line.quantity_units
    now = at or utc_now()
    connection.execute(
        update(RequisitionLine)
        .where(RequisitionLine.id == line.id)
        .values(
            received_units=received,
            status="closed" if is_complete else "open",
            closed_at=now if is_complete else None,
        )
    )
    if is_complete:
        _close_requisition_if_done(connection, requisition_id, now)
    return line.id, reference


def _close_requisition_if_done(
    connection: Connection, requisition_id: int, now: datetime
) -> None:
    n_open = connection.scalar(
        select(func.count()).where(
            RequisitionLine.requisition_id == requisition_id,
            RequisitionLine.status == "open",
        )
    )
    if n_open == 0:
        connection.execute(
            update(Requisition)
            .where(Requisition.id == requisition_id)
            .values(status="closed", closed_at=now)
        )


def positions_query(site_id: str | None = None) -> Select[Any]:
    """One row per part-site: on hand, on order, reserved, position and settings.

    ``inventory_position_units = on_hand + on_order - reserved``, where on order
    is the outstanding quantity of open requisition lines plus what the catalogue
    said was on order outside spareplan. Reorder point, order-up-to and order
    quantity are the planner's override where there is one, else the plan's.
    All sums are done by the database.
    """
    on_hand = (
        select(
            StockMovement.part_id,
            StockMovement.site_id,
            func.sum(StockMovement.quantity_units).label("units"),
        )
        .group_by(StockMovement.part_id, StockMovement.site_id)
        .subquery("on_hand")
    )
    on_order = (
        select(
            RequisitionLine.part_id,
            RequisitionLine.site_id,
            func.sum(
                RequisitionLine.quantity_units - RequisitionLine.received_units
            ).label("units"),
        )
        .where(RequisitionLine.status == "open")
        .group_by(RequisitionLine.part_id, RequisitionLine.site_id)
        .subquery("on_order")
    )
    hand = func.coalesce(on_hand.c.units, literal(0.0))
    ordered = func.coalesce(on_order.c.units, literal(0.0)) + func.coalesce(
        PartSite.external_on_order_units, literal(0.0)
    )
    reserved = func.coalesce(PartSite.reserved_units, literal(0.0))
    query = (
        select(
            PartSite.part_id,
            PartSite.site_id,
            hand.label("on_hand_units"),
            ordered.label("on_order_units"),
            reserved.label("reserved_units"),
            (hand + ordered - reserved).label("inventory_position_units"),
            func.coalesce(
                PartSite.override_reorder_point, PartSite.reorder_point
            ).label("reorder_point"),
            func.coalesce(PartSite.override_order_up_to, PartSite.order_up_to).label(
                "order_up_to"
            ),
            func.coalesce(
                PartSite.override_order_quantity, PartSite.order_quantity
            ).label("order_quantity"),
            func.coalesce(PartSite.override_quadrant, PartSite.quadrant).label(
                "quadrant"
            ),
            func.coalesce(PartSite.override_supplier_id, PartSite.supplier_id).label(
                "supplier_id"
            ),
            PartSite.unit_cost,
        )
        .outerjoin(
            on_hand,
            (on_hand.c.part_id == PartSite.part_id)
            & (on_hand.c.site_id == PartSite.site_id),
        )
        .outerjoin(
            on_order,
            (on_order.c.part_id == PartSite.part_id)
            & (on_order.c.site_id == PartSite.site_id),
        )
        .order_by(PartSite.site_id, PartSite.part_id)
    )
    if site_id is not None:
        query = query.where(PartSite.site_id == site_id)
    return query


def stock_table(
    engine: Engine, site_id: str | None = None, part_id: str | None = None
) -> pl.DataFrame:
    """Stock of every part-site (or of one site or part) as a polars table.

    Columns are those of :func:`positions_query` plus ``needs_order``: the
    position is at or below the reorder point and below the order-up-to level (a
    JIT part with both at zero needs nothing).
    """
    query = positions_query(site_id)
    if part_id is not None:
        query = query.where(PartSite.part_id == part_id)
    with read_transaction(engine) as connection:
        rows = connection.execute(query).mappings().all()
    schema = {
        "part_id": pl.String,
        "site_id": pl.String,
        "on_hand_units": pl.Float64,
        "on_order_units": pl.Float64,
        "reserved_units": pl.Float64,
        "inventory_position_units": pl.Float64,
        "reorder_point": pl.Float64,
        "order_up_to": pl.Float64,
        "order_quantity": pl.Float64,
        "quadrant": pl.Int64,
        "supplier_id": pl.String,
        "unit_cost": pl.Float64,
    }
    table = pl.DataFrame([dict(row) for row in rows], schema=schema, orient="row")
    position = pl.col("inventory_position_units")
    return table.with_columns(
        needs_order=(position <= pl.col("reorder_point"))
        & (position < pl.col("order_up_to"))
    )
