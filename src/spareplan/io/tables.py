"""Read a CSV, Excel or Parquet file into a table with normalised headers.

CSV and Excel cells are read as text so that validation can quote a bad value
exactly as the user typed it; Parquet keeps its own column types.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import polars as pl

from spareplan.errors import InputProblem, InvalidInputError, UnreadableFileError

__all__ = ["ROW_COLUMN", "SUFFIXES", "normalise_header", "read_table"]

# Spreadsheet row number of each record: the header is row 1.
ROW_COLUMN = "__row__"
SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".parquet", ".pq")
_SEPARATORS = (",", ";", "\t", "|")


def normalise_header(header: str) -> str:
    """``' Part ID '`` -> ``'part_id'``: lower case, spaces and dashes as ``_``."""
    return re.sub(r"[\s\-]+", "_", str(header).strip().lower())


def read_table(
    path: str | Path,
    aliases: dict[str, str] | None = None,
    known: frozenset[str] | None = None,
) -> pl.DataFrame:
    """Read one table and add its spreadsheet row numbers.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (comma, semicolon, tab or pipe separated, UTF-8), ``.xlsx``
        (first sheet) or ``.parquet`` file.
    aliases : dict, optional
        Normalised header -> canonical name, e.g. ``{"part": "part_id"}``.
    known : frozenset of str, optional
        Canonical names to normalise to; other headers keep their own text
        (stripped), as period headers such as ``Jan-98`` must. ``None``
        normalises every header.

    Returns
    -------
    polars.DataFrame
        Columns renamed to their normalised (and aliased) headers, plus
        ``ROW_COLUMN``.

    Raises
    ------
    UnreadableFileError
        The file is missing, empty, of an unknown type or cannot be parsed.
    InvalidInputError
        Two headers mean the same column.
    """
    path = Path(path)
    name = path.name
    if path.is_dir():
        raise UnreadableFileError(f"{name}: is a folder, not a file ({str(path)!r})")
    if not path.is_file():
        raise UnreadableFileError(f"{name}: no such file ({str(path)!r})")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnreadableFileError(
            f"{name}: unknown file type {suffix!r}; expected one of "
            f"{', '.join(SUFFIXES)}"
        )
    if path.stat().st_size == 0:
        raise UnreadableFileError(f"{name}: the file is empty")

    table = _read_raw(path, suffix)
    if table.width == 0 or table.height == 0:
        raise UnreadableFileError(f"{name}: the file has a header but no rows")
    table = _rename_headers(table, name, aliases or {}, known)
    # Spreadsheet rows count the header as row 1; Parquet has none.
    first_row = 1 if suffix in (".parquet", ".pq") else 2
    table = table.with_row_index(ROW_COLUMN, offset=first_row)
    # A blank line or spreadsheet row is no record; dropping it keeps row numbers.
    is_blank = pl.all_horizontal(pl.exclude(ROW_COLUMN).is_null())
    if table.select(is_blank.any()).item():
        table = table.filter(~is_blank)
    if table.height == 0:
        raise UnreadableFileError(f"{name}: the file has a header but no rows")
    return table


def _read_raw(path: Path, suffix: str) -> pl.DataFrame:
    try:
        if suffix in (".parquet", ".pq"):
            return pl.read_parquet(path)
        if suffix in (".xlsx", ".xlsm"):
            return _read_first_filled_sheet(path)
        return pl.read_csv(
            _utf8_bytes(path),
            infer_schema=False,
            separator=_sniff_separator(path),
        )
    except Exception as error:  # noqa: BLE001
        # NOTE: the engines (polars, calamine, arrow) raise types of their own that
        # share no base class; the first line of their text is what helps a user.
        detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
        hint = _ragged_line(path) if suffix in (".csv", ".txt") else None
        raise UnreadableFileError(
            f"{path.name}: cannot be read as {suffix.lstrip('.').upper()} "
            f"({hint or f'{type(error).__name__}: {detail}'})"
        ) from None


def _utf8_bytes(path: Path) -> io.BytesIO:
    """The file as UTF-8; a Windows-1252 export (Excel's "CSV") is converted."""
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        # NOTE: every byte string decodes as cp1252 except five unused codes, so
        # this fallback only fails on files that are not text at all.
        raw = raw.decode("cp1252").encode("utf-8")
    return io.BytesIO(raw.removeprefix(b"\xef\xbb\xbf"))


def _ragged_line(path: Path) -> str | None:
    """'line 7 has 5 fields, the header has 4' for a CSV whose rows do not fit."""
    separator = _sniff_separator(path)
    text = _utf8_bytes(path).getvalue().decode("utf-8")
    lines = csv.reader(text.splitlines(), delimiter=separator)
    n_header = None
    for number, fields in enumerate(lines, start=1):
        if n_header is None:
            n_header = len(fields)
        elif fields and len(fields) != n_header:
            return (
                f"line {number} has {len(fields)} fields, the header has {n_header}; "
                "check separators and quotes on that line"
            )
    return None


def _read_first_filled_sheet(path: Path) -> pl.DataFrame:
    """The first sheet with rows (a leading "Notes" or cover sheet is skipped)."""
    sheets = pl.read_excel(
        path,
        sheet_id=0,
        infer_schema_length=0,
        drop_empty_rows=False,
        raise_if_empty=False,
    )
    for table in sheets.values():
        if table.height > 0 and table.width > 0:
            return table
    return next(iter(sheets.values()))


def _sniff_separator(path: Path) -> str:
    """The separator that splits the header line most often (Excel's ';' too)."""
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        header = handle.readline()
    counts = {sep: header.count(sep) for sep in _SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def _rename_headers(
    table: pl.DataFrame,
    file_name: str,
    aliases: dict[str, str],
    known: frozenset[str] | None,
) -> pl.DataFrame:
    names: dict[str, str] = {}
    seen: dict[str, str] = {}
    problems = []
    for original in table.columns:
        repeated = re.fullmatch(r"(.*)_duplicated_\d+", original)
        if repeated:
            problems.append(
                InputProblem(
                    file=file_name,
                    row=1,
                    column=repeated.group(1),
                    message=f"header {repeated.group(1)!r} appears more than once; "
                    "keep one column of that name",
                )
            )
            continue
        normal = normalise_header(original)
        normal = aliases.get(normal, normal)
        if known is not None and normal not in known:
            normal = str(original).strip()
        if normal in seen:
            problems.append(
                InputProblem(
                    file=file_name,
                    row=1,
                    column=original,
                    message=f"header {original!r} repeats column {seen[normal]!r} "
                    f"(both read as {normal!r}); keep one of them",
                )
            )
        seen[normal] = original
        names[original] = normal
    if problems:
        raise InvalidInputError(problems)
    return table.rename(names)
