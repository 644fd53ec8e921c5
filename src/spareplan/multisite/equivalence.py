"""Which parts are the same part: one part id, one MPN, or listed as equivalent.

Parts are linked (transitively) when they

- share a normalised manufacturer part number (:func:`normalise_mpn`),
- are listed together in an interchangeability file, either as pairs
  (``part_id``, ``equivalent_part_id``) or as groups (``group_id``, ``part_id``),
- or were confirmed as duplicates in a planner's decisions file.

A group is named after its smallest part id.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from spareplan.errors import InputProblem, InvalidInputError
from spareplan.io.catalogue import CATALOGUE_ALIASES
from spareplan.io.tables import ROW_COLUMN, read_table
from spareplan.io.validation import ProblemLog

__all__ = [
    "PART_ATTRIBUTE_ALIASES",
    "Equivalence",
    "equivalence_groups",
    "normalise_mpn",
    "read_equivalents",
    "read_part_attributes",
]

PART_ATTRIBUTE_ALIASES = {
    **CATALOGUE_ALIASES,
    "mpn": "manufacturer_part_number",
    "manufacturer_part_no": "manufacturer_part_number",
    "mfr_part_number": "manufacturer_part_number",
    "mfg_part_number": "manufacturer_part_number",
    "mfr": "manufacturer",
    "make": "manufacturer",
    "brand": "manufacturer",
}
_EQUIVALENT_ALIASES = {
    "part": "part_id",
    "part_id_a": "part_id",
    "part_id_b": "equivalent_part_id",
    "equivalent": "equivalent_part_id",
    "equivalent_part": "equivalent_part_id",
    "interchangeable_with": "equivalent_part_id",
    "group": "group_id",
}


def normalise_mpn(text: str | None) -> str:
    """Manufacturer part number reduced to upper-case letters and digits.

    Case, spaces, dashes, dots, slashes and other punctuation are dropped after
    Unicode compatibility normalisation (full-width digits read as digits).

    >>> normalise_mpn(" 6205-2rs/c3 ")
    '62052RSC3'
    """
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text))
    return "".join(ch for ch in folded if ch.isalnum()).upper()


def read_part_attributes(path: str | Path) -> pl.DataFrame:
    """Part id, site id, manufacturer, MPN and description of each catalogue row.

    The catalogue reader keeps neither ``manufacturer`` nor
    ``manufacturer_part_number``, so they are read here; missing columns come back
    empty. ``mpn_normalised`` is added.
    """
    table = read_table(path, PART_ATTRIBUTE_ALIASES)
    log = ProblemLog(Path(path).name, table)
    if "part_id" not in table.columns:
        log.file_problem("required column 'part_id' is missing", column="part_id")
        raise InvalidInputError(log.problems)
    texts = log.texts(
        {
            "part_id": True,
            "site_id": False,
            "manufacturer": False,
            "manufacturer_part_number": False,
            "description": False,
        }
    )
    if log.problems:
        raise InvalidInputError(log.problems)
    attributes = pl.DataFrame(list(texts.values()))
    mpns = attributes["manufacturer_part_number"]
    distinct = mpns.drop_nulls().unique().to_list()
    mapping = {value: normalise_mpn(value) for value in distinct}
    return attributes.with_columns(
        mpn_normalised=mpns.replace_strict(
            mapping, default=None, return_dtype=pl.String
        )
    )


@dataclass(frozen=True)
class Equivalence:
    """``groups`` maps every catalogue part id to its ``group_id``."""

    groups: pl.DataFrame
    warnings: tuple[InputProblem, ...] = ()

    def group_of(self, part_ids: pl.Series) -> pl.Series:
        """Group id of each part id (null for a part not in the catalogue)."""
        mapping = dict(self.groups.select("part_id", "group_id").iter_rows())
        return part_ids.replace_strict(mapping, default=None, return_dtype=pl.String)


def read_equivalents(path: str | Path) -> tuple[pl.DataFrame, str]:
    """Interchangeable parts as pairs (``part_id``, ``equivalent_part_id``).

    A file of groups (``group_id``, ``part_id``) is turned into pairs linking each
    part to the first of its group. The second value names the file.

    Raises
    ------
    InvalidInputError
        Neither layout's columns are present, or a cell is empty.
    """
    file = Path(path).name
    table = read_table(path, _EQUIVALENT_ALIASES)
    log = ProblemLog(file, table, id_columns=("part_id", ""))
    rows = table.get_column(ROW_COLUMN).alias("row").cast(pl.Int64)
    if {"part_id", "equivalent_part_id"} <= set(table.columns):
        texts = log.texts({"part_id": True, "equivalent_part_id": True})
        pairs = pl.DataFrame([texts["part_id"], texts["equivalent_part_id"], rows])
    elif {"group_id", "part_id"} <= set(table.columns):
        texts = log.texts({"group_id": True, "part_id": True})
        pairs = (
            pl.DataFrame([texts["group_id"], texts["part_id"], rows])
            .drop_nulls()
            .with_columns(equivalent_part_id=pl.col("part_id").first().over("group_id"))
            .select("part_id", "equivalent_part_id", "row")
        )
    else:
        log.file_problem(
            "expected the columns 'part_id' and 'equivalent_part_id' (pairs) or "
            "'group_id' and 'part_id' (groups); the header has "
            f"{[c for c in table.columns if c != ROW_COLUMN]}"
        )
        raise InvalidInputError(log.problems)
    if log.problems:
        raise InvalidInputError(log.problems)
    return pairs, file


def equivalence_groups(
    part_ids: pl.Series,
    attributes: pl.DataFrame | None = None,
    pairs: pl.DataFrame | None = None,
    *,
    pairs_file: str = "equivalents",
    min_mpn_length: int = 3,
) -> Equivalence:
    """Group the catalogue's part ids by shared MPN and listed equivalences.

    Parameters
    ----------
    part_ids : polars.Series of str
        Part ids of the catalogue (repeats allowed).
    attributes : polars.DataFrame, optional
        From :func:`read_part_attributes`: ``part_id`` and ``mpn_normalised``.
    pairs : polars.DataFrame, optional
        ``part_id`` and ``equivalent_part_id`` to link (interchangeability file and
        confirmed duplicates). A part not in the catalogue is skipped with a
        warning.
    pairs_file : str
        Name of the file the pairs came from, for the warnings.
    min_mpn_length : int, default 3
        Shorter normalised MPNs link nothing.
    """
    nodes = sorted(set(part_ids.drop_nulls().to_list()))
    position = {part: index for index, part in enumerate(nodes)}
    edges: list[tuple[np.ndarray, np.ndarray]] = []
    if attributes is not None:
        edges.append(_mpn_edges(attributes, position, min_mpn_length))
    warnings: list[InputProblem] = []
    if pairs is not None and pairs.height:
        edges.append(_pair_edges(pairs, position, pairs_file, warnings))
    labels = _components(len(nodes), edges)
    table = pl.DataFrame({"part_id": nodes, "label": labels})
    table = table.with_columns(
        group_id=pl.col("part_id").min().over("label"),
        n_parts_in_group=pl.len().over("label").cast(pl.Int64),
    ).drop("label")
    return Equivalence(table, tuple(warnings))


def _mpn_edges(
    attributes: pl.DataFrame, position: dict[str, int], min_length: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each part to the first part sharing its normalised MPN."""
    linked = (
        attributes.select("part_id", "mpn_normalised")
        .drop_nulls()
        .filter(pl.col("mpn_normalised").str.len_chars() >= min_length)
        .filter(pl.col("part_id").is_in(list(position)))
        .unique()
        .with_columns(first=pl.col("part_id").min().over("mpn_normalised"))
    )
    origin = linked["part_id"].replace_strict(position, return_dtype=pl.Int64)
    target = linked["first"].replace_strict(position, return_dtype=pl.Int64)
    return origin.to_numpy(), target.to_numpy()


def _pair_edges(
    pairs: pl.DataFrame,
    position: dict[str, int],
    file: str,
    warnings: list[InputProblem],
) -> tuple[np.ndarray, np.ndarray]:
    known = pairs["part_id"].is_in(list(position)) & pairs["equivalent_part_id"].is_in(
        list(position)
    )
    for record in pairs.filter(~known).head(50).iter_rows(named=True):
        absent = [
            record[c]
            for c in ("part_id", "equivalent_part_id")
            if record[c] not in position
        ]
        warnings.append(
            InputProblem(
                file=file,
                row=record.get("row"),
                part_id=absent[0],
                value=absent[0],
                message=f"part {', '.join(map(repr, absent))} is not in the "
                "catalogue; the pair is skipped",
                severity="warning",
            )
        )
    kept = pairs.filter(known)
    origin = kept["part_id"].replace_strict(position, return_dtype=pl.Int64)
    target = kept["equivalent_part_id"].replace_strict(position, return_dtype=pl.Int64)
    return origin.to_numpy(), target.to_numpy()


def _components(n_nodes: int, edges: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    if not edges:
        return np.arange(n_nodes)
    origin = np.concatenate([pair[0] for pair in edges]).astype(np.int64)
    target = np.concatenate([pair[1] for pair in edges]).astype(np.int64)
    graph = coo_matrix(
        (np.ones(origin.size), (origin, target)), shape=(n_nodes, n_nodes)
    )
    _, labels = connected_components(graph, directed=False)
    return np.asarray(labels, dtype=np.int64)
