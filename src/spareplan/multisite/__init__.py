"""Many plants, one pool of spares: shared catalogue, pooling and transfers.

- :mod:`~spareplan.multisite.equivalence`: which part ids are one part;
- :mod:`~spareplan.multisite.duplicates`: likely duplicates not yet linked;
- :mod:`~spareplan.multisite.decisions`: the planner's confirmations and rejections;
- :mod:`~spareplan.multisite.transfers`: transfer hours and costs between sites;
- :mod:`~spareplan.multisite.pool_plan`: pooled against stand-alone stock;
- :mod:`~spareplan.multisite.report`: Excel and console output.
"""

from spareplan.core.pooling import TransferRecommendation, recommend_transfer
from spareplan.multisite.decisions import Decisions, read_decisions
from spareplan.multisite.duplicates import DUPLICATE_COLUMNS, likely_duplicates
from spareplan.multisite.equivalence import (
    Equivalence,
    equivalence_groups,
    normalise_mpn,
    read_equivalents,
    read_part_attributes,
)
from spareplan.multisite.files import duplicate_files, equivalence_files, pool_files
from spareplan.multisite.pool_plan import PoolPlan, plan_pools
from spareplan.multisite.report import print_pool_plan, write_pool_plan
from spareplan.multisite.settings import PoolSettings
from spareplan.multisite.transfers import (
    TransferNetwork,
    read_transfers,
    transfer_network,
)

__all__ = [
    "DUPLICATE_COLUMNS",
    "Decisions",
    "Equivalence",
    "PoolPlan",
    "PoolSettings",
    "TransferNetwork",
    "TransferRecommendation",
    "duplicate_files",
    "equivalence_files",
    "equivalence_groups",
    "likely_duplicates",
    "normalise_mpn",
    "plan_pools",
    "pool_files",
    "print_pool_plan",
    "read_decisions",
    "read_equivalents",
    "read_part_attributes",
    "read_transfers",
    "recommend_transfer",
    "transfer_network",
    "write_pool_plan",
]
