"""Add assets, maintenance plans, condition readings and the digital warehouse.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _id_column(name: str, *, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.String(length=100), nullable=nullable)


def _stamp_column(name: str, *, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    _create_maintenance_tables()
    _create_digital_tables()


def _create_maintenance_tables() -> None:
    op.create_table(
        "assets",
        _id_column("asset_id"),
        _id_column("site_id"),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("meter_unit", sa.String(length=20), nullable=True),
        _stamp_column("updated_at"),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.site_id"], name=op.f("fk_assets_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("asset_id", name=op.f("pk_assets")),
    )
    op.create_table(
        "asset_parts",
        _id_column("asset_id"),
        _id_column("part_id"),
        sa.Column("quantity_units", sa.Float(), nullable=False),
        _stamp_column("updated_at"),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["assets.asset_id"],
            name=op.f("fk_asset_parts_asset_id_assets"),
        ),
        sa.ForeignKeyConstraint(
            ["part_id"], ["parts.part_id"], name=op.f("fk_asset_parts_part_id_parts")
        ),
        sa.PrimaryKeyConstraint("asset_id", "part_id", name=op.f("pk_asset_parts")),
    )
    op.create_table(
        "maintenance_plans",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _id_column("asset_id"),
        sa.Column("plan_name", sa.String(length=100), nullable=False),
        sa.Column("trigger", sa.String(length=10), nullable=False),
        sa.Column("interval_days", sa.Float(), nullable=True),
        sa.Column("interval_meter_units", sa.Float(), nullable=True),
        sa.Column("measure", sa.String(length=50), nullable=True),
        sa.Column("measure_unit", sa.String(length=20), nullable=True),
        sa.Column("threshold", sa.Float(), nullable=True),
        sa.Column("threshold_direction", sa.String(length=10), nullable=True),
        _stamp_column("last_done_date", nullable=True),
        sa.Column("last_done_meter", sa.Float(), nullable=True),
        _stamp_column("updated_at"),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["assets.asset_id"],
            name=op.f("fk_maintenance_plans_asset_id_assets"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maintenance_plans")),
    )
    op.create_index(
        "ix_maintenance_plans_asset_name",
        "maintenance_plans",
        ["asset_id", "plan_name"],
        unique=True,
    )
    op.create_table(
        "maintenance_plan_parts",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        _id_column("part_id"),
        sa.Column("quantity_units", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["maintenance_plans.id"],
            name=op.f("fk_maintenance_plan_parts_plan_id_maintenance_plans"),
        ),
        sa.ForeignKeyConstraint(
            ["part_id"],
            ["parts.part_id"],
            name=op.f("fk_maintenance_plan_parts_part_id_parts"),
        ),
        sa.PrimaryKeyConstraint(
            "plan_id", "part_id", name=op.f("pk_maintenance_plan_parts")
        ),
    )
    op.create_table(
        "condition_readings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _id_column("asset_id"),
        sa.Column("measure", sa.String(length=50), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        _stamp_column("read_at"),
        sa.Column("user_name", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["assets.asset_id"],
            name=op.f("fk_condition_readings_asset_id_assets"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_condition_readings")),
    )
    op.create_index(
        "ix_condition_readings_asset_measure",
        "condition_readings",
        ["asset_id", "measure", "read_at"],
    )


def _create_digital_tables() -> None:
    op.create_table(
        "digital_revisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _id_column("part_id"),
        sa.Column("revision", sa.String(length=50), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("material", sa.String(length=100), nullable=False),
        sa.Column("process", sa.String(length=40), nullable=False),
        sa.Column("fabrication_lead_time_days", sa.Float(), nullable=False),
        sa.Column("fabrication_unit_cost", sa.Float(), nullable=False),
        sa.Column("fabricator", sa.String(length=100), nullable=True),
        _stamp_column("registered_at"),
        sa.Column("registered_by", sa.String(length=100), nullable=False),
        _stamp_column("status_changed_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["part_id"],
            ["parts.part_id"],
            name=op.f("fk_digital_revisions_part_id_parts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digital_revisions")),
    )
    op.create_index(
        "ix_digital_revisions_part_revision",
        "digital_revisions",
        ["part_id", "revision"],
        unique=True,
    )
    op.create_table(
        "digital_model_files",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("file_kind", sa.String(length=20), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=True),
        sa.Column("stored_path", sa.String(length=300), nullable=True),
        sa.Column("source_url", sa.String(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["digital_revisions.id"],
            name=op.f("fk_digital_model_files_revision_id_digital_revisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digital_model_files")),
    )
    op.create_table(
        "fabrication_orders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("requisition_line_id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        _id_column("part_id"),
        _id_column("site_id"),
        sa.Column("quantity_units", sa.Float(), nullable=False),
        _stamp_column("order_date"),
        _stamp_column("due_date"),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("package_path", sa.String(length=1000), nullable=True),
        _stamp_column("created_at"),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["part_id", "site_id"],
            ["part_sites.part_id", "part_sites.site_id"],
            name=op.f("fk_fabrication_orders_part_id_part_sites"),
        ),
        sa.ForeignKeyConstraint(
            ["requisition_line_id"],
            ["requisition_lines.id"],
            name=op.f("fk_fabrication_orders_requisition_line_id_requisition_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["digital_revisions.id"],
            name=op.f("fk_fabrication_orders_revision_id_digital_revisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fabrication_orders")),
    )


def downgrade() -> None:
    op.drop_table("fabrication_orders")
    op.drop_table("digital_model_files")
    op.drop_index("ix_digital_revisions_part_revision", table_name="digital_revisions")
    op.drop_table("digital_revisions")
    op.drop_index(
        "ix_condition_readings_asset_measure", table_name="condition_readings"
    )
    op.drop_table("condition_readings")
    op.drop_table("maintenance_plan_parts")
    op.drop_index("ix_maintenance_plans_asset_name", table_name="maintenance_plans")
    op.drop_table("maintenance_plans")
    op.drop_table("asset_parts")
    op.drop_table("assets")
