"""Array aliases and choices shared by the pooling modules."""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: How a demand that no shelf in the pool can meet is charged.
STOCKOUT_WAITS: Final = ("resupply", "lead_time")
