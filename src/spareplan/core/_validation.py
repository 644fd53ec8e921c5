"""Input checks shared by the numeric core; each raises ``InputError`` on failure.

Messages name the parameter, the allowed range and the value received, and for an
array the position of the first bad element.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from spareplan.errors import InputError

__all__ = [
    "as_float_array",
    "check_demand_matrix",
    "check_demand_matrix_with_gaps",
    "check_fraction",
    "check_nonnegative",
    "check_positive_int",
    "check_smoothing_constant",
    "plain",
]


def plain(value: object) -> object:
    """A numpy scalar as the Python number it holds, for readable messages."""
    return value.item() if isinstance(value, np.generic) else value


def as_float_array(name: str, values: ArrayLike) -> NDArray[np.float64]:
    """Convert ``values`` to a float64 array, naming ``name`` if that fails."""
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise InputError(f"`{name}` must be numeric, got {values!r}") from error


def _first_bad(is_bad: NDArray[np.bool_]) -> tuple[int, ...]:
    """Index tuple of the first ``True`` element (C order)."""
    flat_index = int(np.flatnonzero(is_bad)[0])
    return tuple(int(i) for i in np.unravel_index(flat_index, is_bad.shape))


def _position(index: tuple[int, ...]) -> str:
    """Human-readable position of an array element, e.g. ``' at index (3,)'``."""
    return f" at index {index}" if index else ""


def check_nonnegative(name: str, values: ArrayLike) -> NDArray[np.float64]:
    """Return ``values`` as floats after checking they are finite and >= 0."""
    array = as_float_array(name, values)
    is_bad = ~(np.isfinite(array) & (array >= 0.0))
    if np.any(is_bad):
        index = _first_bad(is_bad)
        raise InputError(
            f"`{name}` must be finite and >= 0, got {plain(array[index])!r}"
            f"{_position(index)}"
        )
    return array


def check_fraction(name: str, values: ArrayLike) -> NDArray[np.float64]:
    """Return ``values`` as floats after checking each lies in the open (0, 1)."""
    array = as_float_array(name, values)
    is_bad = ~((array > 0.0) & (array < 1.0))
    if np.any(is_bad):
        index = _first_bad(is_bad)
        raise InputError(
            f"`{name}` must be in (0, 1), got {plain(array[index])!r}{_position(index)}"
        )
    return array


def check_smoothing_constant(name: str, value: float) -> float:
    """Return ``value`` after checking it lies in the half-open (0, 1]."""
    if not (isinstance(value, int | float) and 0.0 < value <= 1.0):
        raise InputError(f"`{name}` must be in (0, 1], got {plain(value)!r}")
    return float(value)


def check_positive_int(name: str, value: int) -> int:
    """Return ``value`` after checking it is an integer >= 1."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise InputError(f"`{name}` must be an integer >= 1, got {value!r}")
    if value < 1:
        raise InputError(f"`{name}` must be an integer >= 1, got {value!r}")
    return int(value)


def check_demand_matrix(demand: ArrayLike) -> NDArray[np.float64]:
    """Return demand as a 2-D float array; NaN (no record) allowed, else >= 0."""
    array, _ = check_demand_matrix_with_gaps(demand)
    return array


def check_demand_matrix_with_gaps(
    demand: ArrayLike,
) -> tuple[NDArray[np.float64], bool]:
    """As :func:`check_demand_matrix`, also saying whether any period is NaN."""
    array = as_float_array("demand", demand)
    if array.ndim != 2:
        raise InputError(
            "`demand` must be 2-D with shape (n_series, n_periods), "
            f"got an array with shape {array.shape!r}"
        )
    if array.size == 0:
        return array, False

    # NOTE: two fast reductions settle the usual case. A finite total rules out
    # NaN and infinity (a total that overflows only sends us to the full check),
    # and then the minimum decides the sign; the slow element-wise scan runs
    # only to find and name a bad value or to confirm NaN gaps.
    if np.isfinite(np.sum(array)) and np.min(array) >= 0.0:
        return array, False
    is_bad = ~np.isnan(array) & ~(np.isfinite(array) & (array >= 0.0))
    if np.any(is_bad):
        series, period = _first_bad(is_bad)
        raise InputError(
            "`demand` must be >= 0 or NaN (no record), got "
            f"{plain(array[series, period])!r} in series {series}, period {period}"
        )
    return array, bool(np.isnan(array).any())
