"""Emergency purchases: record them, and report what they say about the plan.

A part bought in a hurry at a premium is the plan's stockout made visible. Two
or more emergency buys of a part-site in a period, or more units bought in
emergencies than the plan's safety stock, suggest the plan is too lean there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import polars as pl
from sqlalchemy import Engine, func, insert, literal, select

from spareplan.store.checks import (
    lock_part_sites,
    parse_quantity,
    require_text,
    utc_now,
    where,
)
from spareplan.store.engine import read_transaction, rows_frame, write_transaction
from spareplan.store.errors import LedgerValueError
from spareplan.store.schema import EmergencyPurchase, PartSite

__all__ = ["EmergencyReport", "emergency_report", "record_emergency"]

DEFAULT_MIN_BUYS_FLAGGED = 2


def record_emergency(
    engine: Engine,
    part_id: str,
    site_id: str,
    quantity: object,
    premium_paid: object,
    cause: str,
    *,
    user: str,
    reference: str | None = None,
    at: datetime | None = None,
) -> int:
    """Record an emergency purchase and return its id.

    Parameters
    ----------
    quantity : float or str
        Units bought, > 0.
    premium_paid : float or str
        Money paid above the normal price (expediting, air freight), >= 0, in the
        plan's currency.
    cause : str
        Why it was needed (breakdown, work order, asset).

    Raises
    ------
    UnknownRecordError
        Unknown part, site or part-site.
    LedgerValueError
        Bad quantity or premium, or empty cause or user.
    """
    units = parse_quantity(quantity, part_id, site_id)
    premium = parse_quantity(
        premium_paid, part_id, site_id, "premium_paid", allow_zero=True
    )
    context = where(part_id, site_id)
    cause = require_text(cause, "cause", context)
    user = require_text(user, "user", context)
    with write_transaction(engine) as connection:
        lock_part_sites(connection, [(part_id, site_id)])
        return int(
            connection.execute(
                insert(EmergencyPurchase)
                .values(
                    part_id=part_id,
                    site_id=site_id,
                    quantity_units=units,
                    premium_paid=premium,
                    cause=cause,
                    bought_at=at or utc_now(),
                    user_name=user,
                    reference=reference,
                )
                .returning(EmergencyPurchase.id)
            ).scalar_one()
        )


@dataclass(frozen=True)
class EmergencyReport:
    """Emergency buys of a period.

    Attributes
    ----------
    by_part_site : polars.DataFrame
        ``part_id, site_id, n_emergency_buys, emergency_units, premium_paid,
        safety_stock, is_plan_too_lean``, sorted by premium, largest first.
    by_site : polars.DataFrame
        ``site_id, n_emergency_buys, emergency_units, premium_paid,
        n_parts_too_lean``.
    """

    start: datetime | None
    end: datetime | None
    by_part_site: pl.DataFrame
    by_site: pl.DataFrame


def emergency_report(
    engine: Engine,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    min_buys_flagged: int = DEFAULT_MIN_BUYS_FLAGGED,
) -> EmergencyReport:
    """Count and premium of emergency buys per part-site and site in [start, end).

    A part-site is flagged ``is_plan_too_lean`` when it had at least
    ``min_buys_flagged`` emergency buys in the period, or bought more units in
    emergencies than its plan's safety stock.

    Raises
    ------
    LedgerValueError
        ``end`` is not after ``start`` or ``min_buys_flagged`` < 1.
    """
    if start is not None and end is not None and end <= start:
        raise LedgerValueError(
            f"emergency report: end must be after start, got start {start!r} and "
            f"end {end!r}"
        )
    if min_buys_flagged < 1:
        raise LedgerValueError(
            f"emergency report: min_buys_flagged must be >= 1, got {min_buys_flagged!r}"
        )
    rows = _totals(engine, start, end)
    by_part_site = rows.with_columns(
        is_plan_too_lean=(pl.col("n_emergency_buys") >= min_buys_flagged)
        | (pl.col("emergency_units") > pl.col("safety_stock").fill_null(0.0))
    ).sort("premium_paid", "part_id", descending=[True, False])
    by_site = (
        by_part_site.group_by("site_id")
        .agg(
            pl.col("n_emergency_buys").sum(),
            pl.col("emergency_units").sum(),
            pl.col("premium_paid").sum(),
            pl.col("is_plan_too_lean").sum().alias("n_parts_too_lean"),
        )
        .sort("site_id")
    )
    return EmergencyReport(start, end, by_part_site, by_site)


def _totals(
    engine: Engine, start: datetime | None, end: datetime | None
) -> pl.DataFrame:
    query = (
        select(
            EmergencyPurchase.part_id,
            EmergencyPurchase.site_id,
            func.count().label("n_emergency_buys"),
            func.sum(EmergencyPurchase.quantity_units).label("emergency_units"),
            func.sum(EmergencyPurchase.premium_paid).label("premium_paid"),
            PartSite.safety_stock,
        )
        .join(
            PartSite,
            (PartSite.part_id == EmergencyPurchase.part_id)
            & (PartSite.site_id == EmergencyPurchase.site_id),
        )
        .group_by(
            EmergencyPurchase.part_id, EmergencyPurchase.site_id, PartSite.safety_stock
        )
    )
    if start is not None:
        query = query.where(EmergencyPurchase.bought_at >= literal(start))
    if end is not None:
        query = query.where(EmergencyPurchase.bought_at < literal(end))
    with read_transaction(engine) as connection:
        rows = connection.execute(query).all()
    schema = {
        "part_id": pl.String,
        "site_id": pl.String,
        "n_emergency_buys": pl.Int64,
        "emergency_units": pl.Float64,
        "premium_paid": pl.Float64,
        "safety_stock": pl.Float64,
    }
    return rows_frame(rows, schema)
