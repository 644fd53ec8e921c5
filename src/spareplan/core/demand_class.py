r"""Syntetos-Boylan demand classification of many demand series at once.

Each series is put in one of four quadrants by its average inter-demand interval
(ADI) and the squared coefficient of variation of its non-zero demand sizes (CV2),
after Syntetos, Boylan & Croston (2005), plus two classes for series the quadrants
cannot describe: ``no_demand`` and ``too_short``.

Conventions
-----------
- ``NaN`` means "no record" (a part introduced late or withdrawn early). It is never
  counted as a zero: it adds neither a period nor a demand.
- ADI is the ratio definition, recorded periods over non-zero periods,

  .. math:: \mathrm{ADI} = n_{\mathrm{recorded}} / n_{\mathrm{demand}},

  so leading and trailing zeros both count. It equals the mean of Croston's
  intervals (the first measured from the start of the record) when the record
  ends on a demand; it is larger when the record ends in zeros, which rightly
  makes a part that has stopped moving look more intermittent.
- CV2 is the population variance of the non-zero sizes over their squared mean
  (``cv2_ddof=0``): it describes the observed history, as a classification
  should, rather than estimating a parameter. It is ``NaN`` for fewer than two
  non-zero demands, where no spread can be seen.
- A value equal to a cut-off falls on the irregular side: ``ADI >= adi_cutoff`` is
  intermittent or lumpy, ``CV2 >= cv2_cutoff`` is erratic or lumpy.
- A series with fewer than ``min_periods`` recorded periods (default 6) is
  ``too_short``, whatever it holds; otherwise all zeros is ``no_demand``; a single
  demand (CV2 undefined) is classed on ADI alone with CV2 taken below the cut-off,
  so in practice ``intermittent``: one size carries no evidence of size variability.

Where numba is installed, the counts and CV2 come from a compiled loop over each
series that adds in numpy's pairwise order, so the results are the same to the
last bit as numpy's (see :mod:`spareplan.core._numba_kernels`).

References
----------
Syntetos, A. A., Boylan, J. E. & Croston, J. D. (2005). On the categorization of
demand patterns. *Journal of the Operational Research Society*, 56(5), 495-503.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from spareplan.core._kernels import compiled_kernels_are_used, count_demand
from spareplan.core._validation import (
    check_demand_matrix_with_gaps,
    check_positive_int,
    plain,
)
from spareplan.errors import InputError

__all__ = [
    "DEFAULT_ADI_CUTOFF",
    "DEFAULT_CV2_CUTOFF",
    "DEFAULT_MIN_PERIODS",
    "DEMAND_CLASSES",
    "ERRATIC",
    "INTERMITTENT",
    "LUMPY",
    "NO_DEMAND",
    "SMOOTH",
    "TOO_SHORT",
    "DemandClassification",
    "classify_demand",
    "demand_class_names",
]

#: Class names, ordered so that ``DEMAND_CLASSES[code]`` names an integer code.
DEMAND_CLASSES: Final[tuple[str, ...]] = (
    "smooth",
    "erratic",
    "intermittent",
    "lumpy",
    "no_demand",
    "too_short",
)
SMOOTH: Final = 0
ERRATIC: Final = 1
INTERMITTENT: Final = 2
LUMPY: Final = 3
NO_DEMAND: Final = 4
TOO_SHORT: Final = 5

DEFAULT_ADI_CUTOFF: Final = 1.32
DEFAULT_CV2_CUTOFF: Final = 0.49
DEFAULT_MIN_PERIODS: Final = 6

# Series per block: a block's temporaries stay in cache.
_BLOCK_SERIES = 4096


@dataclass(frozen=True)
class DemandClassification:
    """Result of :func:`classify_demand`; every array has shape (n_series,).

    Attributes
    ----------
    adi : ndarray of float
        Average inter-demand interval in periods; ``inf`` with no demand, ``NaN``
        with no record.
    cv2 : ndarray of float
        Squared coefficient of variation of the non-zero sizes; ``NaN`` for fewer
        than two non-zero demands.
    class_code : ndarray of int8
        Index into :data:`DEMAND_CLASSES`.
    n_recorded_periods : ndarray of int64
        Periods with a record (not ``NaN``).
    n_demand_periods : ndarray of int64
        Periods with a demand > 0.
    """

    adi: NDArray[np.float64]
    cv2: NDArray[np.float64]
    class_code: NDArray[np.int8]
    n_recorded_periods: NDArray[np.int64]
    n_demand_periods: NDArray[np.int64]


def classify_demand(
    demand: ArrayLike,
    *,
    adi_cutoff: float = DEFAULT_ADI_CUTOFF,
    cv2_cutoff: float = DEFAULT_CV2_CUTOFF,
    min_periods: int = DEFAULT_MIN_PERIODS,
    cv2_ddof: int = 0,
) -> DemandClassification:
    r"""Classify each demand series as smooth, erratic, intermittent or lumpy.

    Parameters
    ----------
    demand : array_like of float, shape (n_series, n_periods)
        Demand in units per period, >= 0; ``NaN`` means no record.
    adi_cutoff : float, default 1.32
        ADI at or above which demand is intermittent or lumpy, in periods.
    cv2_cutoff : float, default 0.49
        CV2 at or above which demand is erratic or lumpy.
    min_periods : int, default 6
        Fewest recorded periods for a class other than ``too_short``.
    cv2_ddof : {0, 1}, default 0
        Delta degrees of freedom of the size variance: 0 population, 1 sample.

    Returns
    -------
    DemandClassification

    Raises
    ------
    InputError
        If ``demand`` is not 2-D or holds a negative or infinite value, or a
        cut-off, ``min_periods`` or ``cv2_ddof`` is out of range.

    Notes
    -----
    With :math:`n` recorded periods, :math:`m` non-zero sizes :math:`z_i` of mean
    :math:`\bar z`,

    .. math::
        \mathrm{ADI} = n / m, \qquad
        \mathrm{CV}^2 = \frac{\sum_i (z_i - \bar z)^2 / (m - \delta)}{\bar z^2},

    with :math:`\delta` = ``cv2_ddof``. Quadrants follow Syntetos, Boylan &
    Croston (2005): smooth (ADI < 1.32, CV2 < 0.49), erratic
    (ADI < 1.32, CV2 >= 0.49), intermittent (ADI >= 1.32, CV2 < 0.49), lumpy
    (ADI >= 1.32, CV2 >= 0.49).

    Examples
    --------
    >>> result = classify_demand([[0, 2, 0, 0, 2, 0], [3, 4, 3, 5, 4, 3]])
    >>> [DEMAND_CLASSES[code] for code in result.class_code]
    ['intermittent', 'smooth']
    >>> result.adi.tolist()
    [3.0, 1.0]
    """
    demand_matrix, has_gaps = check_demand_matrix_with_gaps(demand)
    _check_cutoff("adi_cutoff", adi_cutoff)
    _check_cutoff("cv2_cutoff", cv2_cutoff)
    check_positive_int("min_periods", min_periods)
    if cv2_ddof not in (0, 1):
        raise InputError(f"`cv2_ddof` must be 0 or 1, got {cv2_ddof!r}")

    if demand_matrix.size > 0 and compiled_kernels_are_used():
        n_recorded, n_demand, cv2 = count_demand(demand_matrix, has_gaps, cv2_ddof)
    else:
        n_recorded, n_demand, cv2 = _count_demand_by_blocks(
            demand_matrix, has_gaps, cv2_ddof
        )
    adi = _average_interval(n_recorded, n_demand)

    class_code = _assign_classes(
        adi, cv2, n_recorded, n_demand, adi_cutoff, cv2_cutoff, min_periods
    )
    return DemandClassification(adi, cv2, class_code, n_recorded, n_demand)


def demand_class_names(class_code: ArrayLike) -> NDArray[np.str_]:
    """Map integer class codes to their names from :data:`DEMAND_CLASSES`."""
    codes = np.asarray(class_code)
    is_bad = (codes < 0) | (codes >= len(DEMAND_CLASSES))
    if np.any(is_bad):
        bad_value = codes[is_bad].flat[0]
        raise InputError(
            f"`class_code` must be in 0..{len(DEMAND_CLASSES) - 1}, "
            f"got {plain(bad_value)!r}"
        )
    names: NDArray[np.str_] = np.asarray(DEMAND_CLASSES)[codes]
    return names


def _count_demand_by_blocks(
    demand_matrix: NDArray[np.float64], has_gaps: bool, cv2_ddof: int
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """Recorded periods, demand periods and size CV2 per series, with numpy."""
    n_series, n_periods = demand_matrix.shape
    n_recorded = np.full(n_series, n_periods, dtype=np.int64)
    n_demand = np.empty(n_series, dtype=np.int64)
    cv2 = np.empty(n_series)
    for start in range(0, n_series, _BLOCK_SERIES):
        rows = slice(start, start + _BLOCK_SERIES)
        block = np.ascontiguousarray(demand_matrix[rows])
        if has_gaps:
            n_recorded[rows] = np.count_nonzero(~np.isnan(block), axis=1)
            block = np.nan_to_num(block, nan=0.0)
        is_demand = block > 0.0
        n_demand[rows] = np.count_nonzero(is_demand, axis=1)
        cv2[rows] = _size_cv2(block, is_demand, n_demand[rows], cv2_ddof)
    return n_recorded, n_demand, cv2


def _check_cutoff(name: str, value: float) -> None:
    """Raise unless a cut-off is a finite number > 0."""
    if not (isinstance(value, int | float) and np.isfinite(value) and value > 0):
        raise InputError(f"`{name}` must be a finite number > 0, got {plain(value)!r}")


def _average_interval(
    n_recorded: NDArray[np.int64], n_demand: NDArray[np.int64]
) -> NDArray[np.float64]:
    """ADI = recorded / demand periods; inf without demand, NaN without record."""
    adi = np.full(n_recorded.shape, np.inf)
    has_demand = n_demand > 0
    adi[has_demand] = n_recorded[has_demand] / n_demand[has_demand]
    adi[n_recorded == 0] = np.nan
    return adi


def _size_cv2(
    demand: NDArray[np.float64],
    is_demand: NDArray[np.bool_],
    n_demand: NDArray[np.int64],
    ddof: int,
) -> NDArray[np.float64]:
    """CV2 of the non-zero sizes by a two-pass mean and variance; NaN if m < 2.

    ``demand`` must be C-contiguous and hold no NaN; its zeros are the periods
    without demand.
    """
    # NOTE: a zero period adds 0 to the total of sizes, and multiplying its
    # deviation by False makes it 0 too: the same sums as selecting the sizes,
    # without the slow unpredictable branch of a masked selection.
    has_spread = n_demand >= 2
    divisor = np.where(has_spread, n_demand, 1)
    mean_size = demand.sum(axis=1) / divisor
    deviations = demand - mean_size[:, np.newaxis]
    deviations *= is_demand
    np.square(deviations, out=deviations)
    variance = deviations.sum(axis=1) / np.where(has_spread, n_demand - ddof, 1)
    cv2 = np.full(n_demand.shape, np.nan)
    cv2[has_spread] = variance[has_spread] / mean_size[has_spread] ** 2
    return cv2


def _assign_classes(
    adi: NDArray[np.float64],
    cv2: NDArray[np.float64],
    n_recorded: NDArray[np.int64],
    n_demand: NDArray[np.int64],
    adi_cutoff: float,
    cv2_cutoff: float,
    min_periods: int,
) -> NDArray[np.int8]:
    """Quadrant codes, then ``no_demand`` and ``too_short`` laid over them."""
    is_sparse = adi >= adi_cutoff
    # NOTE: NaN CV2 (a single demand) compares False, i.e. below the cut-off.
    is_variable = cv2 >= cv2_cutoff
    class_code = np.where(
        is_sparse,
        np.where(is_variable, LUMPY, INTERMITTENT),
        np.where(is_variable, ERRATIC, SMOOTH),
    ).astype(np.int8)
    class_code[n_demand == 0] = NO_DEMAND
    class_code[n_recorded < min_periods] = TOO_SHORT
    return class_code
