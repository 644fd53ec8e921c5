"""The virtual warehouse: digital parts fabricated when maintenance needs them.

- :mod:`~spareplan.digital.models`: the registry of model revisions (files in a
  content-addressed folder or at a URL, status draft/verified/obsolete, material,
  process, fabrication lead time and cost);
- :mod:`~spareplan.digital.maintenance`: assets, preventive plans, condition
  readings and spare-parts lists;
- :mod:`~spareplan.digital.needs`: part needs from the plans and wear trends,
  netted against stock, earliest first;
- :mod:`~spareplan.digital.fabrication`: fabrication orders timed to arrive
  before the need, with order packages;
- :mod:`~spareplan.digital.economics`: holding stock against fabricating on
  demand (pure, over arrays), and :mod:`~spareplan.digital.comparison` its table.

Every service takes an engine from :func:`spareplan.store.connect_store` and runs
in one transaction::

    from spareplan.digital import ModelSource, RevisionSpec, register_model
    register_model(engine, "P-3", [ModelSource("bracket.step")],
                   RevisionSpec("A", "PA12", "3d printing", 5, 40, "verified"),
                   user="ana", model_store=model_store_root(url))
"""

from spareplan.digital.comparison import stock_or_fabricate_table
from spareplan.digital.economics import StockOrFabricate, compare_stock_and_fabrication
from spareplan.digital.errors import (
    DigitalError,
    DigitalValueError,
    ModelFileError,
    ModelIntegrityError,
)
from spareplan.digital.fabrication import (
    FabricationResult,
    FabricationSettings,
    fabricate,
    fabrication_orders,
    order_reference,
)
from spareplan.digital.files import (
    MODEL_STORE_VARIABLE,
    check_stored_file,
    file_sha256,
    model_store_root,
)
from spareplan.digital.maintenance import (
    MaintenancePlanSpec,
    add_asset,
    asset_parts,
    maintenance_plans,
    record_reading,
    set_asset_part,
    set_maintenance_plan,
)
from spareplan.digital.models import (
    MODEL_STATUSES,
    PROCESSES,
    ModelSource,
    RegisteredRevision,
    RevisionSpec,
    model_revisions,
    parts_without_verified_model,
    register_model,
    set_revision_status,
)
from spareplan.digital.needs import MaintenanceNeeds, maintenance_needs, net_needs
from spareplan.digital.timing import calendar_due_dates, fabrication_order_date
from spareplan.digital.trend import LinearTrend, day_reaching, linear_trend

__all__ = [
    "MODEL_STATUSES",
    "MODEL_STORE_VARIABLE",
    "PROCESSES",
    "DigitalError",
    "DigitalValueError",
    "FabricationResult",
    "FabricationSettings",
    "LinearTrend",
    "MaintenanceNeeds",
    "MaintenancePlanSpec",
    "ModelFileError",
    "ModelIntegrityError",
    "ModelSource",
    "RegisteredRevision",
    "RevisionSpec",
    "StockOrFabricate",
    "add_asset",
    "asset_parts",
    "calendar_due_dates",
    "check_stored_file",
    "compare_stock_and_fabrication",
    "day_reaching",
    "fabricate",
    "fabrication_order_date",
    "fabrication_orders",
    "file_sha256",
    "linear_trend",
    "maintenance_needs",
    "maintenance_plans",
    "model_revisions",
    "model_store_root",
    "net_needs",
    "order_reference",
    "parts_without_verified_model",
    "record_reading",
    "register_model",
    "set_asset_part",
    "set_maintenance_plan",
    "set_revision_status",
    "stock_or_fabricate_table",
]
