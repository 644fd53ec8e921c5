"""PNG charts: service against stock value, and one part's stock over time.

Figures are built on matplotlib's object API (no pyplot), which renders with the
Agg canvas: no display, no global state, safe on a server or in CI.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

__all__ = ["plot_service_against_stock_value", "plot_stock_over_time"]

_DPI = 120


def plot_service_against_stock_value(
    path: str | Path,
    curve_stock_value: ArrayLike,
    curve_fill_rate: ArrayLike,
    curve_labels: Sequence[str],
    policies: Mapping[str, tuple[float, float]],
    currency: str,
) -> Path:
    """Exchange curve: fill rate bought by each stock value, with policies marked.

    Parameters
    ----------
    path : str or Path
        PNG file to write.
    curve_stock_value, curve_fill_rate : array_like of float, shape (n_points,)
        Total average stock value and demand-weighted fill rate (0-1) of the
        recommended policy at each service target.
    curve_labels : sequence of str
        Label of each curve point (the service target).
    policies : mapping of str to (stock value, fill rate)
        Policies to mark, e.g. ``{"current": (...), "recommended": (...)}``.
    currency : str
        Label of the stock-value axis.
    """
    figure = Figure(figsize=(7.5, 4.8))
    axes = figure.subplots()
    values = np.asarray(curve_stock_value, dtype=float)
    fills = np.asarray(curve_fill_rate, dtype=float) * 100
    axes.plot(
        values,
        fills,
        marker="o",
        color="#4c72b0",
        label="service target alone (analytic)",
    )
    for x, y, label in zip(values, fills, curve_labels, strict=True):
        axes.annotate(label, (x, y), textcoords="offset points", xytext=(4, -12))
    markers = iter(("s", "D", "^", "v"))
    for name, (value, fill) in policies.items():
        axes.scatter(
            [value], [fill * 100], s=70, marker=next(markers), label=name, zorder=3
        )
    axes.set_xlabel(f"Average stock value ({currency})")
    axes.set_ylabel("Fill rate (% of demand met from stock)")
    axes.set_title("Service bought by stock value (part-sites with a downtime cost)")
    axes.grid(True, alpha=0.3)
    axes.legend(loc="lower right")
    return _save(figure, path)


def plot_stock_over_time(
    path: str | Path,
    period_labels: Sequence[str],
    on_hand_units: Mapping[str, ArrayLike],
    demand_units: ArrayLike,
    title: str,
) -> Path:
    """Stock on hand per period under each policy, with the demand as bars."""
    figure = Figure(figsize=(9, 4.5))
    axes = figure.subplots()
    positions = np.arange(len(period_labels))
    axes.bar(
        positions,
        np.asarray(demand_units, dtype=float),
        color="#dddddd",
        label="demand",
    )
    for name, units in on_hand_units.items():
        axes.step(
            positions,
            np.asarray(units, dtype=float),
            where="post",
            label=f"on hand, {name}",
        )
    axes.axhline(0, color="black", linewidth=0.8)
    step = max(1, len(period_labels) // 12)
    axes.set_xticks(
        positions[::step],
        [period_labels[i] for i in positions[::step]],
        rotation=45,
        ha="right",
    )
    axes.set_ylabel("Units")
    axes.set_title(title)
    axes.grid(True, axis="y", alpha=0.3)
    axes.legend(loc="upper right")
    return _save(figure, path)


def _save(figure: Figure, path: str | Path) -> Path:
    path = Path(path)
    figure.tight_layout()
    figure.savefig(path, dpi=_DPI)
    return path
