"""Settings of multi-site pooling, with documented defaults."""

from __future__ import annotations

import math
from dataclasses import dataclass

from spareplan.core.pooling import STOCKOUT_WAITS
from spareplan.errors import ConfigError

__all__ = ["PoolSettings"]


@dataclass(frozen=True)
class PoolSettings:
    """How pools are formed and planned.

    Parameters
    ----------
    default_transfer_hours : float, default 24.0
        Hours to move a unit between two sites the transfer table does not list:
        an overnight courier. ``math.inf`` means unlisted sites never transfer.
    default_cost_per_transfer : float, default 0.0
        Cost of one transfer between unlisted sites.
    stockout_wait : {"resupply", "lead_time"}, default "resupply"
        A demand no site can meet waits for resupply (the pool's backorders, as
        the stand-alone cost model counts them) or the full lead time.
    duplicate_score_cutoff : float, default 85.0
        Lowest fuzzy score (0-100) reported as a likely duplicate.
    min_mpn_length : int, default 3
        Normalised manufacturer part numbers shorter than this are too generic to
        link parts.
    max_units_per_pool : int, default 10,000
        Most units the allocation gives one pool.
    chunk_pools : int, default 1024
        Pools allocated together; bounds memory.
    """

    default_transfer_hours: float = 24.0
    default_cost_per_transfer: float = 0.0
    stockout_wait: str = "resupply"
    duplicate_score_cutoff: float = 85.0
    min_mpn_length: int = 3
    max_units_per_pool: int = 10_000
    chunk_pools: int = 1024

    def __post_init__(self) -> None:
        problems = []
        if math.isnan(self.default_transfer_hours) or self.default_transfer_hours < 0:
            problems.append(
                "default_transfer_hours must be >= 0 hours (or inf), got "
                f"{self.default_transfer_hours!r}"
            )
        if not (math.isfinite(self.default_cost_per_transfer)) or (
            self.default_cost_per_transfer < 0
        ):
            problems.append(
                "default_cost_per_transfer must be finite and >= 0, got "
                f"{self.default_cost_per_transfer!r}"
            )
        if self.stockout_wait not in STOCKOUT_WAITS:
            problems.append(
                f"stockout_wait must be one of {STOCKOUT_WAITS!r}, got "
                f"{self.stockout_wait!r}"
            )
        if not 0 <= self.duplicate_score_cutoff <= 100:
            problems.append(
                "duplicate_score_cutoff must be between 0 and 100, got "
                f"{self.duplicate_score_cutoff!r}"
            )
        for name in ("min_mpn_length", "max_units_per_pool", "chunk_pools"):
            if getattr(self, name) < 1:
                problems.append(f"{name} must be >= 1, got {getattr(self, name)!r}")
        if problems:
            raise ConfigError("pool settings: " + "; ".join(problems))
