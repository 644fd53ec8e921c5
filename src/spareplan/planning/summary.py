"""Totals of a plan, for the console and the Excel summary sheet."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from spareplan.core.matrix import STRATEGIES

__all__ = ["PlanSummary", "summarise"]


@dataclass(frozen=True)
class PlanSummary:
    """Counts and money totals of one plan (money in the plan's currency)."""

    n_part_sites: int
    n_sites: int
    n_stocked: int
    parts_per_quadrant: dict[int, int]
    stocked_per_quadrant: dict[int, int]
    stock_value: float
    stock_value_rule_of_thumb: float
    stock_value_max: float
    annual_carrying_cost: float
    current_stock_value: float
    downtime_exposure_covered: float
    downtime_exposure_uncovered: float
    safety_stock_value: float
    safety_stock_rule_of_thumb_value: float
    expected_downtime_hours_per_year: float
    n_decisions_differing_from_simple_rule: int

    def rows(self) -> list[tuple[str, float | int]]:
        """(label, value) pairs in reading order."""
        rows: list[tuple[str, float | int]] = [
            ("Part-sites planned", self.n_part_sites),
            ("Sites", self.n_sites),
            ("Part-sites stocked", self.n_stocked),
        ]
        for q, strategy in enumerate(STRATEGIES, start=1):
            rows.append(
                (
                    f"Quadrant {q} {strategy}: part-sites",
                    self.parts_per_quadrant.get(q, 0),
                )
            )
            rows.append(
                (
                    f"Quadrant {q} {strategy}: stocked",
                    self.stocked_per_quadrant.get(q, 0),
                )
            )
        rows += [
            ("Recommended stock value (average on hand)", self.stock_value),
            (
                "Stock value with the rule-of-thumb safety stock",
                self.stock_value_rule_of_thumb,
            ),
            ("Recommended stock value at order-up-to", self.stock_value_max),
            ("Annual carrying cost of recommended stock", self.annual_carrying_cost),
            ("Current stock value (on hand)", self.current_stock_value),
            (
                "Downtime exposure covered (one stockout per stocked part)",
                self.downtime_exposure_covered,
            ),
            (
                "Downtime exposure left to JIT (one stockout per part)",
                self.downtime_exposure_uncovered,
            ),
            ("Safety stock value", self.safety_stock_value),
            (
                "Rule-of-thumb safety stock value (all part-sites)",
                self.safety_stock_rule_of_thumb_value,
            ),
            (
                "Expected downtime hours a year (cost model)",
                self.expected_downtime_hours_per_year,
            ),
            (
                "Decisions that differ from the simple exposure rule",
                self.n_decisions_differing_from_simple_rule,
            ),
        ]
        return rows


def summarise(plan: pl.DataFrame) -> PlanSummary:
    """Totals of a plan table with the columns of ``PLAN_COLUMNS``."""
    is_stock = pl.col("stock_decision") == "stock"
    totals = plan.select(
        n_sites=pl.col("site_id").n_unique(),
        n_stocked=is_stock.sum(),
        stock_value=pl.col("stock_value").sum(),
        stock_value_rule_of_thumb=pl.col("stock_value_rule_of_thumb").sum(),
        stock_value_max=(pl.col("order_up_to") * pl.col("unit_cost")).sum(),
        annual_carrying_cost=pl.col("annual_carrying_cost").sum(),
        current_stock_value=(pl.col("on_hand_units") * pl.col("unit_cost")).sum(),
        covered=pl.col("downtime_exposure").filter(is_stock).sum(),
        uncovered=pl.col("downtime_exposure").filter(~is_stock).sum(),
        safety=(pl.col("safety_stock") * pl.col("unit_cost")).sum(),
        rule=(pl.col("safety_stock_rule_of_thumb") * pl.col("unit_cost")).sum(),
        downtime_hours=pl.col("expected_downtime_hours_per_year").sum(),
        n_differing=(
            pl.col("stock_decision").cast(pl.String)
            != pl.col("stock_decision_simple").cast(pl.String)
        ).sum(),
    ).row(0, named=True)
    per_quadrant = plan.group_by("quadrant").agg(n=pl.len(), stocked=is_stock.sum())
    return PlanSummary(
        n_part_sites=plan.height,
        n_sites=int(totals["n_sites"]),
        n_stocked=int(totals["n_stocked"]),
        parts_per_quadrant={int(q): int(n) for q, n, _ in per_quadrant.iter_rows()},
        stocked_per_quadrant={int(q): int(s) for q, _, s in per_quadrant.iter_rows()},
        stock_value=float(totals["stock_value"]),
        stock_value_rule_of_thumb=float(totals["stock_value_rule_of_thumb"]),
        stock_value_max=float(totals["stock_value_max"]),
        annual_carrying_cost=float(totals["annual_carrying_cost"]),
        current_stock_value=float(totals["current_stock_value"]),
        downtime_exposure_covered=float(totals["covered"]),
        downtime_exposure_uncovered=float(totals["uncovered"]),
        safety_stock_value=float(totals["safety"]),
        safety_stock_rule_of_thumb_value=float(totals["rule"]),
        expected_downtime_hours_per_year=float(totals["downtime_hours"]),
        n_decisions_differing_from_simple_rule=int(totals["n_differing"]),
    )
