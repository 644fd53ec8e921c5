"""The one-sentence reason behind each plan row, built as one polars expression.

Strings for a million rows are made in polars' engine, not in a Python loop.
"""

from __future__ import annotations

import polars as pl

__all__ = ["reason_expression"]

_LABELS = {
    "strategic_stock": "Strategic stock",
    "predictive_jit": "Predictive JIT",
    "digital_on_demand": "Digital on demand",
    "consolidated_jit": "Consolidated JIT",
}
_JIT_ACTIONS = {
    "strategic_stock": "buy it when needed",
    "predictive_jit": "buy it when needed",
    "digital_on_demand": "keep a verified model and fabricate or buy it on demand",
    "consolidated_jit": "leave it to consolidated or vendor-managed deliveries",
}


def _number(expr: pl.Expr) -> pl.Expr:
    """Whole numbers from 100 up, two decimals below, no trailing '.0'."""
    rounded = (
        pl.when(expr.abs() >= 100)
        .then(expr.round(0).cast(pl.Int64).cast(pl.String))
        .otherwise(expr.round(2).cast(pl.String))
    )
    return rounded.str.replace(r"\.0$", "")


def reason_expression(currency: str) -> pl.Expr:
    """Expression giving the ``reason`` column from a plan's numeric columns."""
    label = pl.col("strategy").replace_strict(_LABELS, return_dtype=pl.String)
    jit_action = pl.col("strategy").replace_strict(_JIT_ACTIONS, return_dtype=pl.String)
    level = (
        pl.when(pl.col("quadrant") <= 2).then(pl.lit("high")).otherwise(pl.lit("low"))
    )
    length = (
        pl.when(pl.col("quadrant").is_in([1, 3]))
        .then(pl.lit("long"))
        .otherwise(pl.lit("short"))
    )
    context = pl.format(
        "{} ({} criticality, {} lead time of {} days)",
        label,
        level,
        length,
        _number(pl.col("lead_time_days")),
    )
    money = f" {currency}"
    exposure = pl.format(
        "one stockout would cost {}{} of downtime",
        _number(pl.col("downtime_exposure")),
        pl.lit(money),
    )
    carrying = _number(pl.col("carrying_cost_if_stocked"))
    no_safety = (
        pl.when((pl.col("safety_stock") == 0) & (pl.col("quadrant") >= 3))
        .then(pl.lit(" (this strategy holds no safety stock)"))
        .otherwise(pl.lit(""))
    )
    stock = pl.format(
        "{}: stock it, because {}, more than the {}{} a year to carry about {} units; "
        "reorder at {} and order {}{}.",
        context,
        exposure,
        carrying,
        pl.lit(money),
        pl.col("expected_on_hand_units")
        .round(1)
        .cast(pl.String)
        .str.replace(r"\.0$", ""),
        pl.col("reorder_point"),
        pl.col("order_quantity"),
        no_safety,
    )
    jit = pl.format(
        "{}: {}, because {}, no more than the {}{} a year that holding stock would "
        "cost.",
        context,
        jit_action,
        exposure,
        carrying,
        pl.lit(money),
    )
    return (
        pl.when(pl.col("stock_decision") == "stock").then(stock).otherwise(jit)
    ).alias("reason")
