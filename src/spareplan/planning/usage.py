"""Attach average and maximum daily usage to every catalogue row.

Usage comes from the history where the part has recorded periods there, else from
the catalogue's ``usage_per_day_avg`` / ``usage_per_day_max`` columns, else it is
taken as zero with a warning.
"""

from __future__ import annotations

import polars as pl

from spareplan.core.usage import daily_usage_from_periods
from spareplan.errors import InputProblem
from spareplan.io.catalogue import Catalogue
from spareplan.io.history import UsageHistory

__all__ = ["attach_usage"]

_MAX_IDS_IN_WARNING = 10


def attach_usage(
    catalogue: Catalogue, history: UsageHistory | None
) -> tuple[pl.DataFrame, list[InputProblem]]:
    """The catalogue table with usage columns filled, and the warnings raised.

    Adds ``usage_source`` ("history", "catalogue" or "none"),
    ``n_history_periods`` and ``history_index`` (the part's row in the history,
    -1 for none); overwrites ``usage_per_day_avg`` and
    ``usage_per_day_max`` with the values used.
    """
    table = catalogue.table
    warnings: list[InputProblem] = []
    from_history = pl.lit(None, dtype=pl.Float64)
    table = table.with_columns(
        history_avg=from_history,
        history_max=from_history,
        n_history_periods=pl.lit(0),
        history_index=pl.lit(-1, dtype=pl.Int64),
    )
    if history is not None:
        table, unmatched = _join_history(table, history)
        if unmatched:
            warnings.append(_unmatched_warning(history, unmatched))

    has_history = pl.col("history_avg").is_not_null()
    has_columns = pl.col("usage_per_day_avg").is_not_null()
    table = table.with_columns(
        usage_source=pl.when(has_history)
        .then(pl.lit("history"))
        .when(has_columns)
        .then(pl.lit("catalogue"))
        .otherwise(pl.lit("none")),
        usage_per_day_avg=pl.coalesce("history_avg", "usage_per_day_avg", pl.lit(0.0)),
        usage_per_day_max=pl.coalesce(
            "history_max", "usage_per_day_max", "usage_per_day_avg", pl.lit(0.0)
        ),
    ).drop("history_avg", "history_max")
    warnings += _no_usage_warnings(catalogue.file, table)
    return table, warnings


def _join_history(
    table: pl.DataFrame, history: UsageHistory
) -> tuple[pl.DataFrame, list[str]]:
    """Join measured rates on part and site (or on part alone when no site given)."""
    usage = daily_usage_from_periods(history.quantity, history.period_days)
    measured = history.keys.with_columns(
        # A series without a recorded period has NaN rates: no history at all.
        history_avg=pl.Series(usage.usage_per_day_avg).fill_nan(None),
        history_max=pl.Series(usage.usage_per_day_max).fill_nan(None),
        n_history_periods=pl.Series(usage.n_periods_recorded),
        history_index=pl.int_range(history.keys.height, dtype=pl.Int64),
    )
    keys = ["part_id", "site_id"] if history.has_site else ["part_id"]
    if not history.has_site:
        measured = measured.drop("site_id")
    table = table.drop(
        "history_avg", "history_max", "n_history_periods", "history_index"
    ).join(measured, on=keys, how="left", maintain_order="left")
    # A series with no recorded period is no history: its part falls back to the
    # catalogue's usage columns.
    table = table.with_columns(pl.col("n_history_periods").fill_null(0))
    table = table.with_columns(
        pl.when(pl.col("n_history_periods") > 0)
        .then(pl.col("history_index"))
        .otherwise(-1)
        .alias("history_index")
    )
    unmatched = measured.join(table.select(keys), on=keys, how="anti")
    return table, unmatched.get_column("part_id").to_list()


def _unmatched_warning(history: UsageHistory, part_ids: list[str]) -> InputProblem:
    shown = ", ".join(repr(part) for part in part_ids[:_MAX_IDS_IN_WARNING])
    more = len(part_ids) - _MAX_IDS_IN_WARNING
    return InputProblem(
        file=history.file,
        message=f"{len(part_ids)} series match no catalogue row and were skipped: "
        f"{shown}{f' and {more} more' if more > 0 else ''}",
        severity="warning",
    )


def _no_usage_warnings(file: str, table: pl.DataFrame) -> list[InputProblem]:
    missing = table.filter(pl.col("usage_source") == "none")
    warnings = [
        InputProblem(
            file=file,
            row=row,
            part_id=part_id,
            site_id=site_id,
            message="no usage history and no usage_per_day_avg: usage taken as "
            "zero, so only an insurance spare can be recommended",
            severity="warning",
        )
        for row, part_id, site_id in missing.select("row", "part_id", "site_id")
        .head(_MAX_IDS_IN_WARNING)
        .iter_rows()
    ]
    if missing.height > _MAX_IDS_IN_WARNING:
        warnings.append(
            InputProblem(
                file=file,
                message=f"... and {missing.height - _MAX_IDS_IN_WARNING} more parts "
                "without usage history or usage columns",
                severity="warning",
            )
        )
    return warnings
