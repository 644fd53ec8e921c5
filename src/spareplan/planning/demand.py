"""Demand-driven stock levels: classify, forecast, model lead-time demand, set r.

For every part-site with usage history the step

1. classifies its demand (Syntetos-Boylan: smooth, erratic, intermittent, lumpy,
   no_demand, too_short),
2. forecasts demand per period (SES for smooth and erratic, SBA for intermittent
   and lumpy by default),
3. forms the lead-time demand mean and variance from the forecast, the spread of
   the history and the lead-time spread,
4. lets the router pick a distribution (normal, Poisson, negative binomial, or a
   bootstrap of the part's own history), and
5. finds the smallest reorder point that meets the part's service target.

A part without history is ``too_short``: its demand is the catalogue's usage
columns (or zero), taken as Poisson from day to day, and its lead-time demand is
negative binomial where the lead-time spread widens it beyond a Poisson.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import NDArray

from spareplan.config import PlanConfig
from spareplan.core.demand_class import TOO_SHORT, classify_demand
from spareplan.core.forecast import (
    croston,
    moving_average,
    simple_exponential_smoothing,
    syntetos_boylan_approximation,
    teunter_syntetos_babai,
)
from spareplan.core.lead_time_demand import (
    EMPIRICAL,
    NEGATIVE_BINOMIAL,
    POISSON,
    achieved_cycle_service_level,
    bootstrap_lead_time_demand,
    demand_moments_per_period,
    lead_time_demand_moments,
    reorder_point_for_cycle_service_level,
)
from spareplan.core.method_router import (
    NOT_FORCED,
    RouterSettings,
    method_codes_from_names,
    route_lead_time_demand_method,
)
from spareplan.core.service import fill_rate, reorder_point_for_fill_rate
from spareplan.errors import InputProblem
from spareplan.io.history import UsageHistory

__all__ = [
    "FORECAST_NAMES",
    "DemandModel",
    "achieved_service",
    "model_demand",
    "target_reorder_points",
]

FloatArray = NDArray[np.float64]
FORECAST_NAMES = ("none", "ses", "moving_average", "croston", "sba", "tsb", "usage")
_AUTO_FORECAST = {0: "ses", 1: "ses", 2: "sba", 3: "sba"}  # by demand class code


@dataclass(frozen=True)
class DemandModel:
    """Lead-time demand of every plan row; arrays of shape (n,).

    ``samples`` holds bootstrap lead-time demands for the rows in
    ``sample_rows`` (the empirical method), shape (len(sample_rows), n_samples).
    """

    class_code: NDArray[np.int8]
    adi: FloatArray
    cv2: FloatArray
    forecast_code: NDArray[np.int8]
    forecast_per_period: FloatArray
    demand_per_day: FloatArray
    demand_sd_per_day: FloatArray
    lead_time_sd_days: FloatArray
    mean_units: FloatArray
    variance_units: FloatArray
    method_code: NDArray[np.int8]
    service_target: FloatArray
    sample_rows: NDArray[np.int64]
    samples: FloatArray
    warnings: tuple[InputProblem, ...]


def model_demand(
    table: pl.DataFrame, history: UsageHistory | None, config: PlanConfig
) -> DemandModel:
    """Classify, forecast and model the lead-time demand of every row of ``table``.

    ``table`` is the catalogue with usage attached (``history_index`` is the row
    of ``history`` holding the part's series, -1 for none).
    """
    n_rows = table.height
    index = table.get_column("history_index").to_numpy()
    has_history = index >= 0
    lead_time = table.get_column("lead_time_days").to_numpy()

    class_code = np.full(n_rows, TOO_SHORT, dtype=np.int8)
    adi = np.full(n_rows, np.nan)
    cv2 = np.full(n_rows, np.nan)
    forecast_code = np.full(n_rows, FORECAST_NAMES.index("usage"), dtype=np.int8)
    per_period = np.full(n_rows, np.nan)
    demand_per_day = table.get_column("usage_per_day_avg").to_numpy().copy()
    sd_per_day = np.sqrt(demand_per_day)  # Poisson-like until history says more
    recorded: list[InputProblem] = []

    if history is not None and has_history.any():
        series = _series_model(history, config)
        rows = index[has_history]
        class_code[has_history] = series["class_code"][rows]
        adi[has_history] = series["adi"][rows]
        cv2[has_history] = series["cv2"][rows]
        forecast_code[has_history] = series["forecast_code"][rows]
        per_period[has_history] = series["forecast"][rows]
        demand_per_day[has_history] = series["demand_per_day"][rows]
        sd_per_day[has_history] = series["sd_per_day"][rows]

    lead_time_sd = _lead_time_sd(table, config)
    mean, variance = lead_time_demand_moments(
        demand_per_day, sd_per_day, lead_time, lead_time_sd
    )
    method_code, method_warnings = _route(table, class_code, mean, variance, config)
    recorded += method_warnings
    sample_rows, samples, sample_warnings = _bootstrap(
        table, history, method_code, config
    )
    recorded += sample_warnings
    return DemandModel(
        class_code=class_code,
        adi=adi,
        cv2=cv2,
        forecast_code=forecast_code,
        forecast_per_period=per_period,
        demand_per_day=demand_per_day,
        demand_sd_per_day=sd_per_day,
        lead_time_sd_days=lead_time_sd,
        mean_units=mean,
        variance_units=variance,
        method_code=method_code,
        service_target=_service_targets(table, config),
        sample_rows=sample_rows,
        samples=samples,
        warnings=tuple(recorded),
    )


def target_reorder_points(
    model: DemandModel, order_quantity: FloatArray, measure: str
) -> FloatArray:
    """Smallest reorder point per row meeting its cycle service level or fill rate."""
    if measure == "fill_rate":
        return _per_method(
            model,
            lambda m, r, mean, var, s: reorder_point_for_fill_rate(
                m, model.service_target[r], order_quantity[r], mean, var, s
            ),
        )
    return _per_method(
        model,
        lambda m, r, mean, var, s: reorder_point_for_cycle_service_level(
            m, mean, var, model.service_target[r], s
        ),
    )


def achieved_service(
    model: DemandModel,
    reorder_point: FloatArray,
    order_quantity: FloatArray,
    is_stocked: NDArray[np.bool_],
) -> tuple[FloatArray, FloatArray]:
    """Expected cycle service level and fill rate of the final policy.

    A part bought when needed holds nothing, so both are 0 for it.
    """
    quantity = np.where(is_stocked, np.maximum(order_quantity, 1.0), 1.0)
    cycle = _per_method(
        model,
        lambda m, r, mean, var, s: achieved_cycle_service_level(
            m, reorder_point[r], mean, var, s
        ),
    )
    fill = _per_method(
        model,
        lambda m, r, mean, var, s: fill_rate(
            m, reorder_point[r], quantity[r], mean, var, s
        ),
    )
    return np.where(is_stocked, cycle, 0.0), np.where(is_stocked, fill, 0.0)


def _per_method(model: DemandModel, compute) -> FloatArray:  # type: ignore[no-untyped-def]
    """Apply ``compute`` to the analytic rows and, with samples, the empirical ones."""
    result = np.zeros(model.method_code.shape[0])
    is_empirical = np.zeros(model.method_code.shape[0], dtype=bool)
    is_empirical[model.sample_rows] = True
    analytic = np.flatnonzero(~is_empirical)
    if analytic.size:
        result[analytic] = compute(
            model.method_code[analytic],
            analytic,
            model.mean_units[analytic],
            model.variance_units[analytic],
            None,
        )
    if model.sample_rows.size:
        rows = model.sample_rows
        result[rows] = compute(
            model.method_code[rows],
            rows,
            model.mean_units[rows],
            model.variance_units[rows],
            model.samples,
        )
    return result


def _series_model(history: UsageHistory, config: PlanConfig) -> dict[str, np.ndarray]:
    """Class, forecast and daily demand moments of every history series."""
    settings = config.demand
    demand = history.quantity
    classes = classify_demand(
        demand,
        adi_cutoff=settings.adi_cutoff,
        cv2_cutoff=settings.cv2_cutoff,
        min_periods=settings.min_history_periods,
    )
    forecast, forecast_code = _forecast(demand, classes.class_code, config)
    days_per_period = float(np.mean(history.period_days))
    _, variance = demand_moments_per_period(demand)
    sd_per_day = np.sqrt(np.nan_to_num(variance, nan=0.0) / days_per_period)
    return {
        "class_code": classes.class_code,
        "adi": classes.adi,
        "cv2": classes.cv2,
        "forecast": forecast,
        "forecast_code": forecast_code,
        "demand_per_day": forecast / days_per_period,
        "sd_per_day": sd_per_day,
    }


def _forecast(
    demand: FloatArray, class_code: NDArray[np.int8], config: PlanConfig
) -> tuple[FloatArray, NDArray[np.int8]]:
    """Next-period forecast per series, by the configured or class-chosen method."""
    settings = config.demand
    chosen = settings.forecast_method
    if chosen == "auto":
        names = np.array([_AUTO_FORECAST.get(int(c), "none") for c in range(6)])
        per_series = names[class_code]
    else:
        per_series = np.full(class_code.shape, chosen)
    # no_demand and too_short series: no model fits; average of what was recorded.
    per_series = np.where(class_code >= 4, "usage", per_series)

    forecast = np.full(class_code.shape, np.nan)
    for name in set(per_series.tolist()) - {"usage"}:
        rows = per_series == name
        forecast[rows] = _run_forecast(name, demand[rows], config)
    usage_rows = per_series == "usage"
    if usage_rows.any():
        recorded = demand[usage_rows]
        counts = (~np.isnan(recorded)).sum(axis=1)
        totals = np.nansum(recorded, axis=1)
        forecast[usage_rows] = np.divide(
            totals, counts, out=np.zeros(counts.shape), where=counts > 0
        )
    codes = np.array([FORECAST_NAMES.index(n) for n in per_series], dtype=np.int8)
    return np.nan_to_num(forecast, nan=0.0), codes


def _run_forecast(name: str, demand: FloatArray, config: PlanConfig) -> FloatArray:
    settings = config.demand
    size, interval = settings.alpha_size, settings.alpha_interval
    # The plan needs the next period only, not the fitted history.
    if name == "ses":
        result = simple_exponential_smoothing(demand, size, return_fitted=False)
    elif name == "moving_average":
        result = moving_average(demand, settings.moving_average_periods)
    elif name == "croston":
        result = croston(demand, size, interval, return_fitted=False)
    elif name == "sba":
        result = syntetos_boylan_approximation(
            demand, size, interval, return_fitted=False
        )
    else:
        result = teunter_syntetos_babai(demand, size, interval, return_fitted=False)
    return result.next_demand_per_period


def _lead_time_sd(table: pl.DataFrame, config: PlanConfig) -> FloatArray:
    """Given ``lead_time_days_sd``, else (max - average) / ``lead_time_max_sigmas``."""
    spread = table.select(
        pl.coalesce(
            "lead_time_days_sd",
            (pl.col("lead_time_days_max") - pl.col("lead_time_days"))
            / config.demand.lead_time_max_sigmas,
        )
    )
    return spread.to_series().to_numpy()


def _route(
    table: pl.DataFrame,
    class_code: NDArray[np.int8],
    mean: FloatArray,
    variance: FloatArray,
    config: PlanConfig,
) -> tuple[NDArray[np.int8], list[InputProblem]]:
    """Router's method per row, with a forced method from the column or config."""
    forced_names = table.get_column("lead_time_demand_method")
    default = config.demand.lead_time_demand_method
    if default != "auto":
        forced_names = forced_names.fill_null(default)
    forced = (
        method_codes_from_names(forced_names.to_list())
        if forced_names.null_count() < table.height
        else None
    )
    settings = RouterSettings(normal_min_mean_units=config.demand.normal_min_mean_units)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        codes = route_lead_time_demand_method(
            class_code, mean, variance, forced_method_code=forced, settings=settings
        )
    # NOTE: without history the router sees "too_short" and would pick a Poisson,
    # which ignores the lead-time spread the catalogue does give (average and
    # maximum lead time); a negative binomial carries it where it widens the spread.
    no_history = table.get_column("history_index").to_numpy() < 0
    is_free = no_history if forced is None else no_history & (forced == NOT_FORCED)
    codes = np.where(
        is_free & (variance > mean * (1 + 1e-9)), NEGATIVE_BINOMIAL, codes
    ).astype(np.int8)
    problems = [
        InputProblem(file="plan", message=str(w.message), severity="warning")
        for w in caught
    ]
    return codes, problems


def _bootstrap(
    table: pl.DataFrame,
    history: UsageHistory | None,
    method_code: NDArray[np.int8],
    config: PlanConfig,
) -> tuple[NDArray[np.int64], FloatArray, list[InputProblem]]:
    """Bootstrap samples for empirical rows (those without history turn Poisson)."""
    rows = np.flatnonzero(method_code == EMPIRICAL)
    problems: list[InputProblem] = []
    if rows.size == 0:
        return rows.astype(np.int64), np.empty((0, 0)), problems
    index = table.get_column("history_index").to_numpy()[rows]
    no_history = index < 0
    if no_history.any() or history is None:
        method_code[rows[no_history]] = POISSON
        problems.append(
            InputProblem(
                file="plan",
                message=f"{int(no_history.sum())} part-sites asked for the empirical "
                "method have no usage history; they use a Poisson lead-time demand",
                severity="warning",
            )
        )
        rows, index = rows[~no_history], index[~no_history]
    if rows.size == 0 or history is None:
        return rows.astype(np.int64), np.empty((0, 0)), problems
    days_per_period = float(np.mean(history.period_days))
    lead_time = table.get_column("lead_time_days").to_numpy()[rows]
    rng = np.random.default_rng(config.demand.random_seed)
    samples = bootstrap_lead_time_demand(
        history.quantity[index],
        lead_time / days_per_period,
        config.demand.bootstrap_samples,
        rng,
    )
    return rows.astype(np.int64), samples, problems


def _service_targets(table: pl.DataFrame, config: PlanConfig) -> FloatArray:
    """The part's own ``service_target``, else by criticality value, else high/low."""
    by_value = config.service_target_map()
    distinct = {
        value: by_value.get(_criticality_key(value))
        for value in table.get_column("criticality").unique().to_list()
        if value is not None
    }
    from_value = table.get_column("criticality").replace_strict(
        distinct, default=None, return_dtype=pl.Float64
    )
    by_class = (
        pl.when(table.get_column("is_high_criticality"))
        .then(config.demand.service_target_high)
        .otherwise(config.demand.service_target_low)
    )
    targets = table.select(
        pl.coalesce(pl.col("service_target"), from_value, by_class)
    ).to_series()
    return targets.to_numpy()


def _criticality_key(value: str) -> str:
    key = value.strip().lower()
    try:
        number = float(key)
    except ValueError:
        return key
    return str(int(number)) if number.is_integer() else key
