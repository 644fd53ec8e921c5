"""Read and validate a parts catalogue: one row per part per site."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from spareplan.config import PlanConfig
from spareplan.errors import InputProblem, InvalidInputError
from spareplan.io.tables import ROW_COLUMN, read_table
from spareplan.io.validation import ProblemLog

__all__ = ["CATALOGUE_COLUMNS", "Catalogue", "read_catalogue", "validate_catalogue"]

REQUIRED_COLUMNS = ("part_id", "unit_cost", "criticality", "lead_time_days")
TEXT_COLUMNS = (
    "description",
    "supplier_id",
    "lead_time_demand_method",
    "has_digital_model",
)
# Optional numeric columns: name -> default where the column or cell is empty.
OPTIONAL_NUMBERS: dict[str, float | None] = {
    # NOTE: no default: an unknown downtime cost is not a zero one (see policy).
    "downtime_cost_per_hour": None,
    "on_hand_units": 0.0,
    "on_order_units": 0.0,
    "order_cost": None,
    "usage_per_day_avg": None,
    "usage_per_day_max": None,
    "lead_time_days_sd": None,
    "service_target": None,
    "failures_per_year": None,
    "emergency_premium": None,
    "emergency_lead_time_days": None,
    "min_units": None,
    "max_units": None,
    "fabrication_lead_time_days": None,
    "fabrication_unit_cost": None,
}
_TRUE_TEXTS = ("yes", "y", "true", "1", "x", "ja", "oui", "si")
_FALSE_TEXTS = ("no", "n", "false", "0", "", "nein", "non")
LEAD_TIME_DEMAND_METHODS = ("normal", "poisson", "negative_binomial", "empirical")
CATALOGUE_ALIASES = {
    "part": "part_id",
    "part_number": "part_id",
    "item": "part_id",
    "site": "site_id",
    "plant": "site_id",
    "supplier": "supplier_id",
    # The current policy as ERPs name it: SAP's reorder point, a min/max pair.
    "reorder_point": "min_units",
    "current_reorder_point": "min_units",
    "min": "min_units",
    "max": "max_units",
}
CATALOGUE_COLUMNS = (
    "part_id",
    "site_id",
    "description",
    "supplier_id",
    "lead_time_demand_method",
    "criticality",
    "is_high_criticality",
    "has_digital_model",
    "unit_cost",
    "lead_time_days",
    "lead_time_days_max",
    *OPTIONAL_NUMBERS,
    "row",
)


@dataclass(frozen=True)
class Catalogue:
    """A validated catalogue; ``table`` has the columns in ``CATALOGUE_COLUMNS``."""

    table: pl.DataFrame
    file: str
    warnings: tuple[InputProblem, ...] = ()

    @property
    def n_rows(self) -> int:
        """Number of part-site rows."""
        return self.table.height


def read_catalogue(path: str | Path, config: PlanConfig | None = None) -> Catalogue:
    """Read a catalogue file and check every row.

    Raises
    ------
    UnreadableFileError
        The file cannot be read.
    InvalidInputError
        Any row breaks a rule; ``problems`` lists all of them.
    """
    table = read_table(path, CATALOGUE_ALIASES)
    return validate_catalogue(table, Path(path).name, config or PlanConfig())


def validate_catalogue(table: pl.DataFrame, file: str, config: PlanConfig) -> Catalogue:
    """Check a table read by :func:`~spareplan.io.tables.read_table`."""
    if ROW_COLUMN not in table.columns:
        table = table.with_row_index(ROW_COLUMN, offset=2)
    log = ProblemLog(file, table)
    missing = [column for column in REQUIRED_COLUMNS if column not in table.columns]
    for column in missing:
        log.file_problem(
            f"required column {column!r} is missing; the header has "
            f"{_visible_columns(table)}",
            column=column,
        )
    if missing:
        raise InvalidInputError(log.problems)

    if "site_id" not in table.columns:
        table = table.with_columns(site_id=pl.lit(config.default_site_id))
        log.table = table
    columns = _parse_columns(log, table, config)
    _check_ranges(log, columns)
    _check_duplicates(log, columns)
    if log.problems:
        raise InvalidInputError(log.problems)
    return Catalogue(columns.select(CATALOGUE_COLUMNS), file, tuple(log.warnings))


def _parse_columns(
    log: ProblemLog, table: pl.DataFrame, config: PlanConfig
) -> pl.DataFrame:
    """Typed columns; cells that fail to parse are logged and left null."""
    height = table.height
    parsed: dict[str, pl.Series] = log.texts(
        {
            "part_id": True,
            "site_id": True,
            **dict.fromkeys(TEXT_COLUMNS, False),
            "criticality": True,
        }
    )
    parsed["lead_time_demand_method"] = parsed[
        "lead_time_demand_method"
    ].str.to_lowercase()
    parsed["is_high_criticality"] = _criticality(log, parsed["criticality"], config)
    parsed["has_digital_model"] = _yes_no(log, parsed["has_digital_model"])
    parsed["unit_cost"] = log.number("unit_cost", required=True)
    parsed["lead_time_days"] = log.number("lead_time_days", required=True)
    parsed["lead_time_days_max"] = (
        log.number("lead_time_days_max", required=False)
        if "lead_time_days_max" in table.columns
        else pl.Series("lead_time_days_max", [None] * height, dtype=pl.Float64)
    ).fill_null(parsed["lead_time_days"])
    for column, default in OPTIONAL_NUMBERS.items():
        if column in table.columns:
            parsed[column] = log.number(column, required=False, default=default)
        else:
            parsed[column] = pl.Series(column, [default] * height, dtype=pl.Float64)
    parsed["row"] = table.get_column(ROW_COLUMN).alias("row")
    return pl.DataFrame([series.alias(name) for name, series in parsed.items()])


def _criticality(log: ProblemLog, values: pl.Series, config: PlanConfig) -> pl.Series:
    """True for high, False for low, null (and a logged problem) for anything else."""
    mapping = config.criticality_map()
    # A catalogue has a handful of distinct values: map those, then every row.
    distinct = {
        value: _criticality_level(value, mapping)
        for value in values.drop_nulls().unique().to_list()
    }
    is_high = values.replace_strict(distinct, default=None, return_dtype=pl.Boolean)
    allowed = ", ".join(sorted(mapping))
    log.rows(
        values.is_not_null() & is_high.is_null(),
        "criticality",
        f"one of {allowed} (see [criticality] in the configuration)",
    )
    return is_high.alias("is_high_criticality")


def _yes_no(log: ProblemLog, values: pl.Series) -> pl.Series:
    """yes/no text as a boolean; empty is no; anything else is a problem."""
    lowered = values.str.to_lowercase()
    is_yes = lowered.is_in(_TRUE_TEXTS)
    is_no = lowered.is_null() | lowered.is_in(_FALSE_TEXTS)
    log.rows(~is_yes & ~is_no, "has_digital_model", "yes or no")
    return is_yes.fill_null(False).alias("has_digital_model")


def _criticality_level(value: str, mapping: dict[str, bool]) -> bool | None:
    """High (True), low (False) or unknown (None); Excel's 4.0 reads as score 4."""
    key = value.strip().lower()
    try:
        number = float(key)
    except ValueError:
        return mapping.get(key)
    return mapping.get(str(int(number))) if number.is_integer() else None


def _check_ranges(log: ProblemLog, columns: pl.DataFrame) -> None:
    checks: list[tuple[str, pl.Expr, str]] = [
        ("unit_cost", pl.col("unit_cost") < 0, ">= 0"),
        ("lead_time_days", pl.col("lead_time_days") <= 0, "> 0 days"),
        ("downtime_cost_per_hour", pl.col("downtime_cost_per_hour") < 0, ">= 0"),
        ("on_hand_units", pl.col("on_hand_units") < 0, ">= 0"),
        ("on_order_units", pl.col("on_order_units") < 0, ">= 0"),
        ("order_cost", pl.col("order_cost") < 0, ">= 0"),
        ("usage_per_day_avg", pl.col("usage_per_day_avg") < 0, ">= 0"),
        ("lead_time_days_sd", pl.col("lead_time_days_sd") < 0, ">= 0 days"),
        ("failures_per_year", pl.col("failures_per_year") < 0, ">= 0"),
        ("emergency_premium", pl.col("emergency_premium") < 0, ">= 0"),
        (
            "emergency_lead_time_days",
            pl.col("emergency_lead_time_days") <= 0,
            "> 0 days",
        ),
        ("min_units", pl.col("min_units") < 0, ">= 0 units"),
        (
            "fabrication_lead_time_days",
            pl.col("fabrication_lead_time_days") <= 0,
            "> 0 days",
        ),
        ("fabrication_unit_cost", pl.col("fabrication_unit_cost") < 0, ">= 0"),
        (
            "service_target",
            (pl.col("service_target") <= 0) | (pl.col("service_target") >= 1),
            "a fraction strictly between 0 and 1 (95 % is written 0.95)",
        ),
        (
            "lead_time_demand_method",
            ~pl.col("lead_time_demand_method").is_in(LEAD_TIME_DEMAND_METHODS),
            f"empty or one of {', '.join(LEAD_TIME_DEMAND_METHODS)}",
        ),
    ]
    relative = (
        ("lead_time_days_max", "lead_time_days", "the maximum lead time"),
        ("usage_per_day_max", "usage_per_day_avg", "the maximum usage"),
        ("max_units", "min_units", "a max"),
    )
    for high, low, what in relative:
        below = "the average" if low != "min_units" else "its min"
        checks.append(
            (
                high,
                pl.col(high) < pl.col(low),
                f">= {low} ({what} cannot be below {below})",
            )
        )
    # One parallel pass computes every mask; rows are listed only where one fires.
    masks = columns.select(
        is_bad.fill_null(False).alias(str(index))
        for index, (_, is_bad, _) in enumerate(checks)
    )
    log.table = log.table.with_columns(columns.drop("row"))
    for index, (column, _, expected) in enumerate(checks):
        log.rows(masks.get_column(str(index)), column, expected)


def _check_duplicates(log: ProblemLog, columns: pl.DataFrame) -> None:
    keyed = columns.filter(pl.col("part_id").is_not_null())
    # Cheap test first: almost every catalogue has no duplicate at all, and as
    # many distinct hashes as rows proves it (a collision can only lower the count).
    n_hashes = keyed.select(pl.struct("part_id", "site_id").hash().n_unique()).item()
    if n_hashes == keyed.height:
        return
    repeats = (
        keyed.group_by("part_id", "site_id", maintain_order=True)
        .agg(pl.col("row"))
        .filter(pl.col("row").list.len() > 1)
    )
    for part_id, site_id, rows in repeats.head(200).iter_rows():
        log.problems.append(
            InputProblem(
                file=log.file,
                row=rows[1],
                column="part_id",
                part_id=part_id,
                site_id=site_id,
                value=part_id,
                message=f"duplicate part and site: rows {_row_list(rows)} all hold "
                f"part {part_id!r} at site {site_id!r}; keep one row per part and site",
            )
        )


def _row_list(rows: list[int]) -> str:
    shown = ", ".join(str(row) for row in rows[:10])
    return shown + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")


def _visible_columns(table: pl.DataFrame) -> str:
    names = [name for name in table.columns if name != ROW_COLUMN]
    shown = ", ".join(repr(name) for name in names[:20])
    return shown + (f" and {len(names) - 20} more" if len(names) > 20 else "")
