"""Read the transfer table: hours and cost to move a unit between two sites.

CSV, Excel or Parquet with the columns ``from_site``, ``to_site``,
``transfer_hours`` and optionally ``cost_per_transfer``. A pair listed in one
direction only holds both ways; listing both directions lets them differ. Pairs
not listed get :class:`~spareplan.multisite.settings.PoolSettings` defaults.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from spareplan.errors import InvalidInputError
from spareplan.io.tables import ROW_COLUMN, read_table
from spareplan.io.validation import ProblemLog
from spareplan.multisite.settings import PoolSettings

__all__ = ["TRANSFER_COLUMNS", "TransferNetwork", "read_transfers", "transfer_network"]

TRANSFER_COLUMNS = ("from_site", "to_site", "transfer_hours", "cost_per_transfer")
_ALIASES = {
    "from": "from_site",
    "to": "to_site",
    "from_site_id": "from_site",
    "to_site_id": "to_site",
    "hours": "transfer_hours",
    "cost": "cost_per_transfer",
    "transfer_cost": "cost_per_transfer",
}
_SHOWN_SITES = 10


@dataclass(frozen=True)
class TransferNetwork:
    """Transfer hours and costs between every pair of sites.

    ``transfer_hours[i, j]`` is the time from ``sites[i]`` to ``sites[j]`` (0 on the
    diagonal, ``inf`` where no transfer is possible).
    """

    sites: tuple[str, ...]
    transfer_hours: np.ndarray
    cost_per_transfer: np.ndarray

    def index(self, site_ids: pl.Series) -> np.ndarray:
        """Position of each site id in ``sites``."""
        mapping = {site: position for position, site in enumerate(self.sites)}
        return site_ids.replace_strict(mapping, return_dtype=pl.Int64).to_numpy()

    def table(self) -> pl.DataFrame:
        """Every ordered pair of distinct sites with its hours and cost."""
        n_sites = len(self.sites)
        origin, target = np.nonzero(~np.eye(n_sites, dtype=bool))
        return pl.DataFrame(
            {
                "from_site": [self.sites[i] for i in origin],
                "to_site": [self.sites[j] for j in target],
                "transfer_hours": self.transfer_hours[origin, target],
                "cost_per_transfer": self.cost_per_transfer[origin, target],
            }
        )


def transfer_network(
    sites: Sequence[str],
    pairs: pl.DataFrame | None = None,
    settings: PoolSettings | None = None,
) -> TransferNetwork:
    """The network of ``sites`` from checked ``pairs`` and the default for others."""
    settings = settings or PoolSettings()
    ordered = tuple(sorted(set(sites)))
    n_sites = len(ordered)
    hours = np.full((n_sites, n_sites), settings.default_transfer_hours)
    costs = np.full((n_sites, n_sites), settings.default_cost_per_transfer)
    if pairs is not None and pairs.height:
        position = {site: index for index, site in enumerate(ordered)}
        origin = np.array([position[s] for s in pairs["from_site"]], dtype=np.int64)
        target = np.array([position[s] for s in pairs["to_site"]], dtype=np.int64)
        # Mirror first, then the listed directions, so a listed reverse wins.
        for first, second in ((target, origin), (origin, target)):
            hours[first, second] = pairs["transfer_hours"].to_numpy()
            costs[first, second] = pairs["cost_per_transfer"].to_numpy()
    np.fill_diagonal(hours, 0.0)
    np.fill_diagonal(costs, 0.0)
    return TransferNetwork(ordered, hours, costs)


def read_transfers(
    path: str | Path, sites: Sequence[str], settings: PoolSettings | None = None
) -> TransferNetwork:
    """Read and check a transfer table against the catalogue's ``sites``.

    Raises
    ------
    UnreadableFileError
        The file cannot be read.
    InvalidInputError
        A required column is missing, or a row names an unknown site, pairs a site
        with itself, has negative or non-numeric hours or cost, or repeats a
        direction; every problem is listed with its row, column and value.
    """
    table = read_table(path, _ALIASES)
    log = ProblemLog(Path(path).name, table, id_columns=("", ""))
    missing = [c for c in TRANSFER_COLUMNS[:3] if c not in table.columns]
    for column in missing:
        log.file_problem(f"required column {column!r} is missing", column=column)
    if missing:
        raise InvalidInputError(log.problems)

    pairs = _parse(log, table, settings or PoolSettings())
    _check_sites(log, pairs, set(sites))
    if log.problems:
        raise InvalidInputError(log.problems)
    return transfer_network(sites, pairs, settings)


def _parse(
    log: ProblemLog, table: pl.DataFrame, settings: PoolSettings
) -> pl.DataFrame:
    texts = log.texts({"from_site": True, "to_site": True})
    hours = log.number("transfer_hours", required=True)
    if "cost_per_transfer" in table.columns:
        cost = log.number(
            "cost_per_transfer",
            required=False,
            default=settings.default_cost_per_transfer,
        )
    else:
        cost = pl.Series(
            "cost_per_transfer",
            [settings.default_cost_per_transfer] * table.height,
            dtype=pl.Float64,
        )
    pairs = pl.DataFrame(
        [
            texts["from_site"],
            texts["to_site"],
            hours,
            cost.alias("cost_per_transfer"),
            table.get_column(ROW_COLUMN),
        ]
    )
    log.table = log.table.with_columns(
        from_site=texts["from_site"], to_site=texts["to_site"]
    )
    log.rows(hours < 0, "transfer_hours", ">= 0 hours")
    log.rows(pairs["cost_per_transfer"] < 0, "cost_per_transfer", ">= 0")
    log.rows(
        texts["from_site"] == texts["to_site"],
        "to_site",
        "a different site from from_site (a site is paired with itself)",
    )
    is_repeat = pairs.select(
        pl.struct("from_site", "to_site").is_duplicated()
        & (
            pl.col(ROW_COLUMN)
            != pl.col(ROW_COLUMN).first().over("from_site", "to_site")
        )
    ).to_series()
    log.rows(is_repeat, "to_site", "listed once per direction (this pair repeats)")
    return pairs


def _check_sites(log: ProblemLog, pairs: pl.DataFrame, sites: set[str]) -> None:
    shown = sorted(sites)[:_SHOWN_SITES]
    known = ", ".join(shown) + (" ..." if len(sites) > _SHOWN_SITES else "")
    for column in ("from_site", "to_site"):
        values = pairs[column]
        unknown = values.is_not_null() & ~values.is_in(sorted(sites))
        log.rows(unknown, column, f"a site of the catalogue ({known})")
