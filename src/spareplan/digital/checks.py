"""Checks and conversions shared by the digital warehouse's services."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Connection, select

from spareplan.digital.errors import DigitalValueError
from spareplan.store.checks import as_float
from spareplan.store.errors import UnknownRecordError
from spareplan.store.schema import Asset, Part

__all__ = [
    "as_day",
    "as_utc",
    "day_stamp",
    "load_asset",
    "parse_number",
    "require_part",
    "require_text",
]

_MAX_IDS_SHOWN = 10


def parse_number(
    value: object,
    field: str,
    context: str,
    *,
    minimum: float | None = 0.0,
    allow_minimum: bool = True,
) -> float:
    """``value`` (a number or its text) as a finite float, at or above ``minimum``.

    Raises
    ------
    DigitalValueError
        Not a number, not finite, or below the bound; the message names the
        record (``context``), the field and the value.
    """
    number = as_float(value)
    bound = "" if minimum is None else f" {'>=' if allow_minimum else '>'} {minimum:g}"
    if number is None:
        raise DigitalValueError(
            f"{context}: {field} must be a number{bound}, got {value!r}"
        )
    if minimum is not None and (
        number < minimum or (number == minimum and not allow_minimum)
    ):
        raise DigitalValueError(f"{context}: {field} must be{bound}, got {value!r}")
    return number


def require_text(
    value: object, field: str, context: str, *, max_length: int = 100
) -> str:
    """A non-empty stripped text of at most ``max_length`` characters."""
    if not isinstance(value, str) or not value.strip():
        raise DigitalValueError(
            f"{context}: {field} must be a non-empty text, got {value!r}"
        )
    text = value.strip()
    if len(text) > max_length:
        raise DigitalValueError(
            f"{context}: {field} must be at most {max_length} characters, got "
            f"{len(text)} ({text[:40]!r}...)"
        )
    return text


def as_day(value: datetime | date | None) -> date | None:
    """The calendar day of a stored stamp (midnight UTC) or a date."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.date()
    return value


def day_stamp(day: date | None) -> datetime | None:
    """A calendar day as the stamp stored for it: midnight UTC."""
    if day is None:
        return None
    return datetime.combine(day, time(), tzinfo=UTC)


def as_utc(value: datetime) -> datetime:
    """A stored stamp as an aware UTC datetime (SQLite returns it naive)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def require_part(connection: Connection, part_id: str) -> None:
    """Raise UnknownRecordError naming the part unless it is in the store."""
    if connection.scalar(select(Part.part_id).where(Part.part_id == part_id)) is None:
        raise UnknownRecordError(
            f"part {part_id!r} (part_id) is not in the store; import a catalogue "
            "that lists it"
        )


def load_asset(connection: Connection, asset_id: str) -> Any:
    """The asset's row, else UnknownRecordError listing some known assets."""
    row = connection.execute(
        select(Asset.asset_id, Asset.site_id, Asset.meter_unit).where(
            Asset.asset_id == asset_id
        )
    ).first()
    if row is None:
        known = connection.scalars(
            select(Asset.asset_id).order_by(Asset.asset_id).limit(_MAX_IDS_SHOWN + 1)
        ).all()
        shown = ", ".join(repr(a) for a in known[:_MAX_IDS_SHOWN]) or "none"
        more = " and more" if len(known) > _MAX_IDS_SHOWN else ""
        raise UnknownRecordError(
            f"asset {asset_id!r} (asset_id) is not in the store; known assets: "
            f"{shown}{more}; add it with 'spareplan maintenance asset'"
        )
    return row
