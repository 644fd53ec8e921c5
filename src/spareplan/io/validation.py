"""Column checks shared by the catalogue and history readers.

Each check works on whole columns; only the rows that fail are turned into
:class:`~spareplan.errors.InputProblem` objects, at most ``MAX_ROWS_PER_CHECK`` per
check, so a million bad cells do not make a million Python objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from spareplan.errors import InputProblem
from spareplan.io.tables import ROW_COLUMN

__all__ = ["MAX_ROWS_PER_CHECK", "ProblemLog"]

MAX_ROWS_PER_CHECK = 200


@dataclass
class ProblemLog:
    """Collects the problems of one file while its columns are checked."""

    file: str
    table: pl.DataFrame
    id_columns: tuple[str, ...] = ("part_id", "site_id")
    problems: list[InputProblem] = field(default_factory=list)
    warnings: list[InputProblem] = field(default_factory=list)

    def file_problem(self, message: str, column: str | None = None) -> None:
        """A problem of the whole file, such as a missing column."""
        self.problems.append(
            InputProblem(file=self.file, row=1, column=column, message=message)
        )

    def file_warning(self, message: str, column: str | None = None) -> None:
        """A warning about the whole file."""
        self.warnings.append(
            InputProblem(self.file, message, column=column, severity="warning")
        )

    def rows(
        self,
        mask: pl.Series | pl.Expr,
        column: str | None,
        expected: str,
        values: pl.Series | None = None,
        severity: str = "error",
    ) -> int:
        """Log every row where ``mask`` is true; return how many there were.

        The message reads "<column> must be <expected>, got <value>"; ``values``
        replaces the column's own cells when the value to quote was derived.
        """
        if isinstance(mask, pl.Series) and not mask.fill_null(False).any():
            return 0
        selected = self.table.with_columns(__mask__=mask).filter(pl.col("__mask__"))
        n_bad = selected.height
        if n_bad == 0:
            return 0
        if values is not None:
            quoted = self.table.with_columns(__value__=values, __mask__=mask)
            selected = quoted.filter(pl.col("__mask__"))
        value_column = "__value__" if values is not None else column
        target = self.problems if severity == "error" else self.warnings
        for record in selected.head(MAX_ROWS_PER_CHECK).iter_rows(named=True):
            value = record.get(value_column) if value_column else None
            got = f", got {value!r}" if value_column and value is not None else ""
            label = f"{column} " if column else ""
            target.append(
                InputProblem(
                    file=self.file,
                    row=record[ROW_COLUMN],
                    column=column,
                    part_id=_text_or_none(record.get(self.id_columns[0])),
                    site_id=_text_or_none(record.get(self.id_columns[1])),
                    value=value,
                    message=f"{label}must be {expected}{got}",
                    severity=severity,
                )
            )
        if n_bad > MAX_ROWS_PER_CHECK:
            target.append(
                InputProblem(
                    file=self.file,
                    column=column,
                    message=f"... and {n_bad - MAX_ROWS_PER_CHECK} more rows where "
                    f"{column or 'the row'} must be {expected}",
                    severity=severity,
                    n_more=n_bad - MAX_ROWS_PER_CHECK,
                )
            )
        return n_bad

    def number(
        self, column: str, *, required: bool, default: float | None = None
    ) -> pl.Series:
        """Parse a column as float64, logging text that is not a finite number.

        Empty cells become ``default`` (or null); when ``required`` an empty cell
        is a problem.
        """
        raw = self.table.get_column(column)
        if raw.dtype == pl.String:
            cleaned = raw.str.strip_chars().replace("", None)
            parsed = cleaned.cast(pl.Float64, strict=False)
            failed = cleaned.is_not_null() & parsed.is_null()
            if failed.any():
                parsed = parsed.fill_null(_local_number(cleaned))
            is_bad = cleaned.is_not_null() & (parsed.is_null() | ~parsed.is_finite())
        elif raw.dtype.is_numeric() or raw.dtype == pl.Null:
            cleaned = raw
            parsed = raw.cast(pl.Float64)
            is_bad = parsed.is_not_null() & ~parsed.is_finite()
        else:
            self.file_problem(
                f"column {column!r} must hold numbers, but its type is {raw.dtype}",
                column=column,
            )
            return pl.Series(column, [None] * self.table.height, dtype=pl.Float64)

        self.rows(is_bad, column, "a number")
        parsed = pl.select(
            pl.when(is_bad).then(None).otherwise(parsed).alias(column)
        ).to_series()
        if required:
            self.rows(cleaned.is_null(), column, "given (the cell is empty)")
        if default is not None:
            parsed = parsed.fill_null(default)
        return parsed

    def texts(self, columns: dict[str, bool]) -> dict[str, pl.Series]:
        """Columns (name -> required) as stripped text; empty cells become null.

        All columns are cleaned in one parallel pass; missing optional columns come
        back all null.
        """
        present = [c for c in columns if c in self.table.columns]
        cleaned = self.table.select(
            pl.col(c).cast(pl.String).str.strip_chars().replace("", None)
            for c in present
        )
        result = {}
        for column, required in columns.items():
            if column in present:
                result[column] = cleaned.get_column(column)
            else:
                result[column] = pl.Series(
                    column, [None] * self.table.height, dtype=pl.String
                )
            if required:
                self.rows(result[column].is_null(), column, "given (the cell is empty)")
        return result

    def text(self, column: str, *, required: bool) -> pl.Series:
        """One column as stripped text; empty cells become null."""
        return self.texts({column: required})[column]


def _local_number(text: pl.Series) -> pl.Series:
    """Numbers as spreadsheets export them: 12,5 / 1,234.50 / 1.234,50 / 1 234.

    A lone comma followed by exactly three digits ("1,234") is ambiguous between
    a thousands separator and a decimal comma, so it stays unparsed (an error).
    """
    compact = text.str.replace_all(r"[\s\u00a0\u202f']", "")
    sign = r"^[+-]?"
    thousands_commas = compact.str.contains(sign + r"\d{1,3}(,\d{3}){2,}(\.\d+)?$") | (
        compact.str.contains(sign + r"\d{1,3},\d{3}\.\d+$")
    )
    thousands_dots = compact.str.contains(sign + r"\d{1,3}(\.\d{3})+,\d+$") | (
        compact.str.contains(sign + r"\d{1,3}(\.\d{3}){2,}$")
    )
    decimal_comma = compact.str.contains(sign + r"\d+,\d+$") & ~compact.str.contains(
        sign + r"\d{1,3},\d{3}$"
    )
    as_number = (
        pl.when(thousands_commas)
        .then(compact.str.replace_all(",", ""))
        .when(thousands_dots)
        .then(compact.str.replace_all(r"\.", "").str.replace(",", "."))
        .when(decimal_comma)
        .then(compact.str.replace(",", "."))
        .otherwise(compact)
    )
    return pl.select(as_number.cast(pl.Float64, strict=False)).to_series()


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)
