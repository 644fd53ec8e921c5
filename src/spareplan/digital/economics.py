"""Hold physical stock, or fabricate on demand? See :mod:`spareplan.core.fabrication`.

The arithmetic lives in the numeric core so the planner can use it without the
store; this module keeps the digital warehouse's own name for it.
"""

from spareplan.core.fabrication import (
    HOURS_PER_DAY,
    StockOrFabricate,
    compare_stock_and_fabrication,
)

__all__ = ["HOURS_PER_DAY", "StockOrFabricate", "compare_stock_and_fabrication"]
