"""The one-sentence reason behind each plan row, built as one polars expression.

A million reasons are made in polars' engine, not in a Python loop. The sentence is
assembled from a fixed opening per strategy and decision (eight texts) and two
numbers, the downtime exposure and the carrying cost, so only two numbers per row
are formatted.
"""

from __future__ import annotations

import polars as pl

from spareplan.core.matrix import STRATEGIES

__all__ = ["reason_expression"]

_CONTEXT = {
    "strategic_stock": "Strategic stock (high criticality, long lead time)",
    "predictive_jit": "Predictive JIT (high criticality, short lead time)",
    "digital_on_demand": "Digital on demand (low criticality, long lead time)",
    "consolidated_jit": "Consolidated JIT (low criticality, short lead time)",
}
_JIT_ACTION = {
    "strategic_stock": "buy it when needed",
    "predictive_jit": "buy it when needed",
    "digital_on_demand": "keep a verified model and fabricate or buy it on demand",
    "consolidated_jit": "leave it to consolidated or vendor-managed deliveries",
}


def _openings() -> dict[int, str]:
    """Code ``2 * (quadrant - 1) + is_stock`` -> opening words of the sentence."""
    openings = {}
    for index, strategy in enumerate(STRATEGIES):
        context = _CONTEXT[strategy]
        openings[2 * index] = f"{context}: {_JIT_ACTION[strategy]}, because "
        openings[2 * index + 1] = f"{context}: stock it, because "
    return openings


def _grouped(digits: pl.Expr) -> pl.Expr:
    """'2342640' -> '2,342,640': commas every three digits from the right."""
    reversed_groups = digits.str.reverse().str.replace_all(r"(\d{3})", "$1,")
    return reversed_groups.str.reverse().str.strip_chars_start(",")


def _money(expr: pl.Expr) -> pl.Expr:
    """Whole units with thousands commas from 100 up, cents below: 70.54, 28,056."""
    cents = (expr * 100).round(0).cast(pl.Int64).cast(pl.String).str.zfill(3)
    small = pl.concat_str(cents.str.head(-2), pl.lit("."), cents.str.tail(2))
    large = _grouped(expr.round(0).cast(pl.Int64).cast(pl.String))
    return pl.when(expr >= 100).then(large).otherwise(small)


def reason_expression(currency: str) -> pl.Expr:
    """Expression giving the ``reason`` column from a plan's numeric columns.

    Needs ``quadrant``, ``stock_decision``, ``cost_optimal_units``,
    ``expected_annual_cost``, the two breakeven columns,
    ``downtime_cost_per_hour``, ``downtime_exposure`` and
    ``carrying_cost_if_stocked``.
    """
    is_stock = pl.col("stock_decision") == "stock"
    code = 2 * (pl.col("quadrant").cast(pl.Int32) - 1) + is_stock.cast(pl.Int32)
    opening = code.replace_strict(_openings(), return_dtype=pl.String)
    money = f" {currency}"
    units = pl.col("cost_optimal_units")
    optimum = pl.concat_str(
        units.cast(pl.String),
        pl.when(units == 1)
        .then(pl.lit(" unit held one for one minimises"))
        .otherwise(pl.lit(" units held one for one minimise")),
        pl.lit(" the expected cost of downtime and carrying ("),
        _money(pl.col("expected_annual_cost")),
        pl.lit(f"{money} a year) and "),
        _breakeven(
            pl.col("breakeven_downtime_cost_per_hour"),
            "no downtime cost would justify a further unit",
            "a further unit would pay only above ",
            money,
        ),
    )
    first = pl.concat_str(
        _breakeven(
            pl.col("first_spare_breakeven_downtime_cost_per_hour"),
            "no downtime cost would justify a first spare",
            "a first spare pays for itself only above ",
            money,
        ),
        pl.lit(", against "),
        _money(pl.col("downtime_cost_per_hour")),
        pl.lit(f"{money} here"),
    )
    simple_check = pl.concat_str(
        pl.lit("; simple check: one stockout would cost "),
        _money(pl.col("downtime_exposure")),
        pl.lit(f"{money} of downtime against "),
        _money(pl.col("carrying_cost_if_stocked")),
        pl.lit(f"{money} a year to carry the stock."),
    )
    is_unknown = pl.col("downtime_cost_per_hour").is_null()
    unknown = (
        pl.when(is_stock)
        .then(
            pl.concat_str(
                pl.lit(
                    "no downtime cost is given and it is critical or in use, so "
                    "it is held to its "
                ),
                (pl.col("service_target") * 100).round(1).cast(pl.String),
                pl.lit(" % service target."),
            )
        )
        .otherwise(
            pl.lit("no downtime cost is given and it is neither critical nor in use.")
        )
    )
    known = pl.concat_str(
        pl.when(is_stock).then(optimum).otherwise(first), simple_check
    )
    digital = pl.col("digital_state").cast(pl.String)
    fabricated = pl.concat_str(
        pl.lit(_CONTEXT["digital_on_demand"]),
        pl.lit(
            ": keep the verified model and fabricate each demand, because that costs "
        ),
        _money(pl.col("on_demand_cost_per_year")),
        pl.lit(f"{money} a year (premium and downtime while it is made) against "),
        _money(pl.col("carrying_cost_if_stocked")),
        pl.lit(f"{money} a year to hold the stock."),
    )
    missing = pl.lit(" No verified digital model is registered yet.")
    sentence = pl.concat_str(
        opening, pl.when(is_unknown).then(unknown).otherwise(known)
    )
    return (
        pl.when(digital == "fabricate_on_demand")
        .then(fabricated)
        .when(digital == "needs_digital_model")
        .then(pl.concat_str(sentence, missing))
        .otherwise(sentence)
    ).alias("reason")


def _breakeven(expr: pl.Expr, never: str, above: str, money: str) -> pl.Expr:
    """'... only above 1,708 EUR per downtime hour', or ``never`` when infinite."""
    return (
        pl.when(expr.is_infinite())
        .then(pl.lit(never))
        .when(expr < 0.01)
        .then(pl.lit(above.replace("only above ", "at any downtime cost above zero")))
        .otherwise(
            pl.concat_str(
                pl.lit(above), _money(expr), pl.lit(f"{money} per downtime hour")
            )
        )
    )
