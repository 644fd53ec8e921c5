"""Part needs from maintenance, netted against stock, earliest first.

Gross needs come from the preventive plans of every asset:

- calendar plans are due ``last_done_date + interval_days`` and every interval
  after (a plan never done is due today);
- meter plans are due when the meter reaches ``last_done_meter +
  interval_meter_units`` (and each interval after), on the day the least-squares
  trend of the asset's meter readings reaches it;
- condition plans are due the day the trend of their measure, fitted to the
  readings since the plan was last done, crosses the threshold; a flat trend or
  one moving away from it gives no need.

Each occurrence needs the plan's parts at the asset's site. Needs of a part-site
are then netted, earliest due date first, against what is there or coming: on
hand (the ledger) + on order (open requisition and fabrication lines, and what
the catalogue said was on order) - reserved. For parts with a verified digital
model, the fabrication order date is ``due - ceil(lead time + safety margin)``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, select

from spareplan.digital.checks import as_day, as_utc, parse_number
from spareplan.digital.models import latest_verified_query
from spareplan.digital.timing import (
    calendar_due_dates,
    fabrication_order_date,
    occurrences_in_horizon,
)
from spareplan.digital.trend import LinearTrend, day_reaching, linear_trend
from spareplan.store.engine import read_transaction, rows_frame
from spareplan.store.ledger import positions_query
from spareplan.store.schema import (
    Asset,
    ConditionReading,
    DigitalRevision,
    MaintenancePlan,
    MaintenancePlanPart,
)

__all__ = [
    "DEFAULT_HORIZON_DAYS",
    "DEFAULT_SAFETY_MARGIN_DAYS",
    "MaintenanceNeeds",
    "maintenance_needs",
    "net_needs",
    "read_needs",
]

logger = logging.getLogger(__name__)

DEFAULT_HORIZON_DAYS = 90.0
DEFAULT_SAFETY_MARGIN_DAYS = 7.0
_SECONDS_PER_DAY = 86_400.0
GROSS_SCHEMA: dict[str, Any] = {
    "part_id": pl.String,
    "site_id": pl.String,
    "due_date": pl.Date,
    "asset_id": pl.String,
    "plan_name": pl.String,
    "trigger": pl.String,
    "gross_units": pl.Float64,
}
_SUPPLY_SCHEMA: dict[str, Any] = {
    "part_id": pl.String,
    "site_id": pl.String,
    "on_hand_units": pl.Float64,
    "on_order_units": pl.Float64,
    "available_units": pl.Float64,
    "inventory_position_units": pl.Float64,
    "reorder_point": pl.Float64,
    "order_up_to": pl.Float64,
    "quadrant": pl.Int64,
}
_DIGITAL_SCHEMA: dict[str, Any] = {
    "part_id": pl.String,
    "revision_id": pl.Int64,
    "revision": pl.String,
    "fabrication_lead_time_days": pl.Float64,
    "fabrication_unit_cost": pl.Float64,
    "fabricator": pl.String,
}


@dataclass(frozen=True)
class MaintenanceNeeds:
    """Needs of the horizon and the plans that could not be scheduled.

    Attributes
    ----------
    table : polars.DataFrame
        One row per occurrence and part, earliest due date first: ``part_id,
        site_id, due_date, asset_id, plan_name, trigger, gross_units,
        available_units`` (at the part-site before any need), ``covered_units,
        net_units, quadrant, revision, fabrication_lead_time_days,
        fabrication_unit_cost, fabricator, order_date, is_order_due, is_late``.
        The digital columns are empty for parts without a verified model.
    unscheduled : polars.DataFrame
        ``asset_id, plan_name, reason`` of meter and condition plans without a
        usable trend (fewer than two readings, or a meter that does not move).
    """

    as_of: date
    horizon_end: date
    table: pl.DataFrame
    unscheduled: pl.DataFrame


def maintenance_needs(
    engine: Engine,
    *,
    as_of: date | None = None,
    horizon_days: object = DEFAULT_HORIZON_DAYS,
    safety_margin_days: object = DEFAULT_SAFETY_MARGIN_DAYS,
) -> MaintenanceNeeds:
    """Needs of every maintenance plan due up to ``as_of + horizon_days``, netted.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The store.
    as_of : date, optional
        Today; default the current UTC date.
    horizon_days : float, default 90
        How far ahead to look, > 0.
    safety_margin_days : float, default 7
        Days a fabricated part should arrive before it is due, >= 0.

    Returns
    -------
    MaintenanceNeeds

    Raises
    ------
    DigitalValueError
        A horizon <= 0 or a negative margin.
    """
    with read_transaction(engine) as connection:
        return read_needs(
            connection,
            as_of=as_of,
            horizon_days=horizon_days,
            safety_margin_days=safety_margin_days,
        )


def read_needs(
    connection: Connection,
    *,
    as_of: date | None = None,
    horizon_days: object = DEFAULT_HORIZON_DAYS,
    safety_margin_days: object = DEFAULT_SAFETY_MARGIN_DAYS,
) -> MaintenanceNeeds:
    """:func:`maintenance_needs` inside an open transaction."""
    horizon = parse_number(horizon_days, "horizon_days", "needs", allow_minimum=False)
    margin = parse_number(safety_margin_days, "safety_margin_days", "needs")
    today = as_of or datetime.now(UTC).date()
    horizon_end = today + timedelta(days=math.floor(horizon))

    gross, unscheduled = _gross_needs(connection, today, horizon_end)
    supply = _supply(connection)
    netted = net_needs(gross, supply).join(
        supply.select("part_id", "site_id", "quadrant"),
        on=["part_id", "site_id"],
        how="left",
    )
    table = _with_fabrication_dates(netted, _digital_parts(connection), today, margin)
    logger.info(
        "needs: %d occurrence-parts up to %s, %d with a net need, %d unscheduled",
        table.height,
        horizon_end,
        int((table.get_column("net_units") > 0).sum()),
        len(unscheduled),
    )
    return MaintenanceNeeds(
        today,
        horizon_end,
        table,
        pl.DataFrame(
            unscheduled,
            schema={"asset_id": pl.String, "plan_name": pl.String, "reason": pl.String},
            orient="row",
        ),
    )


def net_needs(gross: pl.DataFrame, supply: pl.DataFrame) -> pl.DataFrame:
    """Net gross needs against each part-site's available units, earliest first.

    With ``G_k`` the cumulative gross need of a part-site up to its k-th need and
    ``A`` its available units, the k-th net need is
    ``max(G_k - A, 0) - max(G_{k-1} - A, 0)``: stock covers the earliest needs.

    Examples
    --------
    >>> gross = pl.DataFrame({"part_id": ["P"] * 3, "site_id": ["S"] * 3,
    ...     "due_date": [date(2025, 1, d) for d in (3, 1, 2)],
    ...     "gross_units": [4.0, 2.0, 2.0]})
    >>> supply = pl.DataFrame({"part_id": ["P"], "site_id": ["S"],
    ...     "available_units": [3.0]})
    >>> net_needs(gross, supply).get_column("net_units").to_list()
    [0.0, 1.0, 4.0]
    """
    keys = ["part_id", "site_id"]
    ordered = gross.sort(
        [
            *keys,
            "due_date",
            *[c for c in ("asset_id", "plan_name") if c in gross.columns],
        ]
    )
    joined = ordered.join(
        supply.select(*keys, "available_units"), on=keys, how="left"
    ).with_columns(pl.col("available_units").fill_null(0.0).clip(lower_bound=0.0))
    cumulative = pl.col("gross_units").cum_sum().over(keys)
    available = pl.col("available_units")
    short_after = (cumulative - available).clip(lower_bound=0.0)
    short_before = (cumulative - pl.col("gross_units") - available).clip(
        lower_bound=0.0
    )
    return joined.with_columns(net_units=short_after - short_before).with_columns(
        covered_units=pl.col("gross_units") - pl.col("net_units")
    )


def _gross_needs(
    connection: Connection, as_of: date, horizon_end: date
) -> tuple[pl.DataFrame, list[tuple[str, str, str]]]:
    """One row per plan occurrence and part in the horizon; plans left out."""
    plans = connection.execute(
        select(
            MaintenancePlan.id,
            MaintenancePlan.asset_id,
            Asset.site_id,
            MaintenancePlan.plan_name,
            MaintenancePlan.trigger,
            MaintenancePlan.interval_days,
            MaintenancePlan.interval_meter_units,
            MaintenancePlan.measure,
            MaintenancePlan.threshold,
            MaintenancePlan.threshold_direction,
            MaintenancePlan.last_done_date,
            MaintenancePlan.last_done_meter,
        ).join(Asset, Asset.asset_id == MaintenancePlan.asset_id)
    ).all()
    parts = connection.execute(
        select(
            MaintenancePlanPart.plan_id,
            MaintenancePlanPart.part_id,
            MaintenancePlanPart.quantity_units,
        )
    ).all()
    readings = _readings(connection)
    parts_by_plan: dict[int, list[tuple[str, float]]] = {}
    for plan_id, part_id, units in parts:
        parts_by_plan.setdefault(plan_id, []).append((part_id, units))

    rows = []
    unscheduled = []
    for plan in plans:
        try:
            due_dates = list(_due_dates(plan, readings, as_of, horizon_end))
        except _UnscheduledError as reason:
            logger.warning(
                "asset %s plan %s skipped: %s", plan.asset_id, plan.plan_name, reason
            )
            unscheduled.append((plan.asset_id, plan.plan_name, str(reason)))
            continue
        for due in due_dates:
            for part_id, units in parts_by_plan.get(plan.id, []):
                rows.append(
                    (part_id, plan.site_id, due, plan.asset_id, plan.plan_name,
                     plan.trigger, units)
                )  # fmt: skip
    return pl.DataFrame(rows, schema=GROSS_SCHEMA, orient="row"), unscheduled


class _UnscheduledError(ValueError):
    """A plan whose due date cannot be projected; the message says why."""


_Readings = dict[tuple[str, str], list[tuple[datetime, float]]]


def _readings(connection: Connection) -> _Readings:
    rows = connection.execute(
        select(
            ConditionReading.asset_id,
            ConditionReading.measure,
            ConditionReading.read_at,
            ConditionReading.value,
        ).order_by(ConditionReading.read_at, ConditionReading.id)
    ).all()
    grouped: _Readings = {}
    for asset_id, measure, read_at, value in rows:
        grouped.setdefault((asset_id, measure), []).append((as_utc(read_at), value))
    return grouped


def _due_dates(
    plan: Any, readings: _Readings, as_of: date, horizon_end: date
) -> Iterator[date]:
    last_done = as_day(plan.last_done_date)
    if plan.trigger == "calendar":
        yield from calendar_due_dates(last_done, plan.interval_days, as_of, horizon_end)
    elif plan.trigger == "meter":
        yield from _meter_due_dates(plan, readings, as_of, horizon_end)
    else:
        due = _condition_due_date(plan, readings, last_done)
        if due is not None and due <= horizon_end:
            yield due


def _meter_due_dates(
    plan: Any, readings: _Readings, as_of: date, horizon_end: date
) -> Iterator[date]:
    series = readings.get((plan.asset_id, plan.measure), [])
    origin, trend = _fitted(series, "meter readings")
    if trend.slope_per_day <= 0:
        raise _UnscheduledError(
            "the meter readings do not rise, so no date is projected"
        )
    first_due = (plan.last_done_meter or 0.0) + plan.interval_meter_units
    meter_on = _value_on(trend, origin)
    meters = occurrences_in_horizon(
        first_due, plan.interval_meter_units, meter_on(as_of), meter_on(horizon_end)
    )
    for meter in meters:
        day = day_reaching(trend, meter, "rising")
        if day is not None:
            yield _date_after(origin, day)


def _condition_due_date(
    plan: Any, readings: _Readings, last_done: date | None
) -> date | None:
    series = readings.get((plan.asset_id, plan.measure), [])
    if last_done is not None:
        since = datetime(last_done.year, last_done.month, last_done.day, tzinfo=UTC)
        series = [(at, value) for at, value in series if at >= since]
    origin, trend = _fitted(series, f"{plan.measure} readings since last done")
    day = day_reaching(trend, plan.threshold, plan.threshold_direction)
    return None if day is None else _date_after(origin, day)


def _fitted(
    series: list[tuple[datetime, float]], what: str
) -> tuple[datetime, LinearTrend]:
    """The first reading's time and the trend, in days since it."""
    if len({at for at, _ in series}) < 2:
        raise _UnscheduledError(f"{len(series)} {what}; a trend needs two or more")
    origin = series[0][0]
    days = [(at - origin).total_seconds() / _SECONDS_PER_DAY for at, _ in series]
    return origin, linear_trend(days, [value for _, value in series])


def _value_on(trend: LinearTrend, origin: datetime) -> Any:
    def value(day: date) -> float:
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        elapsed = (start - origin).total_seconds() / _SECONDS_PER_DAY
        return trend.intercept + trend.slope_per_day * elapsed

    return value


def _date_after(origin: datetime, days: float) -> date:
    """The calendar day (UTC) ``days`` after ``origin``."""
    return (origin + timedelta(days=days)).astimezone(UTC).date()


def _supply(connection: Connection) -> pl.DataFrame:
    positions = positions_query().subquery("positions")
    rows = connection.execute(
        select(
            positions.c.part_id,
            positions.c.site_id,
            positions.c.on_hand_units,
            positions.c.on_order_units,
            positions.c.inventory_position_units.label("available_units"),
            positions.c.inventory_position_units,
            positions.c.reorder_point,
            positions.c.order_up_to,
            positions.c.quadrant,
        )
    ).all()
    return rows_frame(rows, _SUPPLY_SCHEMA)


def _digital_parts(connection: Connection) -> pl.DataFrame:
    """Each part's newest verified revision and its fabrication terms."""
    latest = latest_verified_query().subquery("latest")
    rows = connection.execute(
        select(
            DigitalRevision.part_id,
            DigitalRevision.id,
            DigitalRevision.revision,
            DigitalRevision.fabrication_lead_time_days,
            DigitalRevision.fabrication_unit_cost,
            DigitalRevision.fabricator,
        ).join(latest, latest.c.revision_id == DigitalRevision.id)
    ).all()
    return rows_frame(rows, _DIGITAL_SCHEMA)


def _with_fabrication_dates(
    netted: pl.DataFrame, digital: pl.DataFrame, as_of: date, margin_days: float
) -> pl.DataFrame:
    table = netted.join(digital, on="part_id", how="left")
    order_dates = [
        None if lead is None else fabrication_order_date(due, lead, margin_days)
        for due, lead in zip(
            table.get_column("due_date"),
            table.get_column("fabrication_lead_time_days"),
            strict=True,
        )
    ]
    lead_days = pl.col("fabrication_lead_time_days").ceil().cast(pl.Int64)
    arrives = pl.lit(as_of) + pl.duration(days=lead_days)
    return table.with_columns(
        order_date=pl.Series(order_dates, dtype=pl.Date)
    ).with_columns(
        is_order_due=pl.col("order_date") <= pl.lit(as_of),
        is_late=arrives > pl.col("due_date"),
    )
