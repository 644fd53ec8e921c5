"""A small, realistic example plant network, generated reproducibly.

Three plants share one catalogue of about 120 part numbers, making a few hundred
part-site rows: filters and belts used every week, bearings and seals used now and
then, motors, gearboxes and PLC modules kept as insurance. The catalogue attributes
and two years of usage are drawn from fixed distributions with a fixed seed, so
every run writes the same files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

__all__ = ["EXAMPLE_FILES", "write_example"]

EXAMPLE_FILES = ("catalogue.csv", "history.csv", "spareplan.toml")
SITES = ("PLANT-A", "PLANT-B", "PLANT-C")
HISTORY_START = date(2024, 12, 1)
HISTORY_DAYS = 730


@dataclass(frozen=True)
class _Family:
    name: str
    n_parts: int
    unit_cost: tuple[float, float]  # log-uniform range
    criticality: tuple[float, float, float]  # P(V), P(E), P(D)
    lead_time_days: tuple[int, int]
    downtime_cost_per_hour: tuple[float, float]
    events_per_year: tuple[float, float]  # usage events a year at one site
    units_per_event: float  # mean of 1 + Poisson(units_per_event - 1)


_FAMILIES = (
    _Family(
        "air filter", 14, (8, 60), (0.05, 0.25, 0.70), (2, 7), (0, 200), (20, 60), 2.0
    ),
    _Family(
        "v-belt", 12, (10, 90), (0.10, 0.40, 0.50), (2, 10), (50, 800), (6, 20), 1.5
    ),
    _Family(
        "ball bearing",
        22,
        (15, 400),
        (0.20, 0.50, 0.30),
        (3, 45),
        (200, 3000),
        (1, 8),
        1.3,
    ),
    _Family(
        "mechanical seal",
        14,
        (80, 900),
        (0.25, 0.45, 0.30),
        (7, 60),
        (300, 4000),
        (0.5, 4),
        1.1,
    ),
    _Family(
        "proximity sensor",
        16,
        (40, 350),
        (0.20, 0.40, 0.40),
        (2, 21),
        (100, 2500),
        (1, 6),
        1.0,
    ),
    _Family(
        "contactor",
        12,
        (30, 250),
        (0.15, 0.45, 0.40),
        (2, 14),
        (100, 2000),
        (0.5, 4),
        1.0,
    ),
    _Family(
        "gear motor",
        10,
        (900, 9000),
        (0.50, 0.30, 0.20),
        (30, 120),
        (1000, 12000),
        (0.05, 0.6),
        1.0,
    ),
    _Family(
        "PLC module",
        8,
        (600, 5000),
        (0.60, 0.30, 0.10),
        (21, 100),
        (2000, 20000),
        (0.05, 0.4),
        1.0,
    ),
    _Family(
        "gearbox",
        6,
        (2500, 25000),
        (0.50, 0.30, 0.20),
        (45, 150),
        (1500, 15000),
        (0.02, 0.3),
        1.0,
    ),
    _Family(
        "hydraulic hose",
        12,
        (20, 180),
        (0.10, 0.30, 0.60),
        (5, 30),
        (0, 1500),
        (1, 10),
        1.2,
    ),
)
_SUPPLIERS = tuple(f"SUP-{n:03d}" for n in range(1, 13))


def write_example(directory: str | Path, seed: int = 2026) -> list[Path]:
    """Write the example catalogue, usage history and configuration; return paths.

    Parameters
    ----------
    directory : str or Path
        Created if missing; existing example files in it are replaced.
    seed : int, default 2026
        Seed of the ``numpy.random.Generator`` that draws everything.
    """
    rng = np.random.default_rng(seed)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)

    catalogue, rates = _catalogue(rng)
    history = _history(rng, catalogue, rates)
    # Parts new at a site (ids ending in 7) have no history yet, and parts with no
    # usage in two years have none either: the planner estimates their usage.
    is_new = catalogue.get_column("part_id").str.ends_with("7")
    history = history.join(
        catalogue.filter(is_new).select("part_id", "site_id"),
        on=["part_id", "site_id"],
        how="anti",
    )
    has_history = catalogue.join(
        history.select("part_id", "site_id").unique(),
        on=["part_id", "site_id"],
        how="semi",
    )
    is_estimated = is_new | ~pl.struct("part_id", "site_id").is_in(
        has_history.select(pl.struct("part_id", "site_id")).to_series().implode()
    )
    estimate = pl.when(is_estimated).then(pl.Series(rates).round(4))
    catalogue = catalogue.with_columns(usage_per_day_avg=estimate).with_columns(
        usage_per_day_max=(pl.col("usage_per_day_avg") * 3).round(4)
    )
    catalogue = _current_min_max(rng, catalogue, rates)

    paths = [directory / name for name in EXAMPLE_FILES]
    catalogue.write_csv(paths[0])
    history.write_csv(paths[1])
    paths[2].write_text(_CONFIG, encoding="utf-8")
    return paths


def _catalogue(rng: np.random.Generator) -> tuple[pl.DataFrame, np.ndarray]:
    rows: list[tuple[object, ...]] = []
    rates: list[float] = []
    number = 100_000
    for family in _FAMILIES:
        for _ in range(family.n_parts):
            number += int(rng.integers(1, 40))
            rows += _part_rows(rng, family, number, rates)
    return pl.DataFrame(rows, orient="row", schema=_SCHEMA), np.asarray(rates)


_SCHEMA = {
    "part_id": pl.String,
    "site_id": pl.String,
    "description": pl.String,
    "unit_cost": pl.Float64,
    "criticality": pl.String,
    "lead_time_days": pl.Float64,
    "lead_time_days_max": pl.Float64,
    "downtime_cost_per_hour": pl.Float64,
    "on_hand_units": pl.Int64,
    "on_order_units": pl.Int64,
    "supplier_id": pl.String,
    "order_cost": pl.Float64,
}


def _part_rows(
    rng: np.random.Generator, family: _Family, number: int, rates: list[float]
) -> list[tuple[object, ...]]:
    low, high = np.log(family.unit_cost)
    unit_cost = round(float(np.exp(rng.uniform(low, high))), 2)
    criticality = str(rng.choice(["V", "E", "D"], p=family.criticality))
    lead_time = int(
        rng.integers(family.lead_time_days[0], family.lead_time_days[1] + 1)
    )
    supplier = str(rng.choice(_SUPPLIERS))
    order_cost = float(rng.choice([25.0, 40.0, 60.0])) if rng.random() < 0.6 else None
    n_sites = int(rng.choice([1, 2, 3], p=[0.3, 0.3, 0.4]))
    rows: list[tuple[object, ...]] = []
    for site in rng.choice(SITES, size=n_sites, replace=False):
        events = rng.uniform(*family.events_per_year)
        rates.append(events * family.units_per_event / 365.0)
        worst = lead_time + int(rng.integers(0, lead_time + 1))
        downtime = round(float(rng.uniform(*family.downtime_cost_per_hour)), -1)
        if criticality == "D" and rng.random() < 0.6:
            # A desirable part rarely stops production; its absence only slows work.
            downtime = round(float(rng.uniform(5, 50)), 0)
        on_hand = int(rng.poisson(1 + events * family.units_per_event / 12))
        rows.append(
            (
                f"P-{number}",
                str(site),
                f"{family.name} {number % 997}",
                unit_cost,
                criticality,
                float(lead_time),
                float(worst),
                downtime,
                on_hand,
                int(rng.random() < 0.1),
                supplier,
                order_cost,
            )
        )
    return rows


def _current_min_max(
    rng: np.random.Generator, catalogue: pl.DataFrame, rates: np.ndarray
) -> pl.DataFrame:
    """Min/max as planners type them by hand: a month or so of use, rounded, plus a
    few units, with no regard for lead time or criticality."""
    monthly = rates * 30
    minimum = np.maximum(np.rint(monthly * rng.uniform(0.5, 2.0, rates.size)), 1)
    maximum = minimum + rng.integers(1, 6, rates.size)
    return catalogue.with_columns(
        min_units=pl.Series(minimum.astype(np.int64)),
        max_units=pl.Series(maximum.astype(np.int64)),
    )


def _history(
    rng: np.random.Generator, catalogue: pl.DataFrame, rates: np.ndarray
) -> pl.DataFrame:
    """Usage events per day: Poisson arrivals, each of 1 + Poisson(size - 1) units."""
    per_day = rates[:, None] * np.ones(HISTORY_DAYS)
    n_events = rng.poisson(per_day / _mean_size(catalogue)[:, None])
    series, day = np.nonzero(n_events)
    sizes = _mean_size(catalogue)[series]
    quantity = n_events[series, day] + rng.poisson(
        (sizes - 1.0) * n_events[series, day]
    )
    days = [HISTORY_START + timedelta(days=int(d)) for d in day]
    return pl.DataFrame(
        {
            "part_id": catalogue.get_column("part_id").to_numpy()[series],
            "site_id": catalogue.get_column("site_id").to_numpy()[series],
            "date": days,
            "quantity": quantity.astype(np.int64),
        }
    ).sort("date", "part_id", "site_id")


def _mean_size(catalogue: pl.DataFrame) -> np.ndarray:
    sizes = {family.name: family.units_per_event for family in _FAMILIES}
    family = catalogue.get_column("description").str.replace(r" \d+$", "")
    return family.replace_strict(sizes, return_dtype=pl.Float64).to_numpy()


_CONFIG = """\
# spareplan configuration for the example plants; every key is optional.
carrying_rate_per_year = 0.25   # 25 % of unit cost a year
long_lead_time_days = 14        # lead times from 14 days up are long
currency = "EUR"
default_site_id = "PLANT-A"
order_cover_days = 30           # order quantity where order_cost is unknown
safety_stock_quadrants = [1, 2] # quadrants that hold safety stock
history_period = "month"        # history.csv is summed per calendar month

[criticality]
high = ["V", "E", "high", "4", "5"]
low = ["D", "low", "1", "2", "3"]
"""
