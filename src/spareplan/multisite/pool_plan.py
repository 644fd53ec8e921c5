"""Pooled planning: share each equivalence group's spares among nearby sites.

Steps: attach each plan row to its equivalence group; sum the rows of one group at
one site; split each group's sites into pools of sites that reach each other
within the lead time; allocate each pool's stock by greedy marginal allocation
(:func:`~spareplan.core.pooling.allocate_pooled_stock`); compare with every site
holding the plan's ``cost_optimal_units`` alone.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np
import polars as pl

from spareplan.core.cost_model import DAYS_PER_YEAR
from spareplan.core.pooling import (
    PoolAllocation,
    PoolInputs,
    allocate_pooled_stock,
    evaluate_allocation,
    normal_safety_stock,
    reachable_clusters,
)
from spareplan.errors import InputProblem
from spareplan.multisite.equivalence import Equivalence
from spareplan.multisite.settings import PoolSettings
from spareplan.multisite.transfers import TransferNetwork

__all__ = ["PoolPlan", "plan_pools"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PoolPlan:
    """Pooled and stand-alone stock per site (``sites``) and per group (``groups``).

    ``sites`` has one row per equivalence group and site; ``groups`` one row per
    group held at two or more sites, with the units, stock value and expected
    annual cost the pooling saves.
    """

    sites: pl.DataFrame
    groups: pl.DataFrame
    network: TransferNetwork
    settings: PoolSettings
    warnings: tuple[InputProblem, ...] = ()


def plan_pools(
    plan_table: pl.DataFrame,
    equivalence: Equivalence,
    network: TransferNetwork,
    settings: PoolSettings | None = None,
) -> PoolPlan:
    """Pool the groups of a plan's table (``Plan.table``) across sites."""
    settings = settings or PoolSettings()
    started = time.perf_counter()

    rows = _site_rows(plan_table, equivalence)
    rows = _shared_groups(rows)
    rows = _assign_pools(rows, network)
    rows = _allocate(rows, network, settings)
    groups = _group_totals(rows)

    logger.info(
        "pooled %d groups over %d group-sites in %.2f s",
        groups.height,
        rows.height,
        time.perf_counter() - started,
    )
    return PoolPlan(rows.drop("slot"), groups, network, settings, equivalence.warnings)


def _site_rows(plan_table: pl.DataFrame, equivalence: Equivalence) -> pl.DataFrame:
    """One row per group and site, summing the equivalent parts held there."""
    failures = pl.col("failures_per_year").fill_nan(None)
    demand = (
        pl.when(failures.is_not_null())
        .then(failures)
        .otherwise(pl.col("demand_per_day") * DAYS_PER_YEAR)
    )
    mean_units = pl.col("demand_per_year") * pl.col("lead_time_days") / DAYS_PER_YEAR
    is_negative_binomial = (
        pl.col("method") == "negative_binomial"
    ) & failures.is_null()
    table = (
        plan_table.join(equivalence.groups, on="part_id", how="left")
        .with_columns(
            group_id=pl.col("group_id").fill_null(pl.col("part_id")),
            demand_per_year=demand.fill_null(0.0),
        )
        .with_columns(
            variance_units=pl.when(is_negative_binomial)
            .then(pl.col("lead_time_demand_sd") ** 2)
            .otherwise(mean_units),
            standalone_stock_value=pl.col("cost_optimal_units") * pl.col("unit_cost"),
        )
    )
    weight = pl.col("demand_per_year") + 1e-12
    return (
        table.group_by("group_id", "site_id")
        .agg(
            part_ids=pl.col("part_id").sort().str.join(" "),
            demand_per_year=pl.col("demand_per_year").sum(),
            variance_units=pl.col("variance_units").sum(),
            lead_time_days=(pl.col("lead_time_days") * weight).sum() / weight.sum(),
            unit_cost=pl.col("unit_cost").mean(),
            holding_cost_per_unit_year=pl.col("carrying_cost_per_unit_year").mean(),
            downtime_cost_per_hour=pl.col("downtime_cost_per_hour").max(),
            service_target=pl.col("service_target").max(),
            lead_time_demand=pl.col("lead_time_demand").sum(),
            lead_time_demand_sd=(pl.col("lead_time_demand_sd") ** 2).sum().sqrt(),
            on_hand_units=pl.col("on_hand_units").sum(),
            reorder_point=pl.col("reorder_point").sum(),
            standalone_units=pl.col("cost_optimal_units").sum(),
            standalone_stock_value=pl.col("standalone_stock_value").sum(),
        )
        .sort("group_id", "site_id")
    )


def _shared_groups(rows: pl.DataFrame) -> pl.DataFrame:
    """Groups held at two or more sites; a group at one site has nothing to pool."""
    return rows.filter(pl.len().over("group_id") > 1)


def _assign_pools(rows: pl.DataFrame, network: TransferNetwork) -> pl.DataFrame:
    """Split each group into pools of sites within reach of each other."""
    rows = rows.with_columns(
        site_index=pl.Series(network.index(rows["site_id"])),
        slot=pl.int_range(pl.len()).over("group_id"),
    )
    site_index, lead_time = _pack(rows, "group_id", ["site_index", "lead_time_days"])
    labels = reachable_clusters(
        site_index.astype(np.int64), lead_time, network.transfer_hours
    )
    group_number = rows["group_id"].rank("dense").cast(pl.Int64).to_numpy() - 1
    label = labels[group_number, rows["slot"].to_numpy()]
    rows = rows.with_columns(
        pool_id=pl.col("group_id") + "/" + pl.Series(label).cast(pl.String)
    )
    return rows.with_columns(slot=pl.int_range(pl.len()).over("pool_id"))


def _pack(rows: pl.DataFrame, key: str, columns: list[str]) -> tuple[np.ndarray, ...]:
    """Columns as (n_keys, n_slots) arrays; empty slots -1 (index) or 1 (values)."""
    number = rows[key].rank("dense").cast(pl.Int64).to_numpy() - 1
    slot = rows["slot"].to_numpy()
    shape = (int(number.max(initial=-1)) + 1, int(slot.max(initial=-1)) + 1)
    packed = []
    for column in columns:
        fill = -1.0 if column == "site_index" else 1.0
        array = np.full(shape, fill)
        array[number, slot] = rows[column].cast(pl.Float64).to_numpy()
        packed.append(array)
    return tuple(packed)


def _allocate(
    rows: pl.DataFrame, network: TransferNetwork, settings: PoolSettings
) -> pl.DataFrame:
    """Pooled units per site, and both allocations' service and cost."""
    rows = rows.sort("pool_id", "slot")
    columns = [
        "site_index",
        "demand_per_year",
        "lead_time_days",
        "holding_cost_per_unit_year",
        "downtime_cost_per_hour",
        "variance_units",
        "standalone_units",
    ]
    packed = dict(zip(columns, _pack(rows, "pool_id", columns), strict=True))
    inputs = PoolInputs.create(
        site_index=packed["site_index"].astype(np.int64),
        demand_per_year=packed["demand_per_year"],
        lead_time_days=packed["lead_time_days"],
        holding_cost_per_unit_year=packed["holding_cost_per_unit_year"],
        downtime_cost_per_hour=packed["downtime_cost_per_hour"],
        lead_time_demand_variance=packed["variance_units"],
        transfer_hours=network.transfer_hours,
        cost_per_transfer=network.cost_per_transfer,
    )
    wait = settings.stockout_wait
    pooled = allocate_pooled_stock(
        inputs,
        stockout_wait=wait,
        max_units=settings.max_units_per_pool,
        chunk_pools=settings.chunk_pools,
    )
    alone = _standalone(rows, network, wait)
    is_site = inputs.site_index >= 0
    pool_cost_share = _per_site_share(pooled.expected_annual_cost, is_site, packed)
    rows = rows.with_columns(
        pooled_units=pooled.units[is_site],
        pooled_local_fill_rate=pooled.local_fill_rate[is_site],
        pooled_transfer_fill_rate=pooled.transfer_fill_rate[is_site],
        transfers_per_year=pooled.transfers_per_year[is_site],
        standalone_fill_rate=alone.local_fill_rate[:, 0],
        standalone_annual_cost=alone.expected_annual_cost,
        pooled_annual_cost=pool_cost_share,
        has_hit_max_units=np.repeat(pooled.has_hit_max_units, is_site.sum(axis=1)),
    )
    return _keep_cheaper(rows).with_columns(
        pooled_fill_rate=pl.col("pooled_local_fill_rate")
        + pl.col("pooled_transfer_fill_rate"),
        pooled_stock_value=pl.col("pooled_units") * pl.col("unit_cost"),
    )


def _keep_cheaper(rows: pl.DataFrame) -> pl.DataFrame:
    """Pools whose pooling costs more than planning alone keep the stand-alone plan.

    NOTE: the pool model lets every site draw on every shelf, so a site that
    loses nothing by waiting can still empty a neighbour's shelf; where that makes
    pooling dearer than the sites' own plans, the pool is not formed.
    """
    is_pooled = pl.col("pooled_annual_cost").sum().over("pool_id") < pl.col(
        "standalone_annual_cost"
    ).sum().over("pool_id")
    return rows.with_columns(is_pooled=is_pooled).with_columns(
        pooled_units=pl.when("is_pooled")
        .then("pooled_units")
        .otherwise("standalone_units"),
        pooled_local_fill_rate=pl.when("is_pooled")
        .then("pooled_local_fill_rate")
        .otherwise("standalone_fill_rate"),
        pooled_transfer_fill_rate=pl.when("is_pooled")
        .then("pooled_transfer_fill_rate")
        .otherwise(0.0),
        transfers_per_year=pl.when("is_pooled")
        .then("transfers_per_year")
        .otherwise(0.0),
        pooled_annual_cost=pl.when("is_pooled")
        .then("pooled_annual_cost")
        .otherwise("standalone_annual_cost"),
    )


def _standalone(
    rows: pl.DataFrame, network: TransferNetwork, wait: str
) -> PoolAllocation:
    """Each site alone at the plan's cost-optimal units, by the same model."""
    inputs = PoolInputs.create(
        site_index=rows["site_index"].to_numpy()[:, None],
        demand_per_year=rows["demand_per_year"].to_numpy()[:, None],
        lead_time_days=rows["lead_time_days"].to_numpy()[:, None],
        holding_cost_per_unit_year=rows["holding_cost_per_unit_year"].to_numpy()[
            :, None
        ],
        downtime_cost_per_hour=rows["downtime_cost_per_hour"].to_numpy()[:, None],
        lead_time_demand_variance=rows["variance_units"].to_numpy()[:, None],
        transfer_hours=network.transfer_hours,
    )
    units = rows["standalone_units"].to_numpy()[:, None]
    return evaluate_allocation(inputs, units, stockout_wait=wait)


def _per_site_share(
    pool_cost: np.ndarray, is_site: np.ndarray, packed: dict[str, np.ndarray]
) -> np.ndarray:
    """A pool's cost shared among its sites in proportion to demand (even if none)."""
    demand = np.where(is_site, packed["demand_per_year"], 0.0)
    total = demand.sum(axis=1, keepdims=True)
    even = is_site / is_site.sum(axis=1, keepdims=True)
    share = np.where(total > 0, demand / np.where(total > 0, total, 1.0), even)
    shared: np.ndarray = (share * pool_cost[:, None])[is_site]
    return shared


def _group_totals(rows: pl.DataFrame) -> pl.DataFrame:
    """Per group: pooled requirement (square-root law), units, value and savings."""
    groups = (
        rows.group_by("group_id")
        .agg(
            part_ids=pl.col("part_ids").str.join(" "),
            n_sites=pl.len(),
            n_pools=pl.col("pool_id").n_unique(),
            pooled_demand_per_day=pl.col("demand_per_year").sum() / DAYS_PER_YEAR,
            pooled_lead_time_demand=pl.col("lead_time_demand").sum(),
            pooled_lead_time_demand_sd=(pl.col("lead_time_demand_sd") ** 2)
            .sum()
            .sqrt(),
            sd_sum_of_sites=pl.col("lead_time_demand_sd").sum(),
            service_target=pl.col("service_target").max(),
            on_hand_units=pl.col("on_hand_units").sum(),
            standalone_units=pl.col("standalone_units").sum(),
            pooled_units=pl.col("pooled_units").sum(),
            standalone_stock_value=pl.col("standalone_stock_value").sum(),
            pooled_stock_value=pl.col("pooled_stock_value").sum(),
            standalone_annual_cost=pl.col("standalone_annual_cost").sum(),
            pooled_annual_cost=pl.col("pooled_annual_cost").sum(),
        )
        .sort("group_id")
        .with_columns(
            part_ids=pl.col("part_ids")
            .str.split(" ")
            .list.unique()
            .list.sort()
            .list.join(" ")
        )
    )
    target = groups["service_target"].fill_null(0.95).to_numpy()
    return groups.with_columns(
        safety_stock_sum_of_sites=normal_safety_stock(
            groups["sd_sum_of_sites"].to_numpy(), target
        ),
        safety_stock_pooled=normal_safety_stock(
            groups["pooled_lead_time_demand_sd"].to_numpy(), target
        ),
        units_released=pl.col("standalone_units") - pl.col("pooled_units"),
        stock_value_released=pl.col("standalone_stock_value")
        - pl.col("pooled_stock_value"),
        annual_saving=pl.col("standalone_annual_cost") - pl.col("pooled_annual_cost"),
    ).drop("sd_sum_of_sites")
