"""Write a simulation or backtest: workbook with charts, CSV, and PNG plots."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import polars as pl
import xlsxwriter

from spareplan.config import PlanConfig
from spareplan.io.catalogue import Catalogue
from spareplan.io.history import UsageHistory
from spareplan.io.writers import write_atomically
from spareplan.planning.evaluation import Evaluation
from spareplan.planning.plan import plan_catalogue
from spareplan.reports.plots import (
    plot_service_against_stock_value,
    plot_stock_over_time,
)

__all__ = [
    "EXCHANGE_TARGETS",
    "ExchangeCurve",
    "exchange_curve",
    "write_evaluation",
    "write_evaluation_plots",
]

EXCHANGE_TARGETS = (0.80, 0.90, 0.95, 0.98, 0.99, 0.995)


@dataclass(frozen=True)
class ExchangeCurve:
    """Total stock value and demand-weighted expected fill rate per service target."""

    targets: tuple[float, ...]
    stock_value: np.ndarray
    fill_rate: np.ndarray

    @property
    def labels(self) -> list[str]:
        """Targets as percentages, for chart labels."""
        return [f"{target:.1%}".replace(".0%", "%") for target in self.targets]


def exchange_curve(
    catalogue: Catalogue,
    history: UsageHistory | None,
    config: PlanConfig,
    targets: tuple[float, ...] = EXCHANGE_TARGETS,
) -> ExchangeCurve:
    """Re-plan at one service target for every part to trace value against service.

    The curve is the service-target policy alone (the downtime cost model does not
    decide), so it shows what each target costs; the recommended policy is then a
    point beside it. Parts' own ``service_target`` cells still apply; the analytic
    expected fill rate of each plan is weighted by demand.
    """
    values, fills = [], []
    for target in targets:
        demand = replace(
            config.demand,
            service_target_high=target,
            service_target_low=target,
            decide_by_cost_model=False,
        )
        planned = plan_catalogue(
            catalogue, history, replace(config, service_targets=(), demand=demand)
        ).table.filter(pl.col("downtime_cost_per_hour") > 0)
        weight = planned["demand_per_day"].to_numpy()
        values.append(float(planned["stock_value"].to_numpy().sum()))
        total = float(weight.sum())
        served = float((planned["expected_fill_rate"].to_numpy() * weight).sum())
        fills.append(served / total if total else 1.0)
    return ExchangeCurve(targets, np.asarray(values), np.asarray(fills))


def write_evaluation_plots(
    evaluation: Evaluation,
    directory: Path,
    curve: ExchangeCurve | None,
    trace_names: list[str],
    currency: str,
    stem: str,
) -> list[Path]:
    """PNG files: service against stock value, and stock over time per traced part."""
    written = []
    if curve is not None:
        written.append(
            plot_service_against_stock_value(
                directory / f"{stem}-service-vs-stock-value.png",
                curve.stock_value,
                curve.fill_rate,
                curve.labels,
                _policy_points(evaluation),
                currency,
            )
        )
    for k, name in enumerate(trace_names):
        series = {
            policy: trace[k]
            for policy, trace in evaluation.traces.items()
            if not np.isnan(trace[k]).all()
        }
        if not series:
            continue
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
        written.append(
            plot_stock_over_time(
                directory / f"{stem}-stock-{safe}.png",
                list(evaluation.period_labels),
                series,
                evaluation.trace_demand[k],
                f"Stock over time: {name}",
            )
        )
    return written


def _policy_points(evaluation: Evaluation) -> dict[str, tuple[float, float]]:
    """Each policy's stock value and demand-weighted fill rate over the part-sites
    whose downtime costs money (the curve's population)."""
    costly = evaluation.per_part.filter(pl.col("downtime_cost_per_hour") > 0)
    weight = costly["demand_units"]
    points = {}
    for policy in evaluation.policies:
        present = costly[f"{policy}.fill_rate"].is_not_null()
        total = float(weight.filter(present).sum())
        fill = (costly[f"{policy}.fill_rate"] * weight).filter(present).sum()
        value = costly[f"{policy}.average_stock_value"].filter(present).sum()
        name = f"{policy} ({_source(evaluation)})"
        points[name] = (float(value), float(fill) / total if total else 1.0)
    return points


def _source(evaluation: Evaluation) -> str:
    return "replayed" if evaluation.n_paths == 1 else "simulated"


def write_evaluation(
    evaluation: Evaluation,
    path: Path,
    curve: ExchangeCurve | None = None,
    trace_names: list[str] | None = None,
) -> Path:
    """Write per-part results as CSV or Parquet, or a workbook with charts (.xlsx)."""
    path.suffix.lower()

    def to_csv(target: Path) -> None:
        evaluation.per_part.write_csv(target)

    def to_parquet(target: Path) -> None:
        evaluation.per_part.write_parquet(target)

    def to_workbook(target: Path) -> None:
        _write_workbook(evaluation, target, curve, trace_names or [])

    return write_atomically(
        path, {".csv": to_csv, ".parquet": to_parquet, ".xlsx": to_workbook}
    )


def _write_workbook(
    evaluation: Evaluation,
    path: Path,
    curve: ExchangeCurve | None,
    trace_names: list[str],
) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True})
    header = {"bold": True, "text_wrap": True, "valign": "top"}
    for sheet, table in (
        ("Totals", evaluation.totals),
        ("By decision", evaluation.by_decision),
        ("By class and criticality", evaluation.by_group),
        ("Per part", evaluation.per_part),
    ):
        # A blank cell, not an Excel error, where a policy does not cover a part.
        table.with_columns(pl.selectors.float().fill_nan(None)).write_excel(
            workbook,
            worksheet=sheet,
            header_format=header,
            float_precision=3,
            autofit=table.height <= 20_000,
        )
    if curve is not None:
        _curve_sheet(workbook, evaluation, curve)
    if evaluation.traces and trace_names:
        _trace_sheet(workbook, evaluation, trace_names)
    notes = workbook.add_worksheet("Notes")
    lines = [
        f"{_source(evaluation)}: {evaluation.n_periods} periods of "
        f"{evaluation.period_days:g} days, {evaluation.n_paths} path(s)",
        *evaluation.notes,
    ]
    for row, line in enumerate(lines):
        notes.write_string(row, 0, line)
    notes.set_column(0, 0, 110)
    workbook.close()


def _curve_sheet(
    workbook: xlsxwriter.Workbook, evaluation: Evaluation, curve: ExchangeCurve
) -> None:
    sheet = workbook.add_worksheet("Service vs stock value")
    sheet.write_row(0, 0, ["Service target", "Stock value", "Expected fill rate"])
    for row, (label, value, fill) in enumerate(
        zip(curve.labels, curve.stock_value, curve.fill_rate, strict=True), start=1
    ):
        sheet.write_row(row, 0, [label, float(value), float(fill)])
    points = _policy_points(evaluation)
    first_point = len(curve.targets) + 2
    sheet.write_row(first_point, 0, ["Policy", "Stock value", "Fill rate"])
    for offset, (name, (value, fill)) in enumerate(points.items(), start=1):
        sheet.write_row(first_point + offset, 0, [name, value, fill])

    chart = workbook.add_chart({"type": "scatter", "subtype": "straight_with_markers"})
    n_curve = len(curve.targets)
    chart.add_series(
        {
            "name": "spareplan by service target",
            "categories": ["Service vs stock value", 1, 1, n_curve, 1],
            "values": ["Service vs stock value", 1, 2, n_curve, 2],
        }
    )
    for offset, name in enumerate(points, start=1):
        row = first_point + offset
        chart.add_series(
            {
                "name": name,
                "categories": ["Service vs stock value", row, 1, row, 1],
                "values": ["Service vs stock value", row, 2, row, 2],
                "marker": {"type": "diamond", "size": 9},
            }
        )
    chart.set_title({"name": "Service bought by stock value"})
    chart.set_x_axis({"name": "Average stock value"})
    chart.set_y_axis({"name": "Fill rate", "num_format": "0%"})
    sheet.insert_chart("E2", chart, {"x_scale": 1.5, "y_scale": 1.3})


def _trace_sheet(
    workbook: xlsxwriter.Workbook, evaluation: Evaluation, trace_names: list[str]
) -> None:
    sheet = workbook.add_worksheet("Stock over time")
    policies = list(evaluation.traces)
    sheet.write_row(
        0, 0, ["Period", *[f"{n}: on hand, {p}" for n in trace_names for p in policies]]
    )
    for row, label in enumerate(evaluation.period_labels, start=1):
        values = [
            float(evaluation.traces[p][k][row - 1])
            for k in range(len(trace_names))
            for p in policies
        ]
        sheet.write_string(row, 0, label)
        for column, value in enumerate(values, start=1):
            if np.isfinite(value):
                sheet.write_number(row, column, value)
    chart = workbook.add_chart({"type": "line"})
    n_rows = len(evaluation.period_labels)
    for column in range(1, 1 + len(trace_names) * len(policies)):
        chart.add_series(
            {
                "name": ["Stock over time", 0, column],
                "categories": ["Stock over time", 1, 0, n_rows, 0],
                "values": ["Stock over time", 1, column, n_rows, column],
            }
        )
    chart.set_title({"name": "Stock on hand over time"})
    chart.set_y_axis({"name": "Units"})
    sheet.insert_chart("H2", chart, {"x_scale": 1.6, "y_scale": 1.3})
