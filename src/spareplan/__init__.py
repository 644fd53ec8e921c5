"""spareplan: spare-parts planning for maintenance, repair and operations.

The Python API mirrors the command line::

    from spareplan import plan_files
    plan = plan_files("catalogue.csv", "history.csv")
    plan.table          # one row per part-site (polars DataFrame)
    plan.summary        # totals
"""

from spareplan.config import PlanConfig, load_config
from spareplan.core.matrix import STRATEGIES
from spareplan.errors import (
    ConfigError,
    InputError,
    InputProblem,
    InvalidInputError,
    SpareplanError,
    SpareplanWarning,
    UnreadableFileError,
)
from spareplan.examples import write_example
from spareplan.io.catalogue import Catalogue, read_catalogue
from spareplan.io.history import UsageHistory, read_history
from spareplan.io.writers import write_plan_table
from spareplan.planning.plan import PLAN_COLUMNS, Plan, plan_catalogue, plan_files

__all__ = [
    "PLAN_COLUMNS",
    "STRATEGIES",
    "Catalogue",
    "ConfigError",
    "InputError",
    "InputProblem",
    "InvalidInputError",
    "Plan",
    "PlanConfig",
    "SpareplanError",
    "SpareplanWarning",
    "UnreadableFileError",
    "UsageHistory",
    "load_config",
    "plan_catalogue",
    "plan_files",
    "read_catalogue",
    "read_history",
    "write_example",
    "write_plan_table",
]
__version__ = "0.1.0"
