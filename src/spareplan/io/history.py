"""Read usage history, long or wide, into one quantity matrix per part-site.

* Long: one row per usage record with ``part_id``, ``date``, ``quantity`` and
  optionally ``site_id``. Records are summed into periods (``history_period`` in the
  configuration); a period without records inside the file's date range is a zero.
* Wide: one row per part (and optionally site), one column per period. Headers are
  month labels (``Jan-98``, ``Jan 1998``, ``1998-01``) or dates (``2024-01-31``). A
  blank cell is no record, which is not the same as a zero: a series that ends
  early is measured over its recorded periods only.
"""

from __future__ import annotations

import calendar
import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import cast

import numpy as np
import polars as pl
from numpy.typing import NDArray

from spareplan.config import PlanConfig
from spareplan.errors import InputProblem, InvalidInputError
from spareplan.io.tables import ROW_COLUMN, read_table
from spareplan.io.validation import ProblemLog

__all__ = ["UsageHistory", "read_history", "validate_history"]

HISTORY_ALIASES = {
    "part": "part_id",
    "part_number": "part_id",
    "item": "part_id",
    "site": "site_id",
    "plant": "site_id",
    "qty": "quantity",
    "usage": "quantity",
}
_ID_COLUMNS = ("part_id", "site_id", "description")
_KNOWN_COLUMNS = frozenset({*_ID_COLUMNS, "date", "quantity"})
_MONTH_FORMATS = ("%b-%y", "%b-%Y", "%b %y", "%b %Y", "%Y-%m", "%m/%Y", "%B %Y")
# NOTE: no slashed day-first or month-first dates: 01/02/2024 is January in the
# US and February in Europe, and a silent misreading moves a year of usage.
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y")
_DATE_FORMAT_HINT = "a date like 2024-01-31 (also 2024/01/31 or 31.01.2024)"
_LONG_SPAN_YEARS = 15
_DAYS_PER_PERIOD = {"day": 1.0, "week": 7.0}


@dataclass(frozen=True)
class UsageHistory:
    """Quantities used per series and period.

    Attributes
    ----------
    keys : polars.DataFrame
        One row per series: ``part_id`` and ``site_id`` (null when the file has no
        site column, meaning the part at every site).
    quantity : ndarray of shape (n_series, n_periods)
        Units used; NaN where there is no record.
    period_start : list of date
        First day of each period.
    period_days : ndarray of shape (n_periods,)
        Length of each period in days.
    """

    keys: pl.DataFrame
    quantity: NDArray[np.float64]
    period_start: list[date]
    period_days: NDArray[np.float64]
    file: str
    warnings: tuple[InputProblem, ...] = ()

    @property
    def has_site(self) -> bool:
        """Whether the history names a site for each series."""
        return bool(self.keys.get_column("site_id").is_not_null().any())


def read_history(path: str | Path, config: PlanConfig | None = None) -> UsageHistory:
    """Read a long or wide usage history file and check every cell.

    Raises
    ------
    UnreadableFileError
        The file cannot be read.
    InvalidInputError
        Bad headers, ids, dates or quantities; ``problems`` lists all of them.
    """
    table = read_table(path, HISTORY_ALIASES, _KNOWN_COLUMNS)
    return validate_history(table, Path(path).name, config or PlanConfig())


def validate_history(
    table: pl.DataFrame, file: str, config: PlanConfig
) -> UsageHistory:
    """Check and shape a history table read by ``read_table``."""
    log = ProblemLog(file, table)
    if "part_id" not in table.columns:
        log.file_problem("required column 'part_id' (or 'Part') is missing")
        raise InvalidInputError(log.problems)
    if "site_id" not in table.columns:
        table = table.with_columns(site_id=pl.lit(None, dtype=pl.String))
        log.table = table
    if {"date", "quantity"} <= set(table.columns):
        return _long_history(log, table, config)
    return _wide_history(log, table)


def _wide_history(log: ProblemLog, table: pl.DataFrame) -> UsageHistory:
    period_columns = [c for c in table.columns if c not in (*_ID_COLUMNS, ROW_COLUMN)]
    starts, days = _period_headers(log, period_columns)
    part_id = log.text("part_id", required=True)
    site_id = log.text("site_id", required=False)
    values = []
    for column in period_columns:
        quantity = log.number(column, required=False)
        log.rows(quantity < 0, column, ">= 0 units")
        values.append(quantity)
    if log.problems:
        raise InvalidInputError(log.problems)

    keys = pl.DataFrame({"part_id": part_id, "site_id": site_id})
    _check_duplicate_series(log, keys.with_columns(table.get_column(ROW_COLUMN)))
    matrix = (
        pl.DataFrame(values).to_numpy().astype(np.float64)
        if values
        else np.empty((table.height, 0))
    )
    return UsageHistory(keys, matrix, starts, days, log.file, tuple(log.warnings))


def _period_headers(
    log: ProblemLog, headers: list[str]
) -> tuple[list[date], NDArray[np.float64]]:
    """Start date and length in days of each wide period column."""
    if not headers:
        log.file_problem(
            "no period columns: a wide history needs one column per period "
            "(like 'Jan-98' or '2024-01-31'), a long one 'date' and 'quantity'"
        )
        raise InvalidInputError(log.problems)
    months = [_parse(header, _MONTH_FORMATS) for header in headers]
    dates = [_parse(header, _DATE_FORMATS) for header in headers]
    for header, month, day in zip(headers, months, dates, strict=True):
        if month is None and day is None:
            log.file_problem(
                f"header {header!r} is neither an id column nor a period: "
                f"expected a month label like 'Jan-98' or {_DATE_FORMAT_HINT}",
                column=header,
            )
    if log.problems:
        raise InvalidInputError(log.problems)
    if all(month is not None for month in months):
        starts = [month.replace(day=1) for month in months if month is not None]
        days = [calendar.monthrange(s.year, s.month)[1] for s in starts]
    elif all(day is not None for day in dates):
        starts = [day for day in dates if day is not None]
        gaps = [(b - a).days for a, b in itertools.pairwise(starts)]
        days = [*gaps, gaps[-1] if gaps else 1]
    else:
        log.file_problem(
            "period headers mix month labels and dates; use one kind for all"
        )
        raise InvalidInputError(log.problems)
    for header, gap in zip(
        headers, np.diff([s.toordinal() for s in starts]), strict=False
    ):
        if gap <= 0:
            log.file_problem(
                f"period columns must run forward in time; {header!r} is not "
                "before the column after it",
                column=header,
            )
    if log.problems:
        raise InvalidInputError(log.problems)
    return starts, np.asarray(days, dtype=np.float64)


def _parse(text: str, formats: tuple[str, ...]) -> date | None:
    text = text.strip()
    for pattern in formats:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _long_history(
    log: ProblemLog, table: pl.DataFrame, config: PlanConfig
) -> UsageHistory:
    part_id = log.text("part_id", required=True)
    site_id = log.text("site_id", required=False)
    when = _dates(log, table)
    quantity = log.number("quantity", required=True)
    log.rows(quantity < 0, "quantity", ">= 0 units")
    if log.problems:
        raise InvalidInputError(log.problems)

    records = pl.DataFrame(
        {"part_id": part_id, "site_id": site_id, "date": when, "quantity": quantity}
    )
    starts, days = _period_grid(records.get_column("date"), config.history_period)
    index = _period_index(records.get_column("date"), starts, config.history_period)
    records = records.with_columns(period=pl.Series(index))
    _warn_on_long_span(log, records.get_column("date"))
    keys = records.select("part_id", "site_id").unique(maintain_order=True)
    series = keys.with_row_index("series")
    records = records.join(series, on=["part_id", "site_id"], nulls_equal=True)
    matrix = np.zeros((keys.height, len(starts)))
    np.add.at(
        matrix,
        (
            records.get_column("series").to_numpy(),
            records.get_column("period").to_numpy(),
        ),
        records.get_column("quantity").to_numpy(),
    )
    return UsageHistory(keys, matrix, starts, days, log.file, tuple(log.warnings))


def _warn_on_long_span(log: ProblemLog, dates: pl.Series) -> None:
    """A history over decades is usually one mistyped year, not real data."""
    earliest, latest = cast(date, dates.min()), cast(date, dates.max())
    if (latest - earliest).days > _LONG_SPAN_YEARS * 365:
        log.file_warning(
            f"the dates run from {earliest} to {latest}; every part is measured over "
            "that whole span, so check for a mistyped year",
            column="date",
        )


def _dates(log: ProblemLog, table: pl.DataFrame) -> pl.Series:
    raw = table.get_column("date")
    if raw.dtype == pl.Date:
        parsed = raw
    elif raw.dtype == pl.Datetime:
        parsed = raw.dt.date()
    else:
        text = raw.cast(pl.String).str.strip_chars()
        # Excel hands dates to text readers as "2024-01-31 00:00:00".
        text = text.str.replace(r"[ T]00:00:00(\.0+)?$", "")
        parsed = pl.select(
            pl.coalesce(
                [text.str.to_date(fmt, strict=False) for fmt in _DATE_FORMATS]
            ).alias("date")
        ).to_series()
    is_empty = raw.is_null()
    log.rows(is_empty, "date", "given (the cell is empty)")
    log.rows(parsed.is_null() & ~is_empty, "date", _DATE_FORMAT_HINT)
    return parsed


def _period_grid(
    dates: pl.Series, period: str
) -> tuple[list[date], NDArray[np.float64]]:
    """Periods from the one holding the earliest date to the one holding the latest."""
    earliest, latest = cast(date, dates.min()), cast(date, dates.max())
    first, last = _period_start(earliest, period), _period_start(latest, period)
    starts = [first]
    while starts[-1] < last:
        starts.append(_next_start(starts[-1], period))
    if period == "month":
        days = [calendar.monthrange(s.year, s.month)[1] for s in starts]
        return starts, np.asarray(days, dtype=np.float64)
    return starts, np.full(len(starts), _DAYS_PER_PERIOD[period])


def _period_start(day: date, period: str) -> date:
    if period == "month":
        return day.replace(day=1)
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day


def _next_start(start: date, period: str) -> date:
    if period == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=_DAYS_PER_PERIOD[period])


def _period_index(
    dates: pl.Series, starts: list[date], period: str
) -> NDArray[np.int64]:
    day_numbers = dates.cast(pl.Int64).to_numpy()
    start_numbers = np.asarray(
        [(s - date(1970, 1, 1)).days for s in starts], dtype=np.int64
    )
    return np.searchsorted(start_numbers, day_numbers, side="right") - 1


def _check_duplicate_series(log: ProblemLog, keys: pl.DataFrame) -> None:
    repeats = (
        keys.group_by("part_id", "site_id", maintain_order=True)
        .agg(pl.col(ROW_COLUMN))
        .filter(pl.col(ROW_COLUMN).list.len() > 1)
    )
    for part_id, site_id, rows in repeats.head(200).iter_rows():
        where = f" at site {site_id!r}" if site_id else ""
        log.problems.append(
            InputProblem(
                file=log.file,
                row=rows[1],
                column="part_id",
                part_id=part_id,
                site_id=site_id,
                value=part_id,
                message=f"rows {', '.join(map(str, rows[:10]))} all hold the "
                f"history of part {part_id!r}{where}; keep one row per series",
            )
        )
    if log.problems:
        raise InvalidInputError(log.problems)
