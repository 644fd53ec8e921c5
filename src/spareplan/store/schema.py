"""The tables of the stock store, as typed SQLAlchemy ORM classes.

Natural keys (``part_id``, ``site_id``, ``supplier_id``) are the primary keys, as
in the catalogue, so a row reads the same in the database and in a spreadsheet.
The migrations in ``spareplan/store/migrations`` create exactly these tables; a
test compares the two.

Quantities are float units (cable is sold by the metre); stock on hand is never
stored, only derived as the sum of ``stock_movements.quantity_units``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "MOVEMENT_KINDS",
    "Asset",
    "AssetPart",
    "Base",
    "ConditionReading",
    "DigitalModelFile",
    "DigitalRevision",
    "EmergencyPurchase",
    "FabricationOrder",
    "MaintenancePlan",
    "MaintenancePlanPart",
    "Part",
    "PartSite",
    "PlanLine",
    "PlanRun",
    "Requisition",
    "RequisitionLine",
    "Site",
    "StockMovement",
    "Supplier",
]

ID_LENGTH = 100
MOVEMENT_KINDS = ("opening", "receipt", "issue", "transfer_out", "transfer_in", "count")
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _id(*args: Any, **kwargs: Any) -> Any:
    return mapped_column(String(ID_LENGTH), *args, **kwargs)


def _stamp(**kwargs: Any) -> Any:
    return mapped_column(DateTime(timezone=True), **kwargs)


class Base(DeclarativeBase):
    """Declarative base with constraint names both SQLite and PostgreSQL accept."""

    metadata = MetaData(naming_convention=NAMING)


class Site(Base):
    """A plant or store room."""

    __tablename__ = "sites"
    site_id: Mapped[str] = _id(primary_key=True)
    updated_at: Mapped[datetime] = _stamp()


class Supplier(Base):
    """A supplier and its contracted terms (days, currency of the plan)."""

    __tablename__ = "suppliers"
    supplier_id: Mapped[str] = _id(primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    lead_time_days: Mapped[float | None] = mapped_column(Float)
    order_cost: Mapped[float | None] = mapped_column(Float)
    min_order_quantity: Mapped[float | None] = mapped_column(Float)
    order_multiple: Mapped[float | None] = mapped_column(Float)
    emergency_premium: Mapped[float | None] = mapped_column(Float)
    emergency_lead_time_days: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = _stamp()


class Part(Base):
    """A part number, whatever site holds it."""

    __tablename__ = "parts"
    part_id: Mapped[str] = _id(primary_key=True)
    description: Mapped[str | None] = mapped_column(String(500))
    criticality: Mapped[str | None] = mapped_column(String(50))
    # Kept in step with the digital registry: true while a verified revision exists.
    has_digital_model: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = _stamp()


class PartSite(Base):
    """A part at a site: its catalogue data, its latest plan and planner overrides.

    The effective setting is the override where there is one, else the plan's.
    The row doubles as the lock a ledger write takes on PostgreSQL.
    """

    __tablename__ = "part_sites"
    part_id: Mapped[str] = _id(ForeignKey("parts.part_id"), primary_key=True)
    site_id: Mapped[str] = _id(ForeignKey("sites.site_id"), primary_key=True)
    supplier_id: Mapped[str | None] = _id(ForeignKey("suppliers.supplier_id"))
    unit_cost: Mapped[float | None] = mapped_column(Float)
    lead_time_days: Mapped[float | None] = mapped_column(Float)
    external_on_order_units: Mapped[float] = mapped_column(Float, default=0.0)
    reserved_units: Mapped[float] = mapped_column(Float, default=0.0)
    plan_run_id: Mapped[int | None] = mapped_column(ForeignKey("plan_runs.id"))
    quadrant: Mapped[int | None] = mapped_column(Integer)
    strategy: Mapped[str | None] = mapped_column(String(40))
    stock_decision: Mapped[str | None] = mapped_column(String(10))
    safety_stock: Mapped[float | None] = mapped_column(Float)
    reorder_point: Mapped[float | None] = mapped_column(Float)
    order_quantity: Mapped[float | None] = mapped_column(Float)
    order_up_to: Mapped[float | None] = mapped_column(Float)
    override_reorder_point: Mapped[float | None] = mapped_column(Float)
    override_order_up_to: Mapped[float | None] = mapped_column(Float)
    override_order_quantity: Mapped[float | None] = mapped_column(Float)
    override_quadrant: Mapped[int | None] = mapped_column(Integer)
    override_supplier_id: Mapped[str | None] = _id(ForeignKey("suppliers.supplier_id"))
    override_by: Mapped[str | None] = mapped_column(String(100))
    override_at: Mapped[datetime | None] = _stamp()
    override_note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = _stamp()


class PlanRun(Base):
    """One stored plan: when, from what, with which configuration."""

    __tablename__ = "plan_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    planned_at: Mapped[datetime] = _stamp()
    catalogue_file: Mapped[str | None] = mapped_column(String(500))
    history_file: Mapped[str | None] = mapped_column(String(500))
    config: Mapped[dict[str, Any]] = mapped_column(JSON)
    n_part_sites: Mapped[int] = mapped_column(Integer)
    n_stocked: Mapped[int] = mapped_column(Integer)
    n_per_quadrant: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[str | None] = mapped_column(String(100))


class PlanLine(Base):
    """One part-site of a stored plan, kept as planned."""

    __tablename__ = "plan_lines"
    plan_run_id: Mapped[int] = mapped_column(
        ForeignKey("plan_runs.id"), primary_key=True
    )
    part_id: Mapped[str] = _id(primary_key=True)
    site_id: Mapped[str] = _id(primary_key=True)
    quadrant: Mapped[int] = mapped_column(Integer)
    strategy: Mapped[str] = mapped_column(String(40))
    stock_decision: Mapped[str] = mapped_column(String(10))
    safety_stock: Mapped[float | None] = mapped_column(Float)
    reorder_point: Mapped[float | None] = mapped_column(Float)
    order_quantity: Mapped[float | None] = mapped_column(Float)
    order_up_to: Mapped[float | None] = mapped_column(Float)
    supplier_id: Mapped[str | None] = _id()
    unit_cost: Mapped[float | None] = mapped_column(Float)
    demand_per_day: Mapped[float | None] = mapped_column(Float)


class StockMovement(Base):
    """One movement of the ledger; ``quantity_units`` is signed (+ in, - out)."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        ForeignKeyConstraint(
            ["part_id", "site_id"], ["part_sites.part_id", "part_sites.site_id"]
        ),
        Index("ix_stock_movements_part_site", "part_id", "site_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    part_id: Mapped[str] = _id()
    site_id: Mapped[str] = _id()
    kind: Mapped[str] = mapped_column(String(16))
    quantity_units: Mapped[float] = mapped_column(Float)
    counted_units: Mapped[float | None] = mapped_column(Float)
    moved_at: Mapped[datetime] = _stamp()
    user_name: Mapped[str] = mapped_column(String(100))
    reference: Mapped[str | None] = mapped_column(String(200))
    work_order: Mapped[str | None] = mapped_column(String(100))
    asset_id: Mapped[str | None] = mapped_column(String(100))
    transfer_id: Mapped[str | None] = mapped_column(String(40))
    requisition_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("requisition_lines.id")
    )


class Requisition(Base):
    """A request to one supplier (or the workshop) for one site."""

    __tablename__ = "requisitions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    supplier_id: Mapped[str | None] = _id(ForeignKey("suppliers.supplier_id"))
    site_id: Mapped[str] = _id(ForeignKey("sites.site_id"))
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = _stamp()
    created_by: Mapped[str | None] = mapped_column(String(100))
    closed_at: Mapped[datetime | None] = _stamp()


class RequisitionLine(Base):
    """One part of a requisition; open until the ordered units are received."""

    __tablename__ = "requisition_lines"
    __table_args__ = (
        ForeignKeyConstraint(
            ["part_id", "site_id"], ["part_sites.part_id", "part_sites.site_id"]
        ),
        Index("ix_requisition_lines_open", "part_id", "site_id", "status"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    requisition_id: Mapped[int] = mapped_column(ForeignKey("requisitions.id"))
    part_id: Mapped[str] = _id()
    site_id: Mapped[str] = _id()
    line_type: Mapped[str] = mapped_column(String(20))
    quantity_units: Mapped[float] = mapped_column(Float)
    received_units: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[str] = mapped_column(String(10), default="open")
    position_units: Mapped[float] = mapped_column(Float)
    reorder_point: Mapped[float] = mapped_column(Float)
    order_up_to: Mapped[float] = mapped_column(Float)
    unit_cost: Mapped[float | None] = mapped_column(Float)
    closed_at: Mapped[datetime | None] = _stamp()


class EmergencyPurchase(Base):
    """A part bought outside the plan, at a premium, because it was needed now."""

    __tablename__ = "emergency_purchases"
    __table_args__ = (
        ForeignKeyConstraint(
            ["part_id", "site_id"], ["part_sites.part_id", "part_sites.site_id"]
        ),
        Index("ix_emergency_purchases_bought_at", "bought_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    part_id: Mapped[str] = _id()
    site_id: Mapped[str] = _id()
    quantity_units: Mapped[float] = mapped_column(Float)
    premium_paid: Mapped[float] = mapped_column(Float)
    cause: Mapped[str] = mapped_column(Text)
    bought_at: Mapped[datetime] = _stamp()
    user_name: Mapped[str] = mapped_column(String(100))
    reference: Mapped[str | None] = mapped_column(String(200))


# -- digital parts and maintenance (issue #7) ------------------------------------
# NOTE: calendar days are stored as midnight UTC in timezone-aware stamps, so the
# additions need no import beyond those above; spareplan.digital converts them.


class Asset(Base):
    """A machine that is maintained; its meter (operating hours, cycles) if any."""

    __tablename__ = "assets"
    asset_id: Mapped[str] = _id(primary_key=True)
    site_id: Mapped[str] = _id(ForeignKey("sites.site_id"))
    description: Mapped[str | None] = mapped_column(String(500))
    meter_unit: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[datetime] = _stamp()


class AssetPart(Base):
    """One line of an asset's spare-parts list: a part and how many are fitted."""

    __tablename__ = "asset_parts"
    asset_id: Mapped[str] = _id(ForeignKey("assets.asset_id"), primary_key=True)
    part_id: Mapped[str] = _id(ForeignKey("parts.part_id"), primary_key=True)
    quantity_units: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = _stamp()


class MaintenancePlan(Base):
    """A preventive task of an asset, triggered by calendar, meter or condition.

    ``calendar`` uses ``interval_days``; ``meter`` uses ``interval_meter_units``
    of the asset's meter; ``condition`` is due when the trend of ``measure``
    crosses ``threshold`` (``rising`` or ``falling`` towards it).
    """

    __tablename__ = "maintenance_plans"
    __table_args__ = (
        Index("ix_maintenance_plans_asset_name", "asset_id", "plan_name", unique=True),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    asset_id: Mapped[str] = _id(ForeignKey("assets.asset_id"))
    plan_name: Mapped[str] = mapped_column(String(100))
    trigger: Mapped[str] = mapped_column(String(10))
    interval_days: Mapped[float | None] = mapped_column(Float)
    interval_meter_units: Mapped[float | None] = mapped_column(Float)
    measure: Mapped[str | None] = mapped_column(String(50))
    measure_unit: Mapped[str | None] = mapped_column(String(20))
    threshold: Mapped[float | None] = mapped_column(Float)
    threshold_direction: Mapped[str | None] = mapped_column(String(10))
    last_done_date: Mapped[datetime | None] = _stamp()
    last_done_meter: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = _stamp()


class MaintenancePlanPart(Base):
    """Units of a part one occurrence of a maintenance plan uses."""

    __tablename__ = "maintenance_plan_parts"
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("maintenance_plans.id"), primary_key=True
    )
    part_id: Mapped[str] = _id(ForeignKey("parts.part_id"), primary_key=True)
    quantity_units: Mapped[float] = mapped_column(Float)


class ConditionReading(Base):
    """A meter or wear reading of an asset, in the unit of its measure."""

    __tablename__ = "condition_readings"
    __table_args__ = (
        Index("ix_condition_readings_asset_measure", "asset_id", "measure", "read_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    asset_id: Mapped[str] = _id(ForeignKey("assets.asset_id"))
    measure: Mapped[str] = mapped_column(String(50))
    unit: Mapped[str] = mapped_column(String(20))
    value: Mapped[float] = mapped_column(Float)
    read_at: Mapped[datetime] = _stamp()
    user_name: Mapped[str] = mapped_column(String(100))


class DigitalRevision(Base):
    """One revision of a part's digital model and how it is fabricated.

    Never overwritten: a changed model is a new revision. Only the status moves
    (draft -> verified -> obsolete).
    """

    __tablename__ = "digital_revisions"
    __table_args__ = (
        Index("ix_digital_revisions_part_revision", "part_id", "revision", unique=True),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    part_id: Mapped[str] = _id(ForeignKey("parts.part_id"))
    revision: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(10))
    material: Mapped[str] = mapped_column(String(100))
    process: Mapped[str] = mapped_column(String(40))
    fabrication_lead_time_days: Mapped[float] = mapped_column(Float)
    fabrication_unit_cost: Mapped[float] = mapped_column(Float)
    fabricator: Mapped[str | None] = mapped_column(String(100))
    registered_at: Mapped[datetime] = _stamp()
    registered_by: Mapped[str] = mapped_column(String(100))
    status_changed_at: Mapped[datetime | None] = _stamp()


class DigitalModelFile(Base):
    """A file of a revision: kept in the content-addressed folder or at a URL."""

    __tablename__ = "digital_model_files"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("digital_revisions.id"))
    file_name: Mapped[str] = mapped_column(String(300))
    file_kind: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str | None] = mapped_column(String(64))
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    stored_path: Mapped[str | None] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(String(2000))


class FabricationOrder(Base):
    """An order to fabricate a part from one verified revision.

    Its quantity is also an open ``fabrication`` requisition line, so stock
    positions and replenishment count it as on order, and a receipt against the
    requisition closes it.
    """

    __tablename__ = "fabrication_orders"
    __table_args__ = (
        ForeignKeyConstraint(
            ["part_id", "site_id"], ["part_sites.part_id", "part_sites.site_id"]
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    requisition_line_id: Mapped[int] = mapped_column(ForeignKey("requisition_lines.id"))
    revision_id: Mapped[int] = mapped_column(ForeignKey("digital_revisions.id"))
    part_id: Mapped[str] = _id()
    site_id: Mapped[str] = _id()
    quantity_units: Mapped[float] = mapped_column(Float)
    order_date: Mapped[datetime] = _stamp()
    due_date: Mapped[datetime] = _stamp()
    status: Mapped[str] = mapped_column(String(10))
    package_path: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = _stamp()
    created_by: Mapped[str] = mapped_column(String(100))
