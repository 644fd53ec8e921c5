"""Checks shared by the ledger, replenishment and emergency services."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import Connection, select, tuple_

from spareplan.store.errors import LedgerValueError, UnknownRecordError
from spareplan.store.schema import Part, PartSite, Site

__all__ = ["lock_part_sites", "parse_quantity", "require_text", "utc_now"]

_MAX_IDS_SHOWN = 10


def utc_now() -> datetime:
    """The current time, timezone-aware in UTC (stored as such)."""
    return datetime.now(UTC)


def where(part_id: str, site_id: str) -> str:
    """``part 'P-1' at site 'PLANT-A'`` for messages."""
    return f"part {part_id!r} at site {site_id!r}"


def parse_quantity(
    value: object,
    part_id: str,
    site_id: str,
    field: str = "quantity",
    *,
    allow_zero: bool = False,
) -> float:
    """``value`` as a finite float > 0 (>= 0 with ``allow_zero``), else an error.

    Text such as ``"12.5"`` is accepted, so the CLI passes what the user typed.

    Raises
    ------
    LedgerValueError
        Not a number, not finite, or negative (or zero when not allowed); the
        message names the part, site, field and value.
    """
    number = as_float(value)
    bound = ">= 0" if allow_zero else "> 0"
    if number is None:
        raise LedgerValueError(
            f"{where(part_id, site_id)}: {field} must be a number {bound}, "
            f"got {value!r}"
        )
    if number < 0 or (number == 0 and not allow_zero):
        raise LedgerValueError(
            f"{where(part_id, site_id)}: {field} must be {bound}, got {value!r}"
        )
    return number


def as_float(value: object) -> float | None:
    """A finite number from a number or its text; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(Decimal(value.strip()))
        except (InvalidOperation, ValueError):
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def require_text(value: object, field: str, context: str) -> str:
    """A non-empty stripped text (an id, a user name), else LedgerValueError."""
    if not isinstance(value, str) or not value.strip():
        raise LedgerValueError(
            f"{context}: {field} must be a non-empty text, got {value!r}"
        )
    return value.strip()


def lock_part_sites(connection: Connection, keys: Iterable[tuple[str, str]]) -> None:
    """Check the part-sites exist and lock them (PostgreSQL) in a fixed order.

    Sorting the keys before locking means two transfers in opposite directions
    cannot deadlock. On SQLite the whole database is already locked by
    ``BEGIN IMMEDIATE``, so the SELECT only checks existence.

    Raises
    ------
    UnknownRecordError
        The part, the site or the part at that site is not in the store.
    """
    wanted = sorted(set(keys))
    query = (
        select(PartSite.part_id, PartSite.site_id)
        .where(tuple_(PartSite.part_id, PartSite.site_id).in_(wanted))
        .order_by(PartSite.part_id, PartSite.site_id)
    )
    if connection.dialect.name == "postgresql":
        query = query.with_for_update()
    found = {(row.part_id, row.site_id) for row in connection.execute(query)}
    missing = [key for key in wanted if key not in found]
    if missing:
        raise _unknown(connection, *missing[0])


def _unknown(connection: Connection, part_id: str, site_id: str) -> UnknownRecordError:
    """Say precisely what is unknown: the part, the site, or the pair."""
    has_part = connection.scalar(select(Part.part_id).where(Part.part_id == part_id))
    has_site = connection.scalar(select(Site.site_id).where(Site.site_id == site_id))
    if has_part is None:
        return UnknownRecordError(
            f"part {part_id!r} (part_id) is not in the store; import a catalogue "
            "that lists it"
        )
    if has_site is None:
        known = connection.scalars(select(Site.site_id).order_by(Site.site_id)).all()
        return UnknownRecordError(
            f"site {site_id!r} (site_id) is not in the store; known sites: "
            f"{_short(known)}"
        )
    return UnknownRecordError(
        f"{where(part_id, site_id)} is not in the store: the catalogue does not list "
        "this part at this site"
    )


def _short(ids: Iterable[str]) -> str:
    ids = list(ids)
    shown = ", ".join(repr(i) for i in ids[:_MAX_IDS_SHOWN])
    extra = len(ids) - _MAX_IDS_SHOWN
    return f"{shown} and {extra} more" if extra > 0 else shown or "none"
