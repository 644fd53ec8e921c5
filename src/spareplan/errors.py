"""The exceptions and warnings spareplan raises.

Every error also subclasses the built-in a generic handler would expect
(``ValueError`` for bad values, ``LookupError`` for missing things, ``OSError`` for
unreadable files), so ``except ValueError`` in a notebook still catches it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "ConfigError",
    "DigitalError",
    "DigitalValueError",
    "InputError",
    "InputProblem",
    "InvalidInputError",
    "OutputError",
    "SpareplanError",
    "SpareplanWarning",
    "UnreadableFileError",
]

# How many problems an error message lists before it says "and N more".
MAX_PROBLEMS_SHOWN = 50


class SpareplanError(Exception):
    """Base class of every error spareplan raises on purpose."""


class SpareplanWarning(UserWarning):
    """Base class of the warnings spareplan's numeric core emits."""


class DigitalError(SpareplanError):
    """Base class of the errors the digital warehouse raises on purpose."""


class DigitalValueError(DigitalError, ValueError):
    """A bad value: a negative lead time, an unknown status, a wrong unit."""


class ConfigError(SpareplanError, ValueError):
    """A configuration file or value is invalid."""


class InputError(SpareplanError, ValueError):
    """Input data is invalid."""


class UnreadableFileError(InputError, OSError):
    """An input file is missing, empty or not in a format spareplan reads."""


class OutputError(SpareplanError, OSError):
    """An output file cannot be written where it was asked for."""


@dataclass(frozen=True)
class InputProblem:
    """One problem found in an input file, located as precisely as possible.

    ``row`` is the row number a spreadsheet shows: the header is row 1, so the
    first record is row 2. Fields that do not apply are ``None``.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    part_id: str | None = None
    site_id: str | None = None
    value: object = None
    severity: str = "error"
    # For a summary line ("... and 300 more rows where ..."): how many it stands for.
    n_more: int = 0

    def __str__(self) -> str:
        if self.n_more:
            return f"{self.file}: {self.message}"
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.part_id is not None:
            where.append(f"part {self.part_id!r}")
        if self.site_id is not None:
            where.append(f"site {self.site_id!r}")
        return f"{', '.join(where)}: {self.message}"


class InvalidInputError(InputError):
    """One or more problems in an input file; all of them are in ``problems``."""

    def __init__(self, problems: Sequence[InputProblem]) -> None:
        # In file order; a summary line without a row ("... and N more") goes last.
        self.problems = sorted(
            problems, key=lambda p: (p.row is None, p.row if p.row is not None else 0)
        )
        super().__init__(format_problems(self.problems))


def count_problems(problems: Sequence[InputProblem]) -> int:
    """Problems in total, counting what each summary line stands for."""
    return sum(problem.n_more or 1 for problem in problems)


def format_problems(problems: Sequence[InputProblem]) -> str:
    """Render problems one per line, at most ``MAX_PROBLEMS_SHOWN`` in detail."""
    n_total = count_problems(problems)
    details = [problem for problem in problems if not problem.n_more]
    summaries = [problem for problem in problems if problem.n_more]
    lines = [f"{n_total} problem{'s' if n_total != 1 else ''} in the input:"]
    lines += [f"  - {problem}" for problem in details[:MAX_PROBLEMS_SHOWN]]
    if len(details) > MAX_PROBLEMS_SHOWN:
        lines.append(f"  - ... and {len(details) - MAX_PROBLEMS_SHOWN} more like these")
    lines += [f"  - {problem}" for problem in summaries]
    return "\n".join(lines)
