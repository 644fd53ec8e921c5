"""File entry points: pool a catalogue, or list its likely duplicates."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from spareplan.config import PlanConfig
from spareplan.io.catalogue import read_catalogue
from spareplan.io.history import read_history
from spareplan.multisite.decisions import Decisions, read_decisions
from spareplan.multisite.duplicates import likely_duplicates
from spareplan.multisite.equivalence import (
    Equivalence,
    equivalence_groups,
    read_equivalents,
    read_part_attributes,
)
from spareplan.multisite.pool_plan import PoolPlan, plan_pools
from spareplan.multisite.settings import PoolSettings
from spareplan.multisite.transfers import read_transfers, transfer_network
from spareplan.planning.plan import plan_catalogue

__all__ = ["duplicate_files", "equivalence_files", "pool_files"]


def equivalence_files(
    catalogue_path: str | Path,
    equivalents_path: str | Path | None = None,
    decisions_path: str | Path | None = None,
    settings: PoolSettings | None = None,
) -> tuple[pl.DataFrame, Equivalence, Decisions]:
    """Part attributes, groups (MPN, equivalents, confirmations) and decisions."""
    settings = settings or PoolSettings()
    attributes = read_part_attributes(catalogue_path)
    decisions = read_decisions(decisions_path) if decisions_path else Decisions.none()
    pairs = [decisions.confirmed]
    files = [decisions.file]
    if equivalents_path is not None:
        listed, file = read_equivalents(equivalents_path)
        pairs.insert(0, listed)
        files.insert(0, file)
    equivalence = equivalence_groups(
        attributes["part_id"],
        attributes,
        pl.concat([p.select("part_id", "equivalent_part_id", "row") for p in pairs]),
        pairs_file=" / ".join(files),
        min_mpn_length=settings.min_mpn_length,
    )
    return attributes, equivalence, decisions


def pool_files(
    catalogue_path: str | Path,
    history_path: str | Path | None = None,
    config: PlanConfig | None = None,
    *,
    transfers_path: str | Path | None = None,
    equivalents_path: str | Path | None = None,
    decisions_path: str | Path | None = None,
    settings: PoolSettings | None = None,
) -> PoolPlan:
    """Plan the catalogue, then pool its equivalence groups across sites."""
    config = config or PlanConfig()
    settings = settings or config.pooling
    catalogue = read_catalogue(catalogue_path, config)
    history = read_history(history_path, config) if history_path else None
    plan = plan_catalogue(catalogue, history, config)
    _, equivalence, _ = equivalence_files(
        catalogue_path, equivalents_path, decisions_path, settings
    )
    sites = plan.table["site_id"].unique().to_list()
    network = (
        read_transfers(transfers_path, sites, settings)
        if transfers_path
        else transfer_network(sites, None, settings)
    )
    return plan_pools(plan.table, equivalence, network, settings)


def duplicate_files(
    catalogue_path: str | Path,
    decisions_path: str | Path | None = None,
    equivalents_path: str | Path | None = None,
    settings: PoolSettings | None = None,
) -> pl.DataFrame:
    """Likely duplicates of a catalogue, respecting earlier decisions."""
    settings = settings or PoolSettings()
    attributes, equivalence, decisions = equivalence_files(
        catalogue_path, equivalents_path, decisions_path, settings
    )
    return likely_duplicates(
        attributes,
        equivalence,
        decisions,
        score_cutoff=settings.duplicate_score_cutoff,
    )
