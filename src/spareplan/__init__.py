"""spareplan: spare-parts planning for maintenance, repair and operations.

The Python API mirrors the command line::

    from spareplan import plan_files
    plan = plan_files("catalogue.csv", "history.csv")
    plan.table          # one row per part-site (polars DataFrame)
    plan.summary        # totals
    simulate_plan(plan)                      # Monte Carlo of the policies
    backtest_plan(catalogue, history, config)  # replay the last periods
"""

from spareplan.config import DemandConfig, PlanConfig, load_config
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
from spareplan.planning.evaluation import Evaluation, backtest_plan, simulate_plan
from spareplan.planning.plan import PLAN_COLUMNS, Plan, plan_catalogue, plan_files

__all__ = [
    "PLAN_COLUMNS",
    "STRATEGIES",
    "Catalogue",
    "ConfigError",
    "DemandConfig",
    "Evaluation",
    "InputError",
    "InputProblem",
    "InvalidInputError",
    "Plan",
    "PlanConfig",
    "SpareplanError",
    "SpareplanWarning",
    "UnreadableFileError",
    "UsageHistory",
    "backtest_plan",
    "load_config",
    "plan_catalogue",
    "plan_files",
    "read_catalogue",
    "read_history",
    "simulate_plan",
    "write_example",
    "write_plan_table",
]
__version__ = "0.1.0"
