"""Plan every part-site of a catalogue: strategy, decision, stock levels, reason."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import polars as pl

from spareplan.config import PlanConfig
from spareplan.core.demand_class import DEMAND_CLASSES
from spareplan.core.lead_time_demand import LEAD_TIME_DEMAND_METHODS
from spareplan.core.matrix import STRATEGIES, quadrant
from spareplan.core.policy import (
    ORDER_QUANTITY_RULES,
    PolicyInputs,
    PolicySettings,
    StockingPolicy,
    candidate_order_quantity,
    stocking_policy,
)
from spareplan.errors import InputProblem
from spareplan.io.catalogue import Catalogue, read_catalogue
from spareplan.io.history import UsageHistory, read_history
from spareplan.planning.demand import (
    FORECAST_NAMES,
    DemandModel,
    achieved_service,
    model_demand,
    target_reorder_points,
)
from spareplan.planning.digital_state import DIGITAL_STATES, digital_state
from spareplan.planning.downtime import (
    cost_columns,
    deciding_units,
    spares_cost_model,
)
from spareplan.planning.reasons import reason_expression
from spareplan.planning.summary import PlanSummary, summarise
from spareplan.planning.usage import attach_usage

__all__ = ["PLAN_COLUMNS", "Plan", "plan_catalogue", "plan_files"]

logger = logging.getLogger(__name__)

PLAN_COLUMNS = (
    "part_id",
    "site_id",
    "description",
    "criticality",
    "quadrant",
    "strategy",
    "stock_decision",
    "stock_decision_simple",
    "digital_state",
    "usage_source",
    "n_history_periods",
    "usage_per_day_avg",
    "usage_per_day_max",
    "demand_class",
    "adi",
    "cv2",
    "forecast_method",
    "forecast_per_period",
    "demand_per_day",
    "demand_sd_per_day",
    "lead_time_days",
    "lead_time_days_max",
    "lead_time_days_sd",
    "unit_cost",
    "downtime_cost_per_hour",
    "downtime_exposure",
    "carrying_cost_per_unit_year",
    "carrying_cost_if_stocked",
    "cost_optimal_units",
    "expected_annual_cost",
    "expected_downtime_hours_per_year",
    "breakeven_downtime_cost_per_hour",
    "first_spare_breakeven_downtime_cost_per_hour",
    "lead_time_demand",
    "lead_time_demand_sd",
    "method",
    "service_target",
    "safety_stock_rule_of_thumb",
    "safety_stock",
    "reorder_point",
    "order_quantity",
    "order_quantity_rule",
    "order_up_to",
    "on_hand_units",
    "on_order_units",
    "expected_on_hand_units",
    "expected_cycle_service_level",
    "expected_fill_rate",
    "stock_value",
    "stock_value_rule_of_thumb",
    "annual_carrying_cost",
    "supplier_id",
    "order_cost",
    "failures_per_year",
    "emergency_premium",
    "emergency_lead_time_days",
    "min_units",
    "max_units",
    "has_digital_model",
    "fabrication_lead_time_days",
    "fabrication_unit_cost",
    "on_demand_cost_per_year",
    "reason",
)


@dataclass(frozen=True)
class Plan:
    """A finished plan: one row per part-site in ``table`` (``PLAN_COLUMNS``)."""

    table: pl.DataFrame
    summary: PlanSummary
    warnings: tuple[InputProblem, ...]
    config: PlanConfig


def plan_files(
    catalogue_path: str | Path,
    history_path: str | Path | None = None,
    config: PlanConfig | None = None,
) -> Plan:
    """Read, validate and plan files in one call (the notebook entry point).

    Examples
    --------
    >>> plan = plan_files("catalogue.csv", "history.csv")  # doctest: +SKIP
    >>> plan.table.select("part_id", "strategy", "reorder_point")  # doctest: +SKIP
    """
    config = config or PlanConfig()
    catalogue = read_catalogue(catalogue_path, config)
    history = read_history(history_path, config) if history_path else None
    return plan_catalogue(catalogue, history, config)


def plan_catalogue(
    catalogue: Catalogue,
    history: UsageHistory | None = None,
    config: PlanConfig | None = None,
) -> Plan:
    """Plan a validated catalogue, with usage history where there is one."""
    config = config or PlanConfig()
    started = time.perf_counter()

    table, usage_warnings = attach_usage(catalogue, history)
    table = _classify(table, config)
    model = model_demand(table, history, config)
    spares = spares_cost_model(table, model, config)
    units = (
        deciding_units(table, spares) if config.demand.decide_by_cost_model else None
    )
    rule_of_thumb = stocking_policy(
        _policy_inputs(table, cost_optimal_units=units), _policy_settings(config)
    )
    policy = _demand_driven_policy(table, model, config, rule_of_thumb, units)
    policy, digital_codes, on_demand_cost = digital_state(
        table, policy, model.demand_per_day, config
    )
    table = table.with_columns(
        digital_state=_labels(pl.Series(digital_codes), DIGITAL_STATES),
        on_demand_cost_per_year=pl.Series(on_demand_cost).fill_nan(None),
    )
    table = _assemble(table, policy, config)
    table = _add_demand_columns(table, model, policy, rule_of_thumb)
    table = table.with_columns(**cost_columns(spares))
    table = table.with_columns(reason=reason_expression(config.currency))
    table = table.select(PLAN_COLUMNS)

    warnings = (*catalogue.warnings, *(history.warnings if history else ()))
    warnings += (*usage_warnings, *model.warnings, *_unknown_downtime(catalogue))
    summary = summarise(table)
    logger.info(
        "planned %d part-sites (%d stocked) in %.2f s with %d warnings",
        table.height,
        summary.n_stocked,
        time.perf_counter() - started,
        len(warnings),
    )
    return Plan(table, summary, warnings, config)


def _unknown_downtime(catalogue: Catalogue) -> tuple[InputProblem, ...]:
    n_unknown = catalogue.table.get_column("downtime_cost_per_hour").null_count()
    if n_unknown == 0:
        return ()
    return (
        InputProblem(
            file=catalogue.file,
            column="downtime_cost_per_hour",
            message=f"{n_unknown} part-sites have no downtime cost: they are held to "
            "their service target where critical or used, not decided by economics; "
            "give downtime_cost_per_hour to let the cost model decide",
            severity="warning",
        ),
    )


def _classify(table: pl.DataFrame, config: PlanConfig) -> pl.DataFrame:
    quadrants = quadrant(
        table.get_column("is_high_criticality").to_numpy(),
        table.get_column("lead_time_days").to_numpy(),
        config.long_lead_time_days,
    )
    codes = pl.Series("quadrant", quadrants, dtype=pl.Int8)
    return table.with_columns(
        quadrant=codes,
        strategy=_labels(codes, STRATEGIES, offset=1),
    )


def _labels(codes: pl.Series, names: tuple[str, ...], offset: int = 0) -> pl.Series:
    """Small integer codes -> their names, as a polars Enum (cheap for 1M rows)."""
    mapping = {code + offset: name for code, name in enumerate(names)}
    return codes.replace_strict(mapping, return_dtype=pl.Enum(names))


def _column(table: pl.DataFrame, name: str) -> np.ndarray:
    return table.get_column(name).cast(pl.Float64).fill_null(np.nan).to_numpy()


def _demand_driven_policy(
    table: pl.DataFrame,
    model: DemandModel,
    config: PlanConfig,
    rule_of_thumb: StockingPolicy,
    cost_optimal_units: np.ndarray | None,
) -> StockingPolicy:
    """The policy at the demand-driven reorder points (or the rule of thumb's)."""
    if config.demand.safety_stock_method == "rule_of_thumb":
        return rule_of_thumb
    inputs = _policy_inputs(
        table,
        demand_per_day=model.demand_per_day,
        cost_optimal_units=cost_optimal_units,
    )
    settings = _policy_settings(config)
    quantity, _ = candidate_order_quantity(inputs, settings)
    target = target_reorder_points(model, quantity, config.demand.service_measure)
    inputs = replace(inputs, reorder_point_units=target.astype(np.float64))
    return stocking_policy(inputs, settings)


def _add_demand_columns(
    table: pl.DataFrame,
    model: DemandModel,
    policy: StockingPolicy,
    rule_of_thumb: StockingPolicy,
) -> pl.DataFrame:
    cycle, fill = achieved_service(
        model, policy.reorder_point, policy.order_quantity, policy.is_stocked
    )
    return table.with_columns(
        demand_class=_labels(pl.Series(model.class_code), DEMAND_CLASSES),
        adi=pl.Series(model.adi).fill_nan(None),
        cv2=pl.Series(model.cv2).fill_nan(None),
        forecast_method=_labels(pl.Series(model.forecast_code), FORECAST_NAMES),
        forecast_per_period=pl.Series(model.forecast_per_period).fill_nan(None),
        demand_per_day=model.demand_per_day,
        demand_sd_per_day=model.demand_sd_per_day,
        lead_time_days_sd=model.lead_time_sd_days,
        lead_time_demand_sd=np.sqrt(model.variance_units),
        method=_labels(pl.Series(model.method_code), LEAD_TIME_DEMAND_METHODS),
        service_target=model.service_target,
        expected_cycle_service_level=cycle,
        expected_fill_rate=fill,
        stock_value_rule_of_thumb=rule_of_thumb.stock_value,
    )


def _policy_inputs(
    table: pl.DataFrame,
    demand_per_day: np.ndarray | None = None,
    cost_optimal_units: np.ndarray | None = None,
) -> PolicyInputs:
    return PolicyInputs(
        unit_cost=_column(table, "unit_cost"),
        lead_time_days=_column(table, "lead_time_days"),
        lead_time_days_max=_column(table, "lead_time_days_max"),
        usage_per_day_avg=_column(table, "usage_per_day_avg"),
        usage_per_day_max=_column(table, "usage_per_day_max"),
        downtime_cost_per_hour=_column(table, "downtime_cost_per_hour"),
        order_cost=_column(table, "order_cost"),
        quadrant=table.get_column("quadrant").to_numpy(),
        demand_per_day=demand_per_day,
        cost_optimal_units=cost_optimal_units,
    )


def _policy_settings(config: PlanConfig) -> PolicySettings:
    return PolicySettings(
        carrying_rate_per_year=config.carrying_rate_per_year,
        order_cover_days=config.order_cover_days,
        safety_stock_quadrants=config.safety_stock_quadrants,
    )


def _assemble(
    table: pl.DataFrame, policy: StockingPolicy, config: PlanConfig
) -> pl.DataFrame:
    table = table.with_columns(
        stock_decision=_labels(
            pl.Series(policy.is_stocked.view(np.int8)), ("jit", "stock")
        ),
        stock_decision_simple=_labels(
            pl.Series(policy.is_stocked_simple.view(np.int8)), ("jit", "stock")
        ),
        downtime_exposure=pl.Series(policy.downtime_exposure).fill_nan(None),
        carrying_cost_per_unit_year=policy.carrying_cost_per_unit_year,
        carrying_cost_if_stocked=policy.carrying_cost_if_stocked,
        lead_time_demand=policy.lead_time_demand,
        safety_stock_rule_of_thumb=policy.safety_stock_rule_of_thumb,
        safety_stock=policy.safety_stock,
        reorder_point=policy.reorder_point,
        order_quantity=policy.order_quantity,
        order_quantity_rule=_labels(
            pl.Series(policy.order_quantity_rule), ORDER_QUANTITY_RULES
        ),
        order_up_to=policy.order_up_to,
        expected_on_hand_units=policy.expected_on_hand,
        stock_value=policy.stock_value,
        annual_carrying_cost=policy.annual_carrying_cost,
    )
    whole_units = ("reorder_point", "order_quantity", "order_up_to")
    return table.with_columns(
        pl.col(whole_units).cast(pl.Int64), pl.col("safety_stock").round(3)
    )
