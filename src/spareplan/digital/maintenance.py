"""Assets and their maintenance: preventive plans, condition readings, parts lists.

An asset stands at a site. Its preventive plans are triggered by the calendar
(every ``interval_days``), by its meter (every ``interval_meter_units`` of the
asset's ``meter_unit``: operating hours, cycles) or by a condition (the trend of
a measured wear reaching a threshold). Each plan lists the parts one occurrence
uses; the parts must be held at the asset's site. A reading is accepted only in
the unit of the measure it is for.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, delete, insert, select, update

from spareplan.digital.checks import (
    day_stamp,
    load_asset,
    parse_number,
    require_part,
    require_text,
)
from spareplan.digital.errors import DigitalValueError
from spareplan.store.checks import lock_part_sites, utc_now
from spareplan.store.engine import read_transaction, rows_frame, write_transaction
from spareplan.store.errors import UnknownRecordError
from spareplan.store.schema import (
    Asset,
    AssetPart,
    ConditionReading,
    MaintenancePlan,
    MaintenancePlanPart,
    Site,
)

__all__ = [
    "METER_MEASURE",
    "THRESHOLD_DIRECTIONS",
    "MaintenancePlanSpec",
    "add_asset",
    "asset_parts",
    "maintenance_plans",
    "record_reading",
    "set_asset_part",
    "set_maintenance_plan",
]

logger = logging.getLogger(__name__)

METER_MEASURE = "meter"
DEFAULT_CONDITION_MEASURE = "wear"
THRESHOLD_DIRECTIONS = ("rising", "falling")


@dataclass(frozen=True)
class MaintenancePlanSpec:
    """A preventive plan: its trigger, when it was last done, the parts it uses.

    Give exactly one trigger: ``interval_days`` (calendar), ``interval_meter_units``
    (meter, in the asset's ``meter_unit``) or ``threshold`` with ``measure_unit``
    and ``threshold_direction`` (condition).

    Parameters
    ----------
    plan_name : str
        Unique per asset (``"PM-500h"``, ``"liner check"``).
    interval_days, interval_meter_units : float, optional
        > 0.
    measure : str, optional
        Name of the measured wear (default ``"wear"``) for a condition plan.
    measure_unit : str, optional
        Its unit (``"mm"``, ``"mm/s"``).
    threshold : float, optional
        The level that calls for the plan.
    threshold_direction : str, optional
        ``"rising"`` (due when the measure climbs to the threshold) or
        ``"falling"`` (when it drops to it, e.g. a thickness).
    last_done_date : date, optional
        When it was last done; a condition plan's trend uses readings from then.
    last_done_meter : float, optional
        The meter then (meter plans), >= 0; default 0.
    parts : sequence of (part_id, quantity)
        Units of each part one occurrence uses, > 0; at least one.
    """

    plan_name: str
    parts: Sequence[tuple[str, object]]
    interval_days: object = None
    interval_meter_units: object = None
    measure: str | None = None
    measure_unit: str | None = None
    threshold: object = None
    threshold_direction: str | None = None
    last_done_date: date | None = None
    last_done_meter: object = None


def add_asset(
    engine: Engine,
    asset_id: str,
    site_id: str,
    *,
    description: str | None = None,
    meter_unit: str | None = None,
    at: datetime | None = None,
) -> None:
    """Add an asset at a site, or update its description, site and meter unit.

    Raises
    ------
    UnknownRecordError
        The site is not in the store.
    DigitalValueError
        Empty id, or a new meter unit while readings exist in the old one.
    """
    asset_id = require_text(asset_id, "asset_id", "asset")
    context = f"asset {asset_id!r}"
    site_id = require_text(site_id, "site_id", context)
    unit = (
        require_text(meter_unit, "meter_unit", context, max_length=20)
        if (meter_unit is not None and meter_unit.strip())
        else None
    )
    values = {
        "site_id": site_id,
        "description": description,
        "meter_unit": unit,
        "updated_at": at or utc_now(),
    }
    with write_transaction(engine) as connection:
        _require_site(connection, site_id, context)
        current = connection.execute(
            select(Asset.meter_unit).where(Asset.asset_id == asset_id)
        ).first()
        if current is None:
            connection.execute(insert(Asset).values(asset_id=asset_id, **values))
            return
        if current.meter_unit not in (None, unit) and _has_readings(
            connection, asset_id, METER_MEASURE
        ):
            raise DigitalValueError(
                f"{context}: meter_unit must stay {current.meter_unit!r} while meter "
                f"readings exist in it, got {unit!r}"
            )
        connection.execute(
            update(Asset).where(Asset.asset_id == asset_id).values(**values)
        )


def _require_site(connection: Connection, site_id: str, context: str) -> None:
    if connection.scalar(select(Site.site_id).where(Site.site_id == site_id)) is None:
        known = connection.scalars(select(Site.site_id).order_by(Site.site_id)).all()
        shown = ", ".join(repr(s) for s in known[:10]) or "none"
        raise UnknownRecordError(
            f"{context}: site {site_id!r} (site_id) is not in the store; known "
            f"sites: {shown}"
        )


def _has_readings(connection: Connection, asset_id: str, measure: str) -> bool:
    return (
        connection.scalar(
            select(ConditionReading.id)
            .where(
                ConditionReading.asset_id == asset_id,
                ConditionReading.measure == measure,
            )
            .limit(1)
        )
        is not None
    )


def set_asset_part(
    engine: Engine,
    asset_id: str,
    part_id: str,
    quantity: object,
    *,
    at: datetime | None = None,
) -> None:
    """Put a part on an asset's spare-parts list (or change its quantity).

    Raises
    ------
    UnknownRecordError
        Unknown asset or part, or the part is not held at the asset's site.
    DigitalValueError
        Quantity not a number > 0.
    """
    context = f"asset {asset_id!r} part {part_id!r}"
    units = parse_number(quantity, "quantity_units", context, allow_minimum=False)
    with write_transaction(engine) as connection:
        asset = load_asset(connection, asset_id)
        require_part(connection, part_id)
        lock_part_sites(connection, [(part_id, asset.site_id)])
        key = (AssetPart.asset_id == asset_id) & (AssetPart.part_id == part_id)
        values = {"quantity_units": units, "updated_at": at or utc_now()}
        if connection.scalar(select(AssetPart.part_id).where(key)) is None:
            connection.execute(
                insert(AssetPart).values(asset_id=asset_id, part_id=part_id, **values)
            )
        else:
            connection.execute(update(AssetPart).where(key).values(**values))


def set_maintenance_plan(
    engine: Engine,
    asset_id: str,
    spec: MaintenancePlanSpec,
    *,
    at: datetime | None = None,
) -> int:
    """Add or replace (by name) a preventive plan of an asset; return its id.

    Everything is checked first; the plan and its parts list are written in one
    transaction.

    Raises
    ------
    UnknownRecordError
        Unknown asset or part, or a part not held at the asset's site.
    DigitalValueError
        No trigger or more than one, a bad interval, unit, threshold, direction
        or quantity; the message names the asset, plan, field and value.
    """
    plan_name = require_text(spec.plan_name, "plan_name", f"asset {asset_id!r}")
    context = f"asset {asset_id!r} plan {plan_name!r}"
    parts = _plan_parts(spec.parts, context)
    with write_transaction(engine) as connection:
        asset = load_asset(connection, asset_id)
        values = _plan_values(connection, asset, spec, context)
        for part_id in parts:
            require_part(connection, part_id)
        lock_part_sites(connection, [(part_id, asset.site_id) for part_id in parts])
        plan_id = _upsert_plan(connection, asset_id, plan_name, values, at)
        connection.execute(
            delete(MaintenancePlanPart).where(MaintenancePlanPart.plan_id == plan_id)
        )
        connection.execute(
            insert(MaintenancePlanPart),
            [
                {"plan_id": plan_id, "part_id": part_id, "quantity_units": units}
                for part_id, units in parts.items()
            ],
        )
    logger.info("maintenance %s (%s) stored", context, values["trigger"])
    return plan_id


def _plan_parts(parts: Sequence[tuple[str, object]], context: str) -> dict[str, float]:
    if not parts:
        raise DigitalValueError(
            f"{context}: parts must list at least one (part_id, quantity), got "
            f"{parts!r}"
        )
    checked: dict[str, float] = {}
    for part_id, quantity in parts:
        part_id = require_text(part_id, "part_id", context)
        if part_id in checked:
            raise DigitalValueError(
                f"{context}: part {part_id!r} is listed twice; give its total once"
            )
        checked[part_id] = parse_number(
            quantity,
            "quantity_units",
            f"{context} part {part_id!r}",
            allow_minimum=False,
        )
    return checked


def _plan_values(
    connection: Connection, asset: Any, spec: MaintenancePlanSpec, context: str
) -> dict[str, Any]:
    """The plan's columns for its one trigger, checked."""
    given = [
        name
        for name, value in (
            ("interval_days", spec.interval_days),
            ("interval_meter_units", spec.interval_meter_units),
            ("threshold", spec.threshold),
        )
        if value is not None
    ]
    if len(given) != 1:
        raise DigitalValueError(
            f"{context}: give exactly one trigger of interval_days, "
            f"interval_meter_units or threshold, got {given or 'none'}"
        )
    values: dict[str, Any] = dict.fromkeys(
        (
            "interval_days",
            "interval_meter_units",
            "measure",
            "measure_unit",
            "threshold",
            "threshold_direction",
            "last_done_meter",
        )
    )
    values["last_done_date"] = day_stamp(spec.last_done_date)
    if spec.interval_days is not None:
        values["trigger"] = "calendar"
        values["interval_days"] = parse_number(
            spec.interval_days, "interval_days", context, allow_minimum=False
        )
    elif spec.interval_meter_units is not None:
        values.update(_meter_values(asset, spec, context))
    else:
        values.update(_condition_values(connection, asset, spec, context))
    return values


def _meter_values(
    asset: Any, spec: MaintenancePlanSpec, context: str
) -> dict[str, Any]:
    if asset.meter_unit is None:
        raise DigitalValueError(
            f"{context}: interval_meter_units needs the asset's meter_unit, which "
            "is not set; set it with 'spareplan maintenance asset --meter-unit'"
        )
    last_meter = 0.0
    if spec.last_done_meter is not None:
        last_meter = parse_number(spec.last_done_meter, "last_done_meter", context)
    return {
        "trigger": "meter",
        "interval_meter_units": parse_number(
            spec.interval_meter_units,
            "interval_meter_units",
            context,
            allow_minimum=False,
        ),
        "measure": METER_MEASURE,
        "measure_unit": asset.meter_unit,
        "last_done_meter": last_meter,
    }


def _condition_values(
    connection: Connection, asset: Any, spec: MaintenancePlanSpec, context: str
) -> dict[str, Any]:
    measure = require_text(
        spec.measure or DEFAULT_CONDITION_MEASURE, "measure", context, max_length=50
    )
    if measure == METER_MEASURE:
        raise DigitalValueError(
            f"{context}: measure {measure!r} is the asset's meter; use "
            "interval_meter_units for a meter plan"
        )
    unit = require_text(spec.measure_unit, "measure_unit", context, max_length=20)
    direction = str(spec.threshold_direction or "").strip().lower()
    if direction not in THRESHOLD_DIRECTIONS:
        raise DigitalValueError(
            f"{context}: threshold_direction must be 'rising' or 'falling', got "
            f"{spec.threshold_direction!r}"
        )
    known_unit = _measure_unit(connection, asset.asset_id, measure)
    if known_unit is not None and known_unit != unit:
        raise DigitalValueError(
            f"{context}: measure {measure!r} of this asset is in {known_unit!r}; "
            f"measure_unit must be {known_unit!r}, got {unit!r}"
        )
    return {
        "trigger": "condition",
        "measure": measure,
        "measure_unit": unit,
        "threshold": parse_number(spec.threshold, "threshold", context, minimum=None),
        "threshold_direction": direction,
    }


def _measure_unit(connection: Connection, asset_id: str, measure: str) -> str | None:
    """The unit a measure of an asset already has (from its readings)."""
    return connection.scalar(
        select(ConditionReading.unit)
        .where(
            ConditionReading.asset_id == asset_id,
            ConditionReading.measure == measure,
        )
        .limit(1)
    )


def _upsert_plan(
    connection: Connection,
    asset_id: str,
    plan_name: str,
    values: dict[str, Any],
    at: datetime | None,
) -> int:
    key = (MaintenancePlan.asset_id == asset_id) & (
        MaintenancePlan.plan_name == plan_name
    )
    values = {**values, "updated_at": at or utc_now()}
    plan_id = connection.scalar(select(MaintenancePlan.id).where(key))
    if plan_id is None:
        return int(
            connection.execute(
                insert(MaintenancePlan)
                .values(asset_id=asset_id, plan_name=plan_name, **values)
                .returning(MaintenancePlan.id)
            ).scalar_one()
        )
    connection.execute(update(MaintenancePlan).where(key).values(**values))
    return int(plan_id)


def record_reading(
    engine: Engine,
    asset_id: str,
    value: object,
    unit: str,
    *,
    user: str,
    measure: str | None = None,
    at: datetime | None = None,
) -> int:
    """Record a meter or wear reading of an asset; return its id.

    The unit picks the measure: the asset's ``meter_unit`` is its meter, a
    condition plan's ``measure_unit`` its wear measure. Where two measures share
    a unit, ``measure`` says which.

    Raises
    ------
    UnknownRecordError
        Unknown asset.
    DigitalValueError
        A unit no measure of the asset uses, a unit that is not the named
        measure's, a value that is not a finite number (or a negative meter).
    """
    context = f"asset {asset_id!r}"
    unit = require_text(unit, "unit", context, max_length=20)
    user = require_text(user, "user", context)
    number = parse_number(value, "value", context, minimum=None)
    with write_transaction(engine) as connection:
        asset = load_asset(connection, asset_id)
        chosen = _reading_measure(connection, asset, unit, measure, context)
        if chosen == METER_MEASURE and number < 0:
            raise DigitalValueError(
                f"{context}: a meter reading must be >= 0, got {value!r}"
            )
        return int(
            connection.execute(
                insert(ConditionReading)
                .values(
                    asset_id=asset_id,
                    measure=chosen,
                    unit=unit,
                    value=number,
                    read_at=at or utc_now(),
                    user_name=user,
                )
                .returning(ConditionReading.id)
            ).scalar_one()
        )


def _reading_measure(
    connection: Connection,
    asset: Any,
    unit: str,
    measure: str | None,
    context: str,
) -> str:
    units = _measure_units(connection, asset)
    if not units:
        raise DigitalValueError(
            f"{context}: the asset has no meter_unit and no condition plan, so no "
            f"reading is expected; got unit {unit!r}"
        )
    expected = ", ".join(f"{u!r} ({m})" for m, u in sorted(units.items()))
    if measure is not None:
        if measure not in units:
            raise DigitalValueError(
                f"{context}: measure must be one of {', '.join(sorted(units))}, got "
                f"{measure!r}"
            )
        if units[measure] != unit:
            raise DigitalValueError(
                f"{context} measure {measure!r}: unit must be {units[measure]!r}, "
                f"got {unit!r}"
            )
        return measure
    matching = sorted(m for m, u in units.items() if u == unit)
    if not matching:
        raise DigitalValueError(
            f"{context}: unit must be one of {expected}, got {unit!r}"
        )
    if len(matching) > 1:
        raise DigitalValueError(
            f"{context}: unit {unit!r} is used by measures {', '.join(matching)}; "
            "say which with measure"
        )
    return matching[0]


def _measure_units(connection: Connection, asset: Any) -> dict[str, str]:
    """measure -> unit of the asset: its meter and its condition plans' measures."""
    units: dict[str, str] = {}
    if asset.meter_unit is not None:
        units[METER_MEASURE] = asset.meter_unit
    rows = connection.execute(
        select(MaintenancePlan.measure, MaintenancePlan.measure_unit).where(
            MaintenancePlan.asset_id == asset.asset_id,
            MaintenancePlan.trigger == "condition",
        )
    ).all()
    units.update({str(measure): str(unit) for measure, unit in rows})
    return units


def maintenance_plans(engine: Engine, asset_id: str | None = None) -> pl.DataFrame:
    """Plans with their parts, one row per plan and part."""
    query = (
        select(
            MaintenancePlan.asset_id,
            Asset.site_id,
            MaintenancePlan.plan_name,
            MaintenancePlan.trigger,
            MaintenancePlan.interval_days,
            MaintenancePlan.interval_meter_units,
            MaintenancePlan.measure,
            MaintenancePlan.measure_unit,
            MaintenancePlan.threshold,
            MaintenancePlan.threshold_direction,
            MaintenancePlan.last_done_date,
            MaintenancePlan.last_done_meter,
            MaintenancePlanPart.part_id,
            MaintenancePlanPart.quantity_units,
        )
        .join(Asset, Asset.asset_id == MaintenancePlan.asset_id)
        .join(MaintenancePlanPart, MaintenancePlanPart.plan_id == MaintenancePlan.id)
        .order_by(
            MaintenancePlan.asset_id,
            MaintenancePlan.plan_name,
            MaintenancePlanPart.part_id,
        )
    )
    if asset_id is not None:
        query = query.where(MaintenancePlan.asset_id == asset_id)
    with read_transaction(engine) as connection:
        rows = connection.execute(query).all()
    return rows_frame(rows, PLAN_SCHEMA)


PLAN_SCHEMA: dict[str, Any] = {
    "asset_id": pl.String,
    "site_id": pl.String,
    "plan_name": pl.String,
    "trigger": pl.String,
    "interval_days": pl.Float64,
    "interval_meter_units": pl.Float64,
    "measure": pl.String,
    "measure_unit": pl.String,
    "threshold": pl.Float64,
    "threshold_direction": pl.String,
    "last_done_date": pl.Datetime(time_zone="UTC"),
    "last_done_meter": pl.Float64,
    "part_id": pl.String,
    "quantity_units": pl.Float64,
}


def asset_parts(engine: Engine, asset_id: str | None = None) -> pl.DataFrame:
    """Spare-parts lists: ``asset_id, site_id, part_id, quantity_units``."""
    query = (
        select(
            AssetPart.asset_id,
            Asset.site_id,
            AssetPart.part_id,
            AssetPart.quantity_units,
        )
        .join(Asset, Asset.asset_id == AssetPart.asset_id)
        .order_by(AssetPart.asset_id, AssetPart.part_id)
    )
    if asset_id is not None:
        query = query.where(AssetPart.asset_id == asset_id)
    with read_transaction(engine) as connection:
        rows = connection.execute(query).all()
    schema = {
        "asset_id": pl.String,
        "site_id": pl.String,
        "part_id": pl.String,
        "quantity_units": pl.Float64,
    }
    return rows_frame(rows, schema)
