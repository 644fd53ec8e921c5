"""The stock store: a ledger in a real database, requisitions, emergency buys.

A small service layer over SQLAlchemy: every function takes an ``Engine`` from
:func:`connect_store` (a SQLite file by default, PostgreSQL by URL) and runs in
its own transaction::

    from spareplan.store import connect_store, upgrade_store, import_catalogue
    engine = connect_store("sqlite:///spareplan.db")
    upgrade_store(engine)
    import_catalogue(engine, "catalogue.csv", history_path="history.csv")
    receive(engine, "P-100034", "PLANT-A", 5, user="ana")
    replenish(engine, user="ana").lines
"""

from spareplan.store.emergency import (
    EmergencyReport,
    emergency_report,
    record_emergency,
)
from spareplan.store.engine import (
    DATABASE_URL_VARIABLE,
    DEFAULT_DATABASE_URL,
    connect_store,
    database_url,
    read_transaction,
    write_transaction,
)
from spareplan.store.errors import (
    InsufficientStockError,
    LedgerValueError,
    StoreError,
    StoreNotReadyError,
    UnknownRecordError,
)
from spareplan.store.importer import ImportResult, import_catalogue
from spareplan.store.ledger import (
    LedgerSettings,
    Movement,
    count_stock,
    issue,
    on_hand_units,
    receive,
    stock_table,
    transfer,
)
from spareplan.store.migrate import current_revision, head_revision, upgrade_store
from spareplan.store.plans import PlanSource, plan_runs, set_override, store_plan
from spareplan.store.replenish import (
    ReplenishResult,
    export_requisitions,
    replenish,
    requisition_lines,
)
from spareplan.store.suppliers import read_suppliers

__all__ = [
    "DATABASE_URL_VARIABLE",
    "DEFAULT_DATABASE_URL",
    "EmergencyReport",
    "ImportResult",
    "InsufficientStockError",
    "LedgerSettings",
    "LedgerValueError",
    "Movement",
    "PlanSource",
    "ReplenishResult",
    "StoreError",
    "StoreNotReadyError",
    "UnknownRecordError",
    "connect_store",
    "count_stock",
    "current_revision",
    "database_url",
    "emergency_report",
    "export_requisitions",
    "head_revision",
    "import_catalogue",
    "issue",
    "on_hand_units",
    "plan_runs",
    "read_suppliers",
    "read_transaction",
    "receive",
    "record_emergency",
    "replenish",
    "requisition_lines",
    "set_override",
    "stock_table",
    "store_plan",
    "transfer",
    "upgrade_store",
    "write_transaction",
]
