"""The criticality matrix: operational criticality x lead time -> strategy."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["STRATEGIES", "quadrant"]

# Index q - 1 holds the strategy of quadrant q.
STRATEGIES = (
    "strategic_stock",  # 1: high criticality, long lead time
    "predictive_jit",  # 2: high criticality, short lead time
    "digital_on_demand",  # 3: low criticality, long lead time
    "consolidated_jit",  # 4: low criticality, short lead time
)


def quadrant(
    is_high_criticality: ArrayLike,
    lead_time_days: ArrayLike,
    long_lead_time_days: float,
) -> NDArray[np.int8]:
    """Quadrant 1-4 of the criticality matrix for each part.

    ======================  ===================  ====================
    criticality \\ lead time  long (>= threshold)  short (< threshold)
    ======================  ===================  ====================
    high                    1 strategic stock    2 predictive JIT
    low                     3 digital on demand  4 consolidated JIT
    ======================  ===================  ====================

    Parameters
    ----------
    is_high_criticality : array_like of bool, shape (n,)
    lead_time_days : array_like of float, shape (n,)
        Average replenishment lead time in days.
    long_lead_time_days : float
        Lead times of at least this many days are long.

    Returns
    -------
    ndarray of int8, shape (n,)

    Examples
    --------
    >>> quadrant([True, True, False, False], [30, 3, 30, 3], 14).tolist()
    [1, 2, 3, 4]
    """
    is_high = np.asarray(is_high_criticality, dtype=bool)
    is_long = np.asarray(lead_time_days, dtype=np.float64) >= long_lead_time_days
    return (1 + (~is_long).astype(np.int8) + 2 * (~is_high).astype(np.int8)).astype(
        np.int8
    )
