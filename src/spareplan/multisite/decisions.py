"""The planner's verdicts on proposed duplicates, kept in a CSV file they edit.

The file has the columns ``part_id_a``, ``part_id_b`` and ``decision`` (any other
column, such as the score and descriptions of the duplicates report, is ignored).
A decision reads ``confirm`` (also ``confirmed``, ``yes``, ``y``, ``same``) or
``reject`` (also ``rejected``, ``no``, ``n``, ``different``); a blank decision
means *not decided yet*. A confirmed pair joins one equivalence group; a rejected
pair is never proposed again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from spareplan.errors import InvalidInputError
from spareplan.io.tables import ROW_COLUMN, read_table
from spareplan.io.validation import ProblemLog

__all__ = ["CONFIRM", "REJECT", "Decisions", "pair_key", "read_decisions"]

CONFIRM = ("confirm", "confirmed", "yes", "y", "same")
REJECT = ("reject", "rejected", "no", "n", "different")
_ALIASES = {"part_a": "part_id_a", "part_b": "part_id_b", "verdict": "decision"}


@dataclass(frozen=True)
class Decisions:
    """Confirmed and rejected pairs, each ``part_id``, ``equivalent_part_id``."""

    confirmed: pl.DataFrame
    rejected: pl.DataFrame
    file: str = "decisions"

    @classmethod
    def none(cls) -> Decisions:
        """No decisions yet."""
        empty = pl.DataFrame(
            schema={
                "part_id": pl.String,
                "equivalent_part_id": pl.String,
                "row": pl.Int64,
            }
        )
        return cls(empty, empty)

    def rejected_keys(self) -> set[str]:
        """Order-free keys of the rejected pairs (see :func:`pair_key`)."""
        return {
            pair_key(a, b)
            for a, b in self.rejected.select("part_id", "equivalent_part_id").rows()
        }


def pair_key(part_id_a: str, part_id_b: str) -> str:
    """One key for a pair whichever way round it is written."""
    first, second = sorted((part_id_a, part_id_b))
    return f"{first}\x1f{second}"


def _is_header_only(path: Path) -> bool:
    if not path.is_file() or path.suffix.lower() not in (".csv", ".txt"):
        return False
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        lines = [line for line in handle.read().splitlines() if line.strip()]
    return len(lines) == 1


def read_decisions(path: str | Path) -> Decisions:
    """Read a decisions file.

    Raises
    ------
    UnreadableFileError
        The file cannot be read.
    InvalidInputError
        A column is missing, a part id is empty, a part is paired with itself, or
        a decision is not one of the accepted words (row, column and value named).
    """
    file = Path(path).name
    if _is_header_only(Path(path)):
        # The duplicates report found nothing: nothing was decided either.
        return replace(Decisions.none(), file=file)
    table = read_table(path, _ALIASES)
    log = ProblemLog(file, table, id_columns=("part_id_a", ""))
    missing = [
        c for c in ("part_id_a", "part_id_b", "decision") if c not in table.columns
    ]
    for column in missing:
        log.file_problem(
            f"required column {column!r} is missing; a decisions file has "
            "part_id_a, part_id_b and decision",
            column=column,
        )
    if missing:
        raise InvalidInputError(log.problems)

    texts = log.texts({"part_id_a": True, "part_id_b": True, "decision": False})
    verdict = texts["decision"].str.to_lowercase()
    log.rows(
        verdict.is_not_null() & ~verdict.is_in([*CONFIRM, *REJECT]),
        "decision",
        f"blank, {', '.join(CONFIRM)} or {', '.join(REJECT)}",
    )
    log.rows(
        texts["part_id_a"] == texts["part_id_b"],
        "part_id_b",
        "a part other than part_id_a (a part is paired with itself)",
    )
    if log.problems:
        raise InvalidInputError(log.problems)
    pairs = pl.DataFrame(
        {
            "part_id": texts["part_id_a"],
            "equivalent_part_id": texts["part_id_b"],
            "verdict": verdict,
            "row": table.get_column(ROW_COLUMN).cast(pl.Int64),
        }
    )
    return Decisions(
        confirmed=pairs.filter(pl.col("verdict").is_in(CONFIRM)).drop("verdict"),
        rejected=pairs.filter(pl.col("verdict").is_in(REJECT)).drop("verdict"),
        file=file,
    )
