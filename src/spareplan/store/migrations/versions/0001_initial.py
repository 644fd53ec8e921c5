"""Create the stock store: sites, parts, plans, ledger, requisitions, emergencies.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "parts",
        sa.Column("part_id", sa.String(length=100), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("criticality", sa.String(length=50), nullable=True),
        sa.Column("has_digital_model", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("part_id", name=op.f("pk_parts")),
    )
    op.create_table(
        "plan_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("planned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("catalogue_file", sa.String(length=500), nullable=True),
        sa.Column("history_file", sa.String(length=500), nullable=True),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("n_part_sites", sa.Integer(), nullable=False),
        sa.Column("n_stocked", sa.Integer(), nullable=False),
        sa.Column("n_per_quadrant", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_runs")),
    )
    op.create_table(
        "sites",
        sa.Column("site_id", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_sites")),
    )
    op.create_table(
        "suppliers",
        sa.Column("supplier_id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("lead_time_days", sa.Float(), nullable=True),
        sa.Column("order_cost", sa.Float(), nullable=True),
        sa.Column("min_order_quantity", sa.Float(), nullable=True),
        sa.Column("order_multiple", sa.Float(), nullable=True),
        sa.Column("emergency_premium", sa.Float(), nullable=True),
        sa.Column("emergency_lead_time_days", sa.Float(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("supplier_id", name=op.f("pk_suppliers")),
    )
    op.create_table(
        "part_sites",
        sa.Column("part_id", sa.String(length=100), nullable=False),
        sa.Column("site_id", sa.String(length=100), nullable=False),
        sa.Column("supplier_id", sa.String(length=100), nullable=True),
        sa.Column("unit_cost", sa.Float(), nullable=True),
        sa.Column("lead_time_days", sa.Float(), nullable=True),
        sa.Column("external_on_order_units", sa.Float(), nullable=False),
        sa.Column("reserved_units", sa.Float(), nullable=False),
        sa.Column("plan_run_id", sa.Integer(), nullable=True),
        sa.Column("quadrant", sa.Integer(), nullable=True),
        sa.Column("strategy", sa.String(length=40), nullable=True),
        sa.Column("stock_decision", sa.String(length=10), nullable=True),
        sa.Column("safety_stock", sa.Float(), nullable=True),
        sa.Column("reorder_point", sa.Float(), nullable=True),
        sa.Column("order_quantity", sa.Float(), nullable=True),
        sa.Column("order_up_to", sa.Float(), nullable=True),
        sa.Column("override_reorder_point", sa.Float(), nullable=True),
        sa.Column("override_order_up_to", sa.Float(), nullable=True),
        sa.Column("override_order_quantity", sa.Float(), nullable=True),
        sa.Column("override_quadrant", sa.Integer(), nullable=True),
        sa.Column("override_supplier_id", sa.String(length=100), nullable=True),
        sa.Column("override_by", sa.String(length=100), nullable=True),
        sa.Column("override_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("override_note", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["override_supplier_id"],
            ["suppliers.supplier_id"],
            name=op.f("fk_part_sites_override_supplier_id_suppliers"),
        ),
        sa.ForeignKeyConstraint(
            ["part_id"], ["parts.part_id"], name=op.f("fk_part_sites_part_id_parts")
        ),
        sa.ForeignKeyConstraint(
            ["plan_run_id"],
            ["plan_runs.id"],
            name=op.f("fk_part_sites_plan_run_id_plan_runs"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.site_id"], name=op.f("fk_part_sites_site_id_sites")
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.supplier_id"],
            name=op.f("fk_part_sites_supplier_id_suppliers"),
        ),
        sa.PrimaryKeyConstraint("part_id", "site_id", name=op.f("pk_part_sites")),
    )
    op.create_table(
        "plan_lines",
        sa.Column("plan_run_id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.String(length=100), nullable=False),
        sa.Column("site_id", sa.String(length=100), nullable=False),
        sa.Column("quadrant", sa.Integer(), nullable=False),
        sa.Column("strategy", sa.String(length=40), nullable=False),
        sa.Column("stock_decision", sa.String(length=10), nullable=False),
        sa.Column("safety_stock", sa.Float(), nullable=True),
        sa.Column("reorder_point", sa.Float(), nullable=True),
        sa.Column("order_quantity", sa.Float(), nullable=True),
        sa.Column("order_up_to", sa.Float(), nullable=True),
        sa.Column("supplier_id", sa.String(length=100), nullable=True),
        sa.Column("unit_cost", sa.Float(), nullable=True),
        sa.Column("demand_per_day", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_run_id"],
            ["plan_runs.id"],
            name=op.f("fk_plan_lines_plan_run_id_plan_runs"),
        ),
        sa.PrimaryKeyConstraint(
            "plan_run_id", "part_id", "site_id", name=op.f("pk_plan_lines")
        ),
    )
    op.create_table(
        "requisitions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("supplier_id", sa.String(length=100), nullable=True),
        sa.Column("site_id", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.site_id"], name=op.f("fk_requisitions_site_id_sites")
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.supplier_id"],
            name=op.f("fk_requisitions_supplier_id_suppliers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_requisitions")),
    )
    op.create_table(
        "emergency_purchases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("part_id", sa.String(length=100), nullable=False),
        sa.Column("site_id", sa.String(length=100), nullable=False),
        sa.Column("quantity_units", sa.Float(), nullable=False),
        sa.Column("premium_paid", sa.Float(), nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("bought_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(length=100), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["part_id", "site_id"],
            ["part_sites.part_id", "part_sites.site_id"],
            name=op.f("fk_emergency_purchases_part_id_part_sites"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emergency_purchases")),
    )
    op.create_index(
        "ix_emergency_purchases_bought_at", "emergency_purchases", ["bought_at"]
    )

    op.create_table(
        "requisition_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("requisition_id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.String(length=100), nullable=False),
        sa.Column("site_id", sa.String(length=100), nullable=False),
        sa.Column("line_type", sa.String(length=20), nullable=False),
        sa.Column("quantity_units", sa.Float(), nullable=False),
        sa.Column("received_units", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("position_units", sa.Float(), nullable=False),
        sa.Column("reorder_point", sa.Float(), nullable=False),
        sa.Column("order_up_to", sa.Float(), nullable=False),
        sa.Column("unit_cost", sa.Float(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["part_id", "site_id"],
            ["part_sites.part_id", "part_sites.site_id"],
            name=op.f("fk_requisition_lines_part_id_part_sites"),
        ),
        sa.ForeignKeyConstraint(
            ["requisition_id"],
            ["requisitions.id"],
            name=op.f("fk_requisition_lines_requisition_id_requisitions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_requisition_lines")),
    )
    op.create_index(
        "ix_requisition_lines_open",
        "requisition_lines",
        ["part_id", "site_id", "status"],
    )

    op.create_table(
        "stock_movements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("part_id", sa.String(length=100), nullable=False),
        sa.Column("site_id", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("quantity_units", sa.Float(), nullable=False),
        sa.Column("counted_units", sa.Float(), nullable=True),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(length=100), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("work_order", sa.String(length=100), nullable=True),
        sa.Column("asset_id", sa.String(length=100), nullable=True),
        sa.Column("transfer_id", sa.String(length=40), nullable=True),
        sa.Column("requisition_line_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["part_id", "site_id"],
            ["part_sites.part_id", "part_sites.site_id"],
            name=op.f("fk_stock_movements_part_id_part_sites"),
        ),
        sa.ForeignKeyConstraint(
            ["requisition_line_id"],
            ["requisition_lines.id"],
            name=op.f("fk_stock_movements_requisition_line_id_requisition_lines"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_movements")),
    )
    op.create_index(
        "ix_stock_movements_part_site", "stock_movements", ["part_id", "site_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_stock_movements_part_site", table_name="stock_movements")

    op.drop_table("stock_movements")
    op.drop_index("ix_requisition_lines_open", table_name="requisition_lines")

    op.drop_table("requisition_lines")
    op.drop_index("ix_emergency_purchases_bought_at", table_name="emergency_purchases")

    op.drop_table("emergency_purchases")
    op.drop_table("requisitions")
    op.drop_table("plan_lines")
    op.drop_table("part_sites")
    op.drop_table("suppliers")
    op.drop_table("sites")
    op.drop_table("plan_runs")
    op.drop_table("parts")
