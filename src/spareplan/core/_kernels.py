"""Switch between the numba-compiled kernels and the pure numpy paths.

The compiled kernels in :mod:`spareplan.core._numba_kernels` give the same results
as the numpy paths (see that module) and are used whenever numba can be imported;
without numba every function still works, on numpy alone. Tests and benchmarks
turn the kernels off with :func:`use_compiled_kernels` to check both paths.

The wrappers below give the kernels typed, array-allocating signatures; call them
only when :func:`compiled_kernels_are_used` is True.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "IntermittentLevels",
    "SmoothingConstants",
    "compiled_kernels_are_used",
    "count_demand",
    "poisson_quantile_by_mass",
    "smooth_intermittent",
    "use_compiled_kernels",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

_is_switched_on = True


def compiled_kernels_are_used() -> bool:
    """True when numba is importable and the kernels are not switched off."""
    return _is_switched_on and _numba_imports()


@contextmanager
def use_compiled_kernels(is_used: bool) -> Iterator[None]:
    """Use (or not) the compiled kernels inside the ``with`` block; not thread-safe."""
    global _is_switched_on
    was_switched_on = _is_switched_on
    _is_switched_on = is_used
    try:
        yield
    finally:
        _is_switched_on = was_switched_on


@functools.cache
def _numba_imports() -> bool:
    """True if numba imports; tried once, on first use."""
    # NOTE: imported lazily because numba adds about 0.3 s to start-up, which a
    # command that never reaches the numeric core should not pay. ImportError also
    # covers a numba built for another numpy version, which refuses to import.
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class SmoothingConstants:
    """Croston's (and SBA's) and TSB's smoothing constants, each in (0, 1]."""

    alpha_size: float
    alpha_interval: float
    tsb_alpha_size: float
    tsb_alpha_probability: float


@dataclass(frozen=True)
class IntermittentLevels:
    """Next and fitted forecasts of Croston, SBA and TSB from the compiled kernel.

    ``next_demand`` has shape (3, n_series), rows in that order; each ``fitted``
    array has shape (n_series, n_periods), or (n_series, 0) where not asked for.
    """

    next_demand: FloatArray
    fitted: tuple[FloatArray, FloatArray, FloatArray]


def smooth_intermittent(
    demand_matrix: FloatArray,
    has_gaps: bool,
    constants: SmoothingConstants,
    sba_factor: float,
    fitted_models: tuple[bool, bool, bool],
) -> IntermittentLevels:
    """Croston, SBA and TSB of every series; fitted only for the models flagged."""
    from spareplan.core import _numba_kernels

    demand = np.ascontiguousarray(demand_matrix, dtype=np.float64)
    n_series, n_periods = demand.shape
    next_demand = np.empty((3, n_series))
    croston, sba, tsb = (
        np.empty((n_series, n_periods) if is_wanted else (0, 0))
        for is_wanted in fitted_models
    )
    fitted = (croston, sba, tsb)
    _numba_kernels.classify_and_smooth(
        demand,
        has_gaps,
        _alphas(constants),
        sba_factor,
        0,
        np.empty((0, 2), dtype=np.int64),
        np.empty(0),
        next_demand,
        fitted,
    )
    croston, sba, tsb = (
        array if array.size else np.empty((n_series, 0)) for array in fitted
    )
    return IntermittentLevels(next_demand, (croston, sba, tsb))


def count_demand(
    demand_matrix: FloatArray, has_gaps: bool, cv2_ddof: int
) -> tuple[IntArray, IntArray, FloatArray]:
    """Recorded periods, demand periods and CV2 of the sizes, per series."""
    from spareplan.core import _numba_kernels

    demand = np.ascontiguousarray(demand_matrix, dtype=np.float64)
    n_series = demand.shape[0]
    counts = np.empty((n_series, 2), dtype=np.int64)
    cv2 = np.empty(n_series)
    unused = np.empty((0, 0))
    _numba_kernels.classify_and_smooth(
        demand,
        has_gaps,
        np.ones(4),
        1.0,
        cv2_ddof,
        counts,
        cv2,
        np.empty((3, 0)),
        (unused, unused, unused),
    )
    return counts[:, 0].copy(), counts[:, 1].copy(), cv2


def poisson_quantile_by_mass(
    mean_units: FloatArray, probability: FloatArray, margin: float
) -> IntArray:
    """Poisson quantile per part from summed masses, -1 where left undecided."""
    from spareplan.core import _numba_kernels

    mean = np.ascontiguousarray(mean_units, dtype=np.float64)
    target = np.ascontiguousarray(probability, dtype=np.float64)
    quantile = np.empty(mean.shape, dtype=np.int64)
    # e^-mean underflows to 0 past a mean of about 745, far above the kernel's
    # limit, and numpy's exp is several times faster than one call per part.
    mass_at_zero = np.exp(-mean)
    _numba_kernels.poisson_quantile_by_mass(
        mean, target, margin, mass_at_zero, quantile
    )
    return quantile


def _alphas(constants: SmoothingConstants) -> FloatArray:
    """The constants as the kernel's array, in the order it reads them."""
    return np.array(
        [
            constants.alpha_size,
            constants.alpha_interval,
            constants.tsb_alpha_size,
            constants.tsb_alpha_probability,
        ]
    )
